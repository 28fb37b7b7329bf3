from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_request_line_count = fields.Integer(
        compute="_compute_aftersales_history_counts", string="Service Requests"
    )
    aftersales_order_count = fields.Integer(compute="_compute_aftersales_history_counts", string="Service Orders")

    def _compute_aftersales_history_counts(self):
        line_rows = self.env["aftersales.request.line"]._read_group(
            [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
        )
        order_rows = self.env["repair.order"]._read_group(
            [("lot_id", "in", self.ids), ("is_aftersales", "=", True)], ["lot_id"], ["__count"]
        )
        lines = {lot.id: count for lot, count in line_rows}
        orders = {lot.id: count for lot, count in order_rows}
        for lot in self:
            lot.aftersales_request_line_count = lines.get(lot.id, 0)
            lot.aftersales_order_count = orders.get(lot.id, 0)

    def action_view_aftersales_request_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.aftersales_request_line_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_aftersales_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.repair_order_action_aftersales")
        action["domain"] = [("lot_id", "=", self.id), ("is_aftersales", "=", True)]
        action["context"] = {"create": False}
        return action
