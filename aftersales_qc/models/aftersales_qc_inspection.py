from odoo import api, fields, models
from odoo.exceptions import UserError

INSPECTOR_GROUP = "aftersales_qc.group_aftersales_qc_inspector"
# what api_decide accepts
DECISIONS = ("approve", "reject")


class AftersalesQcInspection(models.Model):
    """The QC inspection of a worklog."""

    _name = "aftersales.qc.inspection"
    _description = "QC Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/", index="trigram")
    worklog_id = fields.Many2one(
        "aftersales.worklog",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    repair_id = fields.Many2one(
        "repair.order",
        string="Service Order",
        related="worklog_id.repair_id",
        store=True,
        index=True,
    )
    technician_id = fields.Many2one(
        "hr.employee",
        related="worklog_id.technician_id",
        store=True,
        index=True,
    )
    service_type_id = fields.Many2one(
        "aftersales.service.type",
        related="worklog_id.repair_id.service_type_id",
        store=True,
        index=True,
    )
    lot_id = fields.Many2one("stock.lot", string="Serial", related="worklog_id.repair_id.lot_id")
    worklog_result = fields.Selection(related="worklog_id.result", string="Reported Result")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True
    )
    checklist_id = fields.Many2one("aftersales.qc.checklist", readonly=True)
    line_ids = fields.One2many("aftersales.qc.inspection.line", "inspection_id", string="Checks")
    state = fields.Selection(
        [("to_do", "To Inspect"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="to_do",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="To Inspect: the worklog waits for the QC inspector.\n"
        "Approved: the work passed QC; the order can be closed and invoiced.\n"
        "Rejected: the work goes back to the technician as rework (a new worklog).",
    )
    trigger = fields.Selection(
        [
            ("new_technician", "New Technician"),
            ("recent_rejection", "Recently Rejected Technician"),
            ("sample", "Sample"),
        ],
        readonly=True,
        help="Why this worklog was picked for inspection.",
    )
    rework_round = fields.Integer(
        readonly=True,
        help="0 for the first inspection of the service order, 1 for the inspection of the first rework...",
    )
    inspector_id = fields.Many2one("res.users", readonly=True, tracking=True, index=True)
    date_decision = fields.Datetime(string="Decided on", readonly=True, tracking=True, index=True)
    reject_reason_id = fields.Many2one("aftersales.qc.reject.reason", string="Rejection Reason", tracking=True)
    reject_note = fields.Text(string="Rejection Details")
    rework_worklog_id = fields.Many2one(
        "aftersales.worklog",
        readonly=True,
        index="btree_not_null",
        help="The draft worklog created for the technician when this inspection was rejected.",
    )
    failed_line_count = fields.Integer(compute="_compute_line_counts")
    pending_line_count = fields.Integer(compute="_compute_line_counts")
    open_check_count = fields.Integer(
        compute="_compute_line_counts", help="Pass / Fail checks the inspector has not decided yet."
    )
    # the checks list shows the measure and photo columns only when a check needs them
    measure_check_count = fields.Integer(compute="_compute_line_counts")
    photo_check_count = fields.Integer(compute="_compute_line_counts")

    @api.depends("line_ids.result", "line_ids.kind", "line_ids.photo_required")
    def _compute_line_counts(self):
        for inspection in self:
            lines = inspection.line_ids
            results = lines.mapped("result")
            inspection.failed_line_count = results.count("fail")
            inspection.pending_line_count = results.count(False)
            inspection.open_check_count = len(lines.filtered(lambda line: line.kind == "pass_fail" and not line.result))
            inspection.measure_check_count = len(lines.filtered(lambda line: line.kind == "measure"))
            inspection.photo_check_count = len(lines.filtered("photo_required"))

    @api.model_create_multi
    def create(self, vals_list):
        worklogs = self.env["aftersales.worklog"].browse([v["worklog_id"] for v in vals_list if v.get("worklog_id")])
        previous = dict(
            self._read_group(
                [("repair_id", "in", worklogs.repair_id.ids)],
                ["repair_id"],
                ["__count"],
            )
        )
        seen = {}
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.qc.inspection") or "/"
            worklog = self.env["aftersales.worklog"].browse(vals.get("worklog_id"))
            repair = worklog.repair_id
            if "rework_round" not in vals and repair:
                vals["rework_round"] = previous.get(repair, 0) + seen.get(repair.id, 0)
                seen[repair.id] = seen.get(repair.id, 0) + 1
            if "company_id" not in vals and worklog.company_id:
                vals["company_id"] = worklog.company_id.id
        return super().create(vals_list)

    def write(self, vals):
        # The decision is taken by action_approve / action_reject, which check the inspector and the
        # checks first and then write it as superuser; no context key or group lets a client write it.
        decision_fields = {"state", "inspector_id", "date_decision", "rework_worklog_id", "worklog_id"}
        if decision_fields & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "Use the Approve and Reject buttons to decide inspections: %(names)s",
                    names=", ".join(self.mapped("name")),
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------ actions
    def action_approve(self):
        self._check_inspector()
        self._check_to_do()
        self._check_lines_approvable()
        # inspector, state and checks verified above: the decision is written as superuser, the
        # decider being the user who clicked
        self.sudo().write(
            {
                "state": "approved",
                "inspector_id": self.env.user.id,
                "date_decision": fields.Datetime.now(),
            }
        )
        # The worklog approval is the QC decision itself, which the inspector may take even without
        # write access on worklogs.
        self.worklog_id.sudo()._qc_approve()
        for inspection in self:
            # QC posts its outcome on the order's chatter even when the inspector may not write the order.
            inspection.repair_id.sudo().message_post(
                body=self.env._("QC inspection %(name)s approved the work.", name=inspection.name)
            )
        return True

    def action_pass_open_checks(self):
        """The inspector saw every open Pass / Fail check pass: one click marks them passed instead of
        two per check (a failed check stays failed, measured checks keep needing their value). The
        inspector then approves: nothing is decided here."""
        self._check_inspector()
        self._check_to_do()
        # the inspector's own edit of the checks, with the inspector's rights on them
        self.line_ids.filtered(lambda line: line.kind == "pass_fail" and not line.result).write({"result": "pass"})
        return True

    def action_reject(self):
        self._check_inspector()
        self._check_to_do()
        missing = self.filtered(lambda i: not i.reject_reason_id)
        if missing:
            raise UserError(
                self.env._(
                    "Choose a rejection reason before rejecting: %(names)s",
                    names=", ".join(missing.mapped("name")),
                )
            )
        # inspector, state and reason verified above: the decision is written as superuser
        self.sudo().write(
            {
                "state": "rejected",
                "inspector_id": self.env.user.id,
                "date_decision": fields.Datetime.now(),
            }
        )
        # Rejecting and opening the rework is the QC decision itself.
        worklogs = self.worklog_id.sudo()
        worklogs._qc_mark_rejected(self)
        reworks = worklogs._qc_create_rework()
        for inspection, rework in zip(self, reworks, strict=True):
            inspection.sudo().rework_worklog_id = rework
            inspection._notify_rework(rework)
        return True

    def action_view_worklog(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.worklog",
            "res_id": self.worklog_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------ helpers
    def _check_inspector(self):
        if not self.env.user.has_group(INSPECTOR_GROUP):
            raise UserError(self.env._("Only QC inspectors can approve or reject inspections."))
        # the decision is written as superuser: the inspector must be allowed to edit these inspections
        # (company rules)
        self.check_access("write")

    def _check_to_do(self):
        decided = self.filtered(lambda i: i.state != "to_do")
        if decided:
            raise UserError(
                self.env._(
                    "These inspections are already decided: %(names)s",
                    names=", ".join(decided.mapped("name")),
                )
            )

    def _check_lines_approvable(self):
        lines = self.line_ids
        failed = lines.filtered(lambda line: line.result == "fail")
        if failed:
            raise UserError(
                self.env._(
                    "A failed check cannot be approved; reject the work instead.\n%(lines)s",
                    lines="\n".join(f"{line.inspection_id.name}: {line.name}" for line in failed),
                )
            )
        unmeasured = lines.filtered(lambda line: line.kind == "measure" and not line.is_measured)
        if unmeasured:
            raise UserError(
                self.env._(
                    "Record the measured value of these checks first:\n%(lines)s",
                    lines="\n".join(f"{line.inspection_id.name}: {line.name}" for line in unmeasured),
                )
            )
        pending = lines.filtered(lambda line: not line.result)
        if pending:
            raise UserError(
                self.env._(
                    "Mark these checks as passed first:\n%(lines)s",
                    lines="\n".join(f"{line.inspection_id.name}: {line.name}" for line in pending),
                )
            )
        no_photo = lines.filtered(lambda line: line.photo_required and not line.photo)
        if no_photo:
            raise UserError(
                self.env._(
                    "These checks need a photo:\n%(lines)s",
                    lines="\n".join(f"{line.inspection_id.name}: {line.name}" for line in no_photo),
                )
            )

    def _notify_rework(self, rework):
        self.ensure_one()
        reason = self.reject_reason_id.name
        note = self.reject_note or ""
        # name and user of the technician are public profile data; hr.employee itself is HR-only
        technician = self.technician_id.sudo()
        user = technician.user_id
        if user:
            rework.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Rework: %(reason)s", reason=reason),
                note=note,
            )
        # QC posts its outcome on the order's chatter even when the inspector may not write the order.
        self.repair_id.sudo().message_post(
            body=self.env._(
                "QC inspection %(name)s rejected the work (%(reason)s). Rework sent back to %(technician)s.",
                name=self.name,
                reason=reason,
                technician=technician.name or "",
            )
        )

    # ------------------------------------------------------------ public API (RPC)

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
            reason = (
                self.env["aftersales.qc.reject.reason"].browse(reason_id if isinstance(reason_id, int) else 0).exists()
            )
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
