from odoo import fields, models


class AftersalesQcRejectReason(models.Model):
    _name = "aftersales.qc.reject.reason"
    _description = "QC Rejection Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
