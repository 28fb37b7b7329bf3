"""The dispatcher's daily journey in Chromium, in English (dispatcher) and in Persian (pars_manager, the
Persian company has no dispatcher of its own): open an unassigned order, Assign Technician, read the
summary and the reasons, assign the technician ranked first.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a PNG of the order at the end of each journey.
"""

from odoo.tests import HttpCase, tagged

from odoo.addons.aftersales_service.tests.screenshots import open_form, save_shot, screenshot_folder, settle


@tagged("post_install", "-at_install")
class TestDispatchJourneyTour(HttpCase):
    def _order_with_candidates(self, login):
        """An unassigned open order of the user's company that a technician can take now (the demo
        technicians' calendars are dropped: they work around the clock, whatever the hour of the run)."""
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest("without demo data")
        company = user.company_id
        self.env["hr.employee"].search([("company_id", "=", company.id), ("is_technician", "=", True)]).write(
            {"resource_calendar_id": False}
        )
        self.env.flush_all()
        engine = self.env["aftersales.dispatch"]
        orders = self.env["repair.order"].search(
            [
                ("company_id", "=", company.id),
                ("is_aftersales", "=", True),
                ("technician_id", "=", False),
                ("state", "in", ("draft", "confirmed")),
            ]
        )
        for order in orders:
            ranking = engine.rank_technicians(order)
            if ranking:
                return order, ranking[0]["employee_id"]
        self.skipTest(f"no unassigned order of {company.name} a technician can take")

    def _screenshot(self, login, url_path, name):
        folder = screenshot_folder()
        if not folder:
            return
        with open_form(self, login, url_path) as browser:
            save_shot(browser, folder, name)
            # the suggestions as the dispatcher reads them (Reassign opens the same wizard)
            browser._websocket_request(
                "Runtime.evaluate",
                params={"expression": "document.querySelector(\"button[name='action_dispatch_suggest']\").click()"},
                timeout=30,
            )
            browser._wait_ready("!!document.querySelector('.modal .o_data_row')", timeout=60)
            settle(browser, 1000)
            save_shot(browser, folder, f"{name}_suggestions")

    def _journey(self, login):
        order, best = self._order_with_candidates(login)
        url = f"/odoo/repair.order/{order.id}"
        self.start_tour(url, "aftersales_dispatch_journey_tour", login=login)
        order.invalidate_recordset()
        self.assertEqual(order.technician_id.id, best, "the technician ranked first took the order")
        self._screenshot(login, url, f"dispatch_journey_{login}")

    def test_dispatcher_journey_english(self):
        self._journey("dispatcher")

    def test_dispatcher_journey_persian(self):
        self._journey("pars_manager")
