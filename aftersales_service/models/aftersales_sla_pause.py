from odoo import fields, models


class AftersalesSlaPause(models.Model):
    _name = "aftersales.sla.pause"
    _description = "After-Sales SLA Pause"
    _order = "date_start desc, id desc"

    order_id = fields.Many2one("repair.order", required=True, index=True, ondelete="cascade", string="Service Order")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    reason = fields.Selection([("parts", "Waiting for Parts"), ("customer", "Waiting for Customer")], required=True)
    date_start = fields.Datetime(string="Paused On", required=True)
    date_end = fields.Datetime(string="Resumed On")
    before_response = fields.Boolean(
        help="The order had no technician's answer yet when the pause ended: the response deadline moves too."
    )
    duration_hours = fields.Float(
        string="Paused Working Hours", help="Working hours of the SLA calendar between pause and resume."
    )
