from odoo import models


class AftersalesFailureCause(models.Model):
    _name = "aftersales.failure.cause"
    _inherit = "aftersales.failure.mixin"
    _description = "After-Sales Failure Cause"
    _order = "sequence, name, id"
