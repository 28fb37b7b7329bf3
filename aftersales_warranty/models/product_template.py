from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_serviceable = fields.Boolean(
        "Serviceable",
        compute="_compute_is_serviceable",
        store=True,
        readonly=False,
        tracking=True,
        help="Served by the after-sales department; serial-tracked serviceable products get warranty cards "
        "when delivered to a customer.",
    )
    warranty_type_id = fields.Many2one(
        "aftersales.warranty.type",
        "Warranty type",
        compute="_compute_is_serviceable",
        store=True,
        readonly=False,
        tracking=True,
        help="Empty: the default warranty type of the product category applies.",
    )
    aftersales_serial_warning = fields.Boolean(
        compute="_compute_aftersales_serial_warning",
        help="Serviceable but not tracked by unique serial number: no warranty card can follow its units.",
    )

    @api.depends("categ_id")
    def _compute_is_serviceable(self):
        for template in self:
            categ = template.categ_id
            if categ.aftersales_is_serviceable:
                template.is_serviceable = True
                template.warranty_type_id = template.warranty_type_id or categ.aftersales_warranty_type_id
            else:
                template.is_serviceable = template.is_serviceable or False
                template.warranty_type_id = template.warranty_type_id or False

    @api.depends("is_serviceable", "tracking")
    def _compute_aftersales_serial_warning(self):
        for template in self:
            template.aftersales_serial_warning = template.is_serviceable and template.tracking != "serial"

    def _get_aftersales_warranty_type(self):
        """Warranty type of the product: its own, else its category's default (empty when not serviceable)."""
        self.ensure_one()
        if not self.is_serviceable:
            return self.env["aftersales.warranty.type"]
        return self.warranty_type_id or self.categ_id.aftersales_warranty_type_id
