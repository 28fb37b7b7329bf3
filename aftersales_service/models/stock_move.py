from odoo import api, fields, models


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
