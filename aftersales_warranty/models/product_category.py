from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_is_serviceable = fields.Boolean(
        "Serviceable by default", help="New products of this category are serviceable with the default warranty type."
    )
    aftersales_warranty_type_id = fields.Many2one("aftersales.warranty.type", "Default warranty type")
