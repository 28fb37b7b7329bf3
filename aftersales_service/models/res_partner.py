from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_tier = fields.Selection(
        [("standard", "Standard"), ("vip", "VIP")],
        string="Service Tier",
        default="standard",
        required=True,
        help="VIP customers get tighter SLA policies and are dispatched first.",
    )
