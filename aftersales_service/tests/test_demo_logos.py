import base64

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoLogos(TransactionCase):
    """The demo companies print their own mark on the reception receipt (and every PDF), not Odoo's
    "Your logo" placeholder (issue 17)."""

    def test_receipt_shows_each_company_logo(self):
        pars = self.env.ref("aftersales_service.demo_company_pars", raise_if_not_found=False)
        if not pars:
            self.skipTest("without demo data")
        report = self.env.ref("aftersales_service.action_report_aftersales_request_receipt")
        for company in self.env.ref("base.main_company") | pars:
            logo = base64.b64decode(company.logo)
            self.assertTrue(logo.startswith(b"<svg"), f"{company.name} has its own logo, not the placeholder")
            request = self.env["aftersales.request"].search([("company_id", "=", company.id)], limit=1)
            self.assertTrue(request, f"{company.name} has a demo request")
            html = (
                self.env["ir.actions.report"]
                .with_company(company)
                ._render_qweb_html(report.report_name, request.ids)[0]
                .decode()
            )
            self.assertIn("o_company_logo", html)
            self.assertIn(company.logo.decode()[:40], html, f"the receipt of {company.name} shows its logo")
