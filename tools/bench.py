"""Benchmark suite behind ``./aftersales bench``.

Installs the four addons (without demo data) into the database ``aftersales_bench`` when it does not
exist yet, then runs every ``tools/bench_*.py`` script. Each script takes ``--db NAME --json PATH`` (plus
its own options, e.g. ``--sizes``) and writes a list of rows::

    {"figure": str, "size": int|null, "value": float, "unit": str, "target": str,
     "baseline": float|null, "ratio": float|null, "passed": bool|null, "note": str}

where ``baseline`` is measured in the same run and ``ratio`` compares the two. This script prints one
table of all rows and writes them to ``.data/bench.json``.

    ./aftersales bench                       every benchmark at its default sizes
    ./aftersales bench --only warranty       one benchmark (bench_warranty.py)
    ./aftersales bench --quick               small sizes, for a smoke run
    ./aftersales bench --only sms,public     throughput over HTTP with 4 workers: inbound SMS campaign
                                             (bench_sms.py) and the public warranty page with 20 visitors
                                             (bench_public.py), each against an Odoo page in the same run
    ./aftersales bench --only reception,dispatch --large
                                             ten times the default sizes: 100,000 units in one reception
                                             batch; 10,000 technicians and 1,000,000 open orders
    ./aftersales bench --scale               every figure at sizes ten times apart (issue 22; hours on 2 cores):
                                             the suite is installed once, without demo data, into a fresh
                                             database (aftersales_bench_scale), and each benchmark with a
                                             scale mode grows its own copy of it x10 at a time, with one
                                             connection open from its first size to its last (as a running
                                             server keeps its connections and the plans they made):
                                               sms, public    throughput at 1,000 cards (before the growth)
                                               warranty       1,000 -> 10,000,000 cards (--scale-sizes)
                                               sms, public    throughput again at the largest card count
                                               reception      100 -> 100,000 units in one batch
                                               dispatch       1,000 -> 1,000,000 open orders, 10,000 technicians
                                               reports        1,000 -> 10,000,000 service orders
    ./aftersales bench --scale --quick       the same at small sizes (smoke run, minutes)
    ./aftersales bench --scale --only reports,dispatch
    ./aftersales bench --scale --scale-sizes 1000,10000,100000,1000000   warranty cards up to 1,000,000

In scale mode the table is followed by growth curves: per benchmark, one line per figure, one column per
size. The copies are dropped at the end (``--keep`` keeps them, e.g. to rerun one benchmark by hand).
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ADDONS, DATA, ROOT, VENV, db_exists, drop_db, odoo_cmd, psql  # noqa: E402 (tools/ is not a package)

SCALE_BENCHMARKS = ("warranty", "reception", "dispatch", "reports")  # the benchmarks with a scale mode (--scale)
# scale mode: throughput benchmarks measured on the warranty benchmark's database, before and after its growth
THROUGHPUT_BENCHMARKS = ("sms", "public")
LARGE_BENCHMARKS = ("reception", "dispatch")  # the benchmarks with ten-times sizes (--large)
SCALE_SIZES = "1000,10000,100000,1000000,10000000"  # warranty cards in scale mode


def addons_stamp():
    """A hash of the addons' files: the benchmark database is updated when it changes."""
    digest = hashlib.sha1()
    for path in sorted(p for addon in ADDONS for p in (ROOT / addon).rglob("*") if p.is_file()):
        if path.suffix != ".pyc":
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_db(db):
    stamp_file, stamp = DATA / f"{db}.addons-stamp", addons_stamp()
    if not db_exists(db):
        print(f"== creating database {db} with the four addons, without demo data", flush=True)
        options = ("-i", ",".join(ADDONS), "--without-demo=all")
    elif not stamp_file.exists() or stamp_file.read_text().strip() != stamp:
        print(f"== the addons changed: updating database {db}", flush=True)
        options = ("-u", ",".join(ADDONS))
    else:
        return
    subprocess.run(odoo_cmd(db, *options, "--stop-after-init", "--log-level=warn"), check=True)
    stamp_file.write_text(stamp)


def fmt(value, digits=3):
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def print_table(rows):
    headers = ["figure", "size", "value", "unit", "target", "baseline", "ratio", "pass"]
    table = [
        [
            r.get("figure", ""),
            fmt(r.get("size")),
            fmt(r.get("value")),
            r.get("unit", ""),
            r.get("target", ""),
            fmt(r.get("baseline")),
            fmt(r.get("ratio")),
            {True: "PASS", False: "FAIL", None: "-"}[r.get("passed")],
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *table, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False))
    print(line)
    print("-" * len(line))
    for row in table:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=False)))


def print_growth(rows, title=None):
    """One line per figure, one column per size: the growth curve of each figure (markdown)."""
    if title:
        print(f"\n{title}\n")
    sizes = sorted({r["size"] for r in rows if isinstance(r.get("size"), int)})
    figures = {}
    for row in rows:
        if isinstance(row.get("size"), int):
            figures.setdefault((row["figure"], row.get("unit", "")), {})[row["size"]] = row
    print("| figure | unit | " + " | ".join(f"{size:,}" for size in sizes) + " | target | all pass |")
    print("|---|---|" + "---:|" * len(sizes) + "---|---|")
    for (figure, unit), by_size in figures.items():
        cells = [fmt(by_size[size]["value"]) if size in by_size else "" for size in sizes]
        passed = [r.get("passed") for r in by_size.values() if r.get("passed") is not None]
        verdict = "-" if not passed else ("PASS" if all(passed) else "FAIL")
        target = next(iter(by_size.values())).get("target", "")
        print(f"| {figure} | {unit} | " + " | ".join(cells) + f" | {target} | {verdict} |")


def copy_db(template, db):
    """A copy of the freshly installed scale database (and of its filestore) for one benchmark."""
    drop_db(db)
    psql(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
    source, target = DATA / "filestore" / "filestore" / template, DATA / "filestore" / "filestore" / db
    shutil.rmtree(target, ignore_errors=True)
    if source.exists():
        shutil.copytree(source, target)


def drop_copy(db, attempts=10):
    """Drop a benchmark's copy; an autovacuum worker busy with its new rows (a superuser process, which
    ``WITH (FORCE)`` may not end for us) is waited for, and a copy that still cannot go is left, said."""
    for attempt in range(attempts):
        try:
            drop_db(db)
            break
        except subprocess.CalledProcessError as error:
            if attempt == attempts - 1:
                print(f"!! could not drop {db} ({(error.stderr or '').strip()}): drop it by hand", flush=True)
                return
            time.sleep(30)
    shutil.rmtree(DATA / "filestore" / "filestore" / db, ignore_errors=True)


def run_script(name, db, extra, args):
    """Run ``tools/bench_<name>.py`` and return (rows, completed)."""
    script = ROOT / "tools" / f"bench_{name}.py"
    out = DATA / f"bench-{script.stem}.json"
    out.unlink(missing_ok=True)
    cmd = [str(VENV / "bin" / "python"), str(script), "--db", db, "--json", str(out)]
    if args.quick:
        cmd.append("--quick")
    if args.large and name in LARGE_BENCHMARKS:
        cmd.append("--large")
    cmd += extra
    print(f"== {script.name} {' '.join(extra)} (database {db})", flush=True)
    proc = subprocess.run(cmd)
    if proc.returncode != 0 or not out.exists():
        return [{"figure": f"{script.stem}: did not complete", "passed": False}], False
    return json.loads(out.read_text(encoding="utf-8")), True


def scale_plan(args):
    """(benchmark, database, extra arguments, growth table) in the order of a scale run."""
    wanted = set(args.only.split(",")) if args.only else set(SCALE_BENCHMARKS + THROUGHPUT_BENCHMARKS)
    plan = []
    warranty_db = f"{args.db}_warranty"
    warranty = [n for n in ("warranty", *THROUGHPUT_BENCHMARKS) if n in wanted]
    if warranty:
        sizes = [int(s) for s in (args.scale_sizes or ("1000,10000" if args.quick else SCALE_SIZES)).split(",")]
        throughput = [n for n in THROUGHPUT_BENCHMARKS if n in wanted]
        plan += [(name, warranty_db, ["--cards", str(sizes[0])], None) for name in throughput]
        if "warranty" in wanted:
            extra = ["--scale"] + (["--sizes", args.scale_sizes] if args.scale_sizes else [])
            plan.append(("warranty", warranty_db, extra, "warranty cards"))
            plan += [(name, warranty_db, ["--cards", str(sizes[-1])], None) for name in throughput]
    for name, unit in (("reception", "units in one batch"), ("dispatch", "open orders"), ("reports", "service orders")):
        if name in wanted:
            plan.append((name, f"{args.db}_{name}", ["--scale"], unit))
    return plan


def run_scale(args):
    print(f"== scale mode: recreating database {args.db}", flush=True)
    drop_db(args.db)
    (DATA / f"{args.db}.addons-stamp").unlink(missing_ok=True)
    ensure_db(args.db)
    rows, failures, growth, copies, throughput = [], [], [], [], []
    for name, db, extra, unit in scale_plan(args):
        if db not in copies:
            copy_db(args.db, db)
            copies.append(db)
        script_rows, completed = run_script(name, db, extra, args)
        if not completed:
            failures.append(name)
        if name in THROUGHPUT_BENCHMARKS and completed:
            # the size of a throughput row is its number of connections; here it is the card count
            cards = int(extra[extra.index("--cards") + 1])
            for row in script_rows:
                row["size"] = cards
            throughput.extend(script_rows)
        rows.extend(script_rows)
        if unit:
            growth.append((f"{name} (size: {unit})", script_rows))
    print()
    print_table(rows)
    print("\ngrowth curves (value at each size; baselines and ratios in the table above)")
    for title, script_rows in growth:
        print_growth(script_rows, title)
    if throughput:
        print_growth(throughput, "throughput (size: warranty cards)")
    (DATA / "bench.json").write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")
    if not args.keep:
        for db in copies:
            drop_copy(db)
    return rows, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="aftersales_bench")
    parser.add_argument("--only", help="comma-separated benchmark names (bench_<name>.py)")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--large", action="store_true", help="ten-times sizes for " + ", ".join(LARGE_BENCHMARKS))
    parser.add_argument("--scale", action="store_true", help="every figure at sizes ten times apart (see above)")
    parser.add_argument("--scale-sizes", help=f"scale mode: warranty card counts, x10 steps (default {SCALE_SIZES})")
    parser.add_argument("--keep", action="store_true", help="scale mode: keep each benchmark's database copy")
    args = parser.parse_args()
    if args.scale:
        args.db = args.db if args.db != "aftersales_bench" else "aftersales_bench_scale"
        rows, failures = run_scale(args)
    else:
        rows, failures = run_default(args)
    (DATA / "bench.json").write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")
    print(f"\nwritten to {DATA / 'bench.json'}")
    sys.exit(1 if failures else 0)


def run_default(args):
    names = [s.stem.removeprefix("bench_") for s in sorted((ROOT / "tools").glob("bench_*.py"))]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    ensure_db(args.db)
    rows, failures = [], []
    for name in names:
        script_rows, completed = run_script(name, args.db, [], args)
        if not completed:
            failures.append(f"bench_{name}.py")
        rows.extend(script_rows)
    print()
    print_table(rows)
    return rows, failures


if __name__ == "__main__":
    main()
