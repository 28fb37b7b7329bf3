from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_warranty_expense_account_id = fields.Many2one(
        related="company_id.aftersales_warranty_expense_account_id", readonly=False
    )
    aftersales_warranty_location_id = fields.Many2one(related="company_id.aftersales_warranty_location_id")
    aftersales_scrap_recovery_account_id = fields.Many2one(
        related="company_id.aftersales_scrap_recovery_account_id", readonly=False
    )
    aftersales_worklog_auto_approve = fields.Boolean(
        related="company_id.aftersales_worklog_auto_approve", readonly=False
    )
    aftersales_worklog_signature_required = fields.Boolean(
        related="company_id.aftersales_worklog_signature_required", readonly=False
    )
    aftersales_worklog_max_distance = fields.Float(related="company_id.aftersales_worklog_max_distance", readonly=False)
    aftersales_part_request_auto_approve = fields.Boolean(
        related="company_id.aftersales_part_request_auto_approve", readonly=False
    )
