from odoo import api, fields, models
from odoo.exceptions import UserError


class ProductTemplateServiceable(models.TransientModel):
    """Make products serviceable, or take them out of service, in one go."""

    _name = "product.template.serviceable"
    _description = "Make Products Serviceable"

    product_tmpl_ids = fields.Many2many("product.template", string="Products", required=True)
    operation = fields.Selection(
        [("add", "Make serviceable"), ("remove", "Remove from service")], required=True, default="add"
    )
    warranty_type_id = fields.Many2one(
        "aftersales.warranty.type", "Warranty type", help="Empty: keep each product's type (or its category's)."
    )
    set_serial_tracking = fields.Boolean(
        "Track by unique serial number",
        default=True,
        help="Warranty by serial needs serial tracking: switch the selected products to it.",
    )
    not_serial_count = fields.Integer(compute="_compute_not_serial_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "product_tmpl_ids" in fields_list and not values.get("product_tmpl_ids"):
            if context.get("active_model") == "product.template":
                values["product_tmpl_ids"] = [fields.Command.set(context.get("active_ids", []))]
            elif context.get("active_model") == "product.product":
                products = self.env["product.product"].browse(context.get("active_ids", []))
                values["product_tmpl_ids"] = [fields.Command.set(products.product_tmpl_id.ids)]
        return values

    @api.depends("product_tmpl_ids")
    def _compute_not_serial_count(self):
        for wizard in self:
            wizard.not_serial_count = len(wizard.product_tmpl_ids.filtered(lambda t: t.tracking != "serial"))

    def action_apply(self):
        self.ensure_one()
        templates = self.product_tmpl_ids
        if self.operation == "remove":
            templates.write({"is_serviceable": False})
            return {"type": "ir.actions.act_window_close"}
        if not self.warranty_type_id:
            missing = templates.filtered(
                lambda t: not t.warranty_type_id and not t.categ_id.aftersales_warranty_type_id
            )
            if missing:
                raise UserError(
                    self.env._(
                        "Choose a warranty type: these products have none, nor has their category: %(products)s",
                        products=", ".join(missing.mapped("display_name")),
                    )
                )
        vals = {"is_serviceable": True}
        if self.warranty_type_id:
            vals["warranty_type_id"] = self.warranty_type_id.id
        templates.write(vals)
        if self.set_serial_tracking:
            to_track = templates.filtered(lambda t: t.tracking != "serial")
            if to_track:
                to_track.write({"is_storable": True, "tracking": "serial"})
        return {"type": "ir.actions.act_window_close"}
