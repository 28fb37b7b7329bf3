from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

SCORE_M2M = {
    "order_ids": "repair.order",
    "ftf_failed_order_ids": "repair.order",
    "worklog_ids": "aftersales.worklog",
    "inspection_ids": "aftersales.qc.inspection",
    "rating_ids": "rating.rating",
}


class AftersalesTechnicianScore(models.Model):
    _name = "aftersales.technician.score"
    _description = "Monthly Technician Score"
    _order = "date_start desc, score desc, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    technician_id = fields.Many2one(
        "hr.employee", required=True, readonly=True, index=True, ondelete="cascade", check_company=True
    )
    technician_user_id = fields.Many2one(related="technician_id.user_id", string="Technician User")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(string="Month", required=True, readonly=True, index=True)
    date_end = fields.Date(required=True, readonly=True)
    state = fields.Selection(
        [("draft", "Open"), ("locked", "Locked")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        help="Open: recomputed when late facts arrive (daily and by button).\n"
        "Locked: frozen, e.g. once the payslip of the month is confirmed.",
    )
    rule_id = fields.Many2one("aftersales.score.rule", readonly=True)
    date_computed = fields.Datetime(string="Computed on", readonly=True)
    # facts
    jobs_done = fields.Integer(readonly=True, help="Service orders of the technician closed in the month.")
    order_ids = fields.Many2many(
        "repair.order", "aftersales_score_order_rel", "score_id", "repair_id", string="Jobs", readonly=True
    )
    worklog_ids = fields.Many2many(
        "aftersales.worklog", "aftersales_score_worklog_rel", "score_id", "worklog_id", readonly=True
    )
    time_spent = fields.Float(string="Time Spent (h)", readonly=True, help="Worklog hours on the jobs.")
    time_standard = fields.Float(
        string="Standard Time (h)", readonly=True, help="Standard durations of the jobs' service types."
    )
    efficiency = fields.Float(string="Time Efficiency (%)", readonly=True, help="Standard time / time spent.")
    inspection_ids = fields.Many2many(
        "aftersales.qc.inspection",
        "aftersales_score_inspection_rel",
        "score_id",
        "inspection_id",
        string="Inspections",
        readonly=True,
        help="QC inspections of the technician decided in the month.",
    )
    first_round_count = fields.Integer(string="First Inspections", readonly=True)
    first_pass_count = fields.Integer(string="Approved First Time", readonly=True)
    first_pass_rate = fields.Float(string="QC First-Pass Rate (%)", readonly=True)
    rework_count = fields.Integer(string="Reworks", readonly=True, help="QC rejections decided in the month.")
    sla_order_count = fields.Integer(string="Jobs with SLA", readonly=True)
    sla_met_count = fields.Integer(string="SLA Met", readonly=True)
    sla_compliance = fields.Float(string="SLA Compliance (%)", readonly=True)
    ftf_count = fields.Integer(string="First-Time Fixes", readonly=True)
    ftf_rate = fields.Float(string="First-Time-Fix Rate (%)", readonly=True)
    ftf_failed_order_ids = fields.Many2many(
        "repair.order",
        "aftersales_score_ftf_failed_rel",
        "score_id",
        "repair_id",
        string="Not Fixed First Time",
        readonly=True,
        help="Jobs that needed more than one visit or came back on the same serial.",
    )
    rating_ids = fields.Many2many(
        "rating.rating", "aftersales_score_rating_rel", "score_id", "rating_id", string="Ratings", readonly=True
    )
    rating_count = fields.Integer(readonly=True)
    rating_avg = fields.Float(string="Average Rating", readonly=True, aggregator="avg")
    score = fields.Float(readonly=True, aggregator="avg", help="0-100, see the score rule.")
    bonus_amount = fields.Monetary(string="Bonus", readonly=True)

    _sql_constraints = [
        (
            "technician_month_uniq",
            "unique(technician_id, date_start)",
            "A technician has one score per month.",
        ),
    ]

    @api.depends("technician_id.name", "date_start")
    def _compute_name(self):
        for score in self:
            month = score.date_start.strftime("%Y-%m") if score.date_start else ""
            score.name = f"{score.technician_id.name or ''} {month}".strip()

    # ------------------------------------------------------------ actions
    def action_recompute(self):
        locked = self.filtered(lambda s: s.state == "locked")
        if locked:
            raise UserError(
                self.env._(
                    "Locked scores are frozen: %(names)s",
                    names=", ".join(locked.mapped("name")),
                )
            )
        self._recompute_facts()
        return True

    def action_lock(self):
        self.filtered(lambda s: s.state == "draft").write({"state": "locked"})
        return True

    def action_unlock(self):
        self.filtered(lambda s: s.state == "locked").write({"state": "draft"})
        return True

    def _action_open(self, model, records, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
            "context": {"create": False},
        }

    def action_view_orders(self):
        self.ensure_one()
        return self._action_open("repair.order", self.order_ids, self.env._("Jobs of %(name)s", name=self.name))

    def action_view_ftf_failed(self):
        self.ensure_one()
        return self._action_open(
            "repair.order", self.ftf_failed_order_ids, self.env._("Not fixed first time: %(name)s", name=self.name)
        )

    def action_view_sla_missed(self):
        self.ensure_one()
        orders = self.order_ids.filtered(lambda o: o._fields.get("sla_status") and o.sla_status == "breached")
        return self._action_open("repair.order", orders, self.env._("SLA breached: %(name)s", name=self.name))

    def action_view_worklogs(self):
        self.ensure_one()
        return self._action_open(
            "aftersales.worklog", self.worklog_ids, self.env._("Worklogs of %(name)s", name=self.name)
        )

    def action_view_inspections(self):
        self.ensure_one()
        return self._action_open(
            "aftersales.qc.inspection", self.inspection_ids, self.env._("Inspections of %(name)s", name=self.name)
        )

    def action_view_reworks(self):
        self.ensure_one()
        reworks = self.inspection_ids.filtered(lambda i: i.state == "rejected")
        return self._action_open("aftersales.qc.inspection", reworks, self.env._("Reworks of %(name)s", name=self.name))

    def action_view_ratings(self):
        self.ensure_one()
        return self._action_open("rating.rating", self.rating_ids, self.env._("Ratings of %(name)s", name=self.name))

    # ------------------------------------------------------------ generation
    @api.model
    def _month_bounds(self, day):
        start = day.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.model
    def _get_or_create(self, technicians, date_start, date_end):
        """Scores of these technicians for the month, created when missing (one search, one create)."""
        existing = self.search([("technician_id", "in", technicians.ids), ("date_start", "=", date_start)])
        missing = technicians - existing.technician_id
        created = self.create(
            [
                {
                    "technician_id": technician.id,
                    "company_id": (technician.company_id or self.env.company).id,
                    "date_start": date_start,
                    "date_end": date_end,
                }
                for technician in missing
            ]
        )
        return existing | created

    @api.model
    def _cron_update_scores(self):
        """Create this month's and last month's scores and refresh every open one."""
        today = fields.Date.context_today(self)
        technicians = self.env["hr.employee"].search([("is_technician", "=", True)])
        scores = self.browse()
        for day in (today, today - relativedelta(months=1)):
            date_start, date_end = self._month_bounds(day)
            scores |= self._get_or_create(technicians, date_start, date_end)
        scores.filtered(lambda s: s.state == "draft")._recompute_facts()

    # ------------------------------------------------------------ computation
    def _recompute_facts(self):
        """Recompute the figures of open scores: a fixed number of queries per month and company."""
        periods = {}
        for score in self.filtered(lambda s: s.state == "draft"):
            periods.setdefault((score.company_id, score.date_start, score.date_end), self.browse())
            periods[score.company_id, score.date_start, score.date_end] |= score
        now = fields.Datetime.now()
        for (company, date_start, date_end), scores in periods.items():
            facts = self._get_period_facts(company, date_start, date_end, scores.technician_id)
            rule = self.env["aftersales.score.rule"]._get_for_company(company)
            for score in scores:
                tech_facts = facts[score.technician_id.id]
                points = rule._compute_score(tech_facts) if rule else 0.0
                vals = {key: value for key, value in tech_facts.items() if key in self._fields and key not in SCORE_M2M}
                vals.update({key: [fields.Command.set(tech_facts[key])] for key in SCORE_M2M})
                vals.update(
                    {
                        "rule_id": rule.id,
                        "score": points,
                        "bonus_amount": rule._compute_bonus(points) if rule else 0.0,
                        "date_computed": now,
                    }
                )
                score.write(vals)

    @api.model
    def _get_period_facts(self, company, date_start, date_end, technicians):
        """Measured facts of every technician for the month, as {employee id: {figure: value}}.

        The number of queries does not depend on the number of technicians: every figure is
        read for all of them at once (searches, ``_read_group`` and batched reads).
        """
        dt_from = datetime.combine(date_start, time.min)
        dt_to = datetime.combine(date_end + timedelta(days=1), time.min)
        facts = {technician.id: self._empty_facts() for technician in technicians}
        orders, order_data = self._facts_jobs(company, dt_from, dt_to, technicians, facts)
        visits = self._facts_worklogs(orders, facts)
        self._facts_first_time_fix(company, dt_from, order_data, visits, facts)
        self._facts_inspections(company, dt_from, dt_to, technicians, facts)
        self._facts_ratings(orders, order_data, facts)
        for tech in facts.values():
            self._facts_ratios(tech)
        return facts

    @api.model
    def _empty_facts(self):
        return {
            "jobs_done": 0,
            "order_ids": [],
            "worklog_ids": [],
            "time_spent": 0.0,
            "time_standard": 0.0,
            "efficiency": 0.0,
            "inspection_ids": [],
            "first_round_count": 0,
            "first_pass_count": 0,
            "first_pass_rate": 0.0,
            "rework_count": 0,
            "sla_order_count": 0,
            "sla_met_count": 0,
            "sla_compliance": 0.0,
            "ftf_count": 0,
            "ftf_rate": 0.0,
            "ftf_failed_order_ids": [],
            "rating_ids": [],
            "rating_count": 0,
            "rating_avg": 0.0,
        }

    @api.model
    def _facts_jobs(self, company, dt_from, dt_to, technicians, facts):
        """Orders closed in the month (one search, one batched read): jobs, standard time, SLA."""
        Repair = self.env["repair.order"].sudo()
        orders = Repair.search(
            [
                ("is_aftersales", "=", True),
                ("company_id", "=", company.id),
                ("technician_id", "in", technicians.ids),
                ("state", "=", "done"),
                ("date_finished", ">=", dt_from),
                ("date_finished", "<", dt_to),
            ]
        )
        has_sla = "sla_status" in Repair._fields
        read_fields = ["technician_id", "lot_id", "service_type_id", "date_finished"]
        if has_sla:
            read_fields.append("sla_status")
        order_data = {row["id"]: row for row in orders.read(read_fields, load=None)}
        service_types = (
            self.env["aftersales.service.type"]
            .sudo()
            .browse({row["service_type_id"] for row in order_data.values() if row["service_type_id"]})
        )
        standard = {service_type.id: service_type.standard_duration for service_type in service_types}
        for order_id, row in order_data.items():
            tech = facts[row["technician_id"]]
            tech["jobs_done"] += 1
            tech["order_ids"].append(order_id)
            tech["time_standard"] += standard.get(row["service_type_id"], 0.0)
            if has_sla and row["sla_status"]:
                tech["sla_order_count"] += 1
                if row["sla_status"] != "breached":
                    tech["sla_met_count"] += 1
        return orders, order_data

    @api.model
    def _facts_worklogs(self, orders, facts):
        """Worklogs of the jobs: time spent per technician, visits per order."""
        visits = {}
        for repair, technician, count, duration, ids in (
            self.env["aftersales.worklog"]
            .sudo()
            ._read_group(
                [("repair_id", "in", orders.ids), ("state", "in", ("submitted", "approved", "rejected"))],
                ["repair_id", "technician_id"],
                ["__count", "duration_hours:sum", "id:array_agg"],
            )
        ):
            visits[repair.id] = visits.get(repair.id, 0) + count
            if technician.id in facts:
                facts[technician.id]["time_spent"] += duration or 0.0
                facts[technician.id]["worklog_ids"] += ids
        return visits

    @api.model
    def _facts_first_time_fix(self, company, dt_from, order_data, visits, facts):
        """A job is fixed the first time with a single visit and no new order on its serial
        within the company's window after it was closed."""
        lots = {row["lot_id"] for row in order_data.values() if row["lot_id"]}
        later_orders = {}
        if lots:
            for lot, ids, dates in (
                self.env["repair.order"]
                .sudo()
                ._read_group(
                    [("is_aftersales", "=", True), ("lot_id", "in", list(lots)), ("create_date", ">=", dt_from)],
                    ["lot_id"],
                    ["id:array_agg", "create_date:array_agg"],
                )
            ):
                later_orders[lot.id] = list(zip(ids, dates, strict=True))
        window = timedelta(days=company.aftersales_ftf_days)
        for order_id, row in order_data.items():
            finished = row["date_finished"]
            repeated = any(
                other_id != order_id and finished < created <= finished + window
                for other_id, created in later_orders.get(row["lot_id"], [])
            )
            tech = facts[row["technician_id"]]
            if visits.get(order_id, 0) <= 1 and not repeated:
                tech["ftf_count"] += 1
            else:
                tech["ftf_failed_order_ids"].append(order_id)

    @api.model
    def _facts_inspections(self, company, dt_from, dt_to, technicians, facts):
        """QC inspections decided in the month: first-pass approvals and reworks."""
        inspections = (
            self.env["aftersales.qc.inspection"]
            .sudo()
            .search(
                [
                    ("technician_id", "in", technicians.ids),
                    ("company_id", "=", company.id),
                    ("state", "in", ("approved", "rejected")),
                    ("date_decision", ">=", dt_from),
                    ("date_decision", "<", dt_to),
                ]
            )
        )
        for row in inspections.read(["technician_id", "state", "rework_round"], load=None):
            tech = facts[row["technician_id"]]
            tech["inspection_ids"].append(row["id"])
            if row["state"] == "rejected":
                tech["rework_count"] += 1
            if row["rework_round"] == 0:
                tech["first_round_count"] += 1
                if row["state"] == "approved":
                    tech["first_pass_count"] += 1

    @api.model
    def _facts_ratings(self, orders, order_data, facts):
        """Customer ratings of the jobs (native rating.rating on repair.order)."""
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "repair.order"),
                    ("res_id", "in", orders.ids),
                    ("consumed", "=", True),
                    ("rating", ">", 0),
                ]
            )
        )
        for row in ratings.read(["res_id", "rating"], load=None):
            tech = facts[order_data[row["res_id"]]["technician_id"]]
            tech["rating_ids"].append(row["id"])
            tech["rating_count"] += 1
            tech["rating_avg"] += row["rating"]

    @api.model
    def _facts_ratios(self, tech):
        if tech["rating_count"]:
            tech["rating_avg"] = round(tech["rating_avg"] / tech["rating_count"], 2)
        if tech["first_round_count"]:
            tech["first_pass_rate"] = round(100.0 * tech["first_pass_count"] / tech["first_round_count"], 2)
        if tech["sla_order_count"]:
            tech["sla_compliance"] = round(100.0 * tech["sla_met_count"] / tech["sla_order_count"], 2)
        if tech["jobs_done"]:
            tech["ftf_rate"] = round(100.0 * tech["ftf_count"] / tech["jobs_done"], 2)
        if tech["time_spent"]:
            tech["efficiency"] = round(100.0 * tech["time_standard"] / tech["time_spent"], 2)

    @api.model
    def _get_for_payroll(self, employees, date_from, date_to):
        """Scores of the technicians among ``employees`` for the payslip period.

        Missing monthly scores are created and open ones refreshed, so the payslip shows
        the latest facts. Returns {employee id: total bonus of the months in the period}.
        """
        technicians = employees.filtered("is_technician")
        if not technicians or not date_from or not date_to:
            return {}
        months = []
        day = date_from.replace(day=1)
        while day <= date_to:
            months.append(self._month_bounds(day))
            day += relativedelta(months=1)
        scores = self.browse()
        for date_start, date_end in months:
            scores |= self._get_or_create(technicians, date_start, date_end)
        scores.filtered(lambda s: s.state == "draft")._recompute_facts()
        bonus = {}
        for score in scores:
            bonus[score.technician_id.id] = bonus.get(score.technician_id.id, 0.0) + score.bonus_amount
        return bonus

    # ------------------------------------------------------------ public API (RPC)

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
            employee_id = int(employee_id or 0)
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Give a valid technician, year and month.")) from error
        technician = self.env["hr.employee"].browse(employee_id).exists()
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
