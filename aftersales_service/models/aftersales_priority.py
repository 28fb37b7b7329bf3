from odoo import fields, models


class AftersalesPriority(models.Model):
    _name = "aftersales.priority"
    _description = "After-Sales Service Priority"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    level = fields.Integer(
        default=0,
        required=True,
        help="Higher is more urgent. Orders with a level of 2 or more are flagged urgent on the repair.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
