from odoo import fields, models


class RepairOrderDispatchDecline(models.TransientModel):
    _name = "repair.order.dispatch.decline"
    _description = "Decline a Service Order Offer"

    order_id = fields.Many2one("repair.order", string="Service Order", required=True)
    reason = fields.Text(required=True, help="Why the job is declined; it is logged on the order.")

    def action_confirm(self):
        self.ensure_one()
        self.order_id.action_dispatch_decline(self.reason)
        return {"type": "ir.actions.act_window_close"}
