import base64
import io
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.aftersales_request_line import AftersalesRequestLine
from .common import AftersalesServiceCase

REQUEST_MODULE = "odoo.addons.aftersales_service.models.aftersales_request"


@tagged("post_install", "-at_install")
class TestBatchUnits(AftersalesServiceCase):
    def _wizard(self, request, **vals):
        return self.env["aftersales.request.add.units"].create({"request_id": request.id, **vals})

    def test_paste_good_lines(self):
        request = self._create_request()
        wizard = self._wizard(
            request,
            codes_text="code\nWC-TEST-001, Drum noise\n\nSVC-TEST-002\tNo power\nKET10\nKET10\n",
        )
        result = wizard.action_add_units()
        self.assertEqual(result["type"], "ir.actions.act_window_close", wizard.error_report)
        self.assertEqual(len(request.line_ids), 4, "header skipped, blank line ignored")
        lines = request.line_ids.sorted("sequence")
        self.assertEqual(lines[0].failure_description, "Drum noise")
        self.assertEqual(lines[1].failure_description, "No power")
        self.assertEqual(lines[0].warranty_id, self.warranty_valid)
        self.assertEqual(lines[2:].product_id, self.product_untracked, "units without serial may repeat")

    def test_bad_lines_all_reported_nothing_created(self):
        open_request = self._create_request(codes=["SVC-TEST-004"])
        request = self._create_request()
        wizard = self._wizard(
            request,
            codes_text="\n".join(
                [
                    "WC-TEST-001",  # 1 good
                    "UNKNOWN-999",  # 2 unknown
                    "WC-TEST-003",  # 3 other customer
                    "WC-TEST-004",  # 4 already in the open request
                    "WC-TEST-001",  # 5 duplicate of line 1
                    "SVC-TEST-001",  # 6 same unit as line 1 through its product serial
                    "SVC-TEST-002",  # 7 good
                ]
            ),
        )
        wizard.action_add_units()
        self.assertFalse(request.line_ids, "nothing is created when one line is wrong")
        self.assertEqual(wizard.state, "error")
        self.assertEqual(wizard.error_count, 5)
        report = wizard.error_report.splitlines()
        self.assertEqual(len(report), 5)
        self.assertIn("Line 2: UNKNOWN-999 is not a known", report[0])
        self.assertIn("Line 3: WC-TEST-003 belongs to another customer (Reza Karimi)", report[1])
        self.assertIn(f"Line 4: WC-TEST-004 is already in the open request {open_request.name}", report[2])
        self.assertIn("Line 5: WC-TEST-001 is a duplicate of line 1", report[3])
        self.assertIn("Line 6: SVC-TEST-001 is the same unit as line 1", report[4])
        wizard.action_back()
        self.assertEqual(wizard.state, "input")

    def test_csv_upload(self):
        request = self._create_request()
        content = b"serial;description\nWC-TEST-001;Leaks\nSVC-TEST-002;Noise\n"
        wizard = self._wizard(request, input_mode="file", file=base64.b64encode(content), filename="units.csv")
        wizard.action_add_units()
        self.assertFalse(wizard.error_report)
        self.assertEqual(request.line_ids.lot_id, self.lots[:2])
        self.assertEqual(set(request.line_ids.mapped("failure_description")), {"Leaks", "Noise"})

    def test_xlsx_upload_reports_row_numbers(self):
        from openpyxl import Workbook  # noqa: PLC0415 - test-only

        book = Workbook()
        sheet = book.active
        sheet.append(["Code", "Description"])
        sheet.append(["WC-TEST-001", "Leaks"])
        sheet.append(["NOPE-1", ""])
        buffer = io.BytesIO()
        book.save(buffer)
        request = self._create_request()
        wizard = self._wizard(
            request, input_mode="file", file=base64.b64encode(buffer.getvalue()), filename="units.xlsx"
        )
        wizard.action_add_units()
        self.assertFalse(request.line_ids)
        self.assertIn("Line 3: NOPE-1", wizard.error_report)

    def test_empty_input_and_closed_request(self):
        request = self._create_request()
        with self.assertRaisesRegex(UserError, "no code"):
            self._wizard(request, codes_text="\n \n").action_add_units()
        request.action_cancel()
        with self.assertRaisesRegex(UserError, "draft or received"):
            self._wizard(request, codes_text="WC-TEST-001").action_add_units()

    def test_large_batch_runs_as_job(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_service.batch_async_threshold", "2")
        request = self._create_request()
        wizard = self._wizard(request, codes_text="WC-TEST-001\nSVC-TEST-002\nKET10")
        result = wizard.with_context(queue_job__no_delay=True).action_add_units()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(len(request.line_ids), 3, "the job ran and created every line")
        bad = self._create_request()
        self._wizard(bad, codes_text="WC-TEST-004\nNOPE-1\nNOPE-2").with_context(
            queue_job__no_delay=True
        ).action_add_units()
        self.assertFalse(bad.line_ids)
        self.assertIn("NOPE-2", bad.message_ids[0].body)

    @patch(f"{REQUEST_MODULE}.ADD_UNITS_CHUNK", 2)
    def test_batch_created_by_chunks(self):
        """A batch is created two units at a time here (the cache emptied between chunks): every unit, in
        the order of the file; a failure in the last chunk takes back the chunks created before it."""
        request = self._create_request()
        codes = ["WC-TEST-001", "SVC-TEST-002", "KET10", "KET10", "KET10"]
        result = self._wizard(request, codes_text="\n".join(codes)).action_add_units()
        self.assertEqual(result["type"], "ir.actions.act_window_close")
        lines = request.line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("sequence"), [1, 2, 3, 4, 5])
        self.assertEqual(lines[0].warranty_id, self.warranty_valid)
        self.assertEqual(lines[2:].product_id, self.product_untracked)
        self.assertEqual(request.line_count, 5)

        other = self._create_request()
        calls = []
        check = AftersalesRequestLine._check_warranty_claims

        def fail_third_chunk(model, vals_list, lines=None):
            calls.append(len(vals_list))
            if len(calls) == 3:
                raise RuntimeError("the third chunk fails")
            return check(model, vals_list, lines=lines)

        # no assertRaises (it rolls back to a savepoint of its own): the method itself must take back the
        # first two chunks
        with patch.object(AftersalesRequestLine, "_check_warranty_claims", fail_third_chunk):
            try:
                other._add_unit_entries([{"line_no": n, "code": code} for n, code in enumerate(["KET10"] * 5, start=1)])
            except RuntimeError as error:
                message = str(error)
            else:
                self.fail("the failing chunk did not raise")
        self.assertEqual(message, "the third chunk fails")
        self.assertEqual(calls, [2, 2, 1])
        self.assertFalse(other.line_ids)
        self.assertFalse(self.env["aftersales.request.line"].search([("request_id", "=", other.id)]))
