from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.report_wkhtmltopdf_compat.models import ir_actions_report as pdf_module

from .common import AftersalesServiceCase


@tagged("post_install", "-at_install")
class TestReportPdfLayout(AftersalesServiceCase):
    """With an unpatched wkhtmltopdf the company header and footer print in the page body."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.report_footer = "Footer line of the company"
        cls.Report = cls.env["ir.actions.report"]
        cls.report = cls.env.ref("aftersales_service.action_report_aftersales_request_receipt")

    def _prepare(self, unpatched):
        request = self._create_request(codes=["WC-TEST-001"])
        request.action_receive()
        html = self.Report._render_qweb_html(self.report.report_name, request.ids)[0]
        with patch.object(pdf_module, "wkhtmltopdf_is_unpatched", return_value=unpatched):
            bodies, _ids, header, footer, _args = self.report._prepare_html(html, report_model=self.report.model)
        return str(bodies[0]), str(header), str(footer)

    def test_unpatched_header_in_body(self):
        body, header, footer = self._prepare(unpatched=True)
        self.assertIn(self.env.company.name, body, "the company header prints in the page")
        self.assertIn("o_report_body_header", body)
        self.assertIn("Footer line of the company", body)
        self.assertNotIn(self.env.company.name, header, "nothing left for --header-html, which the build ignores")
        self.assertNotIn("Footer line of the company", footer)
        self.assertIn("o_report_installed_fonts", body, "installed fonts: web fonts print as outlines")
        self.assertNotIn('class="topage"', body, "no page counter only a separate footer could fill")

    def test_patched_header_stays_separate(self):
        body, header, footer = self._prepare(unpatched=False)
        self.assertIn(self.env.company.name, header)
        self.assertIn("Footer line of the company", footer)
        self.assertNotIn("o_report_body_header", body)
        self.assertNotIn("o_report_installed_fonts", body)

    def test_unpatched_margins(self):
        paperformat = self.report.get_paperformat()
        paperformat.write({"margin_top": 40, "margin_bottom": 28, "margin_left": 7, "header_spacing": 35})
        with patch.object(pdf_module, "wkhtmltopdf_is_unpatched", return_value=True):
            args = self.Report._build_wkhtmltopdf_args(paperformat, False)
        self.assertEqual(float(args[args.index("--margin-top") + 1]), 10, "no band for a header that never prints")
        self.assertEqual(float(args[args.index("--margin-bottom") + 1]), 10)
        self.assertNotIn("--header-spacing", args)
        with patch.object(pdf_module, "wkhtmltopdf_is_unpatched", return_value=False):
            args = self.Report._build_wkhtmltopdf_args(paperformat, False)
        self.assertEqual(float(args[args.index("--margin-top") + 1]), 40)
