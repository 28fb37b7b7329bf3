import re
from datetime import datetime

from lxml import html as lxml_html

from odoo.tests import tagged

from .common import AftersalesServiceCase


@tagged("post_install", "-at_install")
class TestPersianDocuments(AftersalesServiceCase):
    """Documents a Persian-speaking customer takes home: the reception receipt (invoices: l10n_ir)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_service"], ["fa_IR"])
        cls.env.user.tz = "Asia/Tehran"

    def _render(self, report, records):
        return self.env["ir.actions.report"]._render_qweb_html(report, records.ids)[0].decode()

    def _received_request(self, lang):
        self.customer.lang = lang
        request = self._create_request(codes=["WC-TEST-001"])
        request.action_receive()
        # 20:45 UTC on 20 March 2025 is 00:15 on Nowruz 1404 in Tehran (UTC+03:30)
        request.date_received = datetime(2025, 3, 20, 20, 45)
        return request

    def test_receipt_persian_customer(self):
        request = self._received_request("fa_IR")
        html = self._render("aftersales_service.report_aftersales_request_receipt", request)
        self.assertRegex(html, r'<div class="page[^"]*" dir="rtl">', "the receipt page reads right to left")
        self.assertIn("رسید پذیرش", html, "labels in the customer's language")
        self.assertIn("۱۴۰۴/۰۱/۰۱ ۰۰:۱۵ (۲۰۲۵-۰۳-۲۱ ۰۰:۱۵)", html, "Jalali date, Gregorian alongside")
        self.assertNotIn("Reception Receipt", html)

    def test_receipt_persian_digits(self):
        """One kind of digit in a Persian receipt: Persian digits for every number (phone, postal code,
        dates, line numbers) in the page, its header and its footer; codes keep their Latin digits."""
        self.customer.phone = "+98 915 555 6677"
        self.company.zip = "9175693111"
        request = self._received_request("fa_IR")
        html = self._render("aftersales_service.report_aftersales_request_receipt", request)
        self.assertIn("+۹۸ ۹۱۵ ۵۵۵ ۶۶۷۷", html, "the phone number in Persian digits")
        self.assertIn("۹۱۷۵۶۹۳۱۱۱", html, "the company's postal code in Persian digits")
        self.assertIn("WC-TEST-001", html, "a code as printed on the unit")
        root = lxml_html.fromstring(html)
        for bad in root.xpath("//script | //style | //head"):
            bad.getparent().remove(bad)
        numbers = [
            word
            for word in root.text_content().split()
            if re.search(r"[0-9]", word) and not re.search(r"[A-Za-z]", word)
        ]
        self.assertEqual(numbers, [], "no number in Latin digits")

    def test_receipt_english_customer(self):
        request = self._received_request("en_US")
        html = self._render("aftersales_service.report_aftersales_request_receipt", request)
        self.assertRegex(html, r'<div class="page[^"]*" dir="ltr">')
        self.assertIn("Reception Receipt", html)
        # the Gregorian date in English, no Jalali date
        self.assertIn("Mar 21, 2025", html)
        self.assertNotIn("۱۴۰۴", html)
