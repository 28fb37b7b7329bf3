from odoo import fields, models


class AftersalesWarrantyImportError(models.TransientModel):
    """A rejected line of a warranty import, with its reason."""

    _name = "aftersales.warranty.import.error"
    _description = "Rejected Import Line"
    _order = "line_number, id"

    wizard_id = fields.Many2one("aftersales.warranty.import", required=True, ondelete="cascade", index=True)
    line_number = fields.Integer("Line")
    content = fields.Char()
    reason = fields.Char(required=True)
    blocking = fields.Boolean(default=True, help="Unchecked: the line is ignored (empty line).")
