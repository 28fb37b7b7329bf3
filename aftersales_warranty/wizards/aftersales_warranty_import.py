import base64
import datetime
import io
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.aftersales_warranty_import_batch import HEADER_WORDS, dump_import_lines, iter_import_lines
from ..tools import iter_csv_rows, normalize_code, read_xlsx_rows

# above this many lines the import runs as a background job
BACKGROUND_THRESHOLD = 2000


class AftersalesWarrantyImport(models.TransientModel):
    """Import warranty serials from pasted text, a CSV or an XLSX file."""

    _name = "aftersales.warranty.import"
    _inherit = ["aftersales.wizard.mixin"]
    _description = "Import Warranty Serials"

    input_mode = fields.Selection([("file", "Upload a file"), ("text", "Paste lines")], required=True, default="file")
    file = fields.Binary(attachment=False, help="CSV (UTF-8, comma, semicolon or tab) or XLSX.")
    filename = fields.Char()
    text = fields.Text(
        "Lines",
        help="One line per card: warranty serial, product serial, product code, customer (optional), "
        "start date (optional), separated by commas, semicolons or tabs.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    state = fields.Selection([("draft", "Draft"), ("checked", "Checked")], default="draft", required=True)
    line_count = fields.Integer("Lines read", readonly=True)
    valid_count = fields.Integer("Good lines", readonly=True)
    error_count = fields.Integer("Bad lines", readonly=True)
    ignored_count = fields.Integer("Ignored lines", readonly=True)
    error_line_ids = fields.One2many("aftersales.warranty.import.error", "wizard_id", "Rejected lines", readonly=True)
    # the good lines, one JSON array a line (see dump_import_lines); never prefetched: 70 MB for a million
    lines_json = fields.Text(readonly=True, prefetch=False)

    # ------------------------------------------------------------------ reading
    def _read_lines(self):
        """Return ``[(line_number, [cells])]`` from the pasted text or the uploaded file."""
        return list(self._iter_lines())

    def _iter_lines(self):
        """The ``(line_number, [cells])`` of the pasted text or the uploaded file, one at a time (a CSV file
        is read line by line: a million lines are not held as a list); errors in the file are raised while
        iterating."""
        self.ensure_one()
        if self.input_mode == "text":
            if not (self.text or "").strip():
                raise UserError(self.env._("Paste at least one line to import."))
            return self._parse_csv(self.text)
        if not self.file:
            raise UserError(self.env._("Choose a CSV or XLSX file to import."))
        data = base64.b64decode(self.file)
        self.invalidate_recordset(["file"])  # the base64 text in the cache: a third more than the file
        name = (self.filename or "").lower()
        if name.endswith(".xls") and not data.startswith(b"PK"):
            raise UserError(self.env._("Old Excel files (.xls) are not supported: save the file as XLSX or CSV."))
        if name.endswith(".xlsx") or data.startswith(b"PK"):
            return self._parse_xlsx(data)
        return self._parse_csv(data)

    def _parse_csv(self, content):
        return self._drop_header(iter_csv_rows(self.env, content))

    def _parse_xlsx(self, data):
        rows = read_xlsx_rows(self.env, data)
        return self._drop_header((number, [self._xlsx_cell(value) for value in values]) for number, values in rows)

    @staticmethod
    def _xlsx_cell(value):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    @staticmethod
    def _drop_header(lines):
        lines = iter(lines)
        first = next(lines, None)
        if first is not None and not (first[1] and normalize_code(first[1][0]) in HEADER_WORDS):
            yield first
        yield from lines

    # ------------------------------------------------------------------ actions
    def action_check(self):
        """Read and validate every line; show the rejected lines with their reason.

        The file is read, validated and its good lines kept chunk by chunk (``IMPORT_CHUNK`` lines): the
        wizard holds the serials seen so far (for the duplicates within the file) and the rejected lines,
        not a dict per line.
        """
        self.ensure_one()
        Batch = self.env["aftersales.warranty.import.batch"].with_company(self.company_id)
        line_count = valid_count = 0
        filled = False
        errors = []
        good = io.StringIO()
        for chunk, valid, chunk_errors in Batch._validate_chunks(self._iter_lines(), self.company_id):
            line_count += len(chunk)
            valid_count += len(valid)
            filled = filled or any(str(cell).strip() for _number, cells in chunk for cell in cells)
            valid_numbers = {row["line"] for row in valid}
            dump_import_lines((line for line in chunk if line[0] in valid_numbers), good)
            errors += chunk_errors
        if not filled:
            raise UserError(self.env._("The file has no line to import."))
        errors.sort(key=lambda e: e[0])
        good_lines = good.getvalue()
        good.close()  # one copy of the good lines, not two, while they are written
        self.error_line_ids.unlink()
        self.write(
            {
                "state": "checked",
                "line_count": line_count,
                "valid_count": valid_count,
                "error_count": len([e for e in errors if e[3]]),
                "ignored_count": len([e for e in errors if not e[3]]),
                "error_line_ids": [
                    fields.Command.create(
                        {"line_number": number, "content": content[:250], "reason": reason, "blocking": blocking}
                    )
                    for number, content, reason, blocking in errors
                ],
                "lines_json": good_lines,
            }
        )
        return self._reopen()

    def action_import(self):
        """Import when every line is good (ignored empty lines aside)."""
        self.ensure_one()
        if self.state != "checked":
            self.action_check()
        if self.error_count:
            raise UserError(
                self.env._(
                    "%(count)s lines are rejected: fix the file, or import the good lines only.",
                    count=self.error_count,
                )
            )
        return self._launch()

    def action_import_good(self):
        """Import only the good lines; the rejected ones are left out."""
        self.ensure_one()
        if self.state != "checked":
            self.action_check()
        return self._launch()

    def action_reset(self):
        self.ensure_one()
        self.error_line_ids.unlink()
        self.write({"state": "draft", "line_count": 0, "valid_count": 0, "error_count": 0, "lines_json": False})
        return self._reopen()

    def _launch(self):
        lines_data = self.lines_json or ""
        if lines_data.startswith("[["):  # checked before the good lines were stored one a line
            lines_data = "".join(f"{json.dumps(line)}\n" for line in json.loads(lines_data))
        line_count = lines_data.count("\n")
        if not line_count:
            raise UserError(self.env._("There is no good line to import."))
        batch = (
            self.env["aftersales.warranty.import.batch"]
            .with_company(self.company_id)
            .create(
                {
                    "name": self.filename or self.env._("Pasted lines"),
                    "line_count": line_count,
                    "company_id": self.company_id.id,
                }
            )
        )
        if line_count > BACKGROUND_THRESHOLD:
            # the lines go to the batch, not into the job's arguments (queue_job stores and reads those as
            # one JSON document); the job reads them one at a time and empties the field when it ends
            batch.lines_data = lines_data
            job = batch.with_delay(
                description=self.env._("Import %(count)s warranty serials", count=line_count)
            )._job_import()
            batch.job_uuid = getattr(job, "uuid", False)
            return {
                "type": "ir.actions.act_window",
                "res_model": batch._name,
                "res_id": batch.id,
                "view_mode": "form",
                "target": "current",
            }
        batch._run_import(iter_import_lines(lines_data))
        return batch.action_view_warranties()

    def _reopen(self):
        return self._reopen_action(self.env._("Import warranty serials"))

    @api.onchange("file", "text", "input_mode")
    def _onchange_input(self):
        if self.state == "checked":
            self.state = "draft"
