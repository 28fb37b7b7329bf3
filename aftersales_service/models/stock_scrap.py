from odoo import fields, models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    aftersales_repair_id = fields.Many2one(
        "repair.order",
        string="Service Order",
        index="btree_not_null",
        check_company=True,
        help="Service order whose irreparable part this scrap receipt records.",
    )
