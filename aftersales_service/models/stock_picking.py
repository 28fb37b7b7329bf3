from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_repair_id = fields.Many2one(
        "repair.order",
        string="Service Order",
        index="btree_not_null",
        check_company=True,
        copy=False,
        help="Service order for which parts are issued to or returned from a technician.",
    )
    aftersales_consignment_type = fields.Selection(
        [("issue", "Issue to Technician"), ("return", "Return from Technician")],
        string="Consignment",
        copy=False,
        index="btree_not_null",
    )
    aftersales_part_request_id = fields.Many2one(
        "aftersales.part.request",
        string="Part Request",
        index="btree_not_null",
        copy=False,
        check_company=True,
    )
