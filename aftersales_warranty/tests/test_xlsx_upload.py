import base64
import random

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.aftersales_warranty.tools import read_xlsx_rows, xlsx_limits

from . import xlsx_samples
from .common import WarrantyCommon

MIB = 1 << 20


@tagged("post_install", "-at_install")
class TestXlsxUploadLimits(WarrantyCommon):
    """Hostile XLSX files sent to the back-office warranty import (and to the shared reader)."""

    def setUp(self):
        super().setUp()
        self.batches_before = self.env["aftersales.warranty.import.batch"].search([])

    def _wizard(self, data, filename="serials.xlsx"):
        return self.env["aftersales.warranty.import"].create(
            {"input_mode": "file", "file": base64.b64encode(data), "filename": filename}
        )

    def _set_param(self, key, value):
        self.env["ir.config_parameter"].sudo().set_param(f"aftersales_warranty.{key}", value)

    def _assert_nothing_imported(self):
        batches = self.env["aftersales.warranty.import.batch"].search([])
        self.assertEqual(batches, self.batches_before, "no import batch")
        self.assertFalse(self.env["aftersales.warranty"].search([("name", "like", "BOMB-")]), "no card")
        self.assertFalse(self.env["stock.lot"].search([("name", "like", "SN-BOMB-")]), "no serial")

    def test_declared_dimension_is_not_allocated(self):
        """The reported attack: 2,000 one-cell rows declaring A1:XFD2000 made the reader allocate 250 MiB."""
        wizard = self._wizard(xlsx_samples.padded_dimension_bomb())
        with xlsx_samples.peak_memory() as peak:
            lines = wizard._read_lines()
        self.assertEqual(len(lines), 2000)
        self.assertEqual(lines[0], (1, ["x"]), "only the real cell, no 16,384 empty ones")
        self.assertLess(peak(), 16 * MIB, "the declared 16,384 columns are not padded")

    def test_whole_sheet_dimension_reads_real_cells_only(self):
        data = xlsx_samples.dimension_bomb(
            [["Warranty serial", "Product serial", "Product code"], ["BOMB-001", "SN-BOMB-001", "TWM-01"]]
        )
        self.assertLess(len(data), 2000, "a 1.5 KB file")
        wizard = self._wizard(data)
        with xlsx_samples.peak_memory() as peak:
            wizard.action_check()
        self.assertLess(peak(), 16 * MIB)
        self.assertEqual((wizard.line_count, wizard.valid_count, wizard.error_count), (1, 1, 0))
        wizard.action_import()
        self.assertEqual(self.env["aftersales.warranty"].search([("name", "=", "BOMB-001")]).lot_id.name, "SN-BOMB-001")

    def test_too_many_rows_refused_with_the_limit(self):
        self._set_param("xlsx_max_rows", 3)
        data = xlsx_samples.xlsx_of_rows([[f"BOMB-{i}", f"SN-BOMB-{i}", "TWM-01"] for i in range(1, 5)])
        wizard = self._wizard(data)
        with self.assertRaisesRegex(UserError, r"more than 3 rows: at most 3 rows and 50 columns are read"):
            wizard.action_check()
        self.assertEqual(wizard.state, "draft")
        with self.assertRaises(UserError):
            wizard.action_import()
        self._assert_nothing_imported()
        # three rows pass
        wizard = self._wizard(xlsx_samples.xlsx_of_rows([[f"BOMB-{i}", f"SN-BOMB-{i}", "TWM-01"] for i in (1, 2, 3)]))
        wizard.action_check()
        self.assertEqual(wizard.valid_count, 3)

    def test_value_far_down_refused(self):
        """A value right after the last row allowed is seen even when the sheet declares nothing."""
        self._set_param("xlsx_max_rows", 1000)
        sheet = xlsx_samples.sheet_xml([(1, [(1, "BOMB-1"), (2, "SN-BOMB-1"), (3, "TWM-01")]), (1001, [(1, "x")])])
        with self.assertRaisesRegex(UserError, "more than 1,000 rows"):
            self._wizard(xlsx_samples.xlsx_file(sheet)).action_check()
        self._assert_nothing_imported()

    def test_too_many_columns_refused_with_the_limit(self):
        row = ["BOMB-1", "SN-BOMB-1", "TWM-01"] + [""] * 47 + ["column 51"]
        with self.assertRaisesRegex(UserError, "Row 1 has values beyond column 50: at most 100,000 rows and 50"):
            self._wizard(xlsx_samples.xlsx_of_rows([row])).action_check()
        self._assert_nothing_imported()
        # empty cells after the last value are not columns
        sheet = xlsx_samples.sheet_xml([(1, [(1, "BOMB-1"), (2, "SN-BOMB-1"), (3, "TWM-01"), (16384, " ")])])
        wizard = self._wizard(xlsx_samples.xlsx_file(sheet))
        wizard.action_check()
        self.assertEqual(wizard.valid_count, 1)

    def test_malformed_files_give_a_clear_error(self):
        for label, content, pattern in xlsx_samples.malformed_files():
            with self.subTest(label), self.assertRaisesRegex(UserError, pattern):
                self._wizard(content).action_check()
        with self.assertRaisesRegex(UserError, "empty"):
            read_xlsx_rows(self.env, b"")
        self._assert_nothing_imported()

    def test_archive_limits(self):
        self._set_param("xlsx_max_unpacked_mb", 1)
        noise = random.Random(14).randbytes(3 * MIB // 2)  # does not compress: not a bomb, just large
        data = xlsx_samples.xlsx_file(xlsx_samples.sheet_xml([(1, [(1, "BOMB-1")])]), **{"xl/media/noise.bin": noise})
        with self.assertRaisesRegex(UserError, "unpacks to 2 MB: at most 1 MB are read"):
            self._wizard(data).action_check()
        parts = {f"xl/media/p{i}.xml": "" for i in range(1000)}
        data = xlsx_samples.xlsx_file(xlsx_samples.sheet_xml([(1, [(1, "BOMB-1")])]), **parts)
        with self.assertRaisesRegex(UserError, "holds 1,005 parts: at most 1,000 are read"):
            self._wizard(data).action_check()
        self._assert_nothing_imported()

    def test_parts_read_whole_have_a_smaller_limit(self):
        """Shared strings and styles are parsed whole: a fifth of the unpacked limit, whatever their name."""
        self._set_param("xlsx_max_unpacked_mb", 5)
        rng = random.Random(14)
        strings = "".join(f"<si><t>{rng.getrandbits(32):08x}</t></si>" for _ in range(60000))  # 1.4 MB
        sheet = xlsx_samples.sheet_xml([(1, [(1, "BOMB-1")])])
        data = xlsx_samples.xlsx_file(sheet, **{"xl/sharedStrings.xml": f"<sst>{strings}</sst>"})
        with self.assertRaisesRegex(UserError, "sharedStrings.xml unpacks to 1.4 MB: at most 1.0 MB are read"):
            self._wizard(data).action_check()
        # declaring the strings a worksheet too does not exempt them
        types = xlsx_samples.CONTENT_TYPES.replace(
            "</Types>",
            '<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/><Override PartName="/xl/strings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        data = xlsx_samples.xlsx_file(sheet, content_types=types, **{"xl/strings.xml": f"<sst>{strings}</sst>"})
        with self.assertRaisesRegex(UserError, "strings.xml unpacks to 1.4 MB"):
            self._wizard(data).action_check()
        self._assert_nothing_imported()
        # a sheet of the same size is streamed, not read whole
        rows = [(row, [(1, f"{rng.getrandbits(64):016x}"), (2, "SN"), (3, "TWM-01")]) for row in range(1, 9001)]
        wizard = self._wizard(xlsx_samples.xlsx_file(xlsx_samples.sheet_xml(rows)))
        self.assertGreater(len(xlsx_samples.sheet_xml(rows)), MIB)
        self.assertEqual(len(wizard._read_lines()), 9000)

    def test_limits_from_system_parameters(self):
        self.assertEqual(xlsx_limits(self.env), (100000, 50, 50))
        self._set_param("xlsx_max_rows", "5000")
        self._set_param("xlsx_max_columns", "not a number")
        self._set_param("xlsx_max_unpacked_mb", "-3")
        self.assertEqual(xlsx_limits(self.env), (5000, 50, 50), "a wrong value falls back to the default")
