"""QC decisions on the demo's months of closed service orders (see ``repair.order._demo_generate_history``)."""

import random

from odoo import api, models
from odoo.tools import SQL


class AftersalesQcInspection(models.Model):
    _inherit = "aftersales.qc.inspection"

    @api.model
    def _demo_generate_history(self, share=0.4, seed=17):
        """Inspections of the worklogs of the demo's months of closed orders: every
        rejected worklog and a ``share`` of the approved ones, decided by the QC inspector when the work
        ended; then the technicians' monthly scores of those months. Called from the demo data only."""
        rng = random.Random(seed)
        Order = self.env["repair.order"]
        lots = self.env["stock.lot"]
        for company in self.env["res.company"].search([]):
            lots |= Order._demo_history_lots(company)
        worklogs = self.env["aftersales.worklog"].search(
            [("repair_id.lot_id", "in", lots.ids), ("state", "in", ("approved", "rejected"))], order="id"
        )
        if self.search_count([("worklog_id", "in", worklogs.ids)], limit=1):
            return []  # called on every update of the module: decided once
        worklogs = worklogs.filtered(lambda worklog: worklog.state == "rejected" or rng.random() < share)
        if not worklogs:
            return []
        reasons = self.env["aftersales.qc.reject.reason"].search([], order="id")
        inspector = self.env.ref("aftersales_qc.user_qc_inspector", raise_if_not_found=False) or self.env.user
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        inspections = quiet.create(
            [
                {
                    "worklog_id": worklog.id,
                    "trigger": "sample",
                    "reject_reason_id": rng.choice(reasons).id if worklog.state == "rejected" and reasons else False,
                }
                for worklog in worklogs
            ]
        )
        self.env.flush_all()
        # decided in SQL: the decision is dated when the work ended, months ago
        self.env.cr.execute(
            SQL(
                """
                UPDATE aftersales_qc_inspection i
                   SET state = w.state, inspector_id = %(inspector)s, date_decision = w.date_end,
                       create_date = w.date_end, write_date = w.date_end
                  FROM aftersales_worklog w
                 WHERE w.id = i.worklog_id AND i.id = ANY(%(ids)s)
                """,
                inspector=inspector.id,
                ids=inspections.ids,
            )
        )
        self.env.invalidate_all()
        Score = self.env["aftersales.technician.score"]
        technicians = worklogs.technician_id
        scores = Score.browse()
        for day in sorted({Score._month_bounds(worklog.date_end.date())[0] for worklog in worklogs}):
            scores |= Score._get_or_create(technicians, *Score._month_bounds(day))
        scores._recompute_facts()
        return inspections.ids
