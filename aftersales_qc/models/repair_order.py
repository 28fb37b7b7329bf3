from odoo import api, fields, models
from odoo.exceptions import UserError


class RepairOrder(models.Model):
    _inherit = "repair.order"

    qc_inspection_ids = fields.One2many("aftersales.qc.inspection", "repair_id", string="QC Inspections")
    qc_inspection_count = fields.Integer(compute="_compute_qc_figures", string="Inspections")
    qc_rework_count = fields.Integer(
        compute="_compute_qc_figures",
        string="Reworks",
        help="How many times QC sent the work of this order back to the technician.",
    )
    qc_status = fields.Selection(
        [
            ("none", "Not Inspected"),
            ("pending", "Waiting for QC"),
            ("rework", "Rework"),
            ("approved", "QC Approved"),
        ],
        compute="_compute_qc_figures",
        string="QC Status",
        help="Waiting for QC and Rework block closing the order.",
    )

    @api.depends("qc_inspection_ids.state")
    def _compute_qc_figures(self):
        # Counts and status only, on orders the user can already read: stock users without an
        # after-sales group (native repairs) must still be able to close their orders.
        groups = (
            self.env["aftersales.qc.inspection"]
            .sudo()
            ._read_group(
                [("repair_id", "in", self.ids)],
                ["repair_id", "state"],
                ["__count", "date_decision:max"],
            )
        )
        figures = {}
        for repair, state, count, date_decision in groups:
            figures.setdefault(repair.id, {})[state] = (count, date_decision)
        for repair in self:
            by_state = figures.get(repair.id, {})
            repair.qc_inspection_count = sum(count for count, _date in by_state.values())
            repair.qc_rework_count = by_state.get("rejected", (0, None))[0]
            approved = by_state.get("approved", (0, None))[1]
            rejected = by_state.get("rejected", (0, None))[1]
            if "to_do" in by_state:
                repair.qc_status = "pending"
            elif rejected and (not approved or rejected > approved):
                repair.qc_status = "rework"
            elif approved:
                repair.qc_status = "approved"
            else:
                repair.qc_status = "none"

    def action_repair_done(self):
        blocked = self.filtered(lambda r: r.qc_status in ("pending", "rework"))
        if blocked:
            raise UserError(
                self.env._(
                    "These service orders wait for QC approval and cannot be closed yet: %(names)s",
                    names=", ".join(blocked.mapped("name")),
                )
            )
        return super().action_repair_done()

    def action_view_qc_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_qc.aftersales_qc_inspection_action")
        action["domain"] = [("repair_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------ public API (RPC)

    def _api_status(self):
        status = super()._api_status()
        status.update(qc_status=self.qc_status, qc_inspection_ids=self.qc_inspection_ids.ids)
        return status
