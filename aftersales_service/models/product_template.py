from odoo import api, fields, models
from odoo.osv import expression


class ProductTemplate(models.Model):
    """The after-sales service type a sale of the product creates, and which devices a spare part fits.

    A part fits a device when the part is universal, when the device's template is one of the part's
    compatible products, or when the device's category is (a child of) one of the part's compatible
    categories. A part with none of these fits nothing, so a technician cannot book it by mistake.
    """

    _inherit = "product.template"

    # ------------------------------------------------------------ fields

    aftersales_service_type_id = fields.Many2one(
        "aftersales.service.type",
        string="After-Sales Service Type",
        help="Confirming a sale of this product creates an after-sales service order of this type "
        "(it turns on 'Create Repair').",
    )

    aftersales_fits_all_products = fields.Boolean(
        string="Universal Part",
        help="This part (screws, cables, consumables ...) fits every serviced product.",
    )
    aftersales_compatible_product_ids = fields.Many2many(
        "product.template",
        "aftersales_part_compatible_product_rel",
        "part_tmpl_id",
        "product_tmpl_id",
        string="Fits Products",
        help="Serviced products this spare part can be fitted to.",
    )
    aftersales_compatible_categ_ids = fields.Many2many(
        "product.category",
        "aftersales_part_compatible_categ_rel",
        "part_tmpl_id",
        "categ_id",
        string="Fits Product Categories",
        help="The part fits every product of these categories and of their sub-categories.",
    )

    # ------------------------------------------------------------ CRUD

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

    # ------------------------------------------------------------ business

    def _get_aftersales_compatible_parts_domain(self, device):
        """Domain on product.product of the parts that fit ``device`` (a product.product)."""
        base = [("type", "=", "consu")]
        if not device:
            return expression.AND([base, [("aftersales_fits_all_products", "=", True)]])
        return expression.AND(
            [
                base,
                [
                    "|",
                    "|",
                    ("aftersales_fits_all_products", "=", True),
                    ("aftersales_compatible_product_ids", "in", device.product_tmpl_id.ids),
                    ("aftersales_compatible_categ_ids", "parent_of", device.categ_id.ids),
                ],
            ]
        )

    def _aftersales_fits(self, device):
        """True when every part template of ``self`` fits ``device`` (a product.product)."""
        for part in self:
            if part.aftersales_fits_all_products:
                continue
            if device.product_tmpl_id in part.aftersales_compatible_product_ids:
                continue
            categ_ids = set(device.categ_id.parent_path.split("/")[:-1]) if device.categ_id else set()
            if categ_ids & {str(cid) for cid in part.aftersales_compatible_categ_ids.ids}:
                continue
            return False
        return True
