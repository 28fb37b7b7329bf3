import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.aftersales_warranty.tests import xlsx_samples

from .common import AftersalesServiceCase

MIB = 1 << 20


@tagged("post_install", "-at_install")
class TestXlsxUploadBatchUnits(AftersalesServiceCase):
    """Hostile XLSX files sent to the batch reception wizard (also used by the agents' portal batch)."""

    def _add_units(self, request, data, filename="units.xlsx"):
        wizard = self.env["aftersales.request.add.units"].create(
            {"request_id": request.id, "input_mode": "file", "file": base64.b64encode(data), "filename": filename}
        )
        return wizard, wizard.action_add_units()

    def test_declared_dimension_is_not_allocated(self):
        data = base64.b64encode(xlsx_samples.padded_dimension_bomb())
        wizard = self.env["aftersales.request.add.units"].new(
            {"input_mode": "file", "file": data, "filename": "units.xlsx"}
        )
        with xlsx_samples.peak_memory() as peak:
            entries = wizard._parse_entries()
        self.assertEqual(len(entries), 2000)
        self.assertEqual(entries[0], {"line_no": 1, "code": "x", "failure_description": False})
        self.assertLess(peak(), 16 * MIB, "the declared 16,384 columns are not padded")

    def test_whole_sheet_dimension_reads_real_cells_only(self):
        request = self._create_request()
        data = xlsx_samples.dimension_bomb([["Code", "Description"], ["WC-TEST-001", "Leaks"]])
        with xlsx_samples.peak_memory() as peak:
            wizard, dummy = self._add_units(request, data)
        self.assertLess(peak(), 16 * MIB)
        self.assertFalse(wizard.error_report)
        self.assertEqual(request.line_ids.lot_id, self.lots[:1])
        self.assertEqual(request.line_ids.failure_description, "Leaks")

    def test_too_many_rows_refused_with_the_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_warranty.xlsx_max_rows", 2)
        request = self._create_request()
        data = xlsx_samples.xlsx_of_rows([["WC-TEST-001"], ["SVC-TEST-002"], ["KET10"]])
        with self.assertRaisesRegex(UserError, "more than 2 rows: at most 2 rows and 50 columns are read"):
            self._add_units(request, data)
        self.assertFalse(request.line_ids, "nothing added")

    def test_too_many_columns_refused_with_the_limit(self):
        request = self._create_request()
        data = xlsx_samples.xlsx_of_rows([["WC-TEST-001", "Leaks"] + [""] * 48 + ["x"]])
        with self.assertRaisesRegex(UserError, "Row 1 has values beyond column 50"):
            self._add_units(request, data)
        self.assertFalse(request.line_ids, "nothing added")

    def test_malformed_files_give_a_clear_error(self):
        request = self._create_request()
        for label, content, pattern in xlsx_samples.malformed_files():
            with self.subTest(label), self.assertRaisesRegex(UserError, pattern):
                self._add_units(request, content)
        self.assertFalse(request.line_ids, "nothing added")
