from odoo import models


class AftersalesFailureAgent(models.Model):
    _name = "aftersales.failure.agent"
    _inherit = "aftersales.failure.mixin"
    _description = "After-Sales Failure Agent"
    _order = "sequence, name, id"
