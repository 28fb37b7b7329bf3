from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    aftersales_warranty_id = fields.Many2one(
        "aftersales.warranty", "Warranty card", index="btree_not_null", ondelete="set null", copy=False
    )
