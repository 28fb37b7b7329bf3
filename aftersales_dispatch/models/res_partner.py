from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_preferred_technician_id = fields.Many2one(
        "hr.employee",
        string="Preferred Technician",
        domain=[("is_technician", "=", True)],
        index="btree_not_null",
        help="Technician this customer prefers; the dispatch engine gives them a bonus.",
    )
