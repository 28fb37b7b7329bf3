from datetime import datetime

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
        self.assertIn("۱۴۰۴/۰۱/۰۱ ۰۰:۱۵ (2025-03-21 00:15)", html, "Jalali date, Gregorian alongside")
        self.assertNotIn("Reception Receipt", html)

    def test_receipt_english_customer(self):
        request = self._received_request("en_US")
        html = self._render("aftersales_service.report_aftersales_request_receipt", request)
        self.assertRegex(html, r'<div class="page[^"]*" dir="ltr">')
        self.assertIn("Reception Receipt", html)
        # the Gregorian date in English, no Jalali date
        self.assertIn("Mar 21, 2025", html)
        self.assertNotIn("۱۴۰۴", html)
