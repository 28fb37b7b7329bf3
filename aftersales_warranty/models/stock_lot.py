from odoo import api, fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    warranty_ids = fields.One2many("aftersales.warranty", "lot_id", "Warranty cards")
    warranty_id = fields.Many2one(
        "aftersales.warranty",
        "Warranty card",
        compute="_compute_warranty_id",
        search="_search_warranty_id",
        help="The current warranty card of the serial: the latest card that is not void.",
    )
    warranty_state = fields.Selection(related="warranty_id.state", string="Warranty state")
    warranty_date_end = fields.Date(related="warranty_id.date_end", string="Warranty end")
    warranty_under = fields.Boolean(related="warranty_id.under_warranty", string="Under warranty")

    @api.depends("warranty_ids.state")
    def _compute_warranty_id(self):
        self.warranty_id = False
        cards = self.env["aftersales.warranty"].search(
            [("lot_id", "in", self.ids), ("state", "!=", "void")], order="id desc"
        )
        current = {}
        for card in cards:
            current.setdefault(card.lot_id.id, card)
        for lot in self:
            if lot.id in current:
                lot.warranty_id = current[lot.id]

    def _search_warranty_id(self, operator, value):
        return [("warranty_ids", operator, value)]

    def action_view_warranty(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_warranty.aftersales_warranty_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id, "default_product_id": self.product_id.id}
        if len(self.warranty_ids) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=self.warranty_ids.id)
        return action
