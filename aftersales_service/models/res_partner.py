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
    aftersales_preferred_technician_id = fields.Many2one(
        "hr.employee",
        string="Preferred Technician",
        domain=[("is_technician", "=", True)],
        index="btree_not_null",
        help="Technician this customer prefers; the dispatch engine gives them a bonus.",
    )
