import json
import threading
from datetime import datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import PlanningCommon


class _OsrmStub(BaseHTTPRequestHandler):
    """A tiny OSRM ``/table`` service: every leg 600 s and 7,000 m."""

    calls = []

    def do_GET(self):  # noqa: N802 (http.server API)
        type(self).calls.append(self.path)
        coordinates = self.path.split("/table/v1/driving/")[1].split("?")[0].split(";")
        size = len(coordinates)
        body = {
            "code": "Ok",
            "durations": [[0 if i == j else 600 for j in range(size)] for i in range(size)],
            "distances": [[0 if i == j else 7000 for j in range(size)] for i in range(size)],
        }
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        return


@tagged("post_install", "-at_install")
class TestPlanning(PlanningCommon):
    def _perform_planning_jobs(self):
        jobs = self.env["queue.job"].search([("channel", "=", "root.planning"), ("state", "=", "pending")])
        self.assertEqual(len(jobs), 1, "one re-plan job queued on the planning channel")
        self.assertEqual(jobs.method_name, "_job_compute")
        Job.load(self.env, jobs.uuid).perform()
        return jobs

    def _centre_morning(self):
        """Nine in the morning of the centre's today (naive UTC): a plan of today then has a working day
        ahead, whatever the hour the tests run (after about 22:00 the day had no room left)."""
        tz = pytz.timezone(self.env["aftersales.planner"]._plan_timezone(self.centre))
        today = self.env["aftersales.plan"]._centre_today(self.centre)
        return tz.localize(datetime.combine(today, time(9))).astimezone(pytz.utc).replace(tzinfo=None)

    def _at(self, hour, minute=0, day=None):
        return datetime.combine(day or self.tomorrow, time(hour, minute))

    def test_skills_and_shift_windows(self):
        """Only the qualified technician gets the visits, all inside the shift, none across the lunch break."""
        orders = self._orders(5)
        plan = self._plan()
        plan.action_compute()
        self.assertEqual(plan.state, "computed", plan.solver_message)
        visits = plan.visit_ids.filtered("technician_id")
        self.assertEqual(visits.order_id, orders)
        self.assertEqual(visits.technician_id, self.skilled)
        self.assertEqual(sorted(visits.mapped("sequence")), [1, 2, 3, 4, 5])
        for visit in visits:
            self.assertGreaterEqual(visit.planned_start, self._at(8))
            self.assertLessEqual(visit.planned_end, self._at(17))
            overlaps_lunch = visit.planned_start < self._at(13) and visit.planned_end > self._at(12)
            self.assertFalse(overlaps_lunch, f"{visit.order_id.name} runs across the lunch break")
        self.assertEqual(plan.after_unassigned_count, 0)
        self.assertEqual(plan.technician_count, 2)
        self.assertGreater(plan.after_travel_km, 0)

    def test_which_orders(self):
        """On-site orders and orders without a work type are planned; workshop, remote and on-hold ones are not."""
        on_site, untyped = self._orders(2)
        untyped.order_type_id = False
        workshop = self._order(
            partner=self.customers[2],
            order_type_id=self.env["aftersales.order.type"].create({"name": "Bench", "location": "workshop"}).id,
        )
        on_hold = self._order(partner=self.customers[3], order_type_id=self.on_site.id, waiting_reason="parts")
        found = self.env["aftersales.planner"]._get_plan_orders(self.centre, self.tomorrow)
        self.assertIn(on_site, found)
        self.assertIn(untyped, found)
        self.assertNotIn(workshop, found)
        self.assertNotIn(on_hold, found)

    def test_time_windows(self):
        """An order due early in the morning is visited first and on time, even though it is the farthest."""
        orders = self._orders(5)
        far = orders[-1]
        far.sudo().sla_response_deadline = self._at(9)
        (orders - far).sudo().write({"sla_response_deadline": self._at(16, 30)})
        plan = self._plan()
        plan.action_compute()
        visit = plan.visit_ids.filtered(lambda v: v.order_id == far)
        self.assertEqual(visit.sequence, 1)
        self.assertLessEqual(visit.planned_start, self._at(9))
        self.assertFalse(visit.is_late)
        self.assertEqual(plan.after_late_count, 0)

    def test_fixed_visits_stay(self):
        """An order accepted by its technician stays with them; a technician on the way starts from that customer."""
        other = self._technician("Omid Other", 35.75, 51.45, resource_calendar_id=self.calendar_day.id, max_jobs=10)
        orders = self._orders(4)
        accepted = orders[0]
        self.env["aftersales.dispatch"].assign(accepted, other)
        accepted.with_user(self.dispatcher).action_dispatch_accept()
        self.assertEqual(accepted.dispatch_state, "accepted")
        plan = self._plan()
        plan.action_compute()
        visit = plan.visit_ids.filtered(lambda v: v.order_id == accepted)
        self.assertEqual(visit.technician_id, other)
        self.assertTrue(visit.is_fixed)
        plan.action_apply()
        self.assertEqual(accepted.technician_id, other)
        self.assertEqual(accepted.dispatch_state, "accepted", "applying a plan never re-offers an accepted visit")

    def test_on_the_way_stays_first(self):
        """A technician on the way: that visit stays as it is and their next visits start after it."""
        self.enterContext(freeze_time(self._centre_morning()))
        (self.skilled | self.unskilled).resource_calendar_id = self.calendar_always
        orders = self._orders(3)
        under_way = orders[0]
        self.env["aftersales.dispatch"].assign(under_way, self.skilled)
        under_way.with_user(self.dispatcher).action_on_my_way()
        eta = under_way.eta_date
        self.assertTrue(eta)
        today = self.env["aftersales.plan"]._centre_today(self.centre)
        plan = self._plan(day=today)
        plan.action_compute()
        self.assertEqual(plan.state, "computed", plan.solver_message)
        fixed = plan.visit_ids.filtered(lambda v: v.order_id == under_way)
        self.assertTrue(fixed.is_fixed)
        self.assertEqual((fixed.technician_id, fixed.sequence), (self.skilled, 0))
        later = plan.visit_ids.filtered(lambda v: v.technician_id == self.skilled and v.sequence > 0)
        self.assertTrue(later, "the skilled technician has the other visits")
        for visit in later:
            self.assertGreaterEqual(visit.planned_start, eta + timedelta(hours=1))
        plan.action_apply()
        under_way.invalidate_recordset()
        self.assertEqual(under_way.eta_date, eta, "the visit under way keeps its arrival time")
        self.assertEqual(under_way.technician_id, self.skilled)

    def test_apply_through_engine_and_notify(self):
        """Apply assigns through the dispatch engine (offer, technician told), schedules, and sends the ETA."""
        orders = self._orders(3)
        plan = self._plan().with_user(self.dispatcher)
        plan.action_compute()
        self.assertEqual(plan.state, "computed", plan.solver_message)
        sms_before = self.env["sms.sms"].search_count([])
        plan.action_apply()
        self.assertEqual(plan.state, "applied")
        for order in orders:
            visit = plan.visit_ids.filtered(lambda v, order=order: v.order_id == order)
            self.assertEqual(order.technician_id, self.skilled)
            self.assertEqual(order.dispatch_state, "offered")
            self.assertEqual(order.schedule_date, visit.planned_start)
            self.assertEqual(order.eta_date, visit.planned_start)
        sms = self.env["sms.sms"].search([], order="id desc", limit=3)
        self.assertEqual(self.env["sms.sms"].search_count([]) - sms_before, 3)
        self.assertIn("Your technician arrives around", sms[0].body)
        etas = {order.eta_date.strftime("%H:%M") for order in orders}
        self.assertEqual({body.split("around ")[1][:5] for body in sms.mapped("body")}, etas)
        planned_mail = orders[0].message_ids.filtered(lambda m: "arrives around" in (m.body or ""))
        self.assertTrue(planned_mail, "the customer gets the planned arrival by email too")

    def test_non_dispatcher_cannot_compute_nor_apply(self):
        """Attack over RPC as the technician: compute and apply are refused and nothing changes."""
        orders = self._orders(2)
        plan = self._plan()
        plan.action_compute()
        technician_user = self.skilled.user_id
        with self.assertRaises(AccessError):
            plan.with_user(technician_user).action_apply()
        with self.assertRaises(AccessError):
            plan.with_user(technician_user).action_compute()
        with self.assertRaises(AccessError):
            plan.with_user(technician_user)._job_compute()
        with self.assertRaises(AccessError):
            plan.with_user(technician_user).write({"state": "applied"})
        plan.invalidate_recordset()
        orders.invalidate_recordset()
        self.assertEqual(plan.state, "computed")
        self.assertFalse(orders.technician_id)
        self.assertFalse(any(orders.mapped("eta_date")))
        # a plain employee cannot even create a plan of their own
        employee = new_test_user(self.env, login="plain_t", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["aftersales.plan"].with_user(employee).create(
                {"service_centre_id": self.centre.id, "date": self.tomorrow}
            )

    def test_replan_on_decline(self):
        """Today's applied plan is re-planned in the background when a technician declines a visit."""
        self.enterContext(freeze_time(self._centre_morning()))
        (self.skilled | self.unskilled).resource_calendar_id = self.calendar_always
        second = self._technician("Nima Second", 35.71, 51.41, max_jobs=10)
        orders = self._orders(3)
        today = self.env["aftersales.plan"]._centre_today(self.centre)
        plan = self._plan(day=today)
        plan.action_compute()
        plan.action_apply()
        self.assertEqual(plan.state, "applied")
        declined = orders.filtered(lambda o: o.technician_id == self.skilled)[:1] or orders[:1]
        decliner = declined.technician_id
        # a real background job this time (no ``queue_job__no_delay``): queued on the planning channel
        declined.with_user(self.dispatcher).with_context(queue_job__no_delay=False).action_dispatch_decline("flat tyre")
        job = self._perform_planning_jobs()
        replan = self.env["aftersales.plan"].search(
            [("trigger", "=", "decline"), ("service_centre_id", "=", self.centre.id)]
        )
        self.assertEqual(len(replan), 1)
        self.assertEqual(replan.job_uuid, job.uuid)
        self.assertEqual(replan.state, "applied", replan.solver_message)
        self.assertEqual(plan.state, "cancelled", "the new plan replaces the older one")
        self.assertTrue(declined.technician_id)
        self.assertNotEqual(declined.technician_id, decliner)
        self.assertIn(declined.technician_id, self.skilled | second)

    def test_urgent_order_replans(self):
        """An urgent order re-plans the day it falls in, and gets its arrival time."""
        self.enterContext(freeze_time(self._centre_morning()))
        self.skilled.resource_calendar_id = self.calendar_always
        self._orders(2)
        today = self.env["aftersales.plan"]._centre_today(self.centre)
        plan = self._plan(day=today)
        plan.action_compute()
        plan.action_apply()
        urgent = self._order(
            partner=self.customers[5], order_type_id=self.on_site.id, service_priority_id=self.priority_urgent.id
        )
        replan = self.env["aftersales.plan"].search([("trigger", "=", "urgent")])
        self.assertEqual(replan.state, "applied", replan.solver_message)
        self.assertIn(urgent, replan.visit_ids.order_id)
        self.assertTrue(urgent.eta_date)

    def test_osrm_stub_then_fallback(self):
        """Travel from the routing server when configured; straight lines, with a message, when it fails."""
        self._orders(3)
        server = HTTPServer(("127.0.0.1", 0), _OsrmStub)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            self.company.aftersales_planning_osrm_url = f"http://127.0.0.1:{server.server_port}"
            _OsrmStub.calls.clear()
            plan = self._plan()
            plan.action_compute()
        finally:
            server.shutdown()
            server.server_close()
        self.assertTrue(_OsrmStub.calls)
        self.assertEqual(plan.travel_source, "osrm")
        legs = plan.visit_ids.filtered("technician_id")
        self.assertEqual(legs.mapped("travel_km"), [7.0] * len(legs))
        self.assertEqual(legs.mapped("travel_minutes"), [10.0] * len(legs))
        # the server is gone now: straight lines, and the dispatcher is told
        plan2 = self._plan()
        plan2.action_compute()
        self.assertEqual(plan2.state, "computed")
        self.assertEqual(plan2.travel_source, "straight")
        self.assertIn("routing server", plan2.solver_message)
        self.assertNotEqual(plan2.visit_ids.filtered("technician_id").mapped("travel_km"), [7.0] * 3)

    def test_hostile_input(self):
        """No technician, no position: a clear message, never a crash."""
        empty = self.env["aftersales.service.centre"].create({"name": "Empty", "code": "EMP"})
        self._order(partner=self.customers[0], order_type_id=self.on_site.id, service_centre_id=empty.id)
        plan = self._plan(centre=empty)
        plan.action_compute()
        self.assertEqual(plan.state, "draft")
        self.assertIn("has no technician", plan.solver_message)
        nowhere = self.env["res.partner"].create({"name": "No address"})
        lost = self._order(partner=nowhere, order_type_id=self.on_site.id)
        found = self._orders(1)
        plan = self._plan()
        plan.action_compute()
        self.assertEqual(plan.state, "computed")
        lost_visit = plan.visit_ids.filtered(lambda v: v.order_id == lost)
        self.assertFalse(lost_visit.technician_id)
        self.assertIn("no position", lost_visit.note)
        self.assertEqual(plan.visit_ids.filtered("technician_id").order_id, found)
        self.assertIn("could not be planned", plan.solver_message)
        # a day already over
        past = self._plan(day=fields.Date.today() - timedelta(days=2))
        past.action_compute()
        self.assertEqual(past.state, "draft")
        self.assertIn("is over", past.solver_message)

    def test_visits_are_read_only(self):
        """A dispatcher cannot rewrite a planned visit (e.g. to hand an order to someone the plan did not choose)."""
        self._orders(1)
        plan = self._plan().with_user(self.dispatcher)
        plan.action_compute()
        visit = plan.visit_ids[:1]
        with self.assertRaises(AccessError):
            visit.write({"technician_id": self.unskilled.id})
        self.assertEqual(visit.technician_id, self.skilled)

    def test_other_company_plans_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other After-Sales Co"})
        centre = self.env["aftersales.service.centre"].create(
            {"name": "Other centre", "code": "OTH", "company_id": other_company.id}
        )
        plan = (
            self.env["aftersales.plan"]
            .with_company(other_company)
            .create({"service_centre_id": centre.id, "company_id": other_company.id, "date": self.tomorrow})
        )
        self.dispatcher.company_ids |= other_company
        self.assertTrue(plan.with_user(self.dispatcher).with_company(other_company).has_access("read"))
        self.dispatcher.company_ids -= other_company
        as_dispatcher = self.env["aftersales.plan"].with_user(self.dispatcher)
        self.assertFalse(as_dispatcher.browse(plan.id).has_access("read"))
        self.assertNotIn(plan, as_dispatcher.search([]))

    def test_nightly_cron_plans_next_day(self):
        self._orders(2)
        plans = self.env["aftersales.plan"]._cron_plan_next_day()
        mine = plans.filtered(lambda p: p.service_centre_id == self.centre)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.trigger, "nightly")
        self.assertEqual(mine.date, self.env["aftersales.plan"]._centre_today(self.centre) + timedelta(days=1))
        self.assertEqual(mine.state, "computed", mine.solver_message)
        self.assertFalse(
            self.env["aftersales.plan"]._cron_plan_next_day().filtered(lambda p: p.service_centre_id == self.centre)
        )
