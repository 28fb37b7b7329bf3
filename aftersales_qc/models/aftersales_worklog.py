import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesWorklog(models.Model):
    _inherit = "aftersales.worklog"

    qc_inspection_ids = fields.One2many("aftersales.qc.inspection", "worklog_id", string="QC Inspections")
    qc_inspection_count = fields.Integer(compute="_compute_qc_inspection_count", string="Inspections")
    qc_pending = fields.Boolean(
        compute="_compute_qc_inspection_count",
        string="Waiting for QC",
        help="A QC inspection of this worklog is not decided yet.",
    )
    qc_trigger = fields.Selection(
        [
            ("new_technician", "New Technician"),
            ("recent_rejection", "Recently Rejected Technician"),
            ("sample", "Sample"),
            ("not_sampled", "Not Sampled"),
            ("disabled", "QC Disabled"),
        ],
        string="QC Sampling",
        readonly=True,
        copy=False,
        help="How the QC sampling treated this worklog when it was submitted.",
    )
    approval_mode = fields.Selection(
        selection_add=[("qc", "Quality Control")],
        ondelete={"qc": "set null"},
    )
    qc_rework_of_id = fields.Many2one(
        "aftersales.worklog",
        string="Rework Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The rejected worklog this worklog reworks.",
    )

    @api.depends("qc_inspection_ids.state")
    def _compute_qc_inspection_count(self):
        groups = (
            self.env["aftersales.qc.inspection"]
            .sudo()
            ._read_group([("worklog_id", "in", self.ids)], ["worklog_id", "state"], ["__count"])
        )
        counts, pending = {}, set()
        for worklog, state, count in groups:
            counts[worklog.id] = counts.get(worklog.id, 0) + count
            if state == "to_do":
                pending.add(worklog.id)
        for worklog in self:
            worklog.qc_inspection_count = counts.get(worklog.id, 0)
            worklog.qc_pending = worklog.id in pending

    # ------------------------------------------------------------ CRUD
    def _aftersales_protected_fields(self):
        """The QC sampling outcome and the rework link are recorded by the system only."""
        return (*super()._aftersales_protected_fields(), "qc_trigger", "qc_rework_of_id")

    # ------------------------------------------------------------ actions
    def action_approve(self):
        waiting = self.filtered(lambda w: "to_do" in w.qc_inspection_ids.mapped("state"))
        if waiting:
            raise UserError(
                self.env._(
                    "These worklogs wait for their QC inspection; the QC inspector approves them: %(names)s",
                    names=", ".join(waiting.mapped("display_name")),
                )
            )
        return super().action_approve()

    def action_view_qc_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_qc.aftersales_qc_inspection_action")
        action["domain"] = [("worklog_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------ QC hooks
    def _qc_approve(self):
        """Approve the worklogs whose QC inspection passed. Only called by the inspection's
        ``action_approve`` after its own checks (inspector, line checks); the QC decision is the approval."""
        self._check_approvable()
        return self._action_approve(mode="qc")

    def _get_auto_approval_note(self):
        """A worklog QC left out of its sample says so; with QC off the note is the base one."""
        if self.qc_trigger == "not_sampled":
            return self.env._(
                "Approved automatically: QC did not sample this worklog and the company approves "
                "worklogs on submission."
            )
        return super()._get_auto_approval_note()

    def _get_approval_note(self, mode):
        if mode == "qc":
            return self.env._("Approved by %(user)s after the QC inspection.", user=self.env.user.name)
        return super()._get_approval_note(mode)

    def _is_auto_approved(self):
        """A worklog waiting for its QC inspection is never approved automatically."""
        if "to_do" in self.qc_inspection_ids.mapped("state"):
            return False
        return super()._is_auto_approved()

    def _on_submitted(self):
        """Sample the submitted worklogs: the picked ones get a QC inspection and wait for it;
        the others follow the normal path (company auto-approval or a dispatcher)."""
        triggers = self._qc_get_triggers()
        # The submitted worklog is no longer the technician's to write; the sampling outcome is
        # recorded by the system.
        for trigger in set(triggers.values()):
            self.filtered(lambda w, t=trigger: triggers[w.id] == t).sudo().qc_trigger = trigger
        to_inspect = self.filtered(lambda w: triggers[w.id] in ("new_technician", "recent_rejection", "sample"))
        if to_inspect:
            to_inspect._qc_create_inspections(triggers)
        return super()._on_submitted()

    def _qc_sample_bucket(self):
        """Deterministic number in [0, 100) for this worklog: a hash of its id."""
        self.ensure_one()
        digest = hashlib.sha256(f"aftersales.worklog:{self.id}".encode()).hexdigest()
        return int(digest, 16) % 100

    def _qc_get_triggers(self):
        """Return {worklog id: trigger} for the worklogs, in a fixed number of queries."""
        Inspection = self.env["aftersales.qc.inspection"].sudo()
        technicians = self.technician_id
        approved_counts = dict(
            self.sudo()._read_group(
                [("technician_id", "in", technicians.ids), ("state", "=", "approved")],
                ["technician_id"],
                ["__count"],
            )
        )
        now = fields.Datetime.now()
        max_days = max(self.company_id.mapped("aftersales_qc_rejection_days") or [0])
        last_rejections = dict(
            Inspection._read_group(
                [
                    ("technician_id", "in", technicians.ids),
                    ("state", "=", "rejected"),
                    ("date_decision", ">=", now - timedelta(days=max_days)),
                ],
                ["technician_id"],
                ["date_decision:max"],
            )
        )
        triggers = {}
        for worklog in self:
            company = worklog.company_id or self.env.company
            technician = worklog.technician_id
            last_rejection = last_rejections.get(technician)
            if not company.aftersales_qc_enabled:
                triggers[worklog.id] = "disabled"
            elif approved_counts.get(technician, 0) < company.aftersales_qc_new_technician_jobs:
                triggers[worklog.id] = "new_technician"
            elif last_rejection and last_rejection >= now - timedelta(days=company.aftersales_qc_rejection_days):
                triggers[worklog.id] = "recent_rejection"
            elif worklog._qc_sample_bucket() < company.aftersales_qc_sample_rate:
                triggers[worklog.id] = "sample"
            else:
                triggers[worklog.id] = "not_sampled"
        return triggers

    def _qc_create_inspections(self, triggers):
        repairs = self.repair_id
        checklists = {}
        for company in self.company_id or self.env.company:
            checklists[company.id] = (
                self.env["aftersales.qc.checklist"].sudo()._get_for_service_types(repairs.service_type_id, company)
            )
        vals_list = []
        for worklog in self:
            company = worklog.company_id or self.env.company
            checklist = (
                checklists[company.id].get(worklog.repair_id.service_type_id.id) or checklists[company.id][False]
            )
            vals_list.append(
                {
                    "worklog_id": worklog.id,
                    "company_id": company.id,
                    "trigger": triggers[worklog.id],
                    "checklist_id": checklist.id,
                    "line_ids": [
                        fields.Command.create(vals) for vals in checklist.item_ids._prepare_inspection_line_vals()
                    ],
                }
            )
        # Submission is the technician's act; the inspection belongs to the QC team and is created
        # for it by the system, whatever the submitter's rights on inspections.
        return self.env["aftersales.qc.inspection"].sudo().create(vals_list)

    def _qc_mark_rejected(self, inspections):
        """Reject the worklogs after a QC rejection, keeping the reason on the worklog."""
        reasons = {}
        for inspection in inspections:
            reason = inspection.reject_reason_id.name
            if inspection.reject_note:
                reason = f"{reason}: {inspection.reject_note}"
            reasons[inspection.worklog_id.id] = reason
        for worklog in self:
            worklog.rejection_reason = reasons.get(worklog.id, worklog.rejection_reason)
        return self._action_reject()

    def _qc_prepare_rework_vals(self):
        self.ensure_one()
        return {
            "repair_id": self.repair_id.id,
            "technician_id": self.technician_id.id,
            "qc_rework_of_id": self.id,
        }

    def _qc_create_rework(self):
        """Create one draft worklog per rejected worklog, in the same order."""
        return self.create([worklog._qc_prepare_rework_vals() for worklog in self])
