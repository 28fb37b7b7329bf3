"""The issue's acceptance journey in Chromium, in Persian and in English (pars_manager, the Persian
company's after-sales manager, who dispatches; in English with the user's language switched): Route Plans
> New for the Tehran centre (Vanak, PRS) > Compute > totals > Show on Map (markers and planned routes)
> back > Apply > Show Day Plan; then the orders carry the plan's technicians and times and the customers
of the re-timed visits got the new arrival time by SMS.

The planner's job runs synchronously in the request (``queue_job``'s no-delay switch, as the planner's
unit tests do): the tour clicks Compute and reads the computed plan. The plan's day is the next day on
which the centre's technicians work (the default of the new plan's date, for this user).

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep PNGs of the plan, its map preview and the day plan.
"""

from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.aftersales_service.tests.screenshots import FORM_READY, save_shot, screenshot_folder, settle

MAP_READY = (
    "!!document.querySelector('.o_ops_map_plan_banner') && !!document.querySelector('path.o_ops_map_route_plan')"
)
DAY_PLAN_READY = "!!document.querySelector('.o_timeline_view .vis-item')"


@tagged("post_install", "-at_install")
class TestPlanJourneyTour(HttpCase):
    def _prepare(self, lang):
        user = self.env["res.users"].search([("login", "=", "pars_manager")])
        centre = self.env.ref("aftersales_service.demo_centre_pars_vanak", raise_if_not_found=False)
        if not user or not centre or not self.env.ref("aftersales_planning.demo_technician_pars_planner_1", False):
            self.skipTest("without demo data")
        user.lang = lang
        plans = self.env["aftersales.plan"]
        planner = self.env["aftersales.planner"].sudo()
        today = plans._centre_today(centre)
        for offset in range(1, 8):
            day = today + timedelta(days=offset)
            try:
                planner._build_problem(centre, day)
            except UserError:
                continue
            break
        else:
            self.skipTest(f"nobody of {centre.display_name} works in the coming week")
        # the new plan's date for this user: the centre's next working day
        self.env["ir.default"].set("aftersales.plan", "date", day, user_id=user.id)
        plans.search([("service_centre_id", "=", centre.id), ("date", "=", day)]).write({"state": "cancelled"})
        self.env.flush_all()
        return user, centre, day

    def _journey(self, lang):
        user, centre, day = self._prepare(lang)
        orders = self.env["aftersales.planner"].sudo()._get_plan_orders(centre, day)
        eta_before = {order.id: order.eta_date for order in orders}
        last_sms = self.env["sms.sms"].search([], order="id desc", limit=1).id or 0
        # the planner's job runs in the request that queues it (see the module docstring)
        with patch("odoo.addons.queue_job.delay.must_run_without_delay", return_value=True):
            self.start_tour("/odoo/route-plans", "aftersales_plan_journey_tour", login=user.login)
        plan = self.env["aftersales.plan"].search(
            [("service_centre_id", "=", centre.id), ("date", "=", day), ("state", "=", "applied")]
        )
        self.assertEqual(len(plan), 1, "the tour computed and applied one plan")
        self.assertEqual(plan.create_uid, user)
        self.assertLess(plan.after_travel_km, plan.before_travel_km, "the plan drives less than one-by-one")
        self.assertLessEqual(plan.after_late_count, plan.before_late_count)
        self.assertLessEqual(plan.after_unassigned_count, plan.before_unassigned_count)
        visits = plan.visit_ids.filtered(lambda v: v.technician_id and not v.is_fixed)
        self.assertGreaterEqual(len(visits), 10, "most of the sixteen demo orders are planned")
        self.env.invalidate_all()
        for visit in visits:
            self.assertEqual(visit.order_id.technician_id, visit.technician_id, visit.order_id.name)
            self.assertEqual(visit.order_id.schedule_date, visit.planned_start, visit.order_id.name)
            self.assertEqual(visit.order_id.eta_date, visit.planned_start, visit.order_id.name)
        retimed = visits.order_id.filtered(lambda o: eta_before.get(o.id) != o.eta_date)
        self.assertTrue(retimed)
        sms = self.env["sms.sms"].search([("id", ">", last_sms)])
        for order in retimed:
            eta = order._aftersales_customer_eta(time_only=True)
            told = sms.filtered(
                lambda s, order=order, eta=eta: s.partner_id == order.partner_id and eta in (s.body or "")
            )
            self.assertTrue(told, f"{order.partner_id.name} got the new arrival time {eta} of {order.name} by SMS")
            if order.partner_id.lang == "fa_IR":
                self.assertIn("کارشناس فنی حدود ساعت", told[0].body)
        self._screenshots(user, plan, lang)
        return plan

    def _screenshots(self, user, plan, lang):
        folder = screenshot_folder()
        if not folder:
            return
        browser = ChromeBrowser(self)
        tag = lang.split("_")[0]
        try:
            self.authenticate(user.login, user.login, browser=browser)
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            )
            # the web client shows times in the browser's time zone: the dispatcher's, in Tehran
            browser._websocket_request("Emulation.setTimezoneOverride", params={"timezoneId": "Asia/Tehran"})
            browser.navigate_to(f"{self.base_url()}/odoo/route-plans/{plan.id}")
            browser._wait_ready(FORM_READY, timeout=60)
            settle(browser, 1000)
            save_shot(browser, folder, f"plan_journey_form_{tag}")
            self._click(browser, "button[name='action_show_on_map']")
            browser._wait_ready(MAP_READY, timeout=60)
            settle(browser, 2000)
            # the tooltip of an order of the plan: its planned arrival and technician
            browser._websocket_request(
                "Runtime.evaluate",
                params={
                    "expression": "document.querySelector('.leaflet-marker-icon:has(.o_ops_map_order)')"
                    ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))"
                },
                timeout=30,
            )
            settle(browser, 500)
            save_shot(browser, folder, f"plan_journey_map_{tag}")
            self._click(browser, ".o_ops_map_back_plan")
            browser._wait_ready(FORM_READY, timeout=60)
            self._click(browser, "button[name='action_show_day_plan']")
            browser._wait_ready(DAY_PLAN_READY, timeout=60)
            settle(browser, 2000)
            save_shot(browser, folder, f"plan_journey_day_plan_{tag}")
        finally:
            browser.stop()
            self._wait_remaining_requests()

    def _click(self, browser, selector):
        browser._websocket_request(
            "Runtime.evaluate",
            params={"expression": f'document.querySelector("{selector}").click()'},
            timeout=30,
        )

    def test_plan_journey_persian(self):
        self._journey("fa_IR")

    def test_plan_journey_english(self):
        self._journey("en_US")
