from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_renewal_days = fields.Integer(related="company_id.aftersales_renewal_days", readonly=False)
