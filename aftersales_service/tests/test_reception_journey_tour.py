"""The reception's daily journey in Chromium, in English (reception) and in Persian (pars_reception):
scan a warranty card's code on a new request (no customer chosen), the card fills the customer and the
unit, choose the service type, Receive, the receipt can be printed.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a PNG of the received request.
"""

import json

from odoo.tests import HttpCase, tagged

from .screenshots import open_form, save_shot, screenshot_folder


@tagged("post_install", "-at_install")
class TestReceptionJourneyTour(HttpCase):
    def _card(self, user):
        """A warranty card of the user's company whose code starts a request (customer known, no open
        request for its unit)."""
        company = user.company_id
        cards = self.env["aftersales.warranty"].search(
            [("company_id", "=", company.id), ("partner_id", "!=", False), ("lot_id", "!=", False)]
        )
        requests = self.env["aftersales.request"].with_user(user).with_company(company)
        for card in cards:
            draft = requests.new({"partner_id": card.partner_id.id})
            _vals, errors = draft._prepare_unit_lines([{"line_no": 1, "code": card.name}], pending_lines=draft.line_ids)
            if not errors:
                return card
        self.skipTest(f"no warranty card of {company.name} to receive")

    def _screenshot(self, login, url_path, name):
        folder = screenshot_folder()
        if folder:
            with open_form(self, login, url_path) as browser:
                save_shot(browser, folder, name)

    def _journey(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest("without demo data")
        card = self._card(user)
        Request = self.env["aftersales.request"]
        before = Request.search([])
        tour = "aftersales_reception_journey_tour"
        self.start_tour(
            "/odoo/action-aftersales_service.aftersales_request_action/new",
            tour,
            login=login,
            code=(
                f"sessionStorage.setItem('aftersales_tour_code', {json.dumps(card.name)}); "
                f"odoo.startTour({tour!r}, {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})"
            ),
        )
        request = Request.search([]) - before
        self.assertEqual(len(request), 1, "one request was received")
        self.assertEqual(request.partner_id, card.partner_id, "the customer came from the card")
        self.assertEqual(request.line_ids.lot_id, card.lot_id, "the unit came from the card")
        self.assertEqual(request.state, "received")
        self.assertTrue(request.service_type_id)
        self._screenshot(login, f"/odoo/aftersales.request/{request.id}", f"reception_journey_{login}")

    def test_reception_journey_english(self):
        self._journey("reception")

    def test_reception_journey_persian(self):
        self._journey("pars_reception")
