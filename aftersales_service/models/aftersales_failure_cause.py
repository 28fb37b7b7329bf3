from odoo import fields, models


class AftersalesFailureCause(models.Model):
    _name = "aftersales.failure.cause"
    _description = "After-Sales Failure Cause"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    product_categ_ids = fields.Many2many(
        "product.category",
        "aftersales_failure_cause_product_categ_rel",
        "failure_cause_id",
        "categ_id",
        string="Product Categories",
        help="Offered only for products of these categories; empty means all products.",
    )
