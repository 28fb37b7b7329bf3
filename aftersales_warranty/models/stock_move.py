from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        done = moves.filtered(lambda m: m.state == "done" and m.product_id.tracking == "serial")
        if done:
            deliveries = done.filtered(
                lambda m: m.location_dest_id.usage == "customer" and m.location_id.usage != "customer"
            )
            returns = done.filtered(
                lambda m: m.location_id.usage == "customer" and m.location_dest_id.usage != "customer"
            )
            Warranty = self.env["aftersales.warranty"]
            if deliveries:
                Warranty._register_deliveries(deliveries.move_line_ids.filtered(lambda ml: ml.quantity > 0))
            if returns:
                Warranty._register_returns(returns.move_line_ids.filtered(lambda ml: ml.quantity > 0))
        return moves
