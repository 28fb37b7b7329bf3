from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_qc_enabled = fields.Boolean(
        string="QC Inspections",
        default=False,
        help="Submitted worklogs are sampled for a QC inspection before they are approved. Off until "
        "switched on, so that installing the module does not hold work before inspectors are appointed.",
    )
    aftersales_qc_sample_rate = fields.Integer(
        string="QC Sample (%)",
        default=100,
        help="Share of the submitted worklogs of experienced technicians that get a QC inspection. "
        "New and recently rejected technicians are always inspected.",
    )
    aftersales_qc_new_technician_jobs = fields.Integer(
        string="New Technician Threshold",
        default=5,
        help="A technician with fewer approved worklogs than this is new: all their worklogs are inspected.",
    )
    aftersales_qc_rejection_days = fields.Integer(
        string="Recent Rejection (days)",
        default=30,
        help="A technician with a rejected inspection within these days has all their worklogs inspected.",
    )
    aftersales_ftf_days = fields.Integer(
        string="First-Time-Fix Window (days)",
        default=30,
        help="An order is fixed the first time when it was closed after a single visit and no new "
        "service order was opened on the same serial within these days.",
    )

    _sql_constraints = [
        (
            "aftersales_qc_sample_rate_range",
            "CHECK(aftersales_qc_sample_rate >= 0 AND aftersales_qc_sample_rate <= 100)",
            "The QC sample must be between 0 and 100 percent.",
        ),
    ]
