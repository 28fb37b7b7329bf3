"""Issue 17: the customer's and the agent's daily journeys on a phone (390x844), in Chromium, in English
and in Persian, on the demo data; the server-side outcome is checked after each tour.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep PNGs of the key steps (My Account, the form, the review,
the request page and the list).
"""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.aftersales_service.models.aftersales_request import OPEN_REQUEST_STATES
from odoo.addons.aftersales_service.tests.screenshots import PHONE, open_page, run_js, save_shot, screenshot_folder


@tagged("post_install", "-at_install")
class TestCustomerAgentJourneyTours(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def _user(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest("without demo data")
        return user

    def _serve_company_website(self, company):
        """The pages are served by the website of the user's company (the Persian company's own site
        in Persian): it answers at the test server's address."""
        website = self.env["website"].search([("company_id", "=", company.id)], order="sequence, id", limit=1)
        if website and website.domain:
            website.domain = self.base_url()

    def _free_units(self, user):
        """The customer's own units (as the form offers them) without an open request."""
        commercial = user.partner_id.commercial_partner_id
        units = self.env["aftersales.warranty"].search(
            [
                ("partner_id", "child_of", commercial.id),
                ("state", "!=", "void"),
                ("lot_id", "!=", False),
                ("product_tmpl_id.is_serviceable", "=", True),
            ]
        )
        busy = self.env["aftersales.request.line"].search(
            [("lot_id", "in", units.lot_id.ids), ("request_state", "in", OPEN_REQUEST_STATES)]
        )
        return units.filtered(lambda unit: unit.lot_id not in busy.lot_id)

    def _shots(self, login, prefix, steps):
        """``steps``: (name, url, ready, [(javascript, ready), ...]) in order: one PNG each."""
        folder = screenshot_folder()
        if not folder:
            return
        lang = "fa" if (self._user(login).lang or "").startswith("fa") else "en"
        for name, url, ready, actions in steps:
            with open_page(self, login, url, ready, PHONE) as browser:
                for expression, after in actions:
                    run_js(browser, expression, after)
                save_shot(browser, folder, f"{prefix}_{lang}_{name}")

    # ------------------------------------------------------------------ customer
    def _customer_journey(self, login, home="/my"):
        user = self._user(login)
        self._serve_company_website(user.company_id)
        units = self._free_units(user)
        if not units:
            self.skipTest(f"{login} has no unit without an open request")
        unit = units[0]
        description = "The door seal leaks" if not (user.lang or "").startswith("fa") else "درزگیر در نشتی دارد"
        unit_js = (
            "[...document.querySelectorAll('.o_aftersales_unit')]"
            f".find((el) => el.textContent.includes({json.dumps(unit.lot_id.name)}))"
            ".querySelector('input[name=unit_code]').click();"
            f"document.querySelector('textarea[name=description]').value = {json.dumps(description)};"
        )
        form_ready = "!!document.querySelector('.o_aftersales_request_form')"
        # the screens before the request is filed
        self._shots(
            login,
            "customer_journey",
            [
                (
                    "0_warranty_check",
                    f"/aftersales/warranty?code={unit.lot_id.name}",
                    "!!document.querySelector('.o_aftersales_warranty_result')",
                    [],
                ),
                ("1_my_account", home, "!!document.querySelector('.o_portal_my_home')", []),
                ("2_form", "/aftersales/request/new", form_ready, []),
                (
                    "3_review",
                    "/aftersales/request/new",
                    form_ready,
                    [
                        (
                            unit_js + "document.querySelector('.o_aftersales_review_btn').click();",
                            "!document.querySelector('.o_aftersales_step_review').classList.contains('d-none')",
                        )
                    ],
                ),
            ],
        )
        Request = self.env["aftersales.request"]
        before = Request.search([])
        tour = "aftersales_customer_journey_tour"
        storage = {"aftersales_tour_serial": unit.lot_id.name, "aftersales_tour_description": description}
        code = "".join(f"sessionStorage.setItem({k!r}, {json.dumps(v)}); " for k, v in storage.items())
        self.start_tour(
            home,
            tour,
            login=login,
            code=f"{code}odoo.startTour({tour!r}, {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})",
        )
        request = Request.search([]) - before
        self.assertEqual(len(request), 1, "one request was filed")
        self.assertEqual(request.partner_id, user.partner_id, "for the signed-in customer")
        self.assertEqual(request.channel, "portal")
        self.assertEqual(request.company_id, unit.company_id, "in the company of the unit")
        self.assertEqual(request.line_ids.lot_id, unit.lot_id, "for the unit tapped")
        self.assertEqual(request.line_ids.warranty_id, unit, "with its warranty card")
        self.assertEqual(request.line_ids.failure_description, description)
        self._shots(
            login,
            "customer_journey",
            [
                (
                    "4_request",
                    f"/my/aftersales/requests/{request.id}?created=1",
                    "!!document.querySelector('.o_aftersales_timeline')",
                    [],
                ),
                ("5_list", "/my/aftersales/requests", "!!document.querySelector('.o_aftersales_request_row')", []),
            ],
        )
        return request

    def test_customer_journey_english(self):
        self._customer_journey("portal")

    def test_customer_journey_persian(self):
        request = self._customer_journey("pars_portal")
        self.assertEqual(request.company_id, self.env.ref("aftersales_service.demo_company_pars"))

    # ------------------------------------------------------------------ agent
    def _agent_journey(self, login, lang_prefix=""):
        user = self._user(login)
        agency = user.partner_id.commercial_partner_id
        # units in the agency's company not sold yet (no customer on their card), without an open request
        cards = self.env["aftersales.warranty"].search(
            [("company_id", "=", user.company_id.id), ("partner_id", "=", False), ("lot_id", "!=", False)],
            order="name",
        )
        busy = self.env["aftersales.request.line"].search(
            [("lot_id", "in", cards.lot_id.ids), ("request_state", "in", OPEN_REQUEST_STATES)]
        )
        cards = cards.filtered(lambda card: card.lot_id not in busy.lot_id)[:2]
        if len(cards) < 2:
            self.skipTest("fewer than two units in stock for the agent")
        failure = "No water intake" if not lang_prefix else "آب نمی‌گیرد"
        Request = self.env["aftersales.request"]
        before = Request.search([])
        tour = "aftersales_agent_journey_tour"
        storage = {"aftersales_tour_codes": cards.lot_id.mapped("name"), "aftersales_tour_failure": failure}
        code = "".join(
            f"sessionStorage.setItem({k!r}, {json.dumps(json.dumps(v) if isinstance(v, list) else v)}); "
            for k, v in storage.items()
        )
        self.start_tour(
            f"{lang_prefix}/my",
            tour,
            login=login,
            code=f"{code}odoo.startTour({tour!r}, {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})",
        )
        request = Request.search([]) - before
        self.assertEqual(len(request), 1, "one request with both units")
        self.assertEqual(request.channel, "agent")
        self.assertEqual(request.agent_id, agency, "filed for the agent's own agency")
        self.assertEqual(request.partner_id, agency, "units in the agency's stock: the agency is the customer")
        self.assertEqual(request.line_ids.lot_id, cards.lot_id, "one line per scanned unit")
        line_one = request.line_ids.filtered(lambda line: line.lot_id == cards[0].lot_id)
        self.assertEqual(line_one.failure_description, failure, "the failure typed after the first code")
        self._shots(
            login,
            "agent_journey",
            [
                ("1_my_account", f"{lang_prefix}/my", "!!document.querySelector('.o_portal_my_home')", []),
                (
                    "2_batch",
                    f"{lang_prefix}/my/aftersales/batch",
                    "!!document.querySelector('.o_aftersales_batch_form')",
                    [
                        (
                            "const rows = document.querySelectorAll('.o_aftersales_batch_row');"
                            f"rows[0].querySelector('[name=code]').value = {json.dumps(cards[0].lot_id.name)};"
                            f"rows[0].querySelector('[name=failure]').value = {json.dumps(failure)};"
                            f"rows[1].querySelector('[name=code]').value = {json.dumps(cards[1].lot_id.name)};"
                            "rows[1].querySelector('[name=code]').focus();",
                            None,
                        )
                    ],
                ),
                (
                    "3_request",
                    f"{lang_prefix}/my/aftersales/requests/{request.id}?created=1",
                    "!!document.querySelector('.o_aftersales_line')",
                    [],
                ),
                (
                    "4_list",
                    f"{lang_prefix}/my/aftersales/requests",
                    "!!document.querySelector('.o_aftersales_request_row')",
                    [],
                ),
            ],
        )

    def test_agent_journey_english(self):
        self._agent_journey("agent")

    def test_agent_journey_persian(self):
        # the demo agent reads Persian: the main website speaks it under /fa
        self._user("agent").lang = "fa_IR"
        self._agent_journey("agent", lang_prefix="/fa")
