from odoo import fields, models


class AftersalesFailureAgent(models.Model):
    _name = "aftersales.failure.agent"
    _description = "After-Sales Failure Agent"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    product_categ_ids = fields.Many2many(
        "product.category",
        "aftersales_failure_agent_product_categ_rel",
        "failure_agent_id",
        "categ_id",
        string="Product Categories",
        help="Offered only for products of these categories; empty means all products.",
    )
