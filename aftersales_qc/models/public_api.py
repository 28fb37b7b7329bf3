"""Public API of QC over Odoo's RPC: decide an inspection, compute a technician's month, as data.

Thin wrappers on the buttons, with the caller's rights; plain data only (see
aftersales_service/models/public_api.py for the conventions).
"""

from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

DECISIONS = ("approve", "reject")


class RepairOrder(models.Model):
    _inherit = "repair.order"

    def _api_status(self):
        status = super()._api_status()
        status.update(qc_status=self.qc_status, qc_inspection_ids=self.qc_inspection_ids.ids)
        return status


class AftersalesQcInspection(models.Model):
    _inherit = "aftersales.qc.inspection"

    def api_decide(self, decision, reason_id=False, note=False, checks=None):
        """Decide this inspection: approve the work, or reject it with a reason (a rework opens).

        Who: QC inspectors, on inspections they may edit (the same checks as the *Approve* and
        *Reject* buttons).

        :param decision: ``"approve"`` or ``"reject"``
        :param reason_id: id of an ``aftersales.qc.reject.reason`` (required to reject)
        :param note: rejection details (text)
        :param checks: optional list of ``{"line_id": id, "result": "pass"|"fail", "measured_value": float,
            "photo": base64, "note": str}`` recorded on the checks first
        :return: ``{"inspection_id", "state", "worklog_id", "worklog_state", "rework_worklog_id", "repair_id",
            "qc_status"}``
        """
        self.ensure_one()
        if decision not in DECISIONS:
            raise UserError(self.env._("The decision is either approve or reject."))
        self._check_inspector()
        self._check_to_do()
        for check in checks or []:
            line_id = check.get("line_id") if isinstance(check, dict) else False
            line = self.line_ids.filtered(lambda item, line_id=line_id: item.id == line_id)
            if not line:
                raise UserError(
                    self.env._("Check %(line)s is not a check of %(name)s.", line=line_id or "-", name=self.name)
                )
            vals = {key: check[key] for key in ("result", "measured_value", "photo", "note") if key in check}
            line.write(vals)
        if decision == "approve":
            self.action_approve()
        else:
            reason = self.env["aftersales.qc.reject.reason"].browse(int(reason_id or 0)).exists()
            if not reason:
                raise UserError(self.env._("Choose a rejection reason before rejecting: %(names)s", names=self.name))
            self.write({"reject_reason_id": reason.id, "reject_note": note or False})
            self.action_reject()
        return {
            "inspection_id": self.id,
            "state": self.state,
            "worklog_id": self.worklog_id.id,
            "worklog_state": self.worklog_id.state,
            "rework_worklog_id": self.rework_worklog_id.id,
            "repair_id": self.repair_id.id,
            "qc_status": self.repair_id.qc_status,
        }


class AftersalesTechnicianScore(models.Model):
    _inherit = "aftersales.technician.score"

    @api.model
    def api_compute_month(self, employee_id, year, month):
        """Create or refresh the score of a technician for a month, in one call.

        Who: users who may create and write scores (after-sales managers). A locked score is returned as
        it is, not recomputed.

        :return: dict ``score_id``, ``technician_id``, ``date_start``, ``date_end``, ``state``, ``score``,
            ``bonus_amount`` and the facts (``jobs_done``, ``time_spent``, ``time_standard``, ``efficiency``,
            ``first_pass_rate``, ``rework_count``, ``sla_compliance``, ``ftf_rate``, ``rating_count``,
            ``rating_avg``, ``date_computed``)
        """
        self.check_access("create")
        self.check_access("write")
        try:
            day = date(int(year), int(month), 1)
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Give a valid year and month.")) from error
        technician = self.env["hr.employee"].browse(int(employee_id or 0)).exists()
        if not technician or not technician.is_technician:
            raise UserError(self.env._("Choose an existing technician."))
        date_start, date_end = self._month_bounds(day)
        score = self._get_or_create(technician, date_start, date_end)
        if score.state == "draft":
            score.action_recompute()
        keys = (
            "jobs_done",
            "time_spent",
            "time_standard",
            "efficiency",
            "first_pass_rate",
            "rework_count",
            "sla_compliance",
            "ftf_rate",
            "rating_count",
            "rating_avg",
            "score",
            "bonus_amount",
            "state",
        )
        result = {key: score[key] for key in keys}
        result.update(
            score_id=score.id,
            technician_id=technician.id,
            date_start=fields.Date.to_string(score.date_start),
            date_end=fields.Date.to_string(score.date_end),
            date_computed=fields.Datetime.to_string(score.date_computed) or False,
        )
        return result
