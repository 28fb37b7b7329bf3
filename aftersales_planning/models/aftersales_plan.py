from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.aftersales_service.tools.public_api import DISPATCHER_GROUP

from .aftersales_planner import PLANNABLE_STATES


class AftersalesPlan(models.Model):
    """A day's route plan of one service centre: computed in the background by the route planner,
    previewed by the dispatcher, then applied to the service orders."""

    _name = "aftersales.plan"
    _description = "After-Sales Route Plan"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True
    )
    service_centre_id = fields.Many2one(
        "aftersales.service.centre",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Computing"),
            ("computed", "Computed"),
            ("applied", "Applied"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Draft: not computed yet (or the last computation failed, see the message). Computing: the "
        "planner runs in the background. Computed: ready to preview and apply. Applied: the technicians and "
        "times were written on the service orders. Cancelled: dropped or replaced by a newer plan.",
    )
    trigger = fields.Selection(
        [
            ("manual", "On Demand"),
            ("nightly", "Nightly"),
            ("urgent", "Urgent Order"),
            ("decline", "Technician Declined"),
        ],
        default="manual",
        required=True,
        readonly=True,
        copy=False,
    )
    auto_apply = fields.Boolean(
        readonly=True,
        copy=False,
        help="Re-plans of a day whose plan was applied are applied as soon as they are computed.",
    )
    job_uuid = fields.Char(string="Job", readonly=True, copy=False, index="btree_not_null")
    solver_message = fields.Text(readonly=True, copy=False)
    solver_seconds = fields.Float(string="Solver Time (s)", digits=(10, 2), readonly=True, copy=False)
    travel_source = fields.Selection(
        [("straight", "Straight Line"), ("osrm", "Routing Server")], readonly=True, copy=False
    )
    visit_ids = fields.One2many("aftersales.plan.visit", "plan_id", string="Visits", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True, copy=False)
    technician_count = fields.Integer(string="Technicians", readonly=True, copy=False)
    before_travel_km = fields.Float(string="Travel Before (km)", digits=(10, 1), readonly=True, copy=False)
    before_late_count = fields.Integer(string="Late Before", readonly=True, copy=False)
    before_unassigned_count = fields.Integer(string="Unassigned Before", readonly=True, copy=False)
    after_travel_km = fields.Float(string="Travel After (km)", digits=(10, 1), readonly=True, copy=False)
    after_late_count = fields.Integer(string="Late After", readonly=True, copy=False)
    after_unassigned_count = fields.Integer(string="Unassigned After", readonly=True, copy=False)
    applied_date = fields.Datetime(string="Applied On", readonly=True, copy=False)

    @api.depends("service_centre_id", "date")
    def _compute_name(self):
        for plan in self:
            plan.name = f"{plan.service_centre_id.code or ''} {plan.date or ''}".strip()

    # ------------------------------------------------------------------ guards

    def _check_planner_rights(self):
        """Only dispatchers and after-sales managers plan and apply; internal triggers run as superuser."""
        if self.env.su:
            return
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers and after-sales managers can plan the technicians' routes."))
        self.check_access("write")

    # ------------------------------------------------------------------ actions

    def action_compute(self):
        """Queue the computation of each plan (channel ``root.planning``); the plan shows *Computing*."""
        self._check_planner_rights()
        wrong = self.filtered(lambda p: p.state not in ("draft", "computed"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only draft or computed plans can be computed: %(names)s", names=", ".join(wrong.mapped("name"))
                )
            )
        for plan in self:
            plan.write({"state": "queued", "solver_message": False})
            job = plan.with_delay(
                channel="root.planning",
                description=self.env._("Route plan %(name)s", name=plan.name),
            )._job_compute()
            uuid = getattr(job, "uuid", False) or getattr(getattr(job, "_generated_job", None), "uuid", False)
            if uuid and plan.exists() and not plan.job_uuid:
                plan.job_uuid = uuid
        return True

    def action_apply(self):
        """Write the plan on the orders through the dispatch engine (same checks as a dispatcher's
        assignment), then tell the customers whose arrival time changed."""
        self._check_planner_rights()
        wrong = self.filtered(lambda p: p.state != "computed")
        if wrong:
            raise UserError(
                self.env._("Only computed plans can be applied: %(names)s", names=", ".join(wrong.mapped("name")))
            )
        for plan in self:
            plan._apply()
        return True

    def action_cancel(self):
        self._check_planner_rights()
        applied = self.filtered(lambda p: p.state == "applied")
        if applied:
            raise UserError(
                self.env._(
                    "Applied plans stay as the record of what was sent: %(names)s",
                    names=", ".join(applied.mapped("name")),
                )
            )
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        self._check_planner_rights()
        self.filtered(lambda p: p.state == "cancelled").write({"state": "draft"})
        return True

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_planning.aftersales_plan_visit_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"group_by": "technician_id", "search_default_group_technician": 1}
        return action

    def action_show_on_map(self):
        """The operations map on the plan's centre, drawing the plan's routes (the map reads the plan
        again with the user's rights: see ``aftersales.ops.map.get_map_data``)."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("aftersales_dispatch.aftersales_ops_map_action")
        action["params"] = {"plan_id": self.id, "centre_id": self.service_centre_id.id}
        return action

    def action_show_day_plan(self):
        """Applied plan: the day plan (timeline) of its centre and day, as written on the orders; before
        that, the plan's own visits grouped by technician."""
        self.ensure_one()
        if self.state != "applied":
            return self.action_view_visits()
        tz = pytz.timezone(self.env["aftersales.planner"]._plan_timezone(self.service_centre_id))
        start = tz.localize(datetime.combine(self.date, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_dispatch.repair_order_action_day_plan")
        action["name"] = action["display_name"] = self.env._("Day Plan %(name)s", name=self.name)
        action["domain"] = [
            ("is_aftersales", "=", True),
            ("state", "!=", "cancel"),
            ("service_centre_id", "=", self.service_centre_id.id),
            ("schedule_date", ">=", fields.Datetime.to_string(start)),
            ("schedule_date", "<", fields.Datetime.to_string(start + timedelta(days=1))),
        ]
        # the plan's day may not be today: the timeline fits its window to the orders
        view = self.env.ref("aftersales_planning.repair_order_view_timeline_plan_day")
        action["views"] = [(view.id, "timeline"), (False, "list"), (False, "form")]
        action.pop("view_ids", None)
        return action

    # ------------------------------------------------------------------ computation

    def _job_compute(self):
        """queue_job entry point: compute the plan; a clear message on the plan when there is nothing
        to plan (no technician, no position, ...), never a crash."""
        self.ensure_one()
        self._check_planner_rights()
        try:
            with self.env.cr.savepoint():
                self._compute_plan()
        except UserError as error:
            self.write({"state": "draft", "solver_message": str(error.args[0])})
            return str(error.args[0])
        if self.auto_apply and self.state == "computed":
            self._apply()
        return self.solver_message or True

    def _compute_plan(self):
        self.ensure_one()
        planner = self.env["aftersales.planner"]
        # the planner reads technicians, calendars and stock the dispatcher may not read (as the engine does)
        problem = planner.sudo()._build_problem(self.service_centre_id, self.date)
        routes, unassigned, seconds = planner.sudo()._solve(problem)
        after = planner._evaluate(problem, routes, unassigned)
        before_routes, before_unassigned = planner.sudo()._one_by_one(problem)
        before = planner._evaluate(problem, before_routes, before_unassigned)
        vals_list = []
        for visit in after["visits"]:
            vals_list.append(
                {
                    "plan_id": self.id,
                    "order_id": visit["order_id"],
                    "technician_id": visit["technician_id"],
                    "sequence": visit["sequence"],
                    "planned_start": planner._to_datetime(problem, visit["arrival"]),
                    "planned_end": planner._to_datetime(problem, visit["end"]),
                    "travel_km": visit["travel_km"],
                    "travel_minutes": visit["travel_minutes"],
                    "is_late": visit["is_late"],
                    "is_fixed": visit["fixed"] != "none",
                }
            )
        for job in problem["jobs"].values():
            if job["fixed"] == "under_way":
                vals_list.append(
                    {
                        "plan_id": self.id,
                        "order_id": job["id"],
                        "technician_id": job["technician_id"],
                        "sequence": 0,
                        "planned_start": planner._to_datetime(problem, job["planned_start"]),
                        "planned_end": planner._to_datetime(problem, job["planned_start"] + job["duration"]),
                        "is_fixed": True,
                        "note": self.env._("Under way: stays as it is."),
                    }
                )
        for order_id, reason in after["unassigned"].items():
            vals_list.append({"plan_id": self.id, "order_id": order_id, "sequence": 0, "note": reason})
        # visits are read-only for everyone: only the planner writes them, after the rights check of
        # ``_job_compute``, so that what ``_apply`` assigns is what the solver planned
        self.visit_ids.sudo().unlink()
        self.env["aftersales.plan.visit"].sudo().create(vals_list)
        messages = list(problem["messages"])
        if after["unassigned"]:
            messages.append(
                self.env._(
                    "%(count)s order(s) could not be planned: see the visits without technician.",
                    count=len(after["unassigned"]),
                )
            )
        self.write(
            {
                "state": "computed",
                "solver_seconds": seconds,
                "travel_source": problem.get("source", "straight"),
                "order_count": len(problem["jobs"]),
                "technician_count": len(problem["technicians"]),
                "before_travel_km": before["travel_km"],
                "before_late_count": before["late"],
                "before_unassigned_count": before["unassigned_count"],
                "after_travel_km": after["travel_km"],
                "after_late_count": after["late"],
                "after_unassigned_count": after["unassigned_count"],
                "solver_message": "\n".join(str(message) for message in messages) or False,
            }
        )

    # ------------------------------------------------------------------ apply

    def _apply(self):
        """Assign and schedule the orders as planned.

        The dispatch engine's own guards for each changed assignment (order and technician locked
        ``NOWAIT``, same company, the technician did not decline, order still open, the technician has
        the skills: ``_check_assignable``) then its ``_apply_plan`` (dispatcher check, one write per
        technician, offers and technician notifications); planned start written as the order's
        scheduled date and estimated arrival. Customers whose arrival time changed are told.
        """
        self.ensure_one()
        engine = self.env["aftersales.dispatch"]
        visits = self.visit_ids.filtered(lambda v: v.technician_id and not v.is_fixed)
        orders = visits.order_id
        if not self.env.su:
            # the times are written as superuser below: only on orders the dispatcher may edit
            orders.check_access("write")
        self.env.flush_all()
        if orders and len(engine._lock_rows("repair_order", orders.ids, nowait=True)) != len(orders):
            raise UserError(self.env._("Some of these service orders are being dispatched by someone else; try again."))
        moved = visits.filtered(lambda v: v.order_id.technician_id != v.technician_id)
        technicians = moved.technician_id
        if technicians and len(engine._lock_rows("hr_employee", technicians.ids, nowait=True)) != len(technicians):
            raise UserError(self.env._("Some technicians are being assigned other orders right now; try again."))
        orders.invalidate_recordset(["technician_id", "state", "dispatch_state", "date_on_the_way"])
        problems = []
        for visit in visits:
            order = visit.order_id
            if (
                order.state not in PLANNABLE_STATES
                or order.date_on_the_way
                or order.dispatch_state == "accepted"
                and order.technician_id != visit.technician_id
            ):
                problems.append(self.env._("%(order)s changed since the plan was computed.", order=order.name))
            elif visit in moved:
                if visit.technician_id in order.dispatch_declined_technician_ids:
                    problems.append(
                        self.env._(
                            "Technician %(technician)s declined service order %(order)s.",
                            technician=visit.technician_id.name,
                            order=order.name,
                        )
                    )
                elif visit.technician_id.company_id != order.company_id:
                    problems.append(
                        self.env._(
                            "Technician %(technician)s works for another company than service order %(order)s.",
                            technician=visit.technician_id.name,
                            order=order.name,
                        )
                    )
        if problems:
            raise UserError(
                self.env._("The plan is out of date, compute it again: %(problems)s", problems=" ".join(problems))
            )
        by_technician = defaultdict(lambda: self.env["repair.order"])
        for visit in moved:
            by_technician[visit.technician_id] |= visit.order_id
        for technician, tech_orders in by_technician.items():
            tech_orders._check_assignable(technician.sudo())
        before_eta = {order.id: order.eta_date for order in orders}
        # times first, so that a technician who keeps an order is told of its new time and one who gets it
        # is told once, with the right time; the estimated arrival is a protected dispatch field: the
        # dispatcher check above (or the internal re-plan) let it through
        for visit in visits:
            visit.order_id.sudo().write({"schedule_date": visit.planned_start, "eta_date": visit.planned_start})
        # the engine checks the dispatcher group and write access unless this is an internal re-plan
        engine._apply_plan(moved.order_id, {visit.order_id.id: visit.technician_id.id for visit in moved})
        changed = visits.filtered(lambda v: before_eta.get(v.order_id.id) != v.planned_start).order_id
        changed._aftersales_notify_planned_eta()
        # the older plans of the same day are replaced by this one
        self.search(
            [
                ("id", "!=", self.id),
                ("service_centre_id", "=", self.service_centre_id.id),
                ("date", "=", self.date),
                ("state", "in", ("draft", "computed", "applied")),
            ]
        ).write({"state": "cancelled"})
        self.write({"state": "applied", "applied_date": fields.Datetime.now()})
        self.message_post(
            body=self.env._(
                "Plan applied: %(count)s visit(s), %(changed)s customer(s) told of a new arrival time.",
                count=len(visits),
                changed=len(changed),
            )
        )

    # ------------------------------------------------------------------ triggers

    @api.model
    def _queue_replan(self, centre, day, trigger):
        """Re-plan ``centre``'s ``day`` after an urgent order or a decline, when that day's plan was
        applied (the dispatcher approved planning it): a new plan, computed and applied in the
        background by the superuser (internal trigger; the visits under way stay as they are)."""
        plans = self.sudo().search(
            [("service_centre_id", "=", centre.id), ("date", "=", day), ("state", "=", "applied")], limit=1
        )
        if not plans:
            return self.browse()
        plan = (
            self.with_user(SUPERUSER_ID)
            .with_company(centre.company_id)
            .create(
                {
                    "service_centre_id": centre.id,
                    "company_id": centre.company_id.id,
                    "date": day,
                    "trigger": trigger,
                    "auto_apply": True,
                }
            )
        )
        plan.action_compute()
        return plan

    @api.model
    def _centre_today(self, centre):
        tz = pytz.timezone(self.env["aftersales.planner"]._plan_timezone(centre))
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    @api.model
    def _cron_plan_next_day(self):
        """Nightly: one plan per active centre with technicians for its next day, computed in the
        background (the dispatcher reviews and applies it in the morning)."""
        centres = self.env["aftersales.service.centre"].sudo().search([("technician_ids", "!=", False)])
        plans = self.browse()
        for centre in centres:
            day = self._centre_today(centre) + timedelta(days=1)
            if self.sudo().search_count(
                [("service_centre_id", "=", centre.id), ("date", "=", day), ("state", "!=", "cancelled")]
            ):
                continue
            plans |= (
                self.sudo()
                .with_company(centre.company_id)
                .create(
                    {
                        "service_centre_id": centre.id,
                        "company_id": centre.company_id.id,
                        "date": day,
                        "trigger": "nightly",
                    }
                )
            )
        # cron: runs as the superuser on every company's centres
        plans.sudo().action_compute()
        return plans
