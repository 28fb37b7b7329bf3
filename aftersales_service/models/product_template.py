from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_service_type_id = fields.Many2one(
        "aftersales.service.type",
        string="After-Sales Service Type",
        help="Confirming a sale of this product creates an after-sales service order of this type "
        "(it turns on 'Create Repair').",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("aftersales_service_type_id"):
                vals["create_repair"] = True
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("aftersales_service_type_id"):
            vals = dict(vals, create_repair=True)
        return super().write(vals)
