from odoo import fields, models


class AftersalesWarrantyVoid(models.TransientModel):
    """Void warranty cards with a reason."""

    _name = "aftersales.warranty.void"
    _description = "Void Warranty Cards"

    warranty_ids = fields.Many2many("aftersales.warranty", string="Warranty cards", required=True)
    reason = fields.Text(required=True)

    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            "warranty_ids" in fields_list
            and not values.get("warranty_ids")
            and self.env.context.get("active_model") == "aftersales.warranty"
        ):
            values["warranty_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        self.warranty_ids._action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
