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
    ./aftersales bench --scale               growth from 1,000 to 10,000,000 warranty cards in one
                                             database (aftersales_bench_scale, recreated), same connection
                                             open throughout; --scale-sizes 1000,10000,100000,1000000 to
                                             stop earlier (10,000,000 takes hours on 2 cores)

In scale mode the table is followed by growth curves: one line per figure, one column per size.
"""

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ADDONS, DATA, ROOT, VENV, db_exists, drop_db, odoo_cmd  # noqa: E402 (tools/ is not a package)

SCALE_BENCHMARKS = ("warranty",)  # the benchmarks with a scale mode (--scale)
LARGE_BENCHMARKS = ("reception", "dispatch")  # the benchmarks with ten-times sizes (--large)


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


def print_growth(rows):
    """One line per figure, one column per size: the growth curve of each figure (markdown)."""
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="aftersales_bench")
    parser.add_argument("--only", help="comma-separated benchmark names (bench_<name>.py)")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--large", action="store_true", help="ten-times sizes for " + ", ".join(LARGE_BENCHMARKS))
    parser.add_argument("--scale", action="store_true", help="grow one fresh database ×10 at a time (see above)")
    parser.add_argument(
        "--scale-sizes", default="1000,10000,100000,1000000,10000000", help="scale mode: sizes, ×10 steps"
    )
    args = parser.parse_args()
    scripts = sorted((ROOT / "tools").glob("bench_*.py"))
    if args.scale:
        args.db = args.db if args.db != "aftersales_bench" else "aftersales_bench_scale"
        args.only = args.only or ",".join(SCALE_BENCHMARKS)
        print(f"== scale mode: recreating database {args.db}", flush=True)
        drop_db(args.db)
        (DATA / f"{args.db}.addons-stamp").unlink(missing_ok=True)
    if args.only:
        wanted = {f"bench_{n}.py" for n in args.only.split(",")}
        scripts = [s for s in scripts if s.name in wanted]
    ensure_db(args.db)
    rows, failures = [], []
    for script in scripts:
        out = DATA / f"bench-{script.stem}.json"
        out.unlink(missing_ok=True)
        cmd = [str(VENV / "bin" / "python"), str(script), "--db", args.db, "--json", str(out)]
        if args.quick:
            cmd.append("--quick")
        if args.large and script.stem.removeprefix("bench_") in LARGE_BENCHMARKS:
            cmd.append("--large")
        if args.scale:
            cmd += ["--scale", "--sizes", args.scale_sizes]
        print(f"== {script.name}", flush=True)
        proc = subprocess.run(cmd)
        if proc.returncode != 0 or not out.exists():
            failures.append(script.name)
            rows.append({"figure": f"{script.stem}: did not complete", "passed": False})
            continue
        rows.extend(json.loads(out.read_text(encoding="utf-8")))
    print()
    print_table(rows)
    if args.scale:
        print("\ngrowth curves (value at each size; baselines and ratios in the table above)\n")
        print_growth(rows)
    (DATA / "bench.json").write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")
    print(f"\nwritten to {DATA / 'bench.json'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
