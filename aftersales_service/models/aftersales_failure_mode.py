from odoo import models


class AftersalesFailureMode(models.Model):
    _name = "aftersales.failure.mode"
    _inherit = "aftersales.failure.mixin"
    _description = "After-Sales Failure Mode"
    _order = "sequence, name, id"
