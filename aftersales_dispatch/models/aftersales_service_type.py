from odoo import fields, models


class AftersalesServiceType(models.Model):
    _inherit = "aftersales.service.type"

    auto_dispatch = fields.Boolean(
        string="Automatic Dispatch",
        help="Service orders of this type are assigned to the best technician as soon as they are received; "
        "unanswered or declined offers go to the next best technician.",
    )
