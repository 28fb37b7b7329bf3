"""Persian screens of every role, read in Chromium: no English word left, digits and phones isolated.

Each journey page is opened in Odoo's headless Chromium as the Persian company's demo user of that role;
the page's visible text (``document.body.innerText``) is split into words and every word in Latin script
that is not a code, a serial, a reference, an e-mail address, a URL or a name on the allow-list fails
the test, with the page and the words in the message.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a PNG of each page (desktop 1280x900 and phone
390x844).
"""

import base64
import json
import os
import pathlib
import re

from odoo.tests import HttpCase, tagged
from odoo.tests.common import HOST, ChromeBrowser, get_db_name
from odoo.tools import config

# Words that may stay in Latin script on a Persian screen: brands, file formats, key names and language
# names (the website's language switcher names each language in its own script).
ALLOWED_WORDS = {"Odoo", "OdooBot", "WebM", "WebP", "esc", "English", "US"}
# Codes, serials, references, e-mail addresses, URLs: a digit, an @, a slash or a dot inside, or an
# upper-case code (SLA, AC-24K, PRS).
ALLOWED = re.compile(
    r"""^(
        [^\s]*\d[^\s]*              # anything with a digit: serials, references, phone numbers
      | [^\s@]+@[^\s@]+             # e-mail addresses
      | (https?://|www\.)[^\s]+     # URLs
      | [^\s]+\.[a-z]{2,}[^\s]*     # host names
      | [A-Z][A-Z\-_/]{1,9}         # upper-case codes
    )$""",
    re.VERBOSE,
)
LATIN = re.compile(r"[A-Za-z]")

# The visible text of the page, once the page and its widgets are up, and how its phone numbers are laid out.
# The menus a click opens in the website's header (user menu) count; the contents of the chatter's messages
# do not: they are data, written when sent in the language of their reader then (the demo data's messages
# sent while the addons were installed, before their Persian terms were loaded, are English).
VISIBLE_TEXT = """
(() => {
    let text = document.body.innerText;
    for (const message of document.querySelectorAll(".o-mail-Message-content")) {
        text = text.replace(message.innerText, " ");
    }
    const menus = [...document.querySelectorAll("header .dropdown-menu")].map((menu) => menu.textContent);
    const phones = ".o_field_phone a, .o_field_phone input, bdi.o_aftersales_company_phone";
    return JSON.stringify({
        text: [text, ...menus].join(" "),
        phones: [...document.querySelectorAll(phones)]
            .filter((el) => el.offsetParent)
            .map((el) => {
                const style = getComputedStyle(el);
                return [el.textContent || el.value, style.direction, style.unicodeBidi];
            }),
    });
})()
"""


def latin_words(text):
    """The words of ``text`` in Latin script that are neither codes nor on the allow-list."""
    found = []
    for token in text.split():
        word = token.strip("«»:;,.!?()[]\"'،؛؟")
        if not LATIN.search(word) or word in ALLOWED_WORDS or ALLOWED.match(word):
            continue
        found.append(word)
    return found


@tagged("post_install", "-at_install")
class TestPersianScreens(HttpCase):
    """The Persian company's users see their screens in Persian only (demo data of the Persian company)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.persian = cls.env["res.lang"]._activate_lang("fa_IR")
        # Persian may be active without its terms: the demo data activates it for the Persian company's
        # users, but only a database created with --load-language loads the translations of every module
        # (the modules installed after the demo data activated it have theirs: look at Odoo's base menu)
        settings_menu = cls.env.ref("base.menu_administration")
        cls.env.cr.execute("SELECT name ? 'fa_IR' FROM ir_ui_menu WHERE id = %s", [settings_menu.id])
        terms_loaded = cls.env.cr.fetchone()[0]
        company = cls.env.ref("aftersales_service.demo_company_pars", raise_if_not_found=False)
        if not company:
            cls.skipTest(cls, "the Persian company's demo data is not installed")
        if not terms_loaded:
            # Odoo's own Persian terms too: the screens mix ours with theirs
            cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["fa_IR"])
        for website in cls.env["website"].search([]):
            website.language_ids |= cls.persian
        # the Persian company's users on the Persian company's website, served here
        website = cls.env.ref("aftersales_portal.demo_website_pars", raise_if_not_found=False)
        if website:
            website.domain = f"http://{HOST}:{config['http_port']}"
        cls.request = cls.env.ref("aftersales_portal.demo_request_pars_portal")
        # the job of the Persian technician (his job page has the work report and the signature pad)
        cls.order = cls.env["repair.order"].search(
            [("company_id", "=", company.id), ("technician_id.user_id.login", "=", "pars_technician")],
            order="id desc",
            limit=1,
        )
        cls.shots = os.environ.get("AFTERSALES_SCREENSHOTS")

    def _read(self, login, url_path, ready, width=1280, height=900):
        """Open ``url_path`` as ``login`` in Chromium and return ``{text, phones}``: its visible text and
        its phone numbers with their direction."""
        browser = ChromeBrowser(self)
        try:
            self.authenticate(login, login, browser=browser)
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            )
            browser.navigate_to(self.base_url() + url_path)
            if not browser._wait_ready(ready, timeout=60):
                return {"text": f"{url_path} did not finish loading", "phones": []}
            # the web client and the portal widgets render after the page is ready
            browser._wait_ready("new Promise((resolve) => setTimeout(() => resolve(true), 1500))", timeout=10)
            evaluated = browser._websocket_request(
                "Runtime.evaluate", params={"expression": VISIBLE_TEXT, "returnByValue": True}, timeout=30
            )
            if self.shots:
                # the whole page, footer included
                full = browser._websocket_request(
                    "Runtime.evaluate",
                    params={"expression": "document.documentElement.scrollHeight", "returnByValue": True},
                    timeout=30,
                )["result"]["value"]
                browser._websocket_request(
                    "Emulation.setDeviceMetricsOverride",
                    params={
                        "width": width,
                        "height": min(max(full, height), 4000),
                        "deviceScaleFactor": 1,
                        "mobile": width < 600,
                    },
                )
                shot = browser._websocket_request(
                    "Page.captureScreenshot", params={"format": "png", "captureBeyondViewport": False}, timeout=30
                )
                name = re.sub(r"[^a-z0-9]+", "_", f"{login}_{url_path}_{width}").strip("_")
                folder = pathlib.Path(self.shots)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
        finally:
            browser.stop()
            self._wait_remaining_requests()
        return json.loads(evaluated["result"]["value"])

    def _journeys(self):
        portal = "document.readyState === 'complete' && !!document.querySelector('main')"
        backend = "!!document.querySelector('.o_form_view .o_form_sheet, .o_list_view .o_data_row, .o_kanban_record')"
        pages = [
            (None, "/fa/aftersales", portal),
            (None, "/fa/aftersales/warranty", portal),
            ("pars_portal", "/fa/my", portal),
            ("pars_portal", "/fa/aftersales/request/new", portal),
            ("pars_portal", "/fa/my/aftersales/requests", portal),
            ("pars_portal", f"/fa/my/aftersales/requests/{self.request.id}", portal),
            ("pars_technician", "/fa/my/aftersales/jobs", portal),
            ("pars_reception", f"/odoo/aftersales.request/{self.request.id}", backend),
            ("pars_reception", "/odoo/action-aftersales_service.aftersales_request_action", backend),
        ]
        if self.order:
            pages += [
                ("pars_technician", f"/fa/my/aftersales/jobs/{self.order.id}", portal),
                ("pars_manager", f"/odoo/repair.order/{self.order.id}", backend),
            ]
        return pages

    def test_no_latin_words_on_persian_screens(self):
        report = {}
        phones = {}
        for login, url_path, ready in self._journeys():
            page = self._read(login, url_path, ready)
            # the back office's user menu names the database when the server has several
            words = latin_words(page["text"].replace(get_db_name(), ""))
            if self.shots and url_path.startswith("/fa/"):
                self._read(login, url_path, ready, width=390, height=844)
            if words:
                report[f"{login or 'visitor'} {url_path}"] = sorted(set(words))
            phones[url_path] = page["phones"]
        self._logger.info(
            "Latin-script words on Persian screens: %s\n%s",
            sum(len(w) for w in report.values()),
            json.dumps(report, ensure_ascii=False, indent=1),
        )
        self.assertFalse(report, "English on Persian screens:\n" + json.dumps(report, ensure_ascii=False, indent=1))
        # phone numbers read as typed: isolated, left to right (the back office's phone fields, the footer)
        shown = [phone for found in phones.values() for phone in found]
        self.assertTrue(shown, "the journeys show phone numbers")
        for number, direction, bidi in shown:
            self.assertEqual((direction, bidi), ("ltr", "isolate"), f"{number} is laid out left to right")

    def test_portal_scripts_speak_persian(self):
        """The request form's script says "Code sent..." in Persian: its terms reach the website."""
        expression = """
            (() => {
                const { _t } = odoo.loader.modules.get("@web/core/l10n/translation");
                return [_t("Code sent. Type it below."), _t("Verify your phone number or email first.")].join("|");
            })()
        """
        browser = ChromeBrowser(self)
        try:
            self.authenticate(None, None, browser=browser)
            browser.navigate_to(self.base_url() + "/fa/aftersales/request/new")
            self.assertTrue(browser._wait_ready("document.readyState === 'complete'"))
            self.assertTrue(
                browser._wait_ready("odoo.loader.modules.get('@web/core/l10n/translation').translationIsReady")
            )
            value = browser._websocket_request(
                "Runtime.evaluate", params={"expression": expression, "returnByValue": True}, timeout=30
            )["result"]["value"]
        finally:
            browser.stop()
            self._wait_remaining_requests()
        self.assertEqual(value, "کد ارسال شد. آن را در زیر وارد کنید.|ابتدا شماره تلفن یا ایمیل خود را تأیید کنید.")


@tagged("post_install", "-at_install")
class TestPersianPages(HttpCase):
    """The HTML of the Persian pages: the request form's words, the website's company, phones isolated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.persian = cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_portal"], ["fa_IR"])
        cls.company = cls.env["res.company"].create(
            {
                "name": "تعمیرگاه آزمون",
                "phone": "+98 915 555 6677",
                "email": "info@azmoon.example.ir",
                "street": "خیابان امام رضا، پلاک ۱۲",
                "city": "مشهد",
                "zip": "9175693111",
                "country_id": cls.env.ref("base.ir").id,
            }
        )
        cls.website = cls.env["website"].create(
            {
                "name": "تعمیرگاه آزمون",
                "company_id": cls.company.id,
                "domain": "http://azmoon.localhost",
                "language_ids": [(6, 0, (cls.persian | cls.env.ref("base.lang_en")).ids)],
                "default_lang_id": cls.persian.id,
            }
        )
        for website in cls.env["website"].search([]):
            website.language_ids |= cls.persian

    def _page(self, url_path, host=None):
        response = self.url_open(url_path, headers={"Host": host} if host else None)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_request_form_words(self):
        """The review button and page speak of reviewing; the kind of problem and its description differ."""
        page = self._page("/fa/aftersales/request/new")
        self.assertIn("بازبینی درخواست</button>", page)
        self.assertIn("درخواست خود را بازبینی کنید</h2>", page)
        self.assertNotIn("پیگیری درخواست<", page)
        self.assertIn('for="description" class="form-label">شرح مشکل</label>', page)

    def test_translations_served_to_the_website(self):
        """/website/translations carries the portal script's Persian terms."""
        response = self.url_open("/fa/website/translations/1?lang=fa_IR")
        modules = response.json()["modules"]
        self.assertIn("aftersales_portal", modules)
        terms = {message["id"]: message["string"] for message in modules["aftersales_portal"]["messages"]}
        self.assertEqual(terms["Code sent. Type it below."], "کد ارسال شد. آن را در زیر وارد کنید.")
        # a term of Odoo's portal chatter that Odoo leaves untranslated, shipped in i18n_extra/fa.po
        self.assertEqual(terms["Write a message…"], "پیامی بنویسید…")

    def test_website_shows_its_company(self):
        """The company's website shows its name, address and phone (isolated left to right), not Odoo's
        placeholders nor the other company's."""
        page = self._page("/fa/aftersales", host="azmoon.localhost")
        self.assertIn("تعمیرگاه آزمون", page)
        self.assertIn("خیابان امام رضا، پلاک ۱۲، مشهد", page)
        self.assertIn('<bdi dir="ltr" class="o_aftersales_company_phone">+98 915 555 6677</bdi>', page)
        self.assertIn('<bdi dir="ltr">info@azmoon.example.ir</bdi>', page)
        self.assertIn('<bdi dir="ltr">۹۱۷۵۶۹۳۱۱۱</bdi>', page, "the postal code in Persian digits")
        self.assertNotIn("555-555-5556", page)
        self.assertNotIn("yourcompany.example.com", page)
        other = self._page("/aftersales")
        self.assertNotIn("تعمیرگاه آزمون", other, "the other website keeps its own company")

    def test_sms_code_isolated_left_to_right(self):
        """The code texted to a Persian visitor is isolated left to right inside the Persian sentence."""
        otp = self.env["aftersales.portal.otp"].with_context(lang="fa_IR")._issue("sms", "09151234567")
        sms = self.env["sms.sms"].search([("number", "=", otp.target)], order="id desc", limit=1)
        self.assertRegex(sms.body, "^کد تأیید خدمات پس از فروش شما \u2066[0-9]{6}\u2069 است.")

    def test_review_step_names_each_field(self):
        """The review step of the request form lists the kind of problem and its description under their
        own Persian labels (both read «مشکل» before)."""
        if not self.env["aftersales.failure.mode"].search_count([]):
            self.skipTest("no failure mode to choose")
        if not self.env.ref("aftersales_portal.demo_user_pars_portal", raise_if_not_found=False):
            self.skipTest("the Persian company's demo customer is not installed")
        fill = """
            (() => {
                const form = document.querySelector("form.o_aftersales_request_form");
                // a product: the review step refuses, as the server does, a request without product or serial
                form.querySelector("select[name=product_id]").selectedIndex = 1;
                form.querySelector("select[name=failure_mode_id]").selectedIndex = 1;
                form.querySelector("textarea[name=description]").value = "صدای ضربه";
                const address = form.querySelector("textarea[name=address]");
                if (address) { address.value = "تهران"; }
                form.querySelector(".o_aftersales_review_btn").click();
                return [...form.querySelectorAll(".o_aftersales_review_list dt")].map((dt) => dt.textContent).join("|");
            })()
        """
        browser = ChromeBrowser(self)
        try:
            self.authenticate("pars_portal", "pars_portal", browser=browser)
            browser.navigate_to(self.base_url() + "/fa/aftersales/request/new")
            self.assertTrue(browser._wait_ready("document.readyState === 'complete'"))
            self.assertTrue(
                browser._wait_ready("odoo.loader.modules.get('@web/core/l10n/translation').translationIsReady")
            )
            labels = browser._websocket_request(
                "Runtime.evaluate", params={"expression": fill, "returnByValue": True}, timeout=30
            )["result"]["value"]
        finally:
            browser.stop()
            self._wait_remaining_requests()
        self.assertIn("نوع مشکل", labels.split("|"))
        self.assertIn("شرح مشکل", labels.split("|"))
