import base64
import json
import pathlib

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser, get_db_name, save_test_file
from odoo.tools import config

# Read in the page by the browser: direction of the document and of the form, the stylesheets,
# and the boxes of each visible label and the field it names.
PAGE_GEOMETRY = """
(() => {
    const form = document.querySelector("form.o_aftersales_request_form");
    const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
    const pairs = [];
    for (const label of form.querySelectorAll("label[for]")) {
        const field = document.getElementById(label.htmlFor);
        if (!field || !label.offsetParent || !field.offsetParent) {
            continue;
        }
        pairs.push({for: label.htmlFor, text: label.innerText.trim(), label: box(label), field: box(field)});
    }
    return JSON.stringify({
        dir: document.documentElement.dir,
        lang: document.documentElement.lang,
        formDirection: getComputedStyle(form).direction,
        formTextAlign: getComputedStyle(form.querySelector("legend")).textAlign,
        sendCodeButton: !!form.querySelector("button.btn.o_aftersales_otp_send"),
        stylesheets: [...document.querySelectorAll("link[rel=stylesheet]")].map((link) => link.href),
        pairs: pairs,
    });
})()
"""


# the page loaded and its public root started (services, then the root mounted): closing the browser
# before that cut the services' requests short ("Failed to fetch" logged by the page)
READY = (
    "document.readyState === 'complete' && !!document.querySelector('form legend')"
    " && !!(window.odoo && odoo.__WOWL_DEBUG__)"
)


@tagged("post_install", "-at_install")
class TestPortalRightToLeft(HttpCase):
    """The customer's service request form in Persian, laid out right to left in Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.persian = cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_portal"], ["fa_IR"])
        website = cls.env["website"].search([], limit=1)
        website.language_ids |= cls.persian

    def _open(self, url_path, expression, ready):
        """Open ``url_path`` as a visitor in Odoo's headless Chromium, evaluate ``expression``
        (a JSON string), save a PNG screenshot in the test screenshots folder; returns
        ``(value, screenshot path)``."""
        browser = ChromeBrowser(self)
        try:
            self.authenticate(None, None, browser=browser)
            browser.navigate_to(self.base_url() + url_path)
            self.assertTrue(browser._wait_ready(ready), f"{url_path} did not finish loading")
            evaluated = browser._websocket_request(
                "Runtime.evaluate", params={"expression": expression, "returnByValue": True}, timeout=30
            )
            shot = browser._websocket_request("Page.captureScreenshot", params={"format": "png"}, timeout=30)
            if browser._result.done() and browser._result.exception():
                self.fail(f"The page raised an error: {browser._result.exception()}")
        finally:
            browser.stop()
            self._wait_remaining_requests()
        png = base64.b64decode(shot["data"])
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n", "Chromium returned a PNG")
        folder = pathlib.Path(config["screenshots"]) / get_db_name() / "screenshots"
        before = set(folder.glob("*.png")) if folder.is_dir() else set()
        save_test_file(self._testMethodName, png, "sc_rtl_", logger=self._logger)
        saved = set(folder.glob("*.png")) - before
        self.assertEqual(len(saved), 1, "the screenshot is saved in the screenshots folder")
        return json.loads(evaluated["result"]["value"]), saved.pop()

    def test_request_form_in_persian_is_right_to_left(self):
        url = f"/{self.persian.url_code}/aftersales/request/new"
        page, screenshot = self._open(url, PAGE_GEOMETRY, READY)
        self._logger.info("Right-to-left screenshot of %s: %s", url, screenshot)
        self.assertEqual(page["lang"], "fa-IR")
        self.assertEqual(page["dir"], "rtl", 'the document is dir="rtl"')
        self.assertEqual(page["formDirection"], "rtl", "the form is laid out right to left")
        self.assertIn(page["formTextAlign"], ("right", "start"), "headings start on the right")
        frontend_css = [href for href in page["stylesheets"] if "web.assets_frontend" in href]
        self.assertTrue(frontend_css, "the frontend stylesheet is linked")
        self.assertTrue(
            all(".rtl." in href for href in frontend_css),
            f"the stylesheets are the right-to-left build of rtlcss: {frontend_css}",
        )
        self.assertGreaterEqual(len(page["pairs"]), 3, "the name, product and serial labels are visible")
        for pair in page["pairs"]:
            label, field = pair["label"], pair["field"]
            self.assertAlmostEqual(
                label["right"], field["right"], delta=2, msg=f"label {pair['text']!r} starts at the field's right edge"
            )
            self.assertGreater(
                label["left"], field["left"] + 1, f"label {pair['text']!r} sits on the right side of its field"
            )
        self.assertIn("نام", [pair["text"] for pair in page["pairs"]], "the labels are in Persian")
        self.assertTrue(page["sendCodeButton"], "the one-time code button keeps its classes")

    def test_request_form_in_english_is_left_to_right(self):
        """The same checks tell left to right from right to left."""
        page, _screenshot = self._open(
            "/aftersales/request/new",
            PAGE_GEOMETRY,
            READY,
        )
        self.assertNotEqual(page["dir"], "rtl")
        self.assertEqual(page["formDirection"], "ltr")
        self.assertFalse([href for href in page["stylesheets"] if ".rtl." in href])
        for pair in page["pairs"]:
            self.assertAlmostEqual(pair["label"]["left"], pair["field"]["left"], delta=2)
