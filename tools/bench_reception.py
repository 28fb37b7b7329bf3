"""Benchmark of the reception of a large batch: one request with 100, 1,000 and 10,000 units (``--large``:
1,000, 10,000 and 100,000).

Compares the batch path (the "Add Units" wizard: one ``lookup_many`` call, one ``create``) with the
line-by-line path (the scan field: one lookup and one create per unit), measured on a sample and
extrapolated to the same number of units. Everything runs in one transaction that is rolled back.

Run by ``./aftersales bench`` (or ``--only reception``), or directly on a database where
aftersales_service is installed::

    .venv/bin/python tools/bench_reception.py --db DB [--sizes 100,1000,10000] [--sample 300] [--json out.json]

Target (from the issue): 10,000 units within 60 s and at least 5x faster than line by line.

Scale mode (``--scale``, issue 22, see tools/bench.py): batches of 100, 1,000, 10,000 and 100,000 units
(``--quick``: 100 and 1,000; ``--sizes`` overrides) in the same database, through ONE registry and ONE
connection kept open from the first size to the last, each size committed (the serials, cards and
request lines of the smaller sizes stay: the tables grow as in a running server). At each size: batch
time against the line-by-line path (measured on a sample, extrapolated), time per unit against the
smallest batch of the run (target: at most 1.5 times), peak resident memory (target: under 1 GiB), with
the load average.
"""

# pylint: disable=print-used
import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, PeakRSS, db_args  # noqa: E402 (tools/ is not a package)

import odoo  # noqa: E402
from odoo import fields  # noqa: E402
from odoo.tools import config  # noqa: E402

SCALE_SIZES = "100,1000,10000,100000"
PER_UNIT_MAX_RATIO = 2  # time per unit against the smallest batch of the run
SCALE_PER_UNIT_MAX_RATIO = 1.5  # the same, in scale mode (issue 22: no cliff up to 100,000 units)
MEMORY_MAX_MIB = 1024


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", help="write the result rows for ./aftersales bench")
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 units, a sample of 100")
    parser.add_argument("--sizes", help="units per request, one run per size (default 100,1000,10000)")
    parser.add_argument("--large", action="store_true", help="1,000, 10,000 and 100,000 units (issue 22)")
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"growth: {SCALE_SIZES} units, one connection open throughout, each size committed",
    )
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    default_sizes = SCALE_SIZES if args.scale else "100,1000,10000"
    if args.quick:
        default_sizes, args.sample = "100,1000", 100
    if args.large:
        default_sizes = "1000,10000,100000"
    args.sizes = args.sizes or default_sizes
    args.sizes = [int(size) for size in args.sizes.split(",")]
    config.parse_config(
        ["-c", str(ROOT / "odoo.conf"), "--addons-path", str(ROOT), "-d", args.db, "--log-level", "warn", *db_args()]
    )
    return args


def make_fixtures(env, units, sample):
    """Serial units with warranty cards (half found by card, half by serial) plus product-code units."""
    stamp = int(time.time())
    customer = env["res.partner"].create({"name": f"Bench customer {stamp}"})
    product = env["product.product"].create(
        {
            "name": f"Bench appliance {stamp}",
            "default_code": f"BENCH-{stamp}",
            "is_storable": True,
            "tracking": "serial",
        }
    )
    plain = env["product.product"].create({"name": f"Bench accessory {stamp}", "default_code": f"ACC-{stamp}"})
    wtype = env["aftersales.warranty.type"].create({"name": "Bench 12 months", "duration": 12})
    total = units + sample
    serial_count = total - total // 10  # 10% of the codes are product codes
    # serials and their cards generated with SQL (as bench_warranty.py does): the ORM would take minutes
    # at 100,000 units for data that is not what is measured
    env.flush_all()
    params = {
        "stamp": str(stamp),
        "count": serial_count,
        "product": product.id,
        "uom": product.uom_id.id,
        "company": env.company.id,
        "customer": customer.id,
        "type": wtype.id,
        "today": fields.Date.context_today(env["res.partner"]),
    }
    env.cr.execute(
        """INSERT INTO stock_lot (name, product_id, product_uom_id, company_id, create_uid, write_uid,
                                  create_date, write_date)
           SELECT 'BSN-' || %(stamp)s || '-' || lpad(i::text, 6, '0'), %(product)s, %(uom)s, %(company)s,
                  1, 1, now(), now()
             FROM generate_series(0, %(count)s - 1) AS i""",
        params,
    )
    env.cr.execute(
        """INSERT INTO aftersales_warranty (name, lot_id, product_id, partner_id, warranty_type_id, date_start,
                                            date_end, date_grace_end, state, company_id, create_uid, write_uid,
                                            create_date, write_date)
           SELECT 'BWC-' || %(stamp)s || '-' || substr(l.name, length(l.name) - 5), l.id, %(product)s,
                  %(customer)s, %(type)s, %(today)s, (%(today)s + interval '12 months' - interval '1 day')::date,
                  (%(today)s + interval '12 months' - interval '1 day')::date, 'active', %(company)s, 1, 1,
                  now(), now()
             FROM stock_lot l
            WHERE l.product_id = %(product)s""",
        params,
    )
    env.cr.execute("ANALYZE stock_lot")
    env.cr.execute("ANALYZE aftersales_warranty")
    env.invalidate_all()
    codes = []
    for i in range(total):
        if i % 10 == 9:
            codes.append(plain.default_code)  # product code (no card: received out of warranty)
        elif i % 2:
            codes.append(f"BWC-{stamp}-{i - i // 10:06d}")  # warranty serial
        else:
            codes.append(f"bsn-{stamp}-{i - i // 10:06d}")  # product serial, typed in lower case
    service_type = env["aftersales.service.type"].search([], limit=1)
    return customer, service_type, codes[:units], codes[units:]


def measure(cr, units, sample):
    """Add ``units`` codes to one request with the batch wizard, and ``sample`` codes one by one, in the
    transaction of ``cr`` (the caller rolls it back or commits it)."""
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
    env["ir.config_parameter"].set_param("aftersales_service.batch_async_threshold", str(units + 1))
    started = time.perf_counter()
    customer, service_type, batch_codes, sample_codes = make_fixtures(env, units, sample)
    env.flush_all()
    print(f"fixtures: {units + sample} codes in {time.perf_counter() - started:.1f} s")
    Request = env["aftersales.request"]

    request = Request.create({"partner_id": customer.id, "service_type_id": service_type.id})
    wizard = env["aftersales.request.add.units"].create(
        {"request_id": request.id, "codes_text": "\n".join(batch_codes)}
    )
    env.flush_all()
    env.invalidate_all()  # the fixtures out of the cache: the batch starts as in a new request
    with PeakRSS() as memory:
        started = time.perf_counter()
        wizard.action_add_units()
        env.flush_all()
        batch_seconds = time.perf_counter() - started
    load = os.getloadavg()[0]
    if wizard.error_report:
        sys.exit(f"batch path reported errors:\n{wizard.error_report[:2000]}")
    lines = len(request.line_ids)
    if lines != units:
        sys.exit(f"batch path: {lines} units on the request, {units} expected")
    print(
        f"batch path: {lines} units in {batch_seconds:.1f} s ({lines / batch_seconds:.0f} units/s); "
        f"peak resident memory {memory.peak:.0f} MiB ({memory.peak - memory.before:+.0f} MiB); load average {load:.1f}"
    )
    env.invalidate_all()

    single = Request.create({"partner_id": customer.id, "service_type_id": service_type.id})
    env.flush_all()
    started = time.perf_counter()
    for code in sample_codes:
        single._add_unit_codes([code])
        env.flush_all()
    sample_seconds = time.perf_counter() - started
    per_unit = sample_seconds / len(sample_codes)
    extrapolated = per_unit * units
    print(
        f"line-by-line path: {len(sample_codes)} units in {sample_seconds:.1f} s "
        f"({per_unit * 1000:.1f} ms/unit), extrapolated to {units}: {extrapolated:.0f} s"
    )
    ratio = extrapolated / batch_seconds
    print(f"ratio: batch is {ratio:.1f}x faster; target <= 60 s and >= 5x")
    env.invalidate_all()
    return [
        {
            "figure": "reception: add units to one request (batch wizard)",
            "size": units,
            "value": round(batch_seconds, 2),
            "unit": "s",
            "target": "<= 60 s, >= 5x line by line",
            "baseline": round(extrapolated, 2),
            "ratio": round(ratio, 2),
            "passed": batch_seconds <= 60 and ratio >= 5,
            "note": (f"line by line measured on {len(sample_codes)} units and extrapolated; load average {load:.1f}"),
        },
        {
            "figure": "reception: peak resident memory during the batch",
            "size": units,
            "value": round(memory.peak),
            "unit": "MiB",
            "target": f"< {MEMORY_MAX_MIB} MiB",
            "baseline": round(memory.before),
            "ratio": round(memory.peak / memory.before, 2),
            "passed": memory.peak < MEMORY_MAX_MIB,
            "note": (
                "process running the wizard as a server worker would; baseline: its memory before; "
                f"load average {load:.1f}"
            ),
        },
    ]


def per_unit_rows(rows, max_ratio):
    """The cost of one unit at each size against the smallest size of the same run (linear growth)."""
    batches = [row for row in rows if row["figure"].startswith("reception: add units")]
    smallest = min(batches, key=lambda row: row["size"])
    base = smallest["value"] * 1000 / smallest["size"]
    out = []
    for row in batches:
        per_unit = row["value"] * 1000 / row["size"]
        out.append(
            {
                "figure": "reception: batch time per unit (linear growth)",
                "size": row["size"],
                "value": round(per_unit, 3),
                "unit": "ms/unit",
                "target": f"<= {max_ratio:g}x the {smallest['size']:,}-unit figure",
                "baseline": round(base, 3),
                "ratio": round(per_unit / base, 2),
                "passed": per_unit <= max_ratio * base,
                "note": f"baseline: time per unit of the {smallest['size']:,}-unit batch in the same run; "
                + row["note"].split("; ")[-1],
            }
        )
        print(f"  {row['size']:>7,} units: {per_unit:.3f} ms/unit, {per_unit / base:.2f}x the smallest batch")
    return out


def main():
    args = parse_args()
    registry = odoo.modules.registry.Registry(config["db_name"])
    rows = []
    if args.scale:
        # one connection from the first size to the last, as a running server keeps its connections (and
        # the plans they made while the tables were small); each size committed: the next one finds its data
        with registry.cursor() as cr:
            for units in args.sizes:
                print(
                    f"== {units:,} units (same connection since {args.sizes[0]:,}); "
                    f"load average {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
                rows += measure(cr, units, min(args.sample, units))
                cr.commit()  # pylint: disable=invalid-commit
    else:
        for units in args.sizes:
            print(f"== {units:,} units; load average {os.getloadavg()[0]:.1f}", flush=True)
            with registry.cursor() as cr:
                rows += measure(cr, units, min(args.sample, units))
                cr.rollback()
    rows += per_unit_rows(rows, SCALE_PER_UNIT_MAX_RATIO if args.scale else PER_UNIT_MAX_RATIO)
    for row in rows:
        print(
            f"| {row['figure']} | {row['size']:,} | {row['value']} {row['unit']} | {row['target']} | "
            f"{row['baseline']} | {row['ratio']} | {'PASS' if row['passed'] else 'FAIL'} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0  # completed; pass/fail is in the rows


if __name__ == "__main__":
    sys.exit(main())
