"""Route planner: assign and sequence a centre's open service orders of one day among its technicians.

The planner builds a vehicle routing problem and hands it to VROOM (``pyvroom``), a real solver built
for skills, time windows and priorities:

* vehicles are the technicians of the centre working that day: their time window is their working
  time of the day (``resource.calendar._work_intervals_batch``: attendances in their time zone minus
  public holidays and their own leaves; the dispatch engine's ``_leave_gaps`` for technicians without
  a calendar), the gaps between working intervals (lunch) are breaks, their start and end are their
  home, their last known position or the centre (company setting), their number of jobs the rest of
  their daily job limit;
* jobs are the orders: service time from the service type's standard duration, the SLA response
  deadline as time window, a priority from urgency and VIP tier (the dispatch engine's own figures),
  the eligible technicians as skills: the dispatch engine's hard filters (company, centre, required
  skills and level, technicians who declined) and, when the order's parts are known, the technicians
  whose van holds them;
* visits already under way stay where they are: an order accepted by its technician stays with that
  technician, an order whose technician is on the way or working makes the technician's day start
  there, after the expected end of that work.

Lateness is minimised lexicographically: a first solve with the deadlines as hard windows finds which
orders can be on time; a second solve keeps those windows and adds the others without window (they will
be late), starting from the first solution's routes. Travel times come from the straight-line distance
(the dispatch engine's haversine) with a road factor and the company's average speed, or from an
OSRM-compatible routing server when its URL is set (falling back to straight lines when it fails).

The same day is also played the way the dispatch engine does it today, one order at a time (its own
ranking, each order to the best technician still under their daily limit, visits in the order of
assignment): the "before" figures of a plan and the baseline of ``tools/bench_planning.py``.
"""

import json
import logging
import time as time_module
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.aftersales_dispatch.models.aftersales_dispatch import haversine_km
from odoo.addons.aftersales_service.models.repair_order import OPEN_STATES

try:
    import vroom
except ImportError:  # pragma: no cover - declared in external_dependencies
    vroom = None

_logger = logging.getLogger(__name__)

# skill ids given to VROOM: one per set of eligible technicians, one per technician for pinned visits
PIN_SKILL_BASE = 1_000_000
# states of a service order still to be visited: the planner leaves out orders being repaired elsewhere
PLANNABLE_STATES = ("draft", "confirmed")


class AftersalesPlanner(models.AbstractModel):
    _name = "aftersales.planner"
    _description = "After-Sales Route Planner"

    # ------------------------------------------------------------------ problem

    @api.model
    def _plan_timezone(self, centre):
        return (
            centre.partner_id.tz
            or centre.company_id.partner_id.tz
            or self.env.context.get("tz")
            or self.env.user.tz
            or "UTC"
        )

    @api.model
    def _get_plan_orders(self, centre, day):
        """The open after-sales orders of ``centre`` to visit on ``day``: unassigned ones, and those
        assigned for that day or earlier (or without date); not the orders on hold nor those done in the
        workshop or remotely."""
        tz = pytz.timezone(self._plan_timezone(centre))
        day_end = tz.localize(datetime.combine(day + timedelta(days=1), time.min)).astimezone(pytz.utc)
        day_end = day_end.replace(tzinfo=None)
        return self.env["repair.order"].search(
            [
                ("is_aftersales", "=", True),
                ("company_id", "=", centre.company_id.id),
                ("service_centre_id", "=", centre.id),
                ("state", "in", OPEN_STATES),
                ("waiting_reason", "=", False),
                "|",
                ("order_type_id", "=", False),
                ("order_type_id.location", "not in", ("workshop", "remote")),
                "|",
                ("technician_id", "=", False),
                "|",
                ("schedule_date", "=", False),
                ("schedule_date", "<", day_end),
            ],
            order="sla_response_deadline, id",
        )

    @api.model
    def _build_problem(self, centre, day, orders=None, now=None):
        """Everything the solver and the evaluation need, as plain data (see module docstring).

        Raise a translated UserError when there is nothing to plan: no technician, nobody working.
        """
        engine = self.env["aftersales.dispatch"]
        tzname = self._plan_timezone(centre)
        tz = pytz.timezone(tzname)
        now = now or fields.Datetime.now()
        orders = self._get_plan_orders(centre, day) if orders is None else orders
        if not orders:
            raise UserError(
                self.env._(
                    "Centre %(centre)s has no open service order to visit on %(day)s.",
                    centre=centre.display_name,
                    day=day,
                )
            )
        day_start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
        day_end = tz.localize(datetime.combine(day + timedelta(days=1), time.min)).astimezone(pytz.utc)
        horizon = max(day_start, pytz.utc.localize(now))
        if horizon >= day_end:
            raise UserError(self.env._("%(day)s is over: plan today or a later day.", day=day))
        origin = day_start.replace(tzinfo=None)  # time 0 of the problem (naive UTC)
        company = centre.company_id
        # the engine's own data: technicians of the centre, skills, declines, urgency, tier, jobs of the day
        context = engine.with_context(tz=tzname)._prepare_context(orders, at=horizon.replace(tzinfo=None))
        pool = {
            tech["id"]: tech for tech in context["by_centre"].get(centre.id, []) if tech["company_id"] == company.id
        }
        if not pool:
            raise UserError(
                self.env._("Centre %(centre)s has no technician: nobody to plan for.", centre=centre.display_name)
            )
        intervals = self._day_intervals(pool, horizon, day_end)
        working = {tid: spans for tid, spans in intervals.items() if spans}
        if not working:
            raise UserError(
                self.env._(
                    "No technician of centre %(centre)s works on %(day)s (shifts, leaves and public holidays).",
                    centre=centre.display_name,
                    day=day,
                )
            )
        # the one-by-one dispatch of the baseline takes technicians who work some time of the day
        context["available"] = set(working)
        context["unavailable"] = {}
        jobs_today = engine.with_context(tz=tzname)._count_jobs_today(
            list(working), horizon.replace(tzinfo=None), exclude_order_ids=orders.ids
        )
        start_mode = company.aftersales_planning_route_start or "home"
        centre_position = (
            (centre.partner_latitude, centre.partner_longitude)
            if (centre.partner_latitude or centre.partner_longitude)
            else None
        )

        def seconds(value):
            return int((value - origin).total_seconds())

        technicians = {}
        for tid, spans in working.items():
            tech = pool[tid]
            start = self._route_start(tech, start_mode, centre_position)
            breaks = [
                (seconds(a_end), seconds(b_start)) for (_a, a_end), (b_start, _b) in zip(spans, spans[1:], strict=False)
            ]
            max_jobs = tech["max_jobs_per_day"]
            technicians[tid] = {
                "id": tid,
                "name": tech["name"],
                "start": start,
                "end": start if start_mode != "last" else None,
                "window": (seconds(spans[0][0]), seconds(spans[-1][1])),
                "breaks": breaks,
                "capacity": max(0, max_jobs - jobs_today.get(tid, 0)) if max_jobs else None,
                "row": tech,
            }
        order_jobs = self._build_jobs(orders, context, pool, technicians, seconds)
        self._start_after_work_under_way(technicians, order_jobs, seconds, now, seconds(horizon.replace(tzinfo=None)))
        return {
            "centre": centre,
            "company": company,
            "origin": origin,
            "horizon": seconds(horizon.replace(tzinfo=None)),
            "technicians": technicians,
            "jobs": order_jobs,
            "context": context,
            "messages": [],
        }

    @api.model
    def _build_jobs(self, orders, context, pool, technicians, seconds):
        """One job per order: position, duration, deadline, priority, eligible technicians, fixed or not."""
        parts = self._order_parts(orders)
        vans = self._van_stock(pool, parts)
        engine = self.env["aftersales.dispatch"]
        order_jobs = {}
        for order in orders:
            info = context["order_data"][order.id]
            eligible = set()
            for tid in technicians:
                code = engine._rejection_code(context, info, pool[tid])
                if code not in ("company", "centre", "declined", "skill"):
                    eligible.add(tid)
            needed = parts.get(order.id)
            if needed and eligible:
                stocked = {tid for tid in eligible if self._van_holds(vans.get(tid, {}), needed)}
                if stocked:  # when nobody carries the parts, they come from the warehouse: no restriction
                    eligible = stocked
            service_type = order.service_type_id
            duration = int((service_type.standard_duration or 1.0) * 3600)
            deadline = info["deadline"]
            fixed = "none"
            if order.technician_id:
                if order.state == "under_repair" or order.date_on_the_way:
                    fixed = "under_way"
                elif order.dispatch_state == "accepted":
                    fixed = "accepted"
            order_jobs[order.id] = {
                "id": order.id,
                "name": order.name,
                "position": info["position"],
                "duration": duration,
                "deadline": seconds(deadline) if deadline else None,
                "priority": min(100, int(10 + 50 * info["urgency"] + 30 * info["vip"])),
                "eligible": eligible,
                "technician_id": order.technician_id.id,
                "fixed": fixed,
                "order": order,
            }
        return order_jobs

    @api.model
    def _start_after_work_under_way(self, technicians, order_jobs, seconds, now, horizon):
        """A visit under way (technician on the way or at work): the technician's day goes on from that
        customer, after the expected end of that work."""
        for job in order_jobs.values():
            tech = technicians.get(job["technician_id"])
            if job["fixed"] != "under_way" or not tech:
                continue
            order = job["order"]
            began = order.date_started or order.eta_date or now
            end = seconds(began) + job["duration"]
            job["planned_start"] = seconds(began)
            if job["position"]:
                tech["start"] = job["position"]
            tech["window"] = (max(tech["window"][0], end, horizon), tech["window"][1])
            tech.setdefault("under_way", []).append(job["id"])

    @api.model
    def _route_start(self, tech, mode, centre_position):
        """Where a technician's day starts (and ends): their home, the centre, or their last position
        (``mode`` from the company); the dispatch engine's origin when that one is unknown."""
        if mode == "centre" and centre_position:
            return centre_position
        if mode == "home" and (tech["home_latitude"] or tech["home_longitude"]):
            return (tech["home_latitude"], tech["home_longitude"])
        return self.env["aftersales.dispatch"]._technician_origin(tech) or centre_position

    @api.model
    def _day_intervals(self, technicians, begin, end):
        """``{technician_id: [(start, stop)]}`` (naive UTC, merged): the working time of each technician
        between ``begin`` and ``end`` (aware UTC), as the dispatch engine's earliest-slot search reads it:
        one ``_work_intervals_batch`` per calendar (attendances in each technician's time zone minus
        public holidays and own leaves), the engine's ``_leave_gaps`` for technicians without calendar."""
        engine = self.env["aftersales.dispatch"]
        by_calendar = defaultdict(list)
        for tid, tech in technicians.items():
            by_calendar[tech["resource_calendar_id"] or False].append(tid)
        resources = self.env["resource.resource"].sudo()
        result = {}
        for calendar_id, tids in by_calendar.items():
            resource_of = {tid: technicians[tid]["resource_id"] for tid in tids}
            if calendar_id:
                calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
                found = calendar._work_intervals_batch(
                    begin, end, resources=resources.browse(list(resource_of.values()))
                )
            else:
                found = engine._leave_gaps(resource_of, begin, end)
            for tid in tids:
                spans = []
                for start, stop, _meta in found.get(resource_of[tid], []):
                    start = max(start, begin).astimezone(pytz.utc).replace(tzinfo=None)
                    stop = min(stop, end).astimezone(pytz.utc).replace(tzinfo=None)
                    if stop <= start:
                        continue
                    if spans and start <= spans[-1][1]:
                        spans[-1] = (spans[-1][0], max(stop, spans[-1][1]))
                    else:
                        spans.append((start, stop))
                result[tid] = spans
        return result

    @api.model
    def _order_parts(self, orders):
        """``{order_id: {product_id: quantity}}``: the parts on the orders' repair lines (when known)."""
        moves = (
            self.env["stock.move"]
            .sudo()
            .search_read(
                [("repair_id", "in", orders.ids), ("repair_line_type", "=", "add"), ("state", "!=", "cancel")],
                ["repair_id", "product_id", "product_uom_qty"],
                load=None,
            )
        )
        parts = defaultdict(lambda: defaultdict(float))
        for move in moves:
            parts[move["repair_id"]][move["product_id"]] += move["product_uom_qty"]
        return parts

    @api.model
    def _van_stock(self, technicians, parts):
        """``{technician_id: {product_id: quantity}}`` in the technicians' vans for the needed products."""
        products = {pid for needed in parts.values() for pid in needed}
        if not products:
            return {}
        employees = self.env["hr.employee"].sudo().browse(list(technicians))
        van_of = {emp.van_location_id.id: emp.id for emp in employees if emp.van_location_id}
        if not van_of:
            return {}
        quants = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [("location_id", "in", list(van_of)), ("product_id", "in", list(products))],
                ["location_id", "product_id"],
                ["quantity:sum"],
            )
        )
        stock = defaultdict(dict)
        for location, product, quantity in quants:
            stock[van_of[location.id]][product.id] = quantity
        return stock

    @api.model
    def _van_holds(self, van, needed):
        return all(van.get(pid, 0.0) >= qty for pid, qty in needed.items())

    # ------------------------------------------------------------------ travel

    @api.model
    def _travel_matrix(self, company, points):
        """``(seconds, metres, source)`` matrices between ``points`` (latitude, longitude): from the
        company's OSRM-compatible server when one is set and answers, else straight lines (the dispatch
        engine's haversine) times the road factor at the company's average speed. ``source`` is
        ``'osrm'`` or ``'straight'``; a failed server leaves a message in ``messages``."""
        url = (company.aftersales_planning_osrm_url or "").strip()
        if url and len(points) > 1:
            try:
                return (*self._osrm_table(url, points), "osrm")
            except Exception as error:  # noqa: BLE001 - any failure of the server: straight lines instead
                _logger.warning("OSRM server %s failed, using straight lines: %s", url, error)
                self.env.context.get("planning_messages", []).append(
                    self.env._(
                        "The routing server did not answer (%(error)s): straight-line distances used.", error=error
                    )
                )
        factor = company.aftersales_planning_road_factor or 1.3
        speed = company.aftersales_dispatch_average_speed or 30.0
        size = len(points)
        metres = [[0] * size for _ in range(size)]
        durations = [[0] * size for _ in range(size)]
        for i, (lat1, lon1) in enumerate(points):
            row_m, row_s = metres[i], durations[i]
            for j in range(i + 1, size):
                km = haversine_km(lat1, lon1, *points[j]) * factor
                row_m[j] = metres[j][i] = int(km * 1000)
                row_s[j] = durations[j][i] = int(km / speed * 3600)
        return durations, metres, "straight"

    @api.model
    def _osrm_table(self, url, points):
        """Durations and distances from an OSRM ``/table`` service (``annotations=duration,distance``)."""
        coordinates = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
        query = urllib.parse.urlencode({"annotations": "duration,distance"})
        request_url = f"{url.rstrip('/')}/table/v1/driving/{coordinates}?{query}"
        if not request_url.startswith(("http://", "https://")):
            raise ValueError("the routing server URL must start with http:// or https://")
        with urllib.request.urlopen(request_url, timeout=20) as response:  # noqa: S310 (scheme checked above)
            data = json.loads(response.read().decode())
        if data.get("code") != "Ok":
            raise ValueError(data.get("message") or data.get("code") or "no answer")
        durations, distances = data.get("durations"), data.get("distances")
        size = len(points)
        if not durations or len(durations) != size or any(len(row) != size for row in durations):
            raise ValueError("the duration table does not match the points")
        if not distances or len(distances) != size:
            raise ValueError("the distance table does not match the points")
        if any(value is None for row in durations for value in row):
            raise ValueError("some points cannot be reached")
        seconds = [[int(value) for value in row] for row in durations]
        metres = [[int(value or 0) for value in row] for row in distances]
        return seconds, metres

    # ------------------------------------------------------------------ solve

    @api.model
    def _solve(self, problem, time_limit=None):
        """Solve ``problem`` with VROOM; return ``{technician_id: [order_id, ...]}``, the unassigned
        order ids with a reason, and the solver's seconds."""
        if vroom is None:
            raise UserError(self.env._("The route solver (Python package pyvroom) is not installed."))
        started = time_module.perf_counter()
        technicians = problem["technicians"]
        jobs = problem["jobs"]
        unassigned = {}
        points, index_of = [], {}

        def point(position):
            key = (round(position[0], 6), round(position[1], 6))
            if key not in index_of:
                index_of[key] = len(points)
                points.append(key)
            return index_of[key]

        vehicles = []
        for tech in technicians.values():
            if tech["start"] is None:
                continue
            vehicles.append(tech)
            tech["start_index"] = point(tech["start"])
            tech["end_index"] = point(tech["end"]) if tech["end"] else None
        routed = []
        for job in jobs.values():
            if job["fixed"] == "under_way":
                continue
            if not job["position"]:
                unassigned[job["id"]] = self.env._("The customer has no position (latitude and longitude).")
                continue
            if job["fixed"] == "accepted" and job["technician_id"] in technicians:
                job["eligible"] = {job["technician_id"]}
            if not job["eligible"]:
                unassigned[job["id"]] = self.env._(
                    "No technician of the centre can take it (skills, level or declined)."
                )
                continue
            job["index"] = point(job["position"])
            routed.append(job)
        messages = problem["messages"]
        durations, metres, source = self.with_context(planning_messages=messages)._travel_matrix(
            problem["company"], points
        )
        problem.update(points=points, durations=durations, metres=metres, source=source)
        if not vehicles:
            for job in routed:
                unassigned[job["id"]] = self.env._("No technician has a known start position.")
            return {}, unassigned, time_module.perf_counter() - started
        if not routed:
            return {}, unassigned, time_module.perf_counter() - started
        limit = time_limit or problem["company"].aftersales_planning_time_limit or 60
        routes = self._two_solves(problem, vehicles, routed, limit)
        placed = {job_id for route in routes.values() for job_id in route}
        for job in routed:
            if job["id"] not in placed:
                unassigned[job["id"]] = self.env._("No room in the technicians' day (working time or daily job limit).")
        return routes, unassigned, time_module.perf_counter() - started

    @api.model
    def _two_solves(self, problem, vehicles, routed, limit):
        """Lateness first, then travel: a first solve with the deadlines as hard windows (who can be on
        time), a second one, started from the first routes, that adds the others (late). Returns
        ``{technician_id: [order_id, ...]}``."""
        # one VROOM skill per set of eligible technicians (and per technician for accepted visits)
        vehicle_number = {tech["id"]: number for number, tech in enumerate(vehicles, start=1)}
        skill_of_set, vehicle_skills = {}, defaultdict(set)
        for job in routed:
            if job["fixed"] == "accepted":
                job["skill"] = PIN_SKILL_BASE + vehicle_number[job["technician_id"]]
                vehicle_skills[job["technician_id"]].add(job["skill"])
                continue
            key = frozenset(job["eligible"])
            if key not in skill_of_set:
                skill_of_set[key] = len(skill_of_set) + 1
                for tid in key:
                    vehicle_skills[tid].add(skill_of_set[key])
            job["skill"] = skill_of_set[key]
        first = self._vroom_solve(problem, vehicles, vehicle_number, vehicle_skills, routed, set(), limit / 2)
        routes = self._job_routes(first)
        on_time = {job_id for route in routes.values() for job_id in route}
        late_ok = {job["id"] for job in routed if job["id"] not in on_time}
        if not late_ok:
            return routes
        args = (problem, vehicles, vehicle_number, vehicle_skills, routed, late_ok, limit / 2)
        try:
            second = self._vroom_solve(*args, initial=first)
        except vroom._vroom.VroomInputException as error:  # the first routes rejected as a start: from scratch
            _logger.info("Route planner: second solve without initial routes (%s)", error)
            second = self._vroom_solve(*args)
        second_routes = self._job_routes(second)
        # keep the second solve unless it serves fewer orders than the first
        return second_routes if sum(map(len, second_routes.values())) >= len(on_time) else routes

    @api.model
    def _vroom_solve(self, problem, vehicles, vehicle_number, vehicle_skills, routed, late_ok, limit, initial=None):
        """One VROOM run; ``late_ok`` are the jobs whose deadline window is dropped (they are late
        whatever happens). Returns ``{technician_id: [order_id, ...]}``."""
        problem_input = vroom.Input()
        problem_input.set_durations_matrix("car", problem["durations"])
        problem_input.set_distances_matrix("car", problem["metres"])
        horizon = problem["horizon"]
        vroom_vehicles = []
        for tech in vehicles:
            number = vehicle_number[tech["id"]]
            window_start, window_end = tech["window"]
            window_start = max(window_start, horizon)
            if window_end <= window_start:
                continue
            breaks = [
                vroom.Break(
                    number * 100 + position,
                    time_windows=[vroom.TimeWindow(gap_start, gap_start)],
                    service=gap_end - gap_start,
                )
                for position, (gap_start, gap_end) in enumerate(tech["breaks"])
                if gap_start >= window_start
            ]
            steps = ()
            if initial and initial.get(tech["id"]):
                steps = [
                    vroom.VehicleStepStart(),
                    *(
                        vroom.VehicleStepSingle(step_id) if kind == "job" else vroom.VehicleStepBreak(step_id)
                        for kind, step_id in initial[tech["id"]]
                    ),
                    vroom.VehicleStepEnd(),
                ]
            vroom_vehicles.append(
                vroom.Vehicle(
                    number,
                    start=tech["start_index"],
                    end=tech["end_index"],
                    skills=vehicle_skills.get(tech["id"], set()),
                    time_window=vroom.TimeWindow(window_start, window_end),
                    breaks=breaks,
                    max_tasks=tech["capacity"] if tech["capacity"] is not None else 10_000,
                    steps=steps,
                )
            )
        if not vroom_vehicles:
            return {}
        for vehicle in vroom_vehicles:
            problem_input.add_vehicle(vehicle)
        vroom_jobs = []
        for job in routed:
            windows = []
            if job["deadline"] is not None and job["id"] not in late_ok and job["deadline"] >= horizon:
                windows = [vroom.TimeWindow(horizon, job["deadline"])]
            elif job["deadline"] is not None and job["id"] not in late_ok:
                continue  # already late: served in the second solve
            vroom_jobs.append(
                vroom.Job(
                    job["id"],
                    location=job["index"],
                    default_service=job["duration"],
                    skills={job["skill"]},
                    priority=100 if job["fixed"] == "accepted" else job["priority"],
                    time_windows=windows or (),
                )
            )
        if not vroom_jobs:
            return {}
        problem_input.add_job(vroom_jobs)
        solution = problem_input.solve(
            exploration_level=self._exploration_level(len(vroom_jobs)),
            nb_threads=2,
            timeout=timedelta(seconds=max(1.0, limit)),
        )
        by_number = {number: tid for tid, number in vehicle_number.items()}
        steps = defaultdict(list)
        for row in solution.routes.to_dict("records"):
            if row["type"] in ("job", "break"):
                steps[by_number[int(row["vehicle_id"])]].append((row["type"], int(row["id"])))
        return dict(steps)

    @api.model
    def _job_routes(self, steps):
        """``{technician_id: [order_id, ...]}`` from the steps (jobs and breaks) of a VROOM solution."""
        return {tid: [step_id for kind, step_id in route if kind == "job"] for tid, route in steps.items()}

    @api.model
    def _exploration_level(self, job_count):
        """VROOM's search depth (1-5): the deepest for a city's day, lighter for very large problems."""
        if job_count <= 300:
            return 5
        return 4 if job_count <= 1000 else 3

    # ------------------------------------------------------------------ one by one (baseline)

    @api.model
    def _one_by_one(self, problem):
        """What today's dispatch does with the same orders: by SLA deadline, each order goes to the
        technician the engine ranks first among those still under their daily limit; each technician
        visits their orders in the order of assignment. Returns ``({technician_id: [order_id]},
        {order_id: reason})``; the visits under way and accepted ones stay with their technician."""
        engine = self.env["aftersales.dispatch"]
        context = problem["context"]
        technicians = problem["technicians"]
        jobs = problem["jobs"]
        context["jobs_today"] = {tid: 0 for tid in technicians}
        routes = defaultdict(list)
        for job in jobs.values():
            if job["fixed"] == "accepted" and job["technician_id"] in technicians and job["position"]:
                routes[job["technician_id"]].append(job["id"])
                context["jobs_today"][job["technician_id"]] += 1
        unassigned = {}
        ordered = sorted(
            (job for job in jobs.values() if job["fixed"] == "none"),
            key=lambda job: (job["deadline"] if job["deadline"] is not None else float("inf"), job["id"]),
        )
        for job in ordered:
            if not job["position"]:
                unassigned[job["id"]] = self.env._("The customer has no position (latitude and longitude).")
                continue
            chosen = None
            for entry in engine._rank_order(context, job["order"]):
                tid = entry["employee_id"]
                tech = technicians.get(tid)
                if not tech or tid not in job["eligible"]:
                    continue
                if tech["capacity"] is not None and len(routes[tid]) >= tech["capacity"]:
                    continue
                chosen = tid
                break
            if chosen is None:
                unassigned[job["id"]] = self.env._("Nobody available under the daily job limit.")
                continue
            routes[chosen].append(job["id"])
            context["load"][chosen] = context["load"].get(chosen, 0) + 1
            context["jobs_today"][chosen] += 1
        return dict(routes), unassigned

    # ------------------------------------------------------------------ evaluation

    @api.model
    def _evaluate(self, problem, routes, unassigned):
        """Play ``routes`` on the problem's clock: per visit the arrival (ETA), end, travel and lateness,
        and the totals. Breaks are taken when reached (no visit runs across one); a visit that cannot
        start before the end of the technician's day counts as unassigned for the day."""
        durations, metres = problem["durations"], problem["metres"]
        jobs, technicians = problem["jobs"], problem["technicians"]
        index_of = {point: number for number, point in enumerate(problem["points"])}

        def index(position):
            return index_of[(round(position[0], 6), round(position[1], 6))]

        visits, total_metres, late = [], 0, 0
        unassigned = dict(unassigned)
        for tid, job_ids in routes.items():
            tech = technicians[tid]
            clock = max(tech["window"][0], problem["horizon"])
            here = index(tech["start"]) if tech["start"] else None
            for sequence, job_id in enumerate(job_ids, start=1):
                job = jobs[job_id]
                there = index(job["position"])
                travel_s = durations[here][there] if here is not None else 0
                travel_m = metres[here][there] if here is not None else 0
                arrival = clock + travel_s
                for gap_start, gap_end in tech["breaks"]:
                    if arrival < gap_end and arrival + job["duration"] > gap_start:
                        arrival = max(arrival, gap_end)
                if arrival >= tech["window"][1]:
                    unassigned[job_id] = self.env._("Does not fit in the technician's working time.")
                    continue
                end = arrival + job["duration"]
                is_late = job["deadline"] is not None and arrival > job["deadline"]
                late += is_late
                total_metres += travel_m
                visits.append(
                    {
                        "order_id": job_id,
                        "technician_id": tid,
                        "sequence": sequence,
                        "arrival": arrival,
                        "end": end,
                        "travel_km": travel_m / 1000.0,
                        "travel_minutes": travel_s / 60.0,
                        "is_late": is_late,
                        "fixed": job["fixed"],
                    }
                )
                clock, here = end, there
            if tech["end"] and here is not None and job_ids:
                total_metres += metres[here][index(tech["end"])]  # the way back home (or to the centre)
        return {
            "visits": visits,
            "unassigned": unassigned,
            "travel_km": total_metres / 1000.0,
            "late": late,
            "unassigned_count": len(unassigned),
        }

    @api.model
    def _to_datetime(self, problem, offset):
        return problem["origin"] + timedelta(seconds=offset)
