from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesQcInspectionLine(models.Model):
    _name = "aftersales.qc.inspection.line"
    _description = "QC Inspection Check"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one("aftersales.qc.inspection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="inspection_id.company_id", store=True, index=True, precompute=True)
    item_id = fields.Many2one("aftersales.qc.checklist.item", string="Checklist Item", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True)
    kind = fields.Selection(
        [("pass_fail", "Pass / Fail"), ("measure", "Measured Value")],
        required=True,
        default="pass_fail",
    )
    min_value = fields.Float(string="Minimum", readonly=True)
    max_value = fields.Float(string="Maximum", readonly=True)
    uom_label = fields.Char(string="Unit", readonly=True)
    photo_required = fields.Boolean(readonly=True)
    measured_value = fields.Float()
    is_measured = fields.Boolean(
        string="Measured",
        help="Ticked as soon as a value is recorded (tick it by hand to record a value of zero).",
    )
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")],
        compute="_compute_result",
        store=True,
        readonly=False,
        help="Pass / Fail checks are decided by the inspector; measured checks pass when the value "
        "lies between the minimum and the maximum.",
    )
    photo = fields.Image(max_width=1920, max_height=1920, attachment=True)
    note = fields.Char()
    state = fields.Selection(related="inspection_id.state")

    @api.depends("kind", "is_measured", "measured_value", "min_value", "max_value")
    def _compute_result(self):
        for line in self:
            if line.kind != "measure":
                line.result = line.result
            elif not line.is_measured:
                line.result = False
            elif line.min_value <= line.measured_value <= line.max_value:
                line.result = "pass"
            else:
                line.result = "fail"

    @api.onchange("measured_value")
    def _onchange_measured_value(self):
        for line in self:
            if line.kind == "measure":
                line.is_measured = True

    def write(self, vals):
        decided = self.inspection_id.filtered(lambda i: i.state != "to_do")
        if decided:
            raise UserError(
                self.env._(
                    "The checks of decided inspections cannot be changed: %(names)s",
                    names=", ".join(decided.mapped("name")),
                )
            )
        if "measured_value" in vals and "is_measured" not in vals:
            vals = dict(vals, is_measured=True)
        return super().write(vals)
