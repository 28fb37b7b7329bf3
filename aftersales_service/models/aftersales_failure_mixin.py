from odoo import fields, models


class AftersalesFailureMixin(models.AbstractModel):
    """Shared shape of the failure taxonomy: causes, agents and modes."""

    _name = "aftersales.failure.mixin"
    _description = "After-Sales Failure Taxonomy Entry"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Offered only for products of these categories; empty means all products.",
    )
