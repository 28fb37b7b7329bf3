"""Dispatch benchmark: ranking and batch dispatch at scale, against a naive per-technician ORM loop.

Run by ``./aftersales bench`` (or ``--only dispatch``), or directly on a database where aftersales_dispatch
is installed::

    .venv/bin/python tools/bench_dispatch.py --db DB [--technicians 1000] [--sizes 1000,10000,100000] [--batch 1000]
    .venv/bin/python tools/bench_dispatch.py --db DB --large   # 10,000 technicians, up to 1,000,000 orders
    .venv/bin/python tools/bench_dispatch.py --db COPY --scale [--quick] [--sizes ...]

Targets (from the issue): ranking one order p95 <= 50 ms, batch dispatch of 1,000 orders <= 20 s (in
proportion for other batch sizes).

Default and ``--large`` modes generate, inside one transaction rolled back at the end, ``--technicians``
technicians spread over 10 service centres (24/7 calendar, one required skill), for each of ``--sizes``,
that many open service orders of which ``--batch`` (at most half) are unassigned (the others are assigned,
spread over the next 30 days, so that loads are realistic), then measure in the same run:

* ranking one order with the engine (p50/p95 over 50 orders) and with a naive loop that queries each
  technician on its own (skills, open orders, jobs today, calendar) on the same candidates;
* batch dispatch of the ``--batch`` unassigned orders with the engine (regret assignment, locks, writes,
  technician notifications), and the naive loop on a sample of orders extrapolated to the batch size.

Uncommitted rows are not in the table's visibility map, so the index-only counts of open orders cannot
work there: the default mode understates what a live database does. The scale mode (``--scale``, for
``./aftersales bench --scale``, on a throwaway copy of a database: it commits) grows one database x10 at a
time, 1,000 -> 1,000,000 open orders with 10,000 technicians by default (``--quick``: 200 technicians,
1,000 and 10,000 orders, batch of 200), with one connection and registry open from the first size to the
last; each growth is committed then ``VACUUM ANALYZE``d as autovacuum would on a live table. At each size:
the ranking figures with their baseline, and the batch of ``--batch`` orders (rolled back) at each size
that holds at least twice as many orders, with its extrapolated baseline. The load average is printed with
each size and written in the notes.

Prints the figures and, with ``--json``, writes the rows for ``./aftersales bench``.
"""

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE_SIZES = "1000,10000,100000,1000000"
SCALE_QUICK_SIZES = "1000,10000"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", help="write the result rows for ./aftersales bench")
    parser.add_argument("--quick", action="store_true", help="200 technicians, up to 2,000 orders, batch of 200")
    parser.add_argument("--technicians", type=int)
    parser.add_argument("--sizes", help="open orders, one run per size (the growth of the cost)")
    parser.add_argument("--batch", type=int)
    parser.add_argument("--naive-sample", type=int)
    parser.add_argument(
        "--large", action="store_true", help="10,000 technicians, 100,000 and 1,000,000 orders, batch of 10,000"
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="grow one database x10 at a time, same connection open throughout, each growth committed "
        f"(default sizes {SCALE_SIZES}; with --quick 200 technicians, {SCALE_QUICK_SIZES} orders, batch 200)",
    )
    args = parser.parse_args()
    # (technicians, sizes, batch, naive sample); the naive loop takes seconds per order with 1,000 candidates
    if args.scale:
        defaults = (200, SCALE_QUICK_SIZES, 200, 5) if args.quick else (10000, SCALE_SIZES, 10000, 3)
    elif args.quick:
        defaults = (200, "500,2000", 200, 5)
    elif args.large:
        defaults = (10000, "100000,1000000", 10000, 3)
    else:
        defaults = (1000, "1000,10000,100000", 1000, 20)
    for name, default in zip(("technicians", "sizes", "batch", "naive_sample"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    return args


def percentile(values, pct):
    values = sorted(values)
    index = max(0, min(len(values) - 1, round(pct / 100.0 * len(values) + 0.5) - 1))
    return values[index]


def setup_odoo(args):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import db_args  # noqa: PLC0415 (tools/ is not a package)

    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config(
        ["-c", str(ROOT / "odoo.conf"), "--addons-path", str(ROOT), "-d", args.db, "--log-level", "warn", *db_args()]
    )
    return odoo


def generate_fixtures(env, technicians):
    """Calendar, skill, 10 centres, service type, priorities, technicians, customers and one template order."""
    rnd = random.Random(42)
    company = env.company
    calendar = env["resource.calendar"].create(
        {
            "name": "Bench 24/7",
            "tz": "UTC",
            "attendance_ids": [(5, 0, 0)]
            + [(0, 0, {"name": f"D{d}", "dayofweek": str(d), "hour_from": 0, "hour_to": 24}) for d in range(7)],
        }
    )
    skill_type = env["hr.skill.type"].create(
        {
            "name": "Bench skills",
            "skill_level_ids": [
                (0, 0, {"name": "Junior", "level_progress": 40}),
                (0, 0, {"name": "Senior", "level_progress": 90}),
            ],
            "skill_ids": [(0, 0, {"name": "Bench appliance"})],
        }
    )
    skill = skill_type.skill_ids
    levels = skill_type.skill_level_ids
    centres = env["aftersales.service.centre"].create(
        [{"name": f"Bench centre {i}", "code": f"BC{i}", "company_id": company.id} for i in range(10)]
    )
    service_type = env["aftersales.service.type"].create(
        {"name": "Bench repair", "required_skill_ids": [(6, 0, skill.ids)], "min_skill_level": 30}
    )
    priorities = env["aftersales.priority"].create(
        [{"name": "Bench normal", "level": 0}, {"name": "Bench urgent", "level": 3}]
    )
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Bench technician {i}",
                "is_technician": True,
                "service_centre_id": centres[i % 10].id,
                "max_jobs_per_day": 6,
                "resource_calendar_id": calendar.id,
                "last_latitude": 35.6 + rnd.random() * 0.2,
                "last_longitude": 51.3 + rnd.random() * 0.2,
                "employee_skill_ids": [
                    (
                        0,
                        0,
                        {
                            "skill_id": skill.id,
                            "skill_level_id": levels[i % 2].id,
                            "skill_type_id": skill_type.id,
                        },
                    )
                ],
            }
            for i in range(technicians)
        ]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {i}",
                "partner_latitude": 35.6 + rnd.random() * 0.2,
                "partner_longitude": 51.3 + rnd.random() * 0.2,
                "aftersales_tier": "vip" if i % 10 == 0 else "standard",
            }
            for i in range(300)
        ]
    )
    product = env["product.product"].create({"name": "Bench device", "type": "consu"})
    template = env["repair.order"].create(
        {
            "partner_id": partners[0].id,
            "product_id": product.id,
            "is_aftersales": True,
            "service_type_id": service_type.id,
            "service_centre_id": centres[0].id,
            "service_priority_id": priorities[0].id,
        }
    )
    env.flush_all()
    return {
        "partners": partners.ids,
        "centres": centres.ids,
        "priorities": priorities.ids,
        "employees": employees.ids,
        "template": template.id,
    }


def grow_orders(env, fixtures, have, size, unassigned):
    """Orders ``have + 1`` to ``size`` (bulk SQL copies of the template order): the first ``unassigned`` of them
    open without technician (to dispatch, scheduled now), the others assigned and spread over the next 30 days
    (the load). Order g goes to centre g % 10 and technician g % n, who serves that centre."""
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'repair_order' AND column_name != 'id'"
    )
    columns = [row[0] for row in cr.fetchall()]
    overrides = {
        "name": "'BENCH/' || g",
        "partner_id": "(%(partners)s)[1 + (g %% %(np)s)]",
        "service_centre_id": "(%(centres)s)[1 + (g %% 10)]",
        "service_priority_id": "(%(priorities)s)[1 + (g %% 5 = 0)::int]",
        "technician_id": "CASE WHEN g > %(last_unassigned)s THEN (%(employees)s)[1 + (g %% %(ne)s)] END",
        "dispatch_state": "CASE WHEN g > %(last_unassigned)s THEN 'accepted' ELSE 'unassigned' END",
        "schedule_date": "now() at time zone 'UTC' + CASE WHEN g > %(last_unassigned)s "
        "THEN (1 + g %% 30) * interval '1 day' ELSE interval '0' END",
        "sla_start_date": "now() at time zone 'UTC' - (g %% 300) * interval '1 minute'",
        "state": "'confirmed'",
    }
    select = ", ".join(overrides.get(col, f'"{col}"') for col in columns)
    params = dict(
        fixtures,
        np=len(fixtures["partners"]),
        ne=len(fixtures["employees"]),
        last_unassigned=have + unassigned,
        first=have + 1,
        last=size,
        tid=fixtures["template"],
    )
    quoted = ", ".join(f'"{col}"' for col in columns)
    cr.execute(
        f"INSERT INTO repair_order ({quoted}) "  # noqa: S608 (column names from information_schema)
        f"SELECT {select} FROM repair_order, generate_series(%(first)s, %(last)s) g WHERE repair_order.id = %(tid)s",
        params,
    )
    env.invalidate_all()


def analyze(cr):
    """Planner statistics, as autovacuum keeps them on a live database (ANALYZE sees this transaction's rows)."""
    for table in ("hr_employee", "resource_resource", "hr_employee_skill", "repair_order", "res_partner"):
        cr.execute(f"ANALYZE {table}")  # noqa: S608 (constant table names)


def generate(env, args):
    """Default mode: fixtures and ``args.orders`` orders in the current transaction, ANALYZEd."""
    t0 = time.perf_counter()
    fixtures = generate_fixtures(env, args.technicians)
    grow_orders(env, fixtures, 0, args.orders, args.batch)
    env.flush_all()
    analyze(env.cr)
    env.invalidate_all()
    unassigned = env["repair.order"].search([("name", "=like", "BENCH/%"), ("technician_id", "=", False)], order="id")
    return {"unassigned": unassigned, "setup_seconds": time.perf_counter() - t0}


def naive_rank(env, order, at):
    """The straightforward version: every technician checked with its own queries."""
    candidates = env["hr.employee"].search(
        [("is_technician", "=", True), ("service_centre_id", "=", order.service_centre_id.id)]
    )
    service_type = order.service_type_id
    day_start = at.replace(hour=0, minute=0, second=0, microsecond=0)
    result = []
    for tech in candidates:
        levels = {s.skill_id.id: s.skill_level_id.level_progress for s in tech.employee_skill_ids}
        if any(levels.get(sk.id, -1) < service_type.min_skill_level for sk in service_type.required_skill_ids):
            continue
        intervals = tech.resource_calendar_id._work_intervals_batch(
            at.replace(tzinfo=__import__("pytz").utc),
            (at + timedelta(minutes=1)).replace(tzinfo=__import__("pytz").utc),
            resources=tech.resource_id,
        )
        if not intervals.get(tech.resource_id.id):
            continue
        today = env["repair.order"].search_count(
            [
                ("technician_id", "=", tech.id),
                ("state", "!=", "cancel"),
                ("schedule_date", ">=", day_start),
                ("schedule_date", "<", day_start + timedelta(days=1)),
            ]
        )
        if tech.max_jobs_per_day and today >= tech.max_jobs_per_day:
            continue
        load = env["repair.order"].search_count(
            [("technician_id", "=", tech.id), ("state", "in", ("draft", "confirmed", "under_repair"))]
        )
        from odoo.addons.aftersales_dispatch.models.aftersales_dispatch import haversine_km  # noqa: PLC0415

        distance = haversine_km(
            tech.last_latitude,
            tech.last_longitude,
            order.partner_id.partner_latitude,
            order.partner_id.partner_longitude,
        )
        score = 4 * 10 / (10 + distance) + 3 * max(0.0, 1 - load / (tech.max_jobs_per_day or 1))
        result.append((score, tech.id))
    result.sort(reverse=True)
    return result


def rank_figures(env, unassigned, at, naive_sample, report):
    """Ranking of 50 unassigned orders with the engine (p50/p95) and ``naive_sample`` of them with the naive
    loop, into ``report``; the caches are emptied before each ranking."""
    engine = env["aftersales.dispatch"]
    sample = unassigned[:50]
    timings = []
    with FullCollections() as collections:
        for order in sample:
            env.invalidate_all()
            start = time.perf_counter()
            ranking = engine.rank_technicians(order, at=at)
            timings.append((time.perf_counter() - start) * 1000)
    report["rank_candidates"] = len(ranking)
    report["rank_engine_ms_p50"] = round(statistics.median(timings), 1)
    report["rank_engine_ms_p95"] = round(percentile(timings, 95), 1)
    # Python's full garbage collections during the 50 rankings: each one scans every object of the process
    # (the registry: about 275,000), the cost that lands on the slowest rankings
    report["rank_full_gc"] = len(collections.durations)
    report["rank_full_gc_ms_max"] = round(max(collections.durations, default=0.0), 1)
    naive = []
    for order in sample[:naive_sample]:
        env.invalidate_all()
        start = time.perf_counter()
        naive_rank(env, order, at)
        naive.append((time.perf_counter() - start) * 1000)
    report["rank_naive_ms_p50"] = round(statistics.median(naive), 1)
    report["rank_naive_ms_p95"] = round(percentile(naive, 95), 1)
    report["rank_naive_ms_mean"] = statistics.mean(naive)
    report["ratio_rank_p95"] = round(report["rank_naive_ms_p95"] / report["rank_engine_ms_p95"], 1)


def batch_figures(env, unassigned, at, report):
    """Batch dispatch of ``unassigned`` with the engine (locks, regret assignment, writes, notifications) and
    the naive loop extrapolated from the mean naive ranking, into ``report`` (the caller rolls back)."""
    env.invalidate_all()
    start = time.perf_counter()
    plan = env["aftersales.dispatch"].dispatch_orders(unassigned, at=at)
    env.flush_all()
    report["batch_orders"] = len(unassigned)
    report["batch_assigned"] = len(plan)
    report["batch_engine_seconds"] = round(time.perf_counter() - start, 2)
    report["batch_naive_seconds_extrapolated"] = round(report["rank_naive_ms_mean"] / 1000 * len(unassigned), 1)
    report["ratio_batch"] = round(report["batch_naive_seconds_extrapolated"] / report["batch_engine_seconds"], 1)


def measure(registry, args):
    """Generate ``args.orders`` orders in one transaction, measure ranking and batch dispatch, roll back."""
    from odoo import SUPERUSER_ID, api, fields  # noqa: PLC0415

    report = {"orders": args.orders}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            data = generate(env, args)
            report["setup_seconds"] = round(data["setup_seconds"], 1)
            at = fields.Datetime.now()
            rank_figures(env, data["unassigned"], at, args.naive_sample, report)
            batch_figures(env, data["unassigned"], at, report)
        finally:
            cr.rollback()
    report["load_average"] = round(os.getloadavg()[0], 1)
    return report


class FullCollections:
    """Within ``with``: the duration (ms) of each full (oldest generation) garbage collection of Python."""

    def __init__(self):
        self.durations = []
        self._start = None

    def _callback(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        elif self._start is not None:
            self.durations.append((time.perf_counter() - self._start) * 1000)

    def __enter__(self):
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self._callback)


def print_report(title, report):
    sys.stdout.write(f"== {title}\n")
    width = max(len(k) for k in report)
    for key, value in report.items():
        sys.stdout.write(f"  {key.ljust(width)}  {round(value, 1) if isinstance(value, float) else value}\n")
    sys.stdout.flush()


def rank_row(report, size, technicians, note=""):
    return {
        "figure": f"dispatch: rank one order among {technicians} technicians (p95)",
        "size": size,
        "value": report["rank_engine_ms_p95"],
        "unit": "ms",
        "target": "<= 50 ms",
        "baseline": report["rank_naive_ms_p95"],
        "ratio": report["ratio_rank_p95"],
        "passed": report["rank_engine_ms_p95"] <= 50,
        "note": f"size: open orders; baseline: naive per-technician ORM loop on the same "
        f"{report['rank_candidates']} candidates; p50 {report['rank_engine_ms_p50']} ms; "
        f"{report['rank_full_gc']} full garbage collections of Python in the 50 rankings "
        f"(longest {report['rank_full_gc_ms_max']} ms); "
        f"load {report['load_average']}{note}",
    }


def batch_row(report, size, figure, target, note=""):
    seconds = float(target.split()[1])
    return {
        "figure": figure,
        "size": size,
        "value": report["batch_engine_seconds"],
        "unit": "s",
        "target": target,
        "baseline": report["batch_naive_seconds_extrapolated"],
        "ratio": report["ratio_batch"],
        "passed": report["batch_engine_seconds"] <= seconds,
        "note": f"{report['batch_assigned']} of {report['batch_orders']} assigned; baseline: naive ranking per "
        "order, sampled and extrapolated; engine includes locks, writes and technician notifications; "
        f"load {report['load_average']}{note}",
    }


def run_default(registry, args):
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    batch = args.batch
    for size in sizes:
        # the unassigned orders to dispatch: --batch, at most half of the orders (the rest is the load)
        args.orders, args.batch = size, min(batch, size // 2)
        report = measure(registry, args)
        print_report(f"{size:,} open orders, {args.technicians:,} technicians", report)
        rows.append(rank_row(report, size, args.technicians))
        rows.append(batch_row(report, size, f"dispatch: batch of {report['batch_orders']} orders", "<= 20 s"))
    return rows


def run_scale(registry, args):
    """Grow one database x10 at a time with one cursor (one connection, one registry) open from the first size
    to the last, as a running server keeps them. Each growth is committed, then ``VACUUM ANALYZE``d on a
    second connection, as autovacuum does on a live table (it sets the visibility map, which the index-only
    counts of open orders rely on). At each size: ranking (engine and naive loop); the batch dispatch of
    ``--batch`` orders at each size that holds twice as many orders (rolled back afterwards)."""
    import psycopg2  # noqa: PLC0415

    from odoo import SUPERUSER_ID, api, fields, sql_db  # noqa: PLC0415

    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []

    def vacuum():
        dsn = sql_db.connection_info_for(args.db)[1]
        conn = psycopg2.connect(**dsn)
        try:
            conn.autocommit = True
            with conn.cursor() as vcr:
                for table in ("hr_employee", "resource_resource", "hr_employee_skill", "repair_order", "res_partner"):
                    vcr.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 (constant table names)
        finally:
            conn.close()

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        cr.execute("SELECT count(*) FROM repair_order WHERE name LIKE 'BENCH/%%'")
        if cr.fetchone()[0]:
            raise SystemExit("scale mode: the database already holds benchmark orders; give it a fresh copy")
        fixtures = generate_fixtures(env, args.technicians)
        cr.commit()  # pylint: disable=invalid-commit
        have = unassigned_have = 0
        for size in sizes:
            t0 = time.perf_counter()
            # half of the orders at most are unassigned, up to --batch; the others are the technicians' load
            unassigned_target = min(args.batch, size // 2)
            grow_orders(env, fixtures, have, size, unassigned_target - unassigned_have)
            cr.commit()  # pylint: disable=invalid-commit
            vacuum()
            have, unassigned_have = size, unassigned_target
            report = {"orders": size, "setup_seconds": round(time.perf_counter() - t0, 1)}
            unassigned = env["repair.order"].search(
                [("name", "=like", "BENCH/%"), ("technician_id", "=", False)], order="id"
            )
            at = fields.Datetime.now()
            rank_figures(env, unassigned, at, args.naive_sample, report)
            cr.rollback()
            report["load_average"] = round(os.getloadavg()[0], 1)
            note = "; each growth committed, then VACUUM ANALYZE (as autovacuum on a live table)"
            rows.append(rank_row(report, size, args.technicians, note))
            if len(unassigned) >= args.batch:
                try:
                    batch_figures(env, unassigned, at, report)
                finally:
                    cr.rollback()
                report["load_average"] = round(os.getloadavg()[0], 1)
                rows.append(
                    batch_row(
                        report,
                        size,
                        f"dispatch: batch of {args.batch} orders among {args.technicians} technicians",
                        f"<= {max(20, args.batch // 50)} s",
                        note + "; target: the issue's 20 s for 1,000 orders, in proportion; rolled back",
                    )
                )
            print_report(
                f"{size:,} open orders, {args.technicians:,} technicians (same connection since {sizes[0]:,}; "
                f"load average {os.getloadavg()[0]:.1f})",
                report,
            )
    return rows


def main():
    args = parse_args()
    odoo = setup_odoo(args)
    registry = odoo.modules.registry.Registry(args.db)
    rows = (run_scale if args.scale else run_default)(registry, args)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
