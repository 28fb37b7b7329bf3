from odoo import api, models


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"

    @api.depends(
        "state",
        "repair_ids.state",
        "repair_ids.technician_id",
        "repair_ids.date_accepted",
        "repair_ids.dispatch_state",
        "repair_ids.date_on_the_way",
        "repair_ids.waiting_reason",
    )
    def _compute_customer_status(self):
        # the customer status of an order also reads its dispatch state and travel (see repair.order)
        return super()._compute_customer_status()
