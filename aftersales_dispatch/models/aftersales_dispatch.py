"""Dispatch engine: which technician should take which service order.

The engine works on many orders and many technicians at once and touches the database a fixed number
of times per call, whatever the number of technicians:

1. candidates: one SQL query on ``hr.employee`` (active technicians of the orders' companies and centres,
   found through the indexes of their own centre and of the centres they also serve);
2. skills: one ``search_read`` on ``hr.employee.skill`` plus one read of the skill levels;
3. availability: one ``_work_intervals_batch`` per distinct working calendar (attendances minus
   ``resource.calendar.leaves``) and one search of the leaves of technicians without a calendar;
4. load: two ``_read_group`` on ``repair.order`` (open orders, orders planned today).

Hard filters come first (skills and minimum level, centre, availability, daily job limit, technicians
who already declined the order), then a weighted score (weights per company)::

    score = w_distance * distance + w_load * free_capacity + w_preferred * preferred
            + (w_urgency * urgency + w_vip * vip) * skill

where ``distance = scale / (scale + km)`` (haversine from the technician's last known position, else
home, to the customer), ``free_capacity = 1 - open_orders / max_jobs_per_day``, ``skill`` the mean
level of the required skills, ``urgency`` the larger of the priority level and the share of SLA
response time used, ``vip`` 1 for VIP customers. Urgent and VIP orders thus go to the most skilled
technicians; the order weight ``w_urgency * urgency + w_vip * vip`` also decides which orders are
served first in batch dispatch.

Batch dispatch solves the assignment with capacities by *greedy with regret* (lazy evaluation): orders
are taken by urgency tier, then by regret (score of their best technician minus their second best),
so an order with a single good option is served before an order that has many; whenever a
technician's load or capacity changed since an order was scored, the order is re-scored and put back
into the queue. This is the classic regret heuristic for the generalised assignment problem; it avoids
the first-come greedy trap where an order with alternatives takes the only technician another order
could use. Each evaluation scans an order's candidates by decreasing upper bound of their score and stops
as soon as no further candidate can change the best one or the regret, so batches of 10,000 orders among
1,000 candidates each keep the plan of a full scan without scanning everything at every step.

Concurrency: orders are locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` (``NOWAIT`` for a manual
assignment), technicians with ``FOR UPDATE SKIP LOCKED`` before their load is counted, and every
assignment writes the technician row (``aftersales_last_dispatch_date``) so that a transaction whose
snapshot predates a concurrent assignment fails to lock that technician (serialization failure) instead
of counting a stale load. Two dispatchers or two cron runs therefore never assign an order twice nor
overbook a technician.
"""

import heapq
import logging
import math
from collections import defaultdict
from datetime import datetime, time, timedelta

import jdatetime
import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from odoo.addons.aftersales_service.models.aftersales_worklog import EARTH_RADIUS_KM
from odoo.addons.aftersales_service.models.aftersales_worklog import distance_km as haversine_km
from odoo.addons.aftersales_service.models.repair_order import OPEN_STATES
from odoo.addons.web_jalali.tools import format_jalali

_logger = logging.getLogger(__name__)

WEIGHT_NAMES = ("distance", "load", "urgency", "vip", "preferred")
# how far ahead the earliest slot of an order nobody can take now is looked for
SLOT_HORIZON_DAYS = 31
# batch dispatch keeps this many best candidates per order (by score bound), the others are recomputed on demand
CANDIDATE_WINDOW = 48


def best_two(entries, w_load, capacity, load):
    """``(best score, its technician, second best score, stopped)`` among ``entries`` (candidates of
    ``_order_candidates``, best bound first) at the current ``load``, skipping technicians without
    ``capacity`` left. The scan stops (``stopped``) at the first bound below the second best score; among
    equal scores the first of the pool wins, as in a scan of the whole pool in its order."""
    best = best_index = best_tid = second = None
    for neg_bound, index, tid, static, max_jobs in entries:
        if second is not None and -neg_bound < second:
            return best, best_tid, second, True
        if capacity[tid] <= 0:
            continue
        current = load.get(tid, 0)
        free = max(0.0, 1.0 - current / max_jobs) if max_jobs else 1.0 / (1.0 + current)
        score = static + w_load * free
        if best is None:
            best, best_index, best_tid = score, index, tid
        elif score > best or (score == best and index < best_index):
            second = best
            best, best_index, best_tid = score, index, tid
        elif second is None or score > second:
            second = score
    return best, best_tid, second, False


class AftersalesDispatch(models.AbstractModel):
    _name = "aftersales.dispatch"
    _description = "After-Sales Dispatch Engine"

    # ------------------------------------------------------------------ public API

    @api.model
    def rank_technicians(self, order, at=None, include_rejected=False):
        """Ranked candidates for one order, best first.

        Each entry is a dict: ``employee_id``, ``name``, ``score``, ``distance_km`` (None when a position
        is unknown), ``load``, ``jobs_today``, ``max_jobs``, ``skill``, ``preferred``, ``breakdown`` (score
        part per criterion) and, with ``include_rejected``, ``eligible`` and ``reason`` for technicians
        the hard filters rejected.
        """
        order.ensure_one()
        context = self._prepare_context(order, at=at, keep_rejected=include_rejected)
        ranking = self._rank_order(context, order)
        if include_rejected:
            ranking += context["rejected"].get(order.id, [])
        return ranking

    @api.model
    def dispatch_orders(self, orders, at=None):
        """Assign the unassigned orders among ``orders`` to the best technicians (batch assignment).

        Orders locked by another transaction are skipped (they are being dispatched elsewhere); so are
        technicians locked by another dispatch. Returns ``{order_id: employee_id}`` for what was assigned.
        """
        orders = self._lock_orders(orders.filtered(lambda o: not o.technician_id and o.state in OPEN_STATES))
        if not orders:
            return {}
        context = self._prepare_context(orders, at=at, lock=True)
        plan = self._solve_assignment(context, orders)
        self._apply_plan(orders, plan)
        return plan

    @api.model
    def assign(self, order, employee, at=None):
        """Manual assignment of ``order`` to ``employee``, with the same locks and daily limit.

        Raise a UserError when the order or the technician is being dispatched by someone else, when the
        technician declined this order or has no capacity left today.
        """
        order.ensure_one()
        employee.ensure_one()
        self.env.flush_all()
        if not self._lock_rows("repair_order", order.ids, nowait=True):
            raise UserError(
                self.env._("Service order %(order)s is being dispatched by someone else; try again.", order=order.name)
            )
        if not self._lock_rows("hr_employee", employee.ids, nowait=True):
            raise UserError(
                self.env._(
                    "Technician %(technician)s is being assigned another order right now; try again.",
                    technician=employee.name,
                )
            )
        if employee.company_id != order.company_id:
            raise UserError(
                self.env._(
                    "Technician %(technician)s works for another company than service order %(order)s.",
                    technician=employee.name,
                    order=order.name,
                )
            )
        if employee in order.dispatch_declined_technician_ids:
            raise UserError(
                self.env._(
                    "Technician %(technician)s declined service order %(order)s.",
                    technician=employee.name,
                    order=order.name,
                )
            )
        order.invalidate_recordset(["technician_id", "state"])
        if order.state not in OPEN_STATES:
            raise UserError(self.env._("Service order %(order)s is closed.", order=order.name))
        at = at or fields.Datetime.now()
        jobs_today = self._count_jobs_today(employee.ids, at, exclude_order_ids=order.ids).get(employee.id, 0)
        if employee.max_jobs_per_day and jobs_today >= employee.max_jobs_per_day:
            raise UserError(
                self.env._(
                    "Technician %(technician)s already has %(count)s jobs today (limit %(limit)s).",
                    technician=employee.name,
                    count=jobs_today,
                    limit=employee.max_jobs_per_day,
                )
            )
        self._apply_plan(order, {order.id: employee.id})
        return True

    # ------------------------------------------------------------------ locks

    @api.model
    def _lock_rows(self, table, ids, nowait=False):
        """Lock rows of ``table``; return the ids actually locked (``SKIP LOCKED`` unless ``nowait``).

        A row locked elsewhere, or changed by a transaction committed after ours started (serialization
        failure under REPEATABLE READ), is not returned; with ``nowait`` nothing is returned then.
        """
        if not ids:
            return []
        mode = SQL("NOWAIT") if nowait else SQL("SKIP LOCKED")
        query = SQL(
            "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR UPDATE %s",
            SQL.identifier(table),
            tuple(ids),
            mode,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query)
                return [row[0] for row in self.env.cr.fetchall()]
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure):
            if not nowait and len(ids) > 1:
                # one row changed concurrently spoils the whole statement: lock one by one instead
                locked = []
                for row_id in ids:
                    locked += self._lock_rows(table, [row_id], nowait=True)
                return locked
            return []

    @api.model
    def _lock_orders(self, orders, nowait=False):
        """Lock the orders and return those still unassigned and open once the lock is held."""
        if not orders:
            return orders
        self.env.flush_all()
        locked = orders.browse(self._lock_rows("repair_order", orders.ids, nowait=nowait))
        locked.invalidate_recordset(["technician_id", "state", "dispatch_state"])
        return locked.filtered(lambda o: not o.technician_id and o.state in OPEN_STATES)

    # ------------------------------------------------------------------ data gathering

    @api.model
    def _prepare_context(self, orders, at=None, lock=False, keep_rejected=False):
        """Gather everything the scoring needs for ``orders`` in a fixed number of queries."""
        at = at or fields.Datetime.now()
        self._fetch_order_fields(orders)
        companies = orders.company_id
        centres = orders.service_centre_id
        only_centres = centres.ids if centres and all(orders.mapped("service_centre_id")) else None
        technicians = self._get_technicians(companies.ids, only_centres)
        also_serves = self._get_also_serves(technicians, centres.ids)
        context = {
            "at": at,
            "technicians": technicians,
            "also_serves": also_serves,
            "locked_out": set(),
            "rejected": defaultdict(list),
            "keep_rejected": keep_rejected,
            "weights": {},
            "by_centre": defaultdict(list),
        }
        for tid, tech in technicians.items():
            for centre_id in {tech["service_centre_id"], *also_serves.get(tid, ())} - {None, False}:
                context["by_centre"][centre_id].append(tech)
        for company in companies:
            weights = {name: company[f"aftersales_dispatch_weight_{name}"] for name in WEIGHT_NAMES}
            context["weights"][company.id] = dict(weights, scale=company.aftersales_dispatch_distance_scale or 10.0)
        skill_ids = orders.service_type_id.required_skill_ids.ids
        context["skills"] = self._get_skills(list(technicians), skill_ids)
        context["unavailable"] = {}
        context["available"] = self._get_available(technicians, at, reasons=context["unavailable"])
        if lock:
            wanted = [tid for tid in technicians if tid in context["available"]]
            locked = set(self._lock_rows("hr_employee", wanted))
            context["locked_out"] = set(wanted) - locked
        context["load"], context["jobs_today"] = self._count_orders(list(technicians), at)
        context["order_data"] = self._get_order_data(orders, at)
        return context

    @api.model
    def _fetch_order_fields(self, orders):
        """Read only the columns the engine uses: the ORM would otherwise load every column of the
        orders, customers, companies and service types it touches (wide records, most of a ranking)."""
        orders.fetch(
            [
                "company_id",
                "service_centre_id",
                "service_type_id",
                "partner_id",
                "service_priority_id",
                "sla_response_deadline",
                "sla_start_date",
                "aftersales_customer_tier",
                "dispatch_declined_technician_ids",
            ]
        )
        partner_fields = ["partner_latitude", "partner_longitude", "aftersales_preferred_technician_id"]
        partners = orders.partner_id
        partners.fetch([*partner_fields, "commercial_partner_id"])
        (partners.commercial_partner_id - partners).fetch(partner_fields)
        orders.company_id.fetch(
            [*(f"aftersales_dispatch_weight_{name}" for name in WEIGHT_NAMES), "aftersales_dispatch_distance_scale"]
        )
        orders.service_type_id.fetch(["required_skill_ids", "min_skill_level"])
        orders.service_priority_id.fetch(["level"])

    @api.model
    def _get_technicians(self, company_ids, centre_ids=None):
        """Active technicians of the companies (serving one of the centres when given), as dicts.

        One SQL query: dispatchers rank technicians whose employee records they may not read, and the
        ORM's per-field access checks on employees cost more than the ranking itself. Ordered by id, so that
        ties between technicians are broken the same way whatever plan the database chose.

        A row holds plain values only (no list: the other centres a technician serves are read by
        :meth:`_get_also_serves`). Python's garbage collector does not track a dictionary of plain values,
        nor a tuple of them after its first pass: with 1,000 candidates, rows holding a list were 3,000
        tracked objects per ranking, promoted to the oldest generation while the ranking ran, and made a full
        collection of the whole registry (130-240 ms with the suite loaded) every 35 rankings or so.
        """
        self.env["hr.employee"].flush_model()
        self.env["resource.resource"].flush_model(["calendar_id", "tz", "active"])
        centre_filter = SQL()
        if centre_ids is not None:
            # the ids of a UNION of two index look-ups (the centre's own technicians, those who also serve it),
            # then the technicians by primary key: the same condition written with OR (own centre OR EXISTS ...)
            # read every technician of the table, and its cost estimate made PostgreSQL compile it (JIT) at
            # each ranking with 10,000 technicians
            centre_filter = SQL(
                """AND e.id = ANY(ARRAY(
                        SELECT own.id FROM hr_employee own WHERE own.service_centre_id = ANY(%(centres)s)
                         UNION
                        SELECT rel.employee_id FROM hr_employee_aftersales_dispatch_centre_rel rel
                         WHERE rel.centre_id = ANY(%(centres)s)))""",
                centres=list(centre_ids),
            )
        self.env.cr.execute(
            SQL(
                """SELECT e.id, e.name, e.service_centre_id, e.max_jobs_per_day,
                          e.home_latitude, e.home_longitude, e.last_latitude, e.last_longitude,
                          e.resource_calendar_id, e.resource_id, r.tz, e.company_id
                     FROM hr_employee e
                     JOIN resource_resource r ON r.id = e.resource_id
                    WHERE e.is_technician AND e.active AND e.company_id = ANY(%s) %s
                 ORDER BY e.id""",
                list(company_ids),
                centre_filter,
            )
        )
        keys = (
            "id",
            "name",
            "service_centre_id",
            "max_jobs_per_day",
            "home_latitude",
            "home_longitude",
            "last_latitude",
            "last_longitude",
            "resource_calendar_id",
            "resource_id",
            "tz",
            "company_id",
        )
        return {row[0]: dict(zip(keys, row, strict=True)) for row in self.env.cr.fetchall()}

    @api.model
    def _get_also_serves(self, technicians, centre_ids):
        """``{employee_id: frozenset(centre ids)}``: which of ``centre_ids`` (the centres of the orders) the
        ``technicians`` serve besides their own (``aftersales_dispatch_centre_ids``), for those who serve
        some, in one query by centre (the centres of the orders are all the filters and pools ask about)."""
        result = defaultdict(set)
        if technicians and centre_ids:
            self.env["hr.employee"].flush_model(["aftersales_dispatch_centre_ids"])
            self.env.cr.execute(
                SQL(
                    """SELECT employee_id, centre_id FROM hr_employee_aftersales_dispatch_centre_rel
                        WHERE centre_id = ANY(%s)""",
                    list(centre_ids),
                )
            )
            for employee_id, centre_id in self.env.cr.fetchall():
                if employee_id in technicians:
                    result[employee_id].add(centre_id)
        return {employee_id: frozenset(centres) for employee_id, centres in result.items()}

    @api.model
    def _get_skills(self, employee_ids, skill_ids):
        """``{employee_id: {skill_id: level_progress}}`` for the given skills, in one query."""
        result = defaultdict(dict)
        if not employee_ids or not skill_ids:
            return result
        self.env["hr.employee.skill"].flush_model(["employee_id", "skill_id", "skill_level_id"])
        self.env["hr.skill.level"].flush_model(["level_progress"])
        self.env.cr.execute(
            SQL(
                """SELECT es.employee_id, es.skill_id, COALESCE(level.level_progress, 0)
                     FROM hr_employee_skill es
                LEFT JOIN hr_skill_level level ON level.id = es.skill_level_id
                    WHERE es.employee_id = ANY(%s) AND es.skill_id = ANY(%s)""",
                list(employee_ids),
                list(skill_ids),
            )
        )
        for employee_id, skill_id, progress in self.env.cr.fetchall():
            result[employee_id][skill_id] = max(progress, result[employee_id].get(skill_id, 0))
        return result

    @api.model
    def _get_available(self, technicians, at, reasons=None):
        """Ids of technicians working at ``at``: inside their calendar's attendance and not on leave.

        Attendances are computed once per (calendar, timezone), not per technician; all the leaves
        (the technicians' own and the public holidays of their calendars) come from one query. When
        ``reasons`` (a dict) is given, it receives ``{technician_id: 'off_shift' | 'on_leave'}`` for the
        technicians who are not working: off shift outside their attendances, on leave inside them.
        """
        reasons = {} if reasons is None else reasons
        at = at.replace(tzinfo=None)
        at_utc = pytz.utc.localize(at)
        end = at_utc + timedelta(minutes=1)
        working = set()
        calendar_model = self.env["resource.calendar"].sudo()
        for calendar_id, tz in {(row["resource_calendar_id"], row["tz"]) for row in technicians.values()}:
            if not calendar_id:
                working.add((calendar_id, tz))
                continue
            calendar = calendar_model.browse(calendar_id)
            timezone = pytz.timezone(tz or calendar.tz or "UTC")
            if self._is_attending(calendar, at_utc, end, timezone):
                working.add((calendar_id, tz))
        resource_ids = [row["resource_id"] for row in technicians.values()]
        calendar_ids = list({row["resource_calendar_id"] for row in technicians.values()} - {False, None})
        leaves = self._read_leaves(at, end.replace(tzinfo=None), resource_ids, [False, *calendar_ids], ["calendar_id"])
        on_leave = {leave["resource_id"] for leave in leaves if leave["resource_id"]}
        holiday_calendars = {leave["calendar_id"] for leave in leaves if not leave["resource_id"]}
        available = set()
        for tid, row in technicians.items():
            if (row["resource_calendar_id"], row["tz"]) not in working:
                reasons[tid] = "off_shift"
            elif (
                row["resource_id"] in on_leave
                or False in holiday_calendars
                or row["resource_calendar_id"] in holiday_calendars
            ):
                reasons[tid] = "on_leave"
            else:
                available.add(tid)
        return available

    @api.model
    def _is_attending(self, calendar, start, end, timezone):
        """Whether ``calendar`` has an attendance at ``start`` (aware) in ``timezone``.

        Weekly calendars are checked directly on their attendance lines (the native interval
        computation costs more than the whole ranking); two-week calendars use the native one.
        """
        calendar.fetch(["two_weeks_calendar", "flexible_hours", "attendance_ids"])
        if calendar.two_weeks_calendar or calendar.flexible_hours:
            return bool(calendar._attendance_intervals_batch(start, end, tz=timezone)[False])
        local = start.astimezone(timezone)
        hour = local.hour + local.minute / 60.0 + local.second / 3600.0
        weekday, day = str(local.weekday()), local.date()
        calendar.attendance_ids.fetch(
            ["dayofweek", "hour_from", "hour_to", "date_from", "date_to", "display_type", "day_period"]
        )
        return any(
            attendance.dayofweek == weekday
            and attendance.hour_from <= hour < attendance.hour_to
            and (not attendance.date_from or attendance.date_from <= day)
            and (not attendance.date_to or attendance.date_to >= day)
            for attendance in calendar.attendance_ids
            if not attendance.display_type and attendance.day_period != "lunch"
        )

    @api.model
    def _count_orders(self, employee_ids, at, exclude_order_ids=None):
        """``({employee_id: open orders}, {employee_id: orders planned on the day of at})`` in two queries.

        Each count reads only its partial index (``repair_order_technician_open_idx``,
        ``repair_order_technician_schedule_idx``), without visiting the orders on a vacuumed table: one
        query with both conditions joined by ``OR`` read every order of every candidate from the table
        (99,000 rows on 34,000 pages per ranking with 1,000,000 open orders, see the README)."""
        if not employee_ids:
            return {}, {}
        start, stop = self._day_bounds(at)
        self.env["repair.order"].flush_model(["technician_id", "state", "schedule_date"])
        # the excluded orders are left out only when there are some: the condition on ``id`` would
        # otherwise make every count visit the table
        excluded = SQL("AND id != ALL(%s)", list(exclude_order_ids)) if exclude_order_ids else SQL()
        technicians = list(employee_ids)
        self.env.cr.execute(
            SQL(
                """SELECT technician_id, count(*) FROM repair_order
                    WHERE technician_id = ANY(%s) AND state IN %s %s
                 GROUP BY technician_id""",
                technicians,
                OPEN_STATES,
                excluded,
            )
        )
        load = dict(self.env.cr.fetchall())
        self.env.cr.execute(
            SQL(
                """SELECT technician_id, count(*) FROM repair_order
                    WHERE technician_id = ANY(%s) AND state != 'cancel'
                      AND schedule_date >= %s AND schedule_date < %s %s
                 GROUP BY technician_id""",
                technicians,
                start,
                stop,
                excluded,
            )
        )
        today = dict(self.env.cr.fetchall())
        return load, today

    @api.model
    def _count_jobs_today(self, employee_ids, at, exclude_order_ids=None):
        """Orders (not cancelled) of each technician scheduled on the day of ``at``."""
        return self._count_orders(employee_ids, at, exclude_order_ids=exclude_order_ids)[1]

    @api.model
    def _day_bounds(self, at):
        """UTC bounds of the day containing ``at`` in the user's timezone."""
        tz = pytz.timezone(self.env.context.get("tz") or "UTC")
        local = pytz.utc.localize(at.replace(tzinfo=None)).astimezone(tz)
        start = tz.localize(datetime.combine(local.date(), time.min))
        stop = start + timedelta(days=1)
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            stop.astimezone(pytz.utc).replace(tzinfo=None),
        )

    @api.model
    def _get_order_data(self, orders, at):
        """Per order: customer position, tier, preferred technician, urgency, declined technicians."""
        max_level = self.env["aftersales.priority"].sudo()._read_group([], [], ["level:max"])[0][0] or 1
        data = {}
        for order in orders:
            partner = order.partner_id
            lat, lon = partner.partner_latitude, partner.partner_longitude
            urgency = min(1.0, max(order.service_priority_id.level, 0) / max_level)
            deadline, start = order.sla_response_deadline, order.sla_start_date
            if deadline and start and deadline > start:
                used = (at - start).total_seconds() / (deadline - start).total_seconds()
                urgency = max(urgency, min(1.0, max(0.0, used)))
            preferred = (
                partner.aftersales_preferred_technician_id
                or partner.commercial_partner_id.aftersales_preferred_technician_id
            )
            service_type = order.service_type_id
            data[order.id] = {
                "position": (lat, lon) if (lat or lon) else None,
                "vip": 1.0 if order.aftersales_customer_tier == "vip" else 0.0,
                "urgency": urgency,
                "preferred_id": preferred.id,
                "declined": set(order.dispatch_declined_technician_ids.ids),
                "centre_id": order.service_centre_id.id,
                "company_id": order.company_id.id,
                "skill_ids": service_type.required_skill_ids.ids,
                "min_level": service_type.min_skill_level,
                "deadline": deadline,
            }
        return data

    # ------------------------------------------------------------------ scoring

    def _rejection_code(self, context, order_info, tech):
        """Return None when ``tech`` may take the order, else the first hard filter it fails: ``company``,
        ``centre``, ``declined``, ``skill``, ``off_shift``, ``on_leave``, ``locked`` or ``full``."""
        tid = tech["id"]
        if tech["company_id"] != order_info["company_id"]:
            return "company"
        if order_info["centre_id"] and order_info["centre_id"] != tech["service_centre_id"]:
            if order_info["centre_id"] not in context["also_serves"].get(tid, ()):
                return "centre"
        if tid in order_info["declined"]:
            return "declined"
        skills = context["skills"].get(tid, {})
        if any(skills.get(sid, -1) < order_info["min_level"] for sid in order_info["skill_ids"]):
            return "skill"
        if tid not in context["available"]:
            return context["unavailable"].get(tid, "off_shift")
        if tid in context["locked_out"]:
            return "locked"
        if tech["max_jobs_per_day"] and context["jobs_today"].get(tid, 0) >= tech["max_jobs_per_day"]:
            return "full"
        return None

    def _check_hard_filters(self, context, order_info, tech):
        """Return None when ``tech`` may take the order, else the translated reason why not."""
        return self._rejection_reason(context, order_info, tech, self._rejection_code(context, order_info, tech))

    def _rejection_reason(self, context, order_info, tech, code):
        """The translated reason of a rejection ``code`` of :meth:`_rejection_code` (None for None); the
        texts are translated once per context, not once per technician."""
        if code is None:
            return None
        if code == "skill":
            skills = context["skills"].get(tech["id"], {})
            missing = [sid for sid in order_info["skill_ids"] if skills.get(sid, -1) < order_info["min_level"]]
            names = self.env["hr.skill"].sudo().browse(missing).mapped("name")
            return self.env._("Missing skill or level: %(skills)s", skills=", ".join(names))
        reasons = context.get("reason_texts")
        if reasons is None:
            reasons = context["reason_texts"] = {
                "company": self.env._("Other company"),
                "centre": self.env._("Does not serve this centre"),
                "declined": self.env._("Declined this order"),
                "off_shift": self.env._("Off shift (outside working hours)"),
                "on_leave": self.env._("On leave or public holiday"),
                "locked": self.env._("Being assigned by another dispatcher"),
                "full": self.env._("Daily job limit reached"),
            }
        return reasons.get(code)

    # ------------------------------------------------------------------ nobody available: why, and when

    @api.model
    def _explain_unassigned(self, orders, at=None):
        """Why nobody can take each of ``orders`` at ``at`` (default now), and when someone can.

        Returns ``{order_id: {'counts': {code: technicians}, 'slot': naive UTC datetime or False,
        'technician_id': id or False, 'message': translated text}}``. The counts use the codes of
        :meth:`_rejection_code` (a technician counts once, for the first filter failed; other companies
        and centres are not counted). The slot is the earliest start of working time, after ``at``, of
        the technicians who have the skills and did not decline: working intervals of their calendars
        minus public holidays and their own leaves (``resource.calendar._work_intervals_batch``), from
        the next day for those who reached their daily limit.
        """
        at = at or fields.Datetime.now()
        context = self._prepare_context(orders, at=at)
        waiting = {}
        per_order = {}
        for order in orders:
            info = context["order_data"][order.id]
            pool = (
                context["by_centre"].get(info["centre_id"], [])
                if info["centre_id"]
                else context["technicians"].values()
            )
            counts = defaultdict(int)
            candidates = []
            for tech in pool:
                code = self._rejection_code(context, info, tech)
                if code in ("company", "centre"):
                    continue
                counts[code or "available"] += 1
                if code in ("off_shift", "on_leave", "full", None):
                    candidates.append(tech["id"])
                    waiting[tech["id"]] = code
            per_order[order.id] = (dict(counts), candidates)
        slots = self._next_slots(context, waiting, at)
        result = {}
        for order in orders:
            counts, candidates = per_order[order.id]
            dated = sorted((slots[tid], tid) for tid in candidates if slots.get(tid))
            slot, tid = dated[0] if dated else (False, False)
            result[order.id] = {
                "counts": counts,
                "slot": slot,
                "technician_id": tid,
                "message": self._unassigned_message(order, counts, slot, tid and context["technicians"][tid]["name"]),
            }
        return result

    @api.model
    def _next_slots(self, context, waiting, at):
        """``{technician_id: naive UTC datetime or False}``: start of the next working time of each
        technician of ``waiting`` (``{technician_id: rejection code}``) within ``SLOT_HORIZON_DAYS``.

        One ``_work_intervals_batch`` per calendar for all its technicians (attendances in each
        technician's time zone, minus the calendar's public holidays and each one's own leaves).
        Technicians at their daily limit count from the start of their next day; technicians without a
        calendar work around the clock, so only their leaves hold them back.
        """
        at_utc = pytz.utc.localize(at.replace(tzinfo=None))
        starts = {}
        for tid, code in waiting.items():
            tech = context["technicians"][tid]
            start = at_utc
            if code == "full":
                timezone = pytz.timezone(tech["tz"] or "UTC")
                next_day = start.astimezone(timezone).date() + timedelta(days=1)
                start = timezone.localize(datetime.combine(next_day, time.min)).astimezone(pytz.utc)
            starts[tid] = start
        by_calendar = defaultdict(list)
        for tid in starts:
            by_calendar[context["technicians"][tid]["resource_calendar_id"] or False].append(tid)
        resources = self.env["resource.resource"].sudo()
        slots = {}
        for calendar_id, tids in by_calendar.items():
            begin = min(starts[tid] for tid in tids)
            end = begin + timedelta(days=SLOT_HORIZON_DAYS)
            resource_of = {tid: context["technicians"][tid]["resource_id"] for tid in tids}
            if calendar_id:
                calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
                intervals = calendar._work_intervals_batch(begin, end, resources=resources.browse(resource_of.values()))
            else:
                intervals = self._leave_gaps(resource_of, begin, end)
            for tid in tids:
                slots[tid] = False
                for interval_start, interval_stop, _meta in intervals.get(resource_of[tid], []):
                    if interval_stop > starts[tid]:
                        slot = max(interval_start, starts[tid])
                        slots[tid] = slot.astimezone(pytz.utc).replace(tzinfo=None)
                        break
        return slots

    @api.model
    def _read_leaves(self, date_from, date_to, resource_ids, calendar_ids, field_names, order=None):
        """Leaves overlapping ``date_from``-``date_to`` (naive UTC): the own leaves of the resources
        ``resource_ids`` and the public holidays (leaves without resource) of the calendars
        ``calendar_ids`` (``False`` for the holidays of every calendar). One query; rows as
        ``search_read`` returns them, with ``resource_id`` and ``field_names``. Invoked by
        ``_get_available`` (who is on leave now) and ``_leave_gaps`` (earliest slot)."""
        return (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_read(
                [
                    ("time_type", "=", "leave"),
                    ("date_from", "<", date_to),
                    ("date_to", ">", date_from),
                    "|",
                    ("resource_id", "in", resource_ids),
                    "&",
                    ("resource_id", "=", False),
                    ("calendar_id", "in", calendar_ids),
                ],
                ["resource_id", *field_names],
                load=None,
                order=order,
            )
        )

    def _leave_gaps(self, resource_of, begin, end):
        """``{resource_id: [(start, stop, None)]}``: the time between ``begin`` and ``end`` not covered
        by a leave of the resource or a public holiday without calendar (technicians without calendar)."""
        leaves = self._read_leaves(
            begin.replace(tzinfo=None),
            end.replace(tzinfo=None),
            list(resource_of.values()),
            [False],
            ["date_from", "date_to"],
            order="date_from",
        )
        gaps = {}
        for resource_id in resource_of.values():
            cursor, free = begin, []
            for leave in leaves:
                if leave["resource_id"] not in (False, resource_id):
                    continue
                leave_from = pytz.utc.localize(leave["date_from"])
                leave_to = pytz.utc.localize(leave["date_to"])
                if leave_from > cursor:
                    free.append((cursor, leave_from, None))
                cursor = max(cursor, leave_to)
            if cursor < end:
                free.append((cursor, end, None))
            gaps[resource_id] = free
        return gaps

    def _counts_text(self, counts):
        """Translated list of why technicians cannot take an order now, e.g. "3 off shift, 2 at full
        load", from the ``counts`` of :meth:`_explain_unassigned` (empty when nobody is excluded)."""
        parts = []
        if counts.get("off_shift"):
            parts.append(self.env._("%(count)s off shift", count=counts["off_shift"]))
        if counts.get("on_leave"):
            parts.append(self.env._("%(count)s on leave", count=counts["on_leave"]))
        if counts.get("skill"):
            parts.append(self.env._("%(count)s missing the skill", count=counts["skill"]))
        if counts.get("full"):
            parts.append(self.env._("%(count)s at full load", count=counts["full"]))
        if counts.get("declined"):
            parts.append(self.env._("%(count)s declined the order", count=counts["declined"]))
        if counts.get("locked"):
            parts.append(self.env._("%(count)s being assigned elsewhere", count=counts["locked"]))
        return ", ".join(parts)

    def _unassigned_message(self, order, counts, slot, technician_name):
        """Translated sentence: why nobody can take ``order`` now, in numbers, and the earliest slot."""
        if counts.get("available"):
            return self.env._(
                "%(order)s was not dispatched although %(count)s technician(s) can take it now: try again.",
                order=order.name,
                count=counts["available"],
            )
        reasons = self._counts_text(counts) or self.env._("no technician serves this centre")
        if slot:
            return self.env._(
                "Nobody can take %(order)s now: %(reasons)s. Earliest slot: %(slot)s (%(technician)s).",
                order=order.name,
                reasons=reasons,
                slot=self._format_slot(slot),
                technician=technician_name,
            )
        return self.env._(
            "Nobody can take %(order)s now: %(reasons)s. No qualified technician works in the next %(days)s days.",
            order=order.name,
            reasons=reasons,
            days=SLOT_HORIZON_DAYS,
        )

    def _format_slot(self, slot):
        """A slot (naive UTC) as the user reads it: weekday, date and time in the user's time zone,
        Jalali with Persian digits for Persian readers."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = pytz.utc.localize(slot).astimezone(tz)
        if (self.env.lang or "").startswith("fa"):
            jlocal = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None), locale="fa_IR")
            return f"{jlocal.strftime('%A')} {format_jalali(local.replace(tzinfo=None))}"
        return format_datetime(self.env, slot, tz=tz.zone, dt_format="EEEE d MMM y HH:mm")

    @api.model
    def _technician_origin(self, tech):
        """Where the technician starts from: their last known position, else their home, else ``None``.
        ``tech`` is a row of ``_get_technicians`` or an ``hr.employee`` record."""
        if tech["last_latitude"] or tech["last_longitude"]:
            return (tech["last_latitude"], tech["last_longitude"])
        if tech["home_latitude"] or tech["home_longitude"]:
            return (tech["home_latitude"], tech["home_longitude"])
        return None

    @api.model
    def _technician_distance_km(self, tech, position):
        """Kilometres from the technician's origin (``_technician_origin``) to ``position``
        (latitude, longitude); ``None`` when either is unknown."""
        origin = self._technician_origin(tech) if position else None
        return haversine_km(*origin, *position) if origin else None

    def _score(self, context, order_info, tech, load=None):
        """Score of ``tech`` for the order and its breakdown."""
        weights = context["weights"][order_info["company_id"]]
        tid = tech["id"]
        load = context["load"].get(tid, 0) if load is None else load
        distance_km = self._technician_distance_km(tech, order_info["position"])
        distance = weights["scale"] / (weights["scale"] + distance_km) if distance_km is not None else 0.0
        max_jobs = tech["max_jobs_per_day"]
        free = max(0.0, 1.0 - load / max_jobs) if max_jobs else 1.0 / (1.0 + load)
        skills = context["skills"].get(tid, {})
        if order_info["skill_ids"]:
            skill = sum(skills.get(sid, 0) for sid in order_info["skill_ids"]) / (100.0 * len(order_info["skill_ids"]))
        else:
            skill = 1.0
        preferred = 1.0 if order_info["preferred_id"] == tid else 0.0
        order_weight = self._order_weight(context, order_info)
        breakdown = {
            "distance": weights["distance"] * distance,
            "load": weights["load"] * free,
            "preferred": weights["preferred"] * preferred,
            "skill": order_weight * skill,
        }
        return {
            "employee_id": tid,
            "name": tech["name"],
            "score": sum(breakdown.values()),
            "distance_km": distance_km,
            "load": load,
            "jobs_today": context["jobs_today"].get(tid, 0),
            "max_jobs": max_jobs,
            "skill": skill,
            "preferred": bool(preferred),
            "breakdown": breakdown,
            "eligible": True,
            "reason": "",
        }

    def _rank_order(self, context, order):
        """Ranking of ``order`` (entries as :meth:`rank_technicians` returns them), best first.

        The hard filters of :meth:`_rejection_code` and the arithmetic of :meth:`_score`, inlined on the
        candidates with the context's dictionaries bound to locals: this loop runs over every technician
        of the order's centre (1,000 of them in the benchmark), where a method call and a few dictionary
        look-ups per technician and criterion were most of the ranking. Same results as calling
        ``_rejection_code`` and ``_score`` per technician (compared by a test)."""
        info = context["order_data"][order.id]
        if info["centre_id"]:
            pool = context["by_centre"].get(info["centre_id"], [])
        else:
            pool = context["technicians"].values()
        weights = context["weights"][info["company_id"]]
        scale, w_distance, w_load, w_preferred = (
            weights["scale"],
            weights["distance"],
            weights["load"],
            weights["preferred"],
        )
        order_weight = self._order_weight(context, info)
        load_of, jobs_of, skills_of = context["load"], context["jobs_today"], context["skills"]
        available, locked_out, unavailable = context["available"], context["locked_out"], context["unavailable"]
        also_serves = context["also_serves"]
        company_id, centre_id, declined = info["company_id"], info["centre_id"], info["declined"]
        skill_ids, min_level, position, preferred_id = (
            info["skill_ids"],
            info["min_level"],
            info["position"],
            info["preferred_id"],
        )
        skill_divisor = 100.0 * len(skill_ids)
        keep_rejected = context["keep_rejected"]
        no_skills = {}
        ranking = []
        for tech in pool:
            tid = tech["id"]
            skills = skills_of.get(tid, no_skills)
            max_jobs = tech["max_jobs_per_day"]
            jobs_today = jobs_of.get(tid, 0)
            # the hard filters, in the order of _rejection_code
            code = None
            if tech["company_id"] != company_id:
                code = "company"
            elif centre_id and centre_id != tech["service_centre_id"] and centre_id not in also_serves.get(tid, ()):
                code = "centre"
            elif tid in declined:
                code = "declined"
            elif any(skills.get(sid, -1) < min_level for sid in skill_ids):
                code = "skill"
            elif tid not in available:
                code = unavailable.get(tid, "off_shift")
            elif tid in locked_out:
                code = "locked"
            elif max_jobs and jobs_today >= max_jobs:
                code = "full"
            if code:
                if keep_rejected:
                    context["rejected"][order.id].append(
                        {
                            "employee_id": tid,
                            "name": tech["name"],
                            "score": 0.0,
                            "distance_km": None,
                            "load": load_of.get(tid, 0),
                            "jobs_today": jobs_today,
                            "max_jobs": max_jobs,
                            "skill": 0.0,
                            "preferred": False,
                            "breakdown": {},
                            "eligible": False,
                            "reason": self._rejection_reason(context, info, tech, code),
                        }
                    )
                continue
            # the score, as _score computes it
            load = load_of.get(tid, 0)
            distance_km = self._technician_distance_km(tech, position) if position else None
            distance = scale / (scale + distance_km) if distance_km is not None else 0.0
            free = max(0.0, 1.0 - load / max_jobs) if max_jobs else 1.0 / (1.0 + load)
            if skill_ids:
                skill = sum(skills.get(sid, 0) for sid in skill_ids) / skill_divisor
            else:
                skill = 1.0
            preferred = 1.0 if preferred_id == tid else 0.0
            breakdown = {
                "distance": w_distance * distance,
                "load": w_load * free,
                "preferred": w_preferred * preferred,
                "skill": order_weight * skill,
            }
            ranking.append(
                {
                    "employee_id": tid,
                    "name": tech["name"],
                    "score": sum(breakdown.values()),
                    "distance_km": distance_km,
                    "load": load,
                    "jobs_today": jobs_today,
                    "max_jobs": max_jobs,
                    "skill": skill,
                    "preferred": bool(preferred),
                    "breakdown": breakdown,
                    "eligible": True,
                    "reason": "",
                }
            )
        ranking.sort(key=lambda r: (-r["score"], r["employee_id"]))
        return ranking

    def _static_group(self, context, info, groups):
        """``[(employee_id, skill, origin, phi, cos_phi, longitude, max_jobs)]``: the technicians of the order's
        pool who pass the filters that do not depend on the order itself (company, availability, locks, daily
        limit, skills), for its centre, company and required skills, computed once per batch (``groups``).
        ``phi`` and ``cos_phi`` are the parts of the haversine formula that depend on the technician only."""
        skill_ids = info["skill_ids"]
        key = (info["centre_id"], info["company_id"], tuple(skill_ids), info["min_level"])
        group = groups.get(key)
        if group is not None:
            return group
        pool = context["by_centre"].get(info["centre_id"], []) if info["centre_id"] else context["technicians"].values()
        available, locked_out, jobs_today = context["available"], context["locked_out"], context["jobs_today"]
        group = groups[key] = []
        for tech in pool:
            tid = tech["id"]
            if tech["company_id"] != info["company_id"] or tid not in available or tid in locked_out:
                continue
            max_jobs = tech["max_jobs_per_day"]
            if max_jobs and jobs_today.get(tid, 0) >= max_jobs:
                continue
            skills = context["skills"].get(tid, {})
            if any(skills.get(sid, -1) < info["min_level"] for sid in skill_ids):
                continue
            skill = sum(skills[sid] for sid in skill_ids) / (100.0 * len(skill_ids)) if skill_ids else 1.0
            origin = self._technician_origin(tech)
            phi = math.radians(origin[0]) if origin else None
            group.append((tid, skill, origin, phi, math.cos(phi) if origin else None, origin and origin[1], max_jobs))
        return group

    def _order_candidates(self, context, info, load, groups, window=None):
        """``(entries, complete)``: the candidates of an order as ``(-bound, index in the pool, employee_id,
        static score, max_jobs)``, best bound first; only the ``window`` first ones unless ``complete``.

        ``static`` is the score without its load part, as :meth:`_score` adds it up for the batch: skill
        part, distance part (the haversine formula of ``distance_km`` with the technician's parts computed
        once), preferred technician. ``bound`` is ``static`` plus the load part at the current load: loads
        only grow while assigning, so it bounds the score from above (see :meth:`_solve_assignment`).
        """
        weights = context["weights"][info["company_id"]]
        scale, w_distance, w_preferred, w_load = (
            weights["scale"],
            weights["distance"],
            weights["preferred"],
            weights["load"],
        )
        order_weight = self._order_weight(context, info)
        declined, preferred_id, position = info["declined"], info["preferred_id"], info["position"]
        if position:
            latitude, longitude = position
            phi2 = math.radians(latitude)
            cos_phi2 = math.cos(phi2)
        radians, sin, sqrt, asin = math.radians, math.sin, math.sqrt, math.asin
        entries = []
        for index, (tid, skill, origin, phi1, cos_phi1, lon1, max_jobs) in enumerate(
            self._static_group(context, info, groups)
        ):
            if tid in declined:
                continue
            static = order_weight * skill
            if origin is not None and position:
                # distance_km(*origin, *position), term by term
                dphi = phi2 - phi1
                dlambda = radians(longitude - lon1)
                a = sin(dphi / 2) ** 2 + cos_phi1 * cos_phi2 * sin(dlambda / 2) ** 2
                root = sqrt(a)
                distance_km = 2 * EARTH_RADIUS_KM * asin(root if root < 1.0 else 1.0)
                static += w_distance * scale / (scale + distance_km)
            if preferred_id == tid:
                static += w_preferred
            if w_load >= 0:
                current = load.get(tid, 0)
                free = max(0.0, 1.0 - current / max_jobs) if max_jobs else 1.0 / (1.0 + current)
                bound = static + w_load * free
            else:
                bound = static
            entries.append((-bound, index, tid, static, max_jobs))
        entries.sort()
        if window and len(entries) > window:
            return entries[:window], False
        return entries, True

    def _order_weight(self, context, info):
        """The order's own part of every technician's score: its urgency and VIP weights."""
        weights = context["weights"][info["company_id"]]
        return weights["urgency"] * info["urgency"] + weights["vip"] * info["vip"]

    # ------------------------------------------------------------------ assignment

    def _solve_assignment(self, context, orders):
        """Greedy-with-regret assignment under daily capacities; returns ``{order_id: employee_id}``.

        Each evaluation of an order looks for its best and second best technician at their current load.
        The candidates are kept sorted by an upper bound of their score (the score at their load before
        the batch: a load only grows while assigning, so the load part of a score only shrinks), and the
        scan stops at the first candidate whose bound is below the second best score found: no candidate
        after it can change the best one nor the regret. Ties are broken as a scan of the whole pool in
        its order would (the first technician of the pool wins), so the plan is the one of the full scan.
        Only the ``CANDIDATE_WINDOW`` best bounds of each order are kept (10,000 orders of 1,000 candidates
        would be 10 million entries); an evaluation that runs out of them before the bound stops it
        computes all the candidates of that order again.
        """
        technicians = context["technicians"]
        load = dict(context["load"])
        capacity = {}
        for tid, tech in technicians.items():
            limit = tech["max_jobs_per_day"]
            capacity[tid] = limit - context["jobs_today"].get(tid, 0) if limit else math.inf
        groups, infos, candidates, tiers = {}, {}, {}, {}
        for order in orders:
            info = infos[order.id] = context["order_data"][order.id]
            tiers[order.id] = round(self._order_weight(context, info), 1)
            candidates[order.id] = self._order_candidates(context, info, load, groups, window=CANDIDATE_WINDOW)

        def evaluate(order_id):
            entries, complete = candidates[order_id]
            w_load = context["weights"][infos[order_id]["company_id"]]["load"]
            best, best_tid, second, stopped = best_two(entries, w_load, capacity, load)
            if not stopped and not complete:
                # the window ran out before the bound did: all the candidates of this order, then again
                candidates[order_id] = self._order_candidates(context, infos[order_id], load, groups)
                return evaluate(order_id)
            if best is None:
                return None
            regret = best - second if second is not None else best + 1000.0
            return (-tiers[order_id], -regret, -best, order_id), best_tid

        heap = []
        for order_id in candidates:
            evaluated = evaluate(order_id)
            if evaluated:
                heapq.heappush(heap, evaluated[0] + (evaluated[1],))
        plan = {}
        while heap:
            key0, key1, key2, order_id, tid = heapq.heappop(heap)
            if order_id in plan:
                continue
            # lazy check: re-evaluate when the chosen technician changed since the entry was computed
            fresh = evaluate(order_id)
            if fresh is None:
                continue
            fresh_key, fresh_tid = fresh
            if fresh_tid != tid or fresh_key != (key0, key1, key2, order_id):
                heapq.heappush(heap, fresh_key + (fresh_tid,))
                continue
            plan[order_id] = tid
            capacity[tid] -= 1
            load[tid] = load.get(tid, 0) + 1
        return plan

    def _prefetch_plan_writes(self, orders, technicians):
        """Read at once what each write of :meth:`_apply_plan` reads: the orders' state and assignment (for
        the notifications), and for the company check that every write runs (``_check_company`` checks all
        the fields with ``check_company`` of the written orders) those fields and the company of what they
        point to, technicians included. Read one write at a time, each was a query or more per technician
        (a read of every employee column with its access checks, the order's stock moves, the customer)."""
        check_fields = [
            name
            for name, field in orders._fields.items()
            if field.relational and field.check_company and not field.company_dependent
        ]
        orders.fetch(["state", "technician_id", "waiting_reason", "schedule_date", "company_id", *check_fields])
        technicians.fetch(["company_id"])
        for name in check_fields:
            linked = orders[name]
            if "company_id" in linked._fields:
                linked.fetch(["company_id"])

    def _apply_plan(self, orders, plan):
        """Write the assignments, one write per technician (the write notifies the technicians)."""
        if not plan:
            return
        orders = self.env["repair.order"].browse(list(plan))
        if not self.env.su:
            # the assignment is a protected field, written below as superuser: only dispatchers assign, and
            # only orders they may edit
            if not self.env.user.has_group("aftersales_service.group_aftersales_dispatcher"):
                raise AccessError(self.env._("Only dispatchers and after-sales managers can assign technicians."))
            orders.check_access("write")
        now = fields.Datetime.now()
        by_technician = defaultdict(list)
        for order_id, tid in plan.items():
            by_technician[tid].append(order_id)
        # the company check of technician_id still runs on this write (the engine only picks technicians of
        # the order's company; a mismatch is an error, never skipped)
        order_model = self.env["repair.order"].sudo().with_context(aftersales_defer_technician_notification=True)
        self._prefetch_plan_writes(
            order_model.browse(list(plan)), self.env["hr.employee"].sudo().browse(list(by_technician))
        )
        for tid, order_ids in by_technician.items():
            order_model.browse(order_ids).write(
                {
                    "technician_id": tid,
                    "dispatch_state": "offered",
                    "dispatch_offer_date": now,
                }
            )
        # touch the technician rows: a concurrent transaction with an older snapshot now fails to lock them
        self.env["hr.employee"].sudo().browse(list(by_technician)).write({"aftersales_last_dispatch_date": now})
        # one batched notification (follow, to-do activity, email) for all the assigned orders
        orders._notify_technician()
