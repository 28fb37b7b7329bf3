import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.aftersales_warranty.tools import read_csv_rows, read_xlsx_rows

HEADER_WORDS = {"code", "serial", "serial number", "warranty serial", "کد", "سریال", "شماره سریال"}


class AftersalesRequestAddUnits(models.TransientModel):
    _name = "aftersales.request.add.units"
    _inherit = ["aftersales.wizard.mixin"]
    _description = "Add Units to a Service Request in Batch"

    request_id = fields.Many2one("aftersales.request", required=True, ondelete="cascade")
    input_mode = fields.Selection(
        [("paste", "Paste codes"), ("file", "Upload CSV / XLSX")],
        default="paste",
        required=True,
    )
    codes_text = fields.Text(
        string="Codes",
        help="One unit per line: a warranty serial, a product serial or a product code, optionally followed "
        "by a comma or tab and the failure description.",
    )
    file = fields.Binary(attachment=False)
    filename = fields.Char()
    state = fields.Selection([("input", "Input"), ("error", "Errors")], default="input", required=True)
    error_count = fields.Integer(readonly=True)
    error_report = fields.Text(readonly=True)

    @api.model
    def _get_async_threshold(self):
        param = self.env["ir.config_parameter"].sudo().get_param("aftersales_service.batch_async_threshold")
        return int(param or 2000)

    def action_add_units(self):
        """Resolve every code with one lookup; if any line is bad, report all bad lines and create
        nothing; otherwise create all lines in one batch (in a background job above the threshold)."""
        self.ensure_one()
        request = self.request_id
        request._check_can_add_units()
        entries = self._parse_entries()
        if not entries:
            raise UserError(self.env._("There is no code to add."))
        if len(entries) > self._get_async_threshold():
            request.with_delay(
                description=self.env._("Add %(count)s units to %(name)s", count=len(entries), name=request.name)
            )._job_add_unit_entries(entries)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "%(count)s units are being added in the background; the result is posted on the request.",
                        count=len(entries),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        dummy, errors = request._add_unit_entries(entries)
        if errors:
            self.write(
                {
                    "state": "error",
                    "error_count": len(errors),
                    "error_report": "\n".join(error["reason"] for error in errors),
                }
            )
            return self._reopen_action(self.env._("Add Units"))
        return {"type": "ir.actions.act_window_close"}

    def action_back(self):
        self.ensure_one()
        self.write({"state": "input", "error_report": False, "error_count": 0})
        return self._reopen_action(self.env._("Add Units"))

    # ------------------------------------------------------------ parsing

    def _parse_entries(self):
        """Return ``[{'line_no', 'code', 'failure_description'}]`` from the pasted text or the file."""
        if self.input_mode == "file":
            if not self.file:
                raise UserError(self.env._("Upload a CSV or XLSX file."))
            rows = self._read_file_rows(base64.b64decode(self.file), self.filename or "")
        else:
            rows = self._read_text_rows(self.codes_text or "")
        entries = []
        for line_no, cells in rows:
            cells = [str(cell).strip() if cell is not None else "" for cell in cells]
            if not cells or not cells[0]:
                continue
            if not entries and cells[0].lower() in HEADER_WORDS:
                continue
            entries.append(
                {
                    "line_no": line_no,
                    "code": cells[0],
                    "failure_description": cells[1] if len(cells) > 1 and cells[1] else False,
                }
            )
        return entries

    @api.model
    def _read_text_rows(self, text):
        rows = []
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            for separator in ("\t", ";", ","):
                if separator in line:
                    rows.append((line_no, line.split(separator, 1)))
                    break
            else:
                rows.append((line_no, [line]))
        return rows

    @api.model
    def _read_file_rows(self, content, filename):
        if filename.lower().endswith((".xlsx", ".xlsm")):
            return [(row_no, list(values)) for row_no, values in read_xlsx_rows(self.env, content) if values]
        return [(row_no, row) for row_no, row in read_csv_rows(self.env, content) if row]
