from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_renewal_days = fields.Integer(
        "Extended warranty offer (days before end)",
        default=30,
        help="Active warranty cards ending within this many days get one extended-warranty opportunity in CRM. "
        "0 disables the offers.",
    )
