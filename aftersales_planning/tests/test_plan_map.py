"""A route plan previewed on the operations map and the day plan: the plan's routes in its order with the
planned times, only for plans the dispatcher may read (attacks with another company's plan id, with
garbage ids and with the internal context key sent by the client)."""

from datetime import datetime, time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.aftersales_ops_map import PLAN_PREVIEW_KEY
from .common import PlanningCommon


@tagged("post_install", "-at_install")
class TestPlanMap(PlanningCommon):
    def _map(self, user=None, context=None, **filters):
        ops_map = self.env["aftersales.ops.map"].with_user(user or self.dispatcher)
        if context:
            ops_map = ops_map.with_context(**context)
        return ops_map.get_map_data(filters)

    def _computed_plan(self, count=4):
        orders = self._orders(count)
        plan = self._plan().with_user(self.dispatcher)
        plan.action_compute()
        self.assertEqual(plan.state, "computed", plan.solver_message)
        return plan, orders

    def _other_company_plan(self):
        """Another company's computed plan: its centre, technician, customer, order and one visit."""
        company = self.env["res.company"].create({"name": "Other After-Sales Co"})
        centre = self.env["aftersales.service.centre"].create(
            {"name": "Other centre", "code": "OTH", "company_id": company.id}
        )
        technician = self.env["hr.employee"].create(
            {
                "name": "Other Company Technician",
                "company_id": company.id,
                "is_technician": True,
                "service_centre_id": centre.id,
                "last_latitude": 35.80,
                "last_longitude": 51.50,
            }
        )
        partner = self.env["res.partner"].create(
            {"name": "Other Customer", "company_id": company.id, "partner_latitude": 35.81, "partner_longitude": 51.51}
        )
        order = (
            self.env["repair.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "product_id": self.product.id,
                    "company_id": company.id,
                    "is_aftersales": True,
                    "service_centre_id": centre.id,
                }
            )
        )
        plan = (
            self.env["aftersales.plan"]
            .with_company(company)
            .create({"service_centre_id": centre.id, "company_id": company.id, "date": self.tomorrow})
        )
        plan.write({"state": "computed"})
        self.env["aftersales.plan.visit"].create(
            {
                "plan_id": plan.id,
                "order_id": order.id,
                "technician_id": technician.id,
                "sequence": 1,
                "planned_start": datetime.combine(self.tomorrow, time(9)),
            }
        )
        return plan, technician, order

    def test_plan_routes_on_map(self):
        """The map draws the plan's routes in the plan's order, from the technician, with the planned times."""
        plan, orders = self._computed_plan()
        live = self._map()
        self.assertFalse(live["plan"])
        self.assertFalse(
            [route for route in live["routes"] if set(route["order_ids"]) & set(orders.ids)],
            "the orders are not assigned yet: no live route goes through them",
        )
        # the centre filter of the client does not matter: the plan's centre is shown
        data = self._map(plan_id=plan.id, centre_id=self.other_centre.id)
        self.assertEqual(data["plan"]["id"], plan.id)
        self.assertEqual(data["plan"]["name"], plan.name)
        self.assertEqual(data["plan"]["date"], str(self.tomorrow))
        self.assertEqual(data["plan"]["state"], "computed")
        technician_ids = {tech["id"] for tech in data["technicians"]}
        self.assertIn(self.skilled.id, technician_ids)
        self.assertFalse(
            technician_ids & set(self.env["hr.employee"].search([("service_centre_id", "=", self.other_centre.id)]).ids)
        )
        visits = plan.visit_ids.filtered(lambda v: v.technician_id == self.skilled).sorted("sequence")
        self.assertEqual(len(visits), 4, "the skilled technician takes the four orders")
        route = next(route for route in data["routes"] if route["technician_id"] == self.skilled.id)
        self.assertEqual(route["order_ids"], visits.order_id.ids, "the route follows the plan's sequence")
        self.assertEqual(route["points"][0], [35.70, 51.40], "the route starts at the technician")
        self.assertEqual(len(route["points"]), 5)
        shown = {order["id"]: order for order in data["orders"]}
        for visit in visits:
            self.assertEqual(shown[visit.order_id.id]["planned_start"], str(visit.planned_start))
            self.assertEqual(shown[visit.order_id.id]["planned_technician"], self.skilled.name)
            self.assertEqual(shown[visit.order_id.id]["planned_sequence"], visit.sequence)
        # the id as the URL gives it (a string of digits) works too
        self.assertEqual(self._map(plan_id=str(plan.id))["plan"]["id"], plan.id)

    def test_other_company_plan_refused(self):
        """Attack over RPC: a dispatcher of this company asks the map for another company's plan."""
        plan, technician, order = self._other_company_plan()
        with self.assertRaises(AccessError):
            self._map(plan_id=plan.id)
        with self.assertRaises(AccessError):
            self._map(plan_id=str(plan.id))
        with self.assertRaises(AccessError):
            plan.with_user(self.dispatcher).action_show_on_map()
        # the internal context key sent by the client instead of the filter: ignored, live routes only
        data = self._map(context={PLAN_PREVIEW_KEY: plan.id})
        self.assertFalse(data["plan"])
        self.assertNotIn(technician.id, [route["technician_id"] for route in data["routes"]])
        self.assertNotIn(order.id, [order["id"] for order in data["orders"]])
        # nothing was written on the other company's plan
        self.assertEqual(plan.state, "computed")
        self.assertEqual(plan.visit_ids.technician_id, technician)

    def test_context_key_is_not_trusted(self):
        """Attack over RPC: the client sends the preview's context key (of a plan it may read) without the
        filter: the map stays live; the filter and the key together show the filter's plan only."""
        plan, _orders = self._computed_plan()
        other_plan, technician, _order = self._other_company_plan()
        data = self._map(context={PLAN_PREVIEW_KEY: plan.id})
        self.assertFalse(data["plan"])
        self.assertFalse([route for route in data["routes"] if route["technician_id"] == self.skilled.id])
        data = self._map(context={PLAN_PREVIEW_KEY: other_plan.id}, plan_id=plan.id)
        self.assertEqual(data["plan"]["id"], plan.id)
        self.assertNotIn(technician.id, [route["technician_id"] for route in data["routes"]])

    def test_garbage_plan_ids_ignored(self):
        """Ids that are not a plan id give the live map, never a server error."""
        plan, _orders = self._computed_plan()
        for value in ("abc", f"{plan.id}x", [plan.id], {"id": plan.id}, True, 1.5, -3, 0, 10**12, None, ""):
            data = self._map(plan_id=value)
            self.assertFalse(data["plan"], f"plan_id={value!r}")
        deleted, _order = self._computed_plan(1)
        deleted_id = deleted.id
        deleted.sudo().unlink()
        self.assertFalse(self._map(plan_id=deleted_id)["plan"])

    def test_technician_cannot_preview(self):
        """Attack over RPC: a technician asks for the plan's routes (the map is for dispatchers)."""
        plan, _orders = self._computed_plan()
        with self.assertRaises(AccessError):
            self._map(user=self.skilled.user_id, plan_id=plan.id)

    def test_show_on_map_and_day_plan_actions(self):
        plan, orders = self._computed_plan(2)
        action = plan.action_show_on_map()
        self.assertEqual(action["tag"], "aftersales_ops_map")
        self.assertEqual(action["params"], {"plan_id": plan.id, "centre_id": self.centre.id})
        # before Apply: the plan's own visits, grouped by technician
        action = plan.action_show_day_plan()
        self.assertEqual(action["res_model"], "aftersales.plan.visit")
        self.assertEqual(action["domain"], [("plan_id", "=", plan.id)])
        plan.action_apply()
        action = plan.action_show_day_plan()
        self.assertEqual(action["res_model"], "repair.order")
        self.assertEqual(action["views"][0][1], "timeline")
        found = self.env["repair.order"].with_user(self.dispatcher).search(action["domain"])
        self.assertEqual(found, orders, "the day plan shows the plan's orders on its day")
