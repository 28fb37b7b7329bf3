import base64
import io
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WarrantyCommon

BATCH_MODULE = "odoo.addons.aftersales_warranty.models.aftersales_warranty_import_batch"
WIZARD_MODULE = "odoo.addons.aftersales_warranty.wizards.aftersales_warranty_import"


@tagged("post_install", "-at_install")
class TestImport(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing_lot = cls._lot("SN-IMP-EXIST")
        cls.registered = cls._card("WC-IMP-REG", cls._lot("SN-IMP-REG"))
        cls.other_lot = cls._lot("SN-IMP-OTHER", cls.product_other)

    def _wizard(self, text=None, data=None, filename=None):
        vals = {"input_mode": "text", "text": text} if text is not None else {}
        if data is not None:
            vals = {"input_mode": "file", "file": base64.b64encode(data), "filename": filename}
        return self.env["aftersales.warranty.import"].create(vals)

    def _cards(self, *names):
        return self.env["aftersales.warranty"].search([("name", "in", list(names))])

    def test_good_lines_import(self):
        text = (
            "warranty serial,product serial,product code,customer,start date\n"
            " imp-001 , sn-imp-new-1 ,twm-01,CUST-001,2026-01-15\n"
            "IMP-002,SN-IMP-EXIST,TWM-01,Test Customer Miller,\n"
            "IMP-۰۰۳,SN-IMP-۰۰۳,TWM-01,,۱۴۰۴/۱۰/۲۵\n"
        )
        wizard = self._wizard(text)
        wizard.action_check()
        self.assertEqual((wizard.line_count, wizard.valid_count, wizard.error_count), (3, 3, 0))
        wizard.action_import()
        first, second, third = (self._cards(n) for n in ("IMP-001", "IMP-002", "IMP-003"))
        self.assertEqual(first.lot_id.name, "SN-IMP-NEW-1")
        self.assertEqual(first.lot_id.product_id, self.product)
        self.assertEqual(first.partner_id, self.customer, "customer found by reference")
        self.assertEqual(first.date_start, date(2026, 1, 15))
        self.assertEqual(first.state, "active")
        self.assertEqual(second.lot_id, self.existing_lot, "existing serial reused")
        self.assertEqual(second.partner_id, self.customer2, "customer found by name")
        self.assertEqual(second.state, "draft", "no start date: starts on delivery")
        self.assertEqual(third.lot_id.name, "SN-IMP-003", "Persian digits converted")
        self.assertEqual(third.date_start, date(2026, 1, 15), "Jalali date read")
        self.assertEqual(first.import_batch_id.state, "done")
        self.assertEqual(first.import_batch_id.warranty_count, 3)

    def test_new_serials_get_stock_lot_defaults(self):
        """The bulk insert of serials fills every stored field of stock.lot that create() would fill with a
        default, whichever module or user set it (here a user default in ir.default, on a field without
        one in code), as create() does."""
        self.env["ir.default"].set("stock.lot", "ref", "IMPORTED 2026")
        orm_lot = self.env["stock.lot"].create({"name": "SN-IMP-ORM", "product_id": self.product.id})
        self.assertEqual(orm_lot.ref, "IMPORTED 2026")
        wizard = self._wizard("IMP-DEF-1,SN-IMP-DEF-1,TWM-01,,\nIMP-DEF-2,SN-IMP-DEF-2,TWM-01,,\n")
        wizard.action_check()
        wizard.action_import()
        lots = self._cards("IMP-DEF-1").lot_id | self._cards("IMP-DEF-2").lot_id
        self.assertEqual(len(lots), 2)
        self.assertEqual(lots.mapped("ref"), ["IMPORTED 2026"] * 2)
        self.assertEqual(lots.mapped("name"), ["SN-IMP-DEF-1", "SN-IMP-DEF-2"], "the serial, not the default name")

    def test_bad_lines_are_listed_and_block(self):
        text = "\n".join(
            [
                "BAD-01,SN-BAD-01,NOPE-99",  # 1 unknown product
                "BAD-02,SN-IMP-OTHER,TWM-01",  # 2 serial of another product
                "BAD-03,SN-BAD-03,TWM-01",  # 3 good
                "BAD-03,SN-BAD-04,TWM-01",  # 4 duplicate warranty serial in the file
                "WC-IMP-REG,SN-BAD-05,TWM-01",  # 5 already registered
                "BAD-06,SN-IMP-REG,TWM-01",  # 6 serial already has a card
                "BAD-07,SN-BAD-07,TWM-01,,2025-02-30",  # 7 bad date
                "",  # 8 empty line, ignored
                "BAD-09,SN-BAD-09,TCB-01",  # 9 not serial-tracked
                "BAD-10,SN-BAD-10,TWM-01,Nobody Known",  # 10 unknown customer
                "BAD-11,,TWM-01",  # 11 missing product serial
                "BAD-12,SN-BAD-03,TWM-01",  # 12 duplicate product serial in the file
            ]
        )
        wizard = self._wizard(text)
        wizard.action_check()
        self.assertEqual(wizard.valid_count, 1)
        self.assertEqual(wizard.error_count, 10)
        self.assertEqual(wizard.ignored_count, 1)
        errors = {line.line_number: line.reason for line in wizard.error_line_ids}
        self.assertEqual(sorted(errors), [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        self.assertIn("unknown product code NOPE-99", errors[1])
        self.assertIn("belongs to another product", errors[2])
        self.assertIn("already on line 3", errors[4])
        self.assertIn("already registered", errors[5])
        self.assertIn("already has the warranty card WC-IMP-REG", errors[6])
        self.assertIn("not a valid date", errors[7])
        self.assertIn("empty", errors[8])
        self.assertIn("not tracked by unique serial", errors[9])
        self.assertIn("unknown customer", errors[10])
        self.assertIn("missing product serial", errors[11])
        self.assertIn("already on line 3", errors[12])
        self.assertTrue(all(reason.startswith("Line ") for reason in errors.values()))
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertFalse(self._cards("BAD-03"), "nothing saved")
        wizard.action_import_good()
        self.assertEqual(self._cards("BAD-03").lot_id.name, "SN-BAD-03")
        self.assertFalse(self._cards("BAD-01", "BAD-02", "BAD-06", "BAD-07", "BAD-09", "BAD-10", "BAD-12"))

    def test_nothing_partial_when_data_changed(self):
        batch = self.env["aftersales.warranty.import.batch"].create({"name": "test", "line_count": 2})
        lines = [(1, ["RACE-01", "SN-RACE-01", "TWM-01"]), (2, ["RACE-02", "SN-RACE-02", "TWM-01"])]
        self._card("RACE-02")  # registered by someone else after the check
        with self.assertRaises(UserError):
            batch._run_import(lines)
        self.assertFalse(self._cards("RACE-01"))
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "SN-RACE-01")]))

    def test_xlsx_upload(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Warranty serial", "Product serial", "Product code", "Customer", "Start date"])
        sheet.append(["XL-001", 987654321, "TWM-01", "CUST-001", date(2026, 2, 1)])
        sheet.append([None, None, None])
        sheet.append(["XL-002", "SN-XL-002", "TRF-01", None, "1404/11/12"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard = self._wizard(data=buffer.getvalue(), filename="serials.xlsx")
        wizard.action_check()
        self.assertEqual((wizard.valid_count, wizard.error_count, wizard.ignored_count), (2, 0, 1))
        wizard.action_import()
        card = self._cards("XL-001")
        self.assertEqual(card.lot_id.name, "987654321", "numeric cell read as text")
        self.assertEqual(card.date_start, date(2026, 2, 1))
        self.assertEqual(self._cards("XL-002").date_start, date(2026, 2, 1))

    def test_csv_semicolon_utf8_bom(self):
        data = "\ufeffCSV-001;SN-CSV-001;TWM-01\r\nCSV-002;SN-CSV-002;TWM-01\r\n".encode()
        wizard = self._wizard(data=data, filename="serials.csv")
        wizard.action_check()
        self.assertEqual(wizard.valid_count, 2)

    def test_malformed_files(self):
        cp1256 = "CSV-FA-1,SN-FA-1,TWM-01,\u0639\u0644\u064a\n".encode("cp1256")
        with self.assertRaisesRegex(UserError, "Line 1: the file is not UTF-8"):
            self._wizard(data=cp1256, filename="x.csv").action_check()
        with self.assertRaisesRegex(UserError, "Line 2: the file is not UTF-8"):
            self._wizard(data=b"OK-1,SN-OK-1,TWM-01\n" + cp1256, filename="x.csv").action_check()
        with self.assertRaisesRegex(UserError, "not a valid XLSX"):
            self._wizard(data=b"PK\x03\x04garbage", filename="x.xlsx").action_check()
        with self.assertRaisesRegex(UserError, "binary"):
            self._wizard(data=b"A,B\x00,C\n", filename="x.csv").action_check()
        with self.assertRaisesRegex(UserError, "malformed"):
            self._wizard('A,"B,C\nD,E,F\n').action_check()
        with self.assertRaisesRegex(UserError, "no line"):
            self._wizard(data=b"\n", filename="x.csv").action_check()
        with self.assertRaises(UserError):
            self._wizard("   ").action_check()

    def test_large_import_runs_as_job(self):
        lines = "\n".join(f"JOB-{i:05d},SN-JOB-{i:05d},TWM-01" for i in range(2100))
        wizard = self._wizard(lines).with_context(queue_job__no_delay=True)
        wizard.action_check()
        self.assertEqual(wizard.valid_count, 2100)
        action = wizard.action_import()
        batch = self.env["aftersales.warranty.import.batch"].browse(action["res_id"])
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.done_count, 2100)
        self.assertEqual(batch.progress, 100.0)
        self.assertEqual(self.env["aftersales.warranty"].search_count([("import_batch_id", "=", batch.id)]), 2100)

    def _chunk_cards_and_lots(self, prefix):
        cards = self.env["aftersales.warranty"].search([("name", "like", f"{prefix}-%")])
        lots = self.env["stock.lot"].search([("name", "like", f"SN-{prefix}-%")])
        return cards, lots

    @patch(f"{BATCH_MODULE}.IMPORT_CHUNK", 2)
    def test_error_on_last_line_of_a_later_chunk(self):
        """Lines are validated and created two at a time here: a duplicate on the last line (third chunk) of a
        serial on the first line (first chunk) is still reported with the line it repeats, and blocks the
        whole file."""
        text = "\n".join(
            [
                "CHK-1,SN-CHK-1,TWM-01",
                "CHK-2,SN-CHK-2,TWM-01",
                "CHK-3,SN-CHK-3,TWM-01",
                "CHK-4,SN-CHK-4,TWM-01",
                "CHK-5,SN-CHK-1,TWM-01",  # product serial of line 1
            ]
        )
        wizard = self._wizard(text)
        wizard.action_check()
        self.assertEqual((wizard.line_count, wizard.valid_count, wizard.error_count), (5, 4, 1))
        self.assertEqual(wizard.error_line_ids.line_number, 5)
        self.assertIn("product serial SN-CHK-1 is already on line 1 of the file", wizard.error_line_ids.reason)
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(self._chunk_cards_and_lots("CHK"), (self.env["aftersales.warranty"], self.env["stock.lot"]))

    @patch(f"{BATCH_MODULE}.IMPORT_CHUNK", 2)
    def test_run_import_last_chunk_invalid_writes_nothing(self):
        """The import creates the cards chunk by chunk: when the last line turns out bad (its card registered
        meanwhile), the chunks already created are taken back and the error names that line."""
        lines = [(n, [f"RUN-{n}", f"SN-RUN-{n}", "TWM-01"]) for n in range(1, 6)]
        self._card("RUN-5")  # registered by someone else after the check
        batch = self.env["aftersales.warranty.import.batch"].create({"name": "test", "line_count": 5})
        # no assertRaises: it would roll back to a savepoint of its own, and what is checked here is that the
        # import takes back by itself the chunks it created before the bad line
        try:
            batch._run_import(iter(lines))
        except UserError as error:
            message = str(error)
        else:
            self.fail("the import of a file with a bad last line was not cancelled")
        self.assertIn("nothing was saved: 1 lines", message)
        self.assertIn("Line 5: warranty serial RUN-5 is already registered", message)
        cards, lots = self._chunk_cards_and_lots("RUN")
        self.assertEqual(cards.mapped("name"), ["RUN-5"], "only the card registered by someone else")
        self.assertFalse(lots)

    @patch(f"{WIZARD_MODULE}.BACKGROUND_THRESHOLD", 2)
    def test_large_file_goes_to_the_job_whatever_the_context(self):
        """A large file is imported by the background job: a context key sent over RPC (the former
        ``aftersales_import_sync``) cannot make the web request import it line by line itself."""
        wizard = self._wizard("\n".join(f"SY-{n},SN-SY-{n},TWM-01" for n in range(1, 6))).with_context(
            aftersales_import_sync=True
        )
        wizard.action_check()
        action = wizard.action_import()
        batch = self.env["aftersales.warranty.import.batch"].browse(action["res_id"])
        self.assertEqual(action["res_model"], batch._name, "the batch's form, where the job's progress shows")
        self.assertTrue(batch.job_uuid, "a job was queued")
        self.assertEqual(batch.warranty_count, 0, "nothing imported in the request")
        self.assertTrue(batch.lines_data, "the lines wait for the job")

    @patch(f"{BATCH_MODULE}.IMPORT_CHUNK", 2)
    @patch(f"{WIZARD_MODULE}.BACKGROUND_THRESHOLD", 2)
    def test_job_reads_lines_from_batch(self):
        """The job gets the lines from the batch (not from its JSON arguments), imports them chunk by chunk and
        empties them; when its last line went bad meanwhile, it fails and writes no card."""
        wizard = self._wizard("\n".join(f"JB-{n},SN-JB-{n},TWM-01" for n in range(1, 6))).with_context(
            queue_job__no_delay=True
        )
        wizard.action_check()
        batch = self.env["aftersales.warranty.import.batch"].browse(wizard.action_import()["res_id"])
        self.assertEqual((batch.state, batch.done_count, batch.warranty_count), ("done", 5, 5))
        self.assertFalse(batch.lines_data, "the lines are emptied when the job ends")
        batch._job_import()  # the job requeued by hand after its end
        self.assertEqual((batch.state, batch.done_count, batch.warranty_count), ("done", 5, 5))
        wizard = self._wizard("\n".join(f"JF-{n},SN-JF-{n},TWM-01" for n in range(1, 6))).with_context(
            queue_job__no_delay=True
        )
        wizard.action_check()
        self.assertEqual(wizard.valid_count, 5)
        self._card("JF-5")
        batch = self.env["aftersales.warranty.import.batch"].browse(wizard.action_import()["res_id"])
        self.assertEqual(batch.state, "failed")
        self.assertIn("Line 5: warranty serial JF-5 is already registered", batch.error_message)
        self.assertFalse(batch.lines_data)
        cards, lots = self._chunk_cards_and_lots("JF")
        self.assertEqual(cards.mapped("name"), ["JF-5"])
        self.assertFalse(lots)
