from odoo.tests import tagged

from odoo.addons.aftersales_warranty.tests import xlsx_samples

from .common import AftersalesPortalCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestPortalXlsxUpload(AftersalesPortalCase):
    """An agent posts hostile XLSX files to the batch page, as a browser would."""

    def _agent_requests(self):
        return (
            self.env["aftersales.request"].sudo().search([("agent_id", "=", self.agency.id), ("channel", "=", "agent")])
        )

    def _post(self, content, filename="units.xlsx"):
        token = self._csrf("/my/aftersales/batch")
        return self.url_open(
            "/my/aftersales/batch",
            data={"csrf_token": token, "customer_name": "Bomb Customer", "customer_phone": "+989127770014"},
            files={"file": (filename, content, XLSX)},
            allow_redirects=False,
        )

    def _assert_refused(self, response, pattern, before, partners):
        self.assertEqual(response.status_code, 400, response.text[:300])
        self.assertRegex(response.text, pattern)
        self.assertNotIn("Traceback", response.text)
        self.assertEqual(self._agent_requests(), before, "no request created")
        self.assertEqual(self.env["res.partner"].sudo().search_count([]), partners, "no customer created")

    def test_whole_sheet_dimension_reads_real_cells_only(self):
        """The reported bomb (a 1.5 KB file declaring every cell of the sheet): only the real cells are read."""
        self.authenticate("pt_agent", "pt_agent")
        before = self._agent_requests()
        data = xlsx_samples.dimension_bomb([["code", "failure"], ["WM-PT-0003", "No water"]])
        self.assertLess(len(data), 2000)
        response = self._post(data)
        self.assertEqual(response.status_code, 303, response.text[:300])
        new = self._agent_requests() - before
        self.assertEqual(new.line_ids.lot_id, self.lot_c)
        self.assertEqual(new.line_ids.failure_description, "No water")

    def test_too_many_rows_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_warranty.xlsx_max_rows", 2)
        self.authenticate("pt_agent", "pt_agent")
        before, partners = self._agent_requests(), self.env["res.partner"].sudo().search_count([])
        data = xlsx_samples.xlsx_of_rows([["WM-PT-0002"], ["WM-PT-0003"], ["WM-PT-0004"]])
        response = self._post(data)
        self._assert_refused(response, "more than 2 rows: at most 2 rows and 50 columns are read", before, partners)

    def test_malformed_files_refused(self):
        self.authenticate("pt_agent", "pt_agent")
        before, partners = self._agent_requests(), self.env["res.partner"].sudo().search_count([])
        for label, content, pattern in xlsx_samples.malformed_files():
            with self.subTest(label):
                self._assert_refused(self._post(content), pattern, before, partners)
