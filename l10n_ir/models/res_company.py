from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_ir_national_id = fields.Char(related="partner_id.l10n_ir_national_id", readonly=False)
    l10n_ir_economic_code = fields.Char(related="partner_id.l10n_ir_economic_code", readonly=False)
