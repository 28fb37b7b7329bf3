#!/usr/bin/env python3
"""Benchmark of the after-sales reports: grouped reads (as the pivot does them) at growing sizes.

Generates after-sales service orders with plain SQL (seeded, reproducible) in a database where
``aftersales_service`` is installed, at three sizes a factor of ten apart (default 10k, 100k, 1M,
cumulative), and times each report's grouped read: p95 of ``--runs`` runs, against a baseline
measured at the same size in the same run (``SELECT technician_id, count(*) FROM repair_order
GROUP BY technician_id``). Prints a table and, with ``--json``, writes the rows of ``./aftersales bench``.

Everything happens in one transaction that is rolled back at the end (``--keep`` commits it).

Usage (from the repository root)::

    ./aftersales bench --only reports        # or directly:
    .venv/bin/python tools/bench_reports.py --db aftersales_bench --sizes 10000,100000,1000000 \\
        --json .data/bench_reports.json [-- odoo options; default: the connection of ./aftersales]

The database must exist with ``aftersales_service`` installed (``odoo -d bench_db -i aftersales_service
--without-demo=all --stop-after-init``).
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

TARGET_SECONDS = 2.0
TECHNICIANS = 200
CENTRES = 10
SERVICE_TYPES = 8
PRODUCTS = 50
PARTS = 200
CUSTOMERS = 2000
IRAN_PROVINCES = 31


def parse_args(argv):
    if "--" in argv:
        split = argv.index("--")
        argv, odoo_argv = argv[:split], argv[split + 1 :]
    else:
        odoo_argv = []
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="database with aftersales_service installed")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="service order counts, comma separated")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (p95 over them)")
    parser.add_argument("--seed", type=float, default=0.42, help="PostgreSQL setseed() value in [-1, 1]")
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--keep", action="store_true", help="commit the generated data instead of rolling back")
    parser.add_argument("--only", help="time only the figures whose label contains this text")
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 orders, 3 runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs = "1000,10000", 3
    args.sizes = sorted(int(size) for size in args.sizes.split(","))
    if not odoo_argv:
        # the connection of ./aftersales (embedded cluster or configured server)
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from common import ROOT, db_args  # noqa: PLC0415 (tools/ is not a package)

        odoo_argv = ["-c", str(ROOT / "odoo.conf"), "--addons-path", str(ROOT), "--log-level", "warn", *db_args()]
    return args, odoo_argv


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------- data generation


class Generator:
    """Inserts the bench data with INSERT ... SELECT over generate_series, cloning template rows
    made by the ORM so that every NOT NULL column of the installed schema gets a valid value."""

    def __init__(self, env, seed):
        self.env = env
        self.cr = env.cr
        self.seed = seed
        self.orders = 0
        self.lots = 0
        self.registered = False
        # codes unique per run, so that kept runs (--keep) do not collide
        self.tag = int(time.time()) % 100000

    def columns(self, table):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'",
            [table],
        )
        return [row[0] for row in self.cr.fetchall()]

    def clone(self, table, template_id, source, overrides):
        """INSERT INTO table SELECT template row with ``overrides`` (SQL expressions over ``s``) FROM source s.

        The id comes from the table's sequence unless ``overrides`` gives it."""
        cols = self.columns(table) + (["id"] if "id" in overrides else [])
        exprs = [overrides.get(col, f't."{col}"') for col in cols]
        query = (
            f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) '
            f"SELECT {', '.join(exprs)} FROM \"{table}\" t, ({source}) s WHERE t.id = %s RETURNING id"
        )
        self.cr.execute(query, [template_id])
        return [row[0] for row in self.cr.fetchall()]

    @staticmethod
    def pick(ids, expr):
        """SQL expression picking one of ``ids`` with the 0-based integer expression ``expr``."""
        return f"(ARRAY[{','.join(map(str, ids))}])[1 + mod(({expr})::bigint, {len(ids)})]"

    def setup(self):
        env = self.env
        self.cr.execute("SELECT setseed(%s)", [self.seed])
        iran = env.ref("base.ir")
        # provinces are reused when a kept run (--keep) made them already
        states = env["res.country.state"].search([("country_id", "=", iran.id), ("code", "=like", "BP%")])
        states |= env["res.country.state"].create(
            [
                {"name": f"Bench Province {i}", "code": f"BP{i}", "country_id": iran.id}
                for i in range(IRAN_PROVINCES)
                if f"BP{i}" not in states.mapped("code")
            ]
        )
        partner = env["res.partner"].create({"name": "Bench Customer"})
        self.customers = self.clone(
            "res_partner",
            partner.id,
            f"SELECT g, random() AS r1, random() AS r2, random() AS r3 FROM generate_series(1, {CUSTOMERS}) g",
            {
                "name": "'Bench Customer ' || s.g",
                "complete_name": "'Bench Customer ' || s.g",
                "state_id": self.pick(states.ids, "floor(s.r1 * 1000)::int"),
                "country_id": str(iran.id),
                "partner_latitude": "25 + s.r2 * 15",
                "partner_longitude": "44 + s.r3 * 19.5",
            },
        )
        centres = env["aftersales.service.centre"].create(
            [{"name": f"Bench Centre {i}", "code": f"BC{self.tag}-{i}"} for i in range(CENTRES)]
        )
        self.centres = centres.ids
        self.service_types = (
            env["aftersales.service.type"]
            .create([{"name": f"Bench Service {i}", "code": f"BS{self.tag}-{i}"} for i in range(SERVICE_TYPES)])
            .ids
        )
        technicians = env["hr.employee"].create(
            [
                {"name": f"Bench Technician {i}", "is_technician": True, "service_centre_id": centres[i % CENTRES].id}
                for i in range(TECHNICIANS)
            ]
        )
        self.technicians = technicians.ids
        self.products = (
            env["product.product"]
            .create(
                [{"name": f"Bench Appliance {i}", "is_storable": True, "tracking": "serial"} for i in range(PRODUCTS)]
            )
            .ids
        )
        self.parts = (
            env["product.product"]
            .create([{"name": f"Bench Part {i}", "is_storable": True, "standard_price": 10 + i} for i in range(PARTS)])
            .ids
        )
        lot = env["stock.lot"].create({"name": "BENCH-TEMPLATE", "product_id": self.products[0]})
        order = env["repair.order"].create(
            {
                "is_aftersales": True,
                "partner_id": partner.id,
                "product_id": self.products[0],
                "lot_id": lot.id,
                "technician_id": self.technicians[0],
                "service_type_id": self.service_types[0],
                "service_centre_id": self.centres[0],
            }
        )
        worklog = env["aftersales.worklog"].create({"repair_id": order.id, "technician_id": self.technicians[0]})
        stock = env.ref("stock.stock_location_stock")
        production = env["stock.location"].search([("usage", "=", "production")], limit=1)
        part = env["product.product"].browse(self.parts[0])
        move = env["stock.move"].create(
            {
                "name": part.name,
                "product_id": part.id,
                "product_uom_qty": 1,
                "product_uom": part.uom_id.id,
                "location_id": stock.id,
                "location_dest_id": production.id,
                "repair_id": order.id,
                "repair_line_type": "add",
            }
        )
        env.flush_all()
        self.templates = {"lot": lot.id, "order": order.id, "worklog": worklog.id, "move": move.id}
        self.has_sla = "sla_status" in env["repair.order"]._fields
        self.has_facts = "aftersales_visit_count" in env["repair.order"]._fields
        self.has_move_customer = "aftersales_customer_id" in env["stock.move"]._fields
        self.has_worklog_partner = env["aftersales.worklog"]._fields["partner_id"].store

    def grow(self, target):
        """Add service orders (with their serials, worklogs and parts) up to ``target`` orders."""
        count = target - self.orders
        if count <= 0:
            return
        first, last = self.orders + 1, target
        self.cr.execute("SELECT setseed(%s)", [self.seed])
        # one serial per three orders: repeat orders on a serial happen (first-time fix)
        lot_target = math.ceil(target / 3)
        if lot_target > self.lots:
            lot_ids = self.clone(
                "stock_lot",
                self.templates["lot"],
                f"SELECT g FROM generate_series({self.lots + 1}, {lot_target}) g",
                {
                    "name": f"'BENCH-{self.tag}-' || lpad(s.g::text, 8, '0')",
                    "product_id": self.pick(self.products, "s.g"),
                },
            )
            self.lot_ids = getattr(self, "lot_ids", []) + lot_ids
            self.lots = lot_target
        self.cr.execute("CREATE TEMP TABLE IF NOT EXISTS bench_lot (k int PRIMARY KEY, lot_id int, product_id int)")
        self.cr.execute("TRUNCATE bench_lot")
        self.cr.execute(
            "INSERT INTO bench_lot SELECT ord, id, product_id FROM unnest(%s::int[]) WITH ORDINALITY AS u(id, ord) "
            "JOIN stock_lot l USING (id)",
            [self.lot_ids],
        )
        # the orders to insert, with their ids drawn now: their worklogs are decided here too, so that the
        # facts stored on the orders (visits, time spent, rework) are written with the order itself
        self.cr.execute("DROP TABLE IF EXISTS bench_order")
        self.cr.execute(
            "CREATE TEMP TABLE bench_order AS "
            "SELECT nextval(pg_get_serial_sequence('repair_order', 'id')) AS id, q.*, bl.lot_id, bl.product_id FROM ("
            "SELECT g, floor(random() * 100000)::int AS t, random() AS r1, random() AS r2, random() AS r3, "
            "random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8 "
            "FROM generate_series(%s, %s) g) q "
            "JOIN bench_lot bl ON bl.k = 1 + mod(q.g::bigint * 7919, %s)",
            [first, last, self.lots],
        )
        state = (
            "CASE WHEN s.r2 < 0.75 THEN 'done' WHEN s.r2 < 0.85 THEN 'under_repair' "
            "WHEN s.r2 < 0.95 THEN 'confirmed' ELSE 'cancel' END"
        )
        created = "now() - interval '540 days' * s.r1"
        # worklogs of the started orders (r2 < 0.85): an approved visit of 0.5 + r7 * 4 hours, and a
        # rejected first visit of 0.5 + r8 * 4 hours for 15% of them (r6 < 0.15)
        started, rejected = "s.r2 < 0.85", "s.r2 < 0.85 AND s.r6 < 0.15"
        overrides = {
            "id": "s.id",
            "name": f"'BENCH/{self.tag}/' || lpad(s.g::text, 8, '0')",
            "partner_id": self.pick(self.customers, "floor(s.r4 * 100000)::int"),
            "lot_id": "s.lot_id",
            "product_id": "s.product_id",
            "technician_id": self.pick(self.technicians, "s.t"),
            "service_centre_id": self.pick(self.centres, "s.t"),
            "service_type_id": self.pick(self.service_types, "floor(s.r5 * 1000)::int"),
            "state": state,
            "create_date": created,
            "write_date": created,
            "schedule_date": f"{created} + interval '1 day'",
            "date_assigned": f"{created} + interval '1 hour'",
            "date_accepted": f"{created} + interval '1 hour' * (1 + s.r3 * 10)",
            "date_started": f"CASE WHEN {started} THEN {created} + interval '1 hour' * (2 + s.r3 * 10) END",
            "date_finished": f"CASE WHEN s.r2 < 0.75 THEN {created} + interval '1 hour' * (4 + s.r3 * 120) END",
        }
        if self.has_sla:
            overrides["sla_status"] = (
                "CASE WHEN s.r2 < 0.75 THEN (CASE WHEN s.r5 < 0.85 THEN 'met' ELSE 'breached' END) "
                "WHEN s.r2 < 0.95 THEN (CASE WHEN s.r5 < 0.7 THEN 'on_track' WHEN s.r5 < 0.9 THEN 'at_risk' "
                "ELSE 'breached' END) END"
            )
        if self.has_facts:
            # no request, rating, part waiting or worklog waiting for approval; the repeat orders on a serial
            # depend on the later orders: the addon's SQL refresh sets them below
            overrides.update(
                {
                    "aftersales_date_received": created,
                    "aftersales_unit_status": "CASE WHEN s.r2 < 0.75 THEN 'delivered' WHEN s.r2 < 0.85 "
                    "THEN 'in_repair' WHEN s.r2 < 0.95 THEN 'received' ELSE 'cancelled' END",
                    "aftersales_visit_count": f"CASE WHEN {rejected} THEN 2 WHEN {started} THEN 1 ELSE 0 END",
                    "aftersales_worked_hours": f"CASE WHEN {rejected} THEN (0.5 + s.r7 * 4) + (0.5 + s.r8 * 4) "
                    f"WHEN {started} THEN 0.5 + s.r7 * 4 ELSE 0.0 END",
                    "aftersales_rework": f"({rejected})",
                    "aftersales_worklog_to_approve": "false",
                    "aftersales_waiting_parts": "false",
                    "aftersales_rating": "0.0",
                    "aftersales_rating_count": "0",
                    "aftersales_repeat_order": "false",
                }
            )
        order_ids = self.clone("repair_order", self.templates["order"], "SELECT * FROM bench_order", overrides)
        lo, hi = min(order_ids), max(order_ids)
        for is_rejected in (False, True):
            worklog_overrides = {
                "name": "'WL/' || s.id || '-R'" if is_rejected else "'WL/' || s.id",
                "repair_id": "s.id",
                "technician_id": "s.technician_id",
                "company_id": "s.company_id",
                "state": "'rejected'" if is_rejected else "'approved'",
                "date_start": "s.date_started",
                "date_end": "s.date_started + interval '1 hour' * (0.5 + s.r * 4)",
                "duration_hours": "0.5 + s.r * 4",
            }
            if self.has_worklog_partner:
                worklog_overrides["partner_id"] = "s.partner_id"
            self.clone(
                "aftersales_worklog",
                self.templates["worklog"],
                "SELECT ro.id, ro.technician_id, ro.date_started, ro.company_id, ro.partner_id, "
                f"{'s.r8' if is_rejected else 's.r7'} AS r "
                "FROM bench_order s JOIN repair_order ro ON ro.id = s.id "
                f"WHERE {rejected if is_rejected else started}",
                worklog_overrides,
            )
        # parts: half of the finished orders consume one to three units of a part
        move_overrides = {
            "repair_id": "s.id",
            "product_id": self.pick(self.parts, "floor(s.r1 * 100000)::int"),
            "product_uom_qty": "1 + floor(s.r2 * 3)",
            "quantity": "1 + floor(s.r2 * 3)",
            "product_qty": "1 + floor(s.r2 * 3)",
            "state": "'done'",
            "date": "s.date_finished",
            "company_id": "s.company_id",
        }
        if self.has_move_customer:
            move_overrides["aftersales_customer_id"] = "s.partner_id"
        self.clone(
            "stock_move",
            self.templates["move"],
            "SELECT ro.id, ro.date_finished, ro.company_id, ro.partner_id, random() AS r1, random() AS r2 "
            f"FROM repair_order ro WHERE ro.id BETWEEN {lo} AND {hi} AND ro.state = 'done' AND random() < 0.5",
            move_overrides,
        )
        self.cr.execute("ANALYZE repair_order, aftersales_worklog, stock_move, stock_lot, res_partner")
        self.orders = target

    def refresh(self):
        """What the addon does after the rows are written: the facts that depend on other orders, and the
        stored past months of the heavy reports (a scheduled action at night). Returns the timings."""
        timings = {}
        env = self.env
        if self.has_facts:
            start = time.perf_counter()
            changed = env["repair.order"]._aftersales_refresh_report_facts()
            timings[f"order facts refreshed in SQL ({changed:,} orders changed)"] = time.perf_counter() - start
        rollups = [
            model
            for model in (
                "repair.order.report.aftersales",
                "aftersales.worklog.report.duration",
                "stock.move.report.aftersales.parts",
            )
            if hasattr(env[model], "_rollup_refresh")
        ]
        if rollups and not self.registered:
            # the first read of a grouping is computed from the view and registers it for the refresh
            start = time.perf_counter()
            for _label, fn in figures(env):
                fn()
            timings["first read of each grouping (from the views; registers it)"] = time.perf_counter() - start
            self.registered = True
        for model in rollups:
            # what the scheduled action does every 10 minutes: store the months changed since its last run
            start = time.perf_counter()
            months = env[model]._rollup_refresh()
            timings[f"{model}: {months} stored months refreshed"] = time.perf_counter() - start
        for model in ("repair.order.report.heatmap", "stock.move.report.aftersales.abnormal"):
            if hasattr(env[model], "_refresh_past_months"):
                start = time.perf_counter()
                env[model]._refresh_past_months()
                timings[f"{model}: past months refreshed"] = time.perf_counter() - start
        self.cr.execute("ANALYZE repair_order")
        return timings


# ---------------------------------------------------------------------------- figures


def figures(env):
    """(label, callable) of each report read the UI makes, plus the baseline."""
    admin = env.ref("base.user_admin")
    uenv = env(user=admin.id)

    def read_group(model, fields, groupby):
        return lambda: uenv[model].read_group([], fields, groupby, lazy=False)

    def search_read(model, domain, fields):
        return lambda: uenv[model].search_read(domain, fields, limit=80)

    items = [
        (
            "orders per technician and state (pivot)",
            read_group(
                "repair.order.report.aftersales", ["order_count:sum", "done_count:sum"], ["technician_id", "state"]
            ),
        ),
        (
            "waiting time per service type (pivot)",
            read_group(
                "repair.order.report.aftersales",
                ["waiting_hours:avg", "response_hours:avg"],
                ["service_type_id"],
            ),
        ),
        (
            "FTF / rework per centre and month (pivot)",
            read_group(
                "repair.order.report.aftersales",
                ["ftf_rate:avg", "rework_rate:avg", "order_count:sum"],
                ["service_centre_id", "date_received:month"],
            ),
        ),
        (
            "products by status (graph)",
            read_group("repair.order.report.aftersales", ["order_count:sum"], ["unit_status"]),
        ),
        (
            "service duration per technician (pivot)",
            read_group("aftersales.worklog.report.duration", ["duration_hours:sum"], ["technician_id"]),
        ),
        (
            "most consumed parts (graph)",
            read_group("stock.move.report.aftersales.parts", ["quantity:sum"], ["part_id"]),
        ),
        (
            "parts consumed per part and month (pivot)",
            read_group("stock.move.report.aftersales.parts", ["quantity:sum"], ["part_id", "date:month"]),
        ),
        (
            "abnormal consumption (list)",
            search_read("stock.move.report.aftersales.abnormal", [("is_abnormal", "=", True)], ["ratio"]),
        ),
        ("parts forecast (list)", search_read("stock.move.report.aftersales.forecast", [], ["forecast_qty"])),
        (
            "failure heat map cells (page)",
            lambda: uenv["repair.order.report.heatmap"]._get_heatmap_svg_data([]),
        ),
        ("KPI cards (kanban)", search_read("aftersales.service.centre.report.kpi", [], ["open_count", "ftf_rate"])),
    ]
    if "sla_compliance" in env["repair.order.report.aftersales"]._fields:
        items.append(
            (
                "SLA compliance per policy (pivot)",
                read_group(
                    "repair.order.report.aftersales",
                    ["sla_compliance:avg", "sla_breached_count:sum"],
                    ["sla_policy_id"],
                ),
            )
        )
    if "aftersales.qc.inspection.report.quality" in env:
        items.append(
            (
                "QC first-pass per technician (pivot)",
                read_group("aftersales.qc.inspection.report.quality", ["first_pass_rate:avg"], ["technician_id"]),
            )
        )
    return items


def timed(fn, runs):
    samples = []
    for _run in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return p95(samples)


def main(argv):
    args, odoo_argv = parse_args(argv)
    import odoo  # noqa: PLC0415 - the Odoo config must be parsed first
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*odoo_argv, "-d", args.db])
    registry = odoo.modules.registry.Registry(args.db)
    results = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generator = Generator(env, args.seed)
        print(f"setting up dimensions in {args.db} ...", flush=True)
        generator.setup()
        for size in args.sizes:
            start = time.perf_counter()
            generator.grow(size)
            print(f"generated {size:,} service orders in {time.perf_counter() - start:.1f} s", flush=True)
            for step, seconds in generator.refresh().items():
                print(f"  {step} in {seconds:.1f} s", flush=True)

            def baseline():
                cr.execute("SELECT technician_id, count(*) FROM repair_order GROUP BY technician_id")
                cr.fetchall()

            base = timed(baseline, args.runs)
            for label, fn in figures(env):
                if args.only and args.only not in label:
                    continue
                env.invalidate_all()
                figure = timed(fn, args.runs)
                results.append(
                    {
                        "size": size,
                        "figure": label,
                        "p95_s": round(figure, 4),
                        "target_s": TARGET_SECONDS,
                        "baseline_p95_s": round(base, 4),
                        "ratio": round(figure / base, 1) if base else None,
                        "pass": figure <= TARGET_SECONDS,
                    }
                )
                row = results[-1]
                verdict = "pass" if row["pass"] else "FAIL"
                print(
                    f"{size:>9,} | {label:<44} | {row['p95_s']:>8.3f} s | <= {TARGET_SECONDS:.0f} s | "
                    f"{row['baseline_p95_s']:>7.3f} s | x{row['ratio'] or 0:>7.1f} | {verdict}",
                    flush=True,
                )
        if args.keep:
            cr.commit()
        else:
            cr.rollback()
    if args.json:
        rows = [
            {
                "figure": f"report: {row['figure']}",
                "size": row["size"],
                "value": row["p95_s"],
                "unit": "s",
                "target": f"<= {TARGET_SECONDS:.0f} s (p95 of {args.runs} runs)",
                "baseline": row["baseline_p95_s"],
                "ratio": row["ratio"],
                "passed": row["pass"],
                "note": "size: service orders; baseline: SELECT technician_id, count(*) FROM repair_order "
                f"GROUP BY technician_id at the same size; seed {args.seed}",
            }
            for row in results
        ]
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"{sum(r['pass'] for r in results)} of {len(results)} figures within {TARGET_SECONDS:.0f} s")
    return 0 if all(r["pass"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
