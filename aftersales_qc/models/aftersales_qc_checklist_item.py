from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesQcChecklistItem(models.Model):
    _name = "aftersales.qc.checklist.item"
    _description = "QC Checklist Item"
    _order = "checklist_id, sequence, id"

    checklist_id = fields.Many2one("aftersales.qc.checklist", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="checklist_id.company_id", store=True, index=True, precompute=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True, translate=True)
    instructions = fields.Text(translate=True)
    kind = fields.Selection(
        [("pass_fail", "Pass / Fail"), ("measure", "Measured Value")],
        required=True,
        default="pass_fail",
        help="Pass / Fail: the inspector decides. Measured Value: the inspector records a value, "
        "which passes when it lies between the minimum and the maximum.",
    )
    min_value = fields.Float(string="Minimum")
    max_value = fields.Float(string="Maximum")
    uom_label = fields.Char(string="Unit", help="Unit of the measured value, e.g. V, bar, °C.")
    photo_required = fields.Boolean(help="The inspector must attach a photo to this line.")

    @api.constrains("kind", "min_value", "max_value")
    def _check_limits(self):
        for item in self:
            if item.kind == "measure" and item.min_value > item.max_value:
                raise ValidationError(
                    self.env._(
                        "Checklist item %(item)s: the minimum (%(min)s) is above the maximum (%(max)s).",
                        item=item.name,
                        min=item.min_value,
                        max=item.max_value,
                    )
                )

    def _prepare_inspection_line_vals(self):
        return [
            {
                "item_id": item.id,
                "sequence": item.sequence,
                "name": item.name,
                "kind": item.kind,
                "min_value": item.min_value,
                "max_value": item.max_value,
                "uom_label": item.uom_label,
                "photo_required": item.photo_required,
            }
            for item in self
        ]
