from odoo import api, fields, models, tools
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_worklog_part_id = fields.Many2one(
        "aftersales.worklog.part",
        string="Worklog Part Line",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    aftersales_worklog_id = fields.Many2one(related="aftersales_worklog_part_id.worklog_id", string="Worklog")
    aftersales_customer_id = fields.Many2one(
        "res.partner",
        string="After-Sales Customer",
        compute="_compute_aftersales_customer_id",
        store=True,
        help="Customer of the after-sales service order of this part line: the part lines the parts "
        "consumption report counts, read without going through the orders.",
    )

    def _auto_init(self):
        """Create and fill the customer column in SQL (the part lines of after-sales orders only) instead of
        an ORM computation over every stock move of the database."""
        created = not column_exists(self.env.cr, self._table, "aftersales_customer_id")
        if created:
            create_column(self.env.cr, self._table, "aftersales_customer_id", "int4")
        res = super()._auto_init()
        if created:
            self.pool.post_init(self._aftersales_fill_customer)
        return res

    def init(self):
        # the done part lines of after-sales orders (parts report) and of repairs by date (forecast, abnormal)
        tools.create_index(
            self.env.cr,
            "stock_move_aftersales_customer_done_idx",
            self._table,
            ["date"],
            where="aftersales_customer_id IS NOT NULL AND state = 'done'",
        )
        tools.create_index(
            self.env.cr,
            "stock_move_repair_add_done_date_idx",
            self._table,
            ["date"],
            where="repair_id IS NOT NULL AND state = 'done' AND repair_line_type = 'add'",
        )
        return super().init()

    @api.depends("repair_id.is_aftersales", "repair_id.partner_id")
    def _compute_aftersales_customer_id(self):
        for move in self:
            move.aftersales_customer_id = move.repair_id.is_aftersales and move.repair_id.partner_id

    def _aftersales_fill_customer(self):
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_move m
                   SET aftersales_customer_id = ro.partner_id
                  FROM repair_order ro
                 WHERE ro.id = m.repair_id
                   AND ro.is_aftersales
                   AND ro.partner_id IS NOT NULL
                """
            )
        )

    @api.depends("repair_id.under_warranty", "repair_id.company_id.aftersales_warranty_location_id")
    def _compute_location_dest_id(self):
        res = super()._compute_location_dest_id()
        for move in self._get_aftersales_warranty_moves():
            move.location_dest_id = move.repair_id.company_id.aftersales_warranty_location_id
        return res

    @api.depends("aftersales_worklog_part_id.location_id")
    def _compute_location_id(self):
        res = super()._compute_location_id()
        # parts consumed on a worklog come from the location the technician took them from
        for move in self.filtered(
            lambda m: m.aftersales_worklog_part_id.location_id and m.repair_line_type == "add" and m.state == "draft"
        ):
            move.location_id = move.aftersales_worklog_part_id.location_id
        return res

    def _get_repair_locations(self, repair_line_type, repair_id=False):
        location_id, location_dest_id = super()._get_repair_locations(repair_line_type, repair_id=repair_id)
        repair = repair_id or self.repair_id[:1]
        if repair_line_type == "add" and repair.under_warranty and repair.company_id.aftersales_warranty_location_id:
            location_dest_id = repair.company_id.aftersales_warranty_location_id
        return location_id, location_dest_id

    def _set_repair_locations(self):
        res = super()._set_repair_locations()
        for move in self.filtered(
            lambda m: m.aftersales_worklog_part_id.location_id and m.repair_line_type == "add" and m.state != "done"
        ):
            move.location_id = move.aftersales_worklog_part_id.location_id
        return res

    def _get_src_account(self, accounts_data):
        """Removed parts received into a Scrap Parts location: the counterpart of their valuation is the
        company's removed parts account (when set), not the stock input account that vendor bills clear."""
        if self.repair_id and self.repair_line_type == "remove":
            account = self.company_id.aftersales_scrap_recovery_account_id
            if account:
                return account.id
        return super()._get_src_account(accounts_data)

    def _get_aftersales_warranty_moves(self):
        """Parts added to a repair under warranty: they go to the Warranty Consumption location, whose
        valuation account is the company's warranty expense account."""
        return self.filtered(
            lambda m: m.repair_id
            and m.repair_line_type == "add"
            and m.state not in ("done", "cancel")
            and m.repair_id.under_warranty
            and m.repair_id.company_id.aftersales_warranty_location_id
        )
