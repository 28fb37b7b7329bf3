from odoo import api, fields, models
from odoo.exceptions import AccessError

QC_FIELDS = (
    "aftersales_qc_enabled",
    "aftersales_qc_sample_rate",
    "aftersales_qc_new_technician_jobs",
    "aftersales_qc_rejection_days",
    "aftersales_ftf_days",
)


class ResCompanyQcSettings(models.TransientModel):
    """The company's QC switches for an after-sales manager: Odoo's General Settings are the
    administrator's only (res.config.settings refuses anybody else), yet switching QC on and choosing
    the sample is the manager's call."""

    _name = "res.company.qc.settings"
    _description = "After-Sales QC Settings"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env.company
        values.update({name: company[name] for name in QC_FIELDS if name in fields_list})
        return values

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, readonly=True, required=True)
    aftersales_qc_enabled = fields.Boolean(
        string="QC Inspections", help="Submitted worklogs are sampled for a QC inspection before they are approved."
    )
    aftersales_qc_sample_rate = fields.Integer(
        string="QC Sample (%)",
        help="Share of the submitted worklogs of experienced technicians that get a QC inspection. "
        "New and recently rejected technicians are always inspected.",
    )
    aftersales_qc_new_technician_jobs = fields.Integer(
        string="New Technician Threshold",
        help="A technician with fewer approved worklogs than this is new: all their worklogs are inspected.",
    )
    aftersales_qc_rejection_days = fields.Integer(
        string="Recent Rejection (days)",
        help="A technician with a rejected inspection within these days has all their worklogs inspected.",
    )
    aftersales_ftf_days = fields.Integer(
        string="First-Time-Fix Window (days)",
        help="Days after closing in which a new order on the same serial counts as a repeat failure.",
    )

    def action_save(self):
        self.ensure_one()
        if not self.env.user.has_group("aftersales_warranty.group_aftersales_manager"):
            raise AccessError(self.env._("Only after-sales managers can change the QC settings."))
        if self.company_id not in self.env.companies:
            raise AccessError(
                self.env._("You cannot change the settings of %(company)s.", company=self.company_id.name)
            )
        # sudo: the manager was checked above and may not write companies; only the QC fields are written
        self.company_id.sudo().write({name: self[name] for name in QC_FIELDS})
        return {"type": "ir.actions.client", "tag": "soft_reload"}
