from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AftersalesServiceCase


@tagged("post_install", "-at_install")
class TestServiceOrder(AftersalesServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._create_request_cls(["WC-TEST-001", "KET10"], receive=True)

    def test_assign_technician_stamps(self):
        order = self.request.repair_ids[0]
        wizard = (
            self.env["repair.order.assign.technician"]
            .with_user(self.user_dispatcher)
            .with_context(active_model="repair.order", active_ids=order.ids)
            .create({"technician_id": self.tech1.id})
        )
        self.assertEqual(wizard.repair_ids, order)
        wizard.action_assign()
        self.assertEqual(order.technician_id, self.tech1)
        self.assertEqual(order.technician_user_id, self.user_tech1)
        self.assertTrue(order.date_assigned)

    def test_reassign_resets_acceptance(self):
        order = self.request.repair_ids[0]
        order.technician_id = self.tech1
        order.with_user(self.user_tech1).action_accept()
        self.assertTrue(order.date_accepted)
        order.technician_id = self.tech2
        self.assertFalse(order.date_accepted)

    def test_accept_guards(self):
        order = self.request.repair_ids[0]
        with self.assertRaisesRegex(UserError, "Assign a technician"):
            order.action_accept()
        order.technician_id = self.tech1
        order_as_manager = order.with_user(self.user_manager)
        order_as_manager.action_accept()  # dispatchers and managers may accept for the technician
        order.date_accepted = False
        order.technician_id = self.tech2
        with self.assertRaises(UserError):
            order.with_user(self.user_tech1).action_accept()

    def test_customer_status_follows_the_orders(self):
        """The customer reads where the unit is, not the request's internal state."""
        request = self.request
        order = request.repair_ids.filtered(lambda o: o.product_id == self.product_untracked)
        other = request.repair_ids - order
        self.assertEqual(request.customer_status, "received")
        order.technician_id = self.tech1
        self.assertEqual(request.customer_status, "received", "an offer not yet taken is no news")
        as_tech = order.with_user(self.user_tech1)
        as_tech.action_accept()
        self.assertEqual(request.customer_status, "assigned")
        as_tech.action_start()
        self.assertEqual(request.customer_status, "in_repair")
        order.sudo().waiting_reason = "parts"
        self.assertEqual(request.customer_status, "waiting_parts")
        order.sudo().waiting_reason = False
        as_tech.action_finish()
        self.assertEqual(request.customer_status, "ready", "one unit repaired, the other still open")
        other.action_repair_cancel()
        self.assertEqual(request.customer_status, "done")

    def test_requests_group_by_status_in_workflow_order(self):
        groups = self.env["aftersales.request"].read_group([], ["state"], ["state"])
        self.assertEqual([group["state"] for group in groups], ["draft", "received", "in_service", "done", "cancelled"])

    def test_received_by_is_staff_only(self):
        """A request filed on the website (a portal user, as the system) was received by nobody of the staff."""
        portal_user = new_test_user(self.env, login="so_portal", groups="base.group_portal")
        vals = {"partner_id": self.customer.id, "service_type_id": self.service_type.id}
        Request = self.env["aftersales.request"]
        self.assertFalse(Request.with_user(portal_user).sudo().create(vals).user_id)
        self.assertFalse(Request.create(vals).user_id, "the system receives nothing in person")
        self.assertEqual(Request.with_user(self.user_reception).create(vals).user_id, self.user_reception)

    def test_dispatch_board_shows_every_technician(self):
        """Every technician is a column of the board, a job or not; other groupings list only those found."""
        orders = self.env["repair.order"].with_user(self.user_dispatcher)
        domain = [("id", "in", self.request.repair_ids.ids)]
        self.request.repair_ids[:1].sudo().technician_id = self.tech1
        board = orders.with_context(aftersales_board_all_technicians=True).read_group(
            domain, ["technician_id"], ["technician_id"]
        )
        columns = {group["technician_id"] and group["technician_id"][0] for group in board}
        self.assertLessEqual({self.tech1.id, self.tech2.id, False}, columns, "tech2 has no job and still a column")
        plain = orders.read_group(domain, ["technician_id"], ["technician_id"])
        self.assertNotIn(self.tech2.id, {group["technician_id"] and group["technician_id"][0] for group in plain})

    def test_customer_status_cancelled(self):
        self.request.repair_ids.action_repair_cancel()
        self.assertEqual(self.request.customer_status, "cancelled")

    def test_start_finish_stamp_times_and_positions(self):
        order = self.request.repair_ids.filtered(lambda o: o.product_id == self.product_untracked)
        order.technician_id = self.tech1
        as_tech = order.with_user(self.user_tech1)
        as_tech.action_accept()
        as_tech.action_start(latitude=35.7, longitude=51.4)
        self.assertEqual(order.state, "under_repair")
        self.assertTrue(order.date_started)
        self.assertAlmostEqual(order.start_latitude, 35.7)
        self.assertAlmostEqual(self.tech1.last_latitude, 35.7, msg="the technician's position is updated")
        as_tech.action_finish(latitude=35.71, longitude=51.41)
        self.assertEqual(order.state, "done")
        self.assertTrue(order.date_finished)
        self.assertAlmostEqual(order.finish_longitude, 51.41)
        self.assertEqual(self.request.state, "in_service", "the other unit is still open")

    def test_skills_required_by_service_type(self):
        skill_type = self.env["hr.skill.type"].create(
            {
                "name": "Appliances",
                "skill_ids": [Command.create({"name": "Washing machines"})],
                "skill_level_ids": [
                    Command.create({"name": "Beginner", "level_progress": 20}),
                    Command.create({"name": "Expert", "level_progress": 90}),
                ],
            }
        )
        skill = skill_type.skill_ids
        self.service_type.write({"required_skill_ids": [Command.set(skill.ids)], "min_skill_level": 50})
        levels = {level.name: level for level in skill_type.skill_level_ids}
        self.env["hr.employee.skill"].create(
            [
                {
                    "employee_id": self.tech1.id,
                    "skill_id": skill.id,
                    "skill_level_id": levels["Expert"].id,
                    "skill_type_id": skill_type.id,
                },
                {
                    "employee_id": self.tech2.id,
                    "skill_id": skill.id,
                    "skill_level_id": levels["Beginner"].id,
                    "skill_type_id": skill_type.id,
                },
            ]
        )
        self.assertEqual(self.service_type._filter_qualified_technicians(self.tech1 | self.tech2), self.tech1)
        order = self.request.repair_ids[0]
        with self.assertRaisesRegex(UserError, "lacks the skills"):
            order._check_assignable(self.tech2)
        self.assertTrue(order._check_assignable(self.tech1))

    def test_direct_order_looks_up_warranty(self):
        self.env.user.groups_id += self.env.ref("stock.group_production_lot")
        form = Form(self.env["repair.order"].with_context(default_is_aftersales=True))
        form.partner_id = self.customer
        form.product_id = self.product
        form.lot_id = self.lots[0]
        form.service_type_id = self.service_type
        self.assertEqual(form.order_type_id, self.order_type)
        form.service_centre_id = self.centre
        order = form.save()
        self.assertTrue(order.is_aftersales)
        self.assertEqual(order.warranty_id, self.warranty_valid)
        self.assertTrue(order.under_warranty)
        self.assertEqual(order.picking_type_id, self.warehouse.repair_type_id)
        # create() without the form does the same lookup in batch
        order2 = self.env["repair.order"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "lot_id": self.lots[1].id,
                "service_type_id": self.service_type.id,
            }
        )
        self.assertTrue(order2.is_aftersales)
        self.assertEqual(order2.warranty_id, self.warranty_expired)
        self.assertFalse(order2.under_warranty)

    def test_sale_of_service_product_creates_order(self):
        service_product = self.env["product.product"].create(
            {"name": "Home installation", "type": "service", "aftersales_service_type_id": self.service_type.id}
        )
        self.assertTrue(service_product.create_repair, "the after-sales type turns on Create Repair")
        sale = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": service_product.id})]}
        )
        sale.action_confirm()
        order = sale.repair_order_ids
        self.assertEqual(len(order), 1)
        self.assertTrue(order.is_aftersales)
        self.assertEqual(order.service_type_id, self.service_type)
        self.assertEqual(order.order_type_id, self.order_type)
        self.assertEqual(order.partner_id, self.customer)

    def test_native_repair_flow_untouched(self):
        order = self.env["repair.order"].create(
            {"partner_id": self.customer.id, "product_id": self.product_untracked.id}
        )
        self.assertFalse(order.is_aftersales)
        order.action_validate()
        order.action_repair_start()
        order.action_repair_end()
        self.assertEqual(order.state, "done")
        self.assertFalse(order.date_started, "native repairs get no after-sales stamps")
        self.assertFalse(order.warranty_id)

    def test_van_location(self):
        self.tech1.action_create_van_location()
        location = self.tech1.van_location_id
        self.assertEqual(location.usage, "internal")
        self.assertEqual(location.warehouse_id, self.warehouse)
        with self.assertRaisesRegex(UserError, "already have a van"):
            self.tech1.action_create_van_location()
        self.tech2.service_centre_id = False
        with self.assertRaisesRegex(UserError, "service centre"):
            self.tech2.action_create_van_location()

    def test_technician_counts_and_lot_history(self):
        self.request.repair_ids.technician_id = self.tech1
        self.assertEqual(self.tech1.aftersales_order_count, 2)
        self.assertEqual(self.tech1.aftersales_open_order_count, 2)
        self.assertEqual(self.lots[0].aftersales_request_line_count, 1)
        self.assertEqual(self.lots[0].aftersales_order_count, 1)
        action = self.lots[0].action_view_aftersales_orders()
        self.assertEqual(self.env["repair.order"].search(action["domain"]).lot_id, self.lots[0])
