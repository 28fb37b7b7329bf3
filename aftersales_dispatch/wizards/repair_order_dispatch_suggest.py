from odoo import fields, models
from odoo.exceptions import UserError


def _check_unassigned(order):
    """Refuse to assign an order someone assigned meanwhile (two dispatchers, or the wizard left open)."""
    if order.technician_id:
        raise UserError(
            order.env._(
                "Service order %(name)s is already assigned to %(technician)s.",
                name=order.name,
                technician=order.technician_id.name,
            )
        )


class RepairOrderDispatchSuggest(models.TransientModel):
    _name = "repair.order.dispatch.suggest"
    _inherit = ["aftersales.wizard.mixin"]
    _description = "Suggest Technicians for a Service Order"

    order_id = fields.Many2one("repair.order", string="Service Order", required=True, readonly=True)
    line_ids = fields.One2many("repair.order.dispatch.suggest.line", "wizard_id", string="Technicians", readonly=True)
    unavailable_note = fields.Char(
        string="Why Nobody Now", readonly=True, help="Set when no technician can take the order now."
    )
    summary = fields.Char(
        readonly=True, help="How many technicians can take the order now and why the others cannot, in numbers."
    )
    earliest_slot = fields.Datetime(
        readonly=True, help="Earliest start of working time of a qualified technician (holidays and leaves skipped)."
    )
    earliest_employee_id = fields.Many2one("hr.employee", string="Earliest Technician", readonly=True)

    def _fill_lines(self):
        """(Re)compute the ranking: eligible technicians best first, then the excluded ones with the reason."""
        self.ensure_one()
        ranking = self.env["aftersales.dispatch"].rank_technicians(self.order_id, include_rejected=True)
        lines = []
        for rank, entry in enumerate(ranking, start=1):
            breakdown = entry["breakdown"]
            lines.append(
                {
                    "wizard_id": self.id,
                    "rank": rank if entry["eligible"] else 0,
                    "employee_id": entry["employee_id"],
                    "eligible": entry["eligible"],
                    "score": entry["score"],
                    "distance_km": entry["distance_km"] or 0.0,
                    "distance_known": entry["distance_km"] is not None,
                    "load": entry["load"],
                    "jobs_today": entry["jobs_today"],
                    "max_jobs": entry["max_jobs"],
                    "skill_percent": entry["skill"] * 100.0,
                    "preferred": entry["preferred"],
                    "score_distance": breakdown.get("distance", 0.0),
                    "score_load": breakdown.get("load", 0.0),
                    "score_preferred": breakdown.get("preferred", 0.0),
                    "score_skill": breakdown.get("skill", 0.0),
                    "reason": entry["reason"] if not entry["eligible"] else self._score_text(breakdown),
                }
            )
        self.line_ids.unlink()
        self.env["repair.order.dispatch.suggest.line"].create(lines)
        self._fill_unavailable(any(entry["eligible"] for entry in ranking))

    def _score_text(self, breakdown):
        """What the score of a technician who can take the order is made of, e.g. "load 1.00 + urgency/VIP
        x skill 1.47" (the parts that count, the same figures as the breakdown columns)."""
        keys = ("distance", "load", "preferred", "skill")
        text = {key: f"{breakdown.get(key, 0.0):.2f}" for key in keys if round(breakdown.get(key, 0.0), 2)}
        parts = []
        if "distance" in text:
            parts.append(self.env._("distance %(score)s", score=text["distance"]))
        if "load" in text:
            parts.append(self.env._("load %(score)s", score=text["load"]))
        if "preferred" in text:
            parts.append(self.env._("preferred %(score)s", score=text["preferred"]))
        if "skill" in text:
            parts.append(self.env._("urgency/VIP x skill %(score)s", score=text["skill"]))
        return " + ".join(parts)

    def _fill_unavailable(self, someone_eligible):
        """Why the others cannot take the order (in numbers) and, when nobody can, the earliest slot of a
        qualified technician."""
        engine = self.env["aftersales.dispatch"]
        explained = engine._explain_unassigned(self.order_id)[self.order_id.id]
        if someone_eligible:
            counts = explained["counts"]
            summary = self.env._("%(count)s can take it now", count=counts.get("available", 0))
            others = engine._counts_text(counts)
            self.write(
                {
                    "summary": f"{summary}; {others}" if others else summary,
                    "unavailable_note": False,
                    "earliest_slot": False,
                    "earliest_employee_id": False,
                }
            )
            return
        self.write(
            {
                "summary": explained["message"],
                "unavailable_note": explained["message"],
                "earliest_slot": explained["slot"],
                "earliest_employee_id": explained["technician_id"],
            }
        )

    def action_refresh(self):
        self._fill_lines()
        return self._reopen_action()

    def _reopen_action(self, name=None):
        # the dialog keeps its title and its width when it opens again (refresh, no one available)
        action = super()._reopen_action(name=name or self.env._("Suggested Technicians"))
        action["context"] = {**action.get("context", {}), "dialog_size": "extra-large"}
        return action

    def action_assign_best(self):
        """Assign the best technician; when nobody can take the order now, say why in numbers and offer
        the earliest slot (the wizard stays open with a button to plan the order then)."""
        self.ensure_one()
        best = self.line_ids.filtered("eligible").sorted("rank")[:1]
        if best:
            return best.action_assign()
        self._fill_lines()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("No technician available now"),
                "message": self.unavailable_note or self.env._("Someone became available: refresh the list."),
                "type": "warning",
                "sticky": True,
                "next": self._reopen_action(),
            },
        }

    def action_plan_earliest(self):
        """Assign the order to the technician who is free first, scheduled at the start of their working time."""
        self.ensure_one()
        order = self.order_id
        _check_unassigned(order)
        # computed again: the slot shown may be stale
        explained = self.env["aftersales.dispatch"]._explain_unassigned(order)[order.id]
        if not explained["technician_id"]:
            raise UserError(explained["message"])
        employee = self.env["hr.employee"].browse(explained["technician_id"])
        order._check_assignable(employee)
        order.write({"schedule_date": explained["slot"]})
        self.env["aftersales.dispatch"].assign(order, employee, at=explained["slot"])
        return {"type": "ir.actions.act_window_close"}


class RepairOrderDispatchSuggestLine(models.TransientModel):
    _name = "repair.order.dispatch.suggest.line"
    _description = "Suggested Technician"
    _order = "eligible desc, rank, id"

    wizard_id = fields.Many2one("repair.order.dispatch.suggest", required=True, ondelete="cascade")
    rank = fields.Integer()
    employee_id = fields.Many2one("hr.employee", string="Technician", required=True, readonly=True)
    eligible = fields.Boolean(readonly=True)
    score = fields.Float(digits=(10, 2), readonly=True)
    distance_km = fields.Float(string="Distance (km)", digits=(10, 1), readonly=True)
    distance_known = fields.Boolean(readonly=True)
    load = fields.Integer(string="Open Orders", readonly=True)
    jobs_today = fields.Integer(readonly=True)
    max_jobs = fields.Integer(string="Daily Limit", readonly=True)
    skill_percent = fields.Float(string="Skill (%)", digits=(5, 0), readonly=True)
    preferred = fields.Boolean(string="Preferred by Customer", readonly=True)
    score_distance = fields.Float(string="Distance Score", digits=(10, 2), readonly=True)
    score_load = fields.Float(string="Load Score", digits=(10, 2), readonly=True)
    score_preferred = fields.Float(string="Preference Score", digits=(10, 2), readonly=True)
    score_skill = fields.Float(string="Urgency/VIP x Skill Score", digits=(10, 2), readonly=True)
    reason = fields.Char(
        string="Why",
        readonly=True,
        help="Why the technician cannot take the order now, or what their score is made of.",
    )

    def action_assign(self):
        """Assign the order to this technician (the dispatcher may override the ranking)."""
        self.ensure_one()
        order = self.wizard_id.order_id
        order._check_assignable(self.employee_id)
        _check_unassigned(order)
        self.env["aftersales.dispatch"].assign(order, self.employee_id)
        return {"type": "ir.actions.act_window_close"}
