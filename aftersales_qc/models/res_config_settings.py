from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_qc_enabled = fields.Boolean(related="company_id.aftersales_qc_enabled", readonly=False)
    aftersales_qc_sample_rate = fields.Integer(related="company_id.aftersales_qc_sample_rate", readonly=False)
    aftersales_qc_new_technician_jobs = fields.Integer(
        related="company_id.aftersales_qc_new_technician_jobs", readonly=False
    )
    aftersales_qc_rejection_days = fields.Integer(related="company_id.aftersales_qc_rejection_days", readonly=False)
    aftersales_ftf_days = fields.Integer(related="company_id.aftersales_ftf_days", readonly=False)
