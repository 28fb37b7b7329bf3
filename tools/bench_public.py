"""The public warranty check page over HTTP against Odoo's own ``/web/login``, with concurrent visitors.

``--visitors`` anonymous visitors (default 20, one ``requests.Session`` each, i.e. their own session
cookie) load, without pause for ``--seconds`` (default 20) per page, in the same run:

- ``/web/login`` (Odoo's sign-in page, rendered by the website: the reference),
- ``/aftersales/warranty?code=<serial>`` (``aftersales_portal``: the warranty lookup of a random card among
  ``--cards`` (default 100,000), half by product serial, half by warranty card number; the answer must
  show the product, else it counts as an error).

The page limits each address to 20 checks per 10 minutes (``aftersales_portal.warranty_check_limit``):
the server runs behind a proxy as in production (``--proxy-mode``) and every check comes from its own
address (``X-Forwarded-For``), as a crowd of different people would, so the limit is exercised (one
counter row per address) but never reached. Figures: p50/p95 latency and requests/s of both pages and
their ratios; targets: no errors, p95 <= 1.5x and capacity >= 70 % of ``/web/login``'s. With 20 visitors
who never pause, the latency is mostly queueing (20 requests in flight for 4 workers), so the targets
compare with Odoo's own page rather than an absolute time, which depends on the machine and its load.

The server is started by the script (``--workers 4``, crons off) on the benchmark database; the cards are
``bench_warranty.py``'s, generated (committed) when missing. Example::

    .venv/bin/python tools/bench_public.py --db aftersales_bench --json .data/bench-public.json
"""

# pylint: disable=print-used
import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_portal import run_load, start_server  # noqa: E402 (tools/ is not a package)

P95_RATIO_TARGET = 1.5  # p95 at most 1.5x the p95 of /web/login in the same run
CAPACITY_TARGET = 0.7  # capacity at least 70 % of /web/login's


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", help="write the result rows for ./aftersales bench")
    parser.add_argument("--quick", action="store_true", help="5 visitors, 5 s per page, 1,000 cards")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cards", type=int, default=100000, help="warranty cards in the database")
    args = parser.parse_args()
    if args.quick:
        args.visitors, args.seconds, args.cards = 5, 5, 1000
    return args


def ensure_cards(db, cards):
    from bench_warranty import Bench, odoo_config  # noqa: PLC0415

    bench = Bench(odoo_config(db), db)
    with bench.registry.cursor() as cr:
        env = bench.env(cr)
        wtype, products, partners = bench.ensure_fixtures(env)
        return bench.grow_to(env, cards, wtype, products, partners)


def main():
    args = parse_args()
    cards = ensure_cards(args.db, args.cards)
    addresses = itertools.count(int(time.time()) % 100000 * 1000)  # a new client address per check

    def address():
        number = next(addresses)
        return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"

    proc, url = start_server(args.db, args.workers, extra=["--proxy-mode"], name="public")
    try:
        sessions = [requests.Session() for _i in range(args.visitors)]

        def login_page(session, _rng):
            headers = {"X-Forwarded-For": address(), "X-Forwarded-Host": url.split("//", 1)[1]}
            return session.get(f"{url}/web/login", headers=headers, timeout=30).status_code == 200

        def warranty_page(session, rng):
            card = rng.randint(1, cards)
            code = f"BENCHSN{card:08d}" if rng.random() < 0.5 else f"BENCHWC{card:08d}"
            headers = {"X-Forwarded-For": address(), "X-Forwarded-Host": url.split("//", 1)[1]}
            response = session.get(f"{url}/aftersales/warranty", params={"code": code}, headers=headers, timeout=30)
            return response.status_code == 200 and "o_aftersales_warranty_result" in response.text

        for page in (login_page, warranty_page):  # warm-up: every worker renders both pages once
            warm = run_load(page, sessions[: args.workers * 2], 3)
            if not warm["requests"]:
                sys.exit(f"{page.__name__}: every warm-up request failed, see the server log")
        login = run_load(login_page, sessions, args.seconds)
        check = run_load(warranty_page, sessions, args.seconds)
    finally:
        proc.terminate()
        proc.wait(30)
    load = os.getloadavg()[0]
    ratio = check["rps"] / (login["rps"] or 1)
    print(
        f"{args.visitors} visitors without pause, {args.seconds:.0f} s per page, {args.workers} workers, "
        f"{cards:,} warranty cards; load average {load:.1f}"
    )
    print(f"{'page':34} {'req':>6} {'err':>4} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}")
    for name, row in (("/web/login (baseline)", login), ("/aftersales/warranty?code=...", check)):
        print(
            f"{name:34} {row['requests']:6d} {row['errors']:4d} {row['p50_ms']:7.0f} {row['p95_ms']:7.0f} "
            f"{row['rps']:7.1f}"
        )
    errors = login["errors"] + check["errors"]
    p95_ratio = check["p95_ms"] / (login["p95_ms"] or 1)
    note = (
        f"{args.visitors} visitors without pause, {args.seconds:.0f} s per page, {args.workers} workers, "
        f"{cards:,} cards, one client address per check (proxy mode); errors {errors}; load {load:.1f}"
    )
    rows = [
        {
            "figure": f"public warranty page: {args.visitors} visitors, p95",
            "size": args.visitors,
            "value": round(check["p95_ms"], 1),
            "unit": "ms",
            "target": f"<= {P95_RATIO_TARGET}x /web/login, no errors",
            "baseline": round(login["p95_ms"], 1),
            "ratio": round(p95_ratio, 2),
            "passed": errors == 0 and p95_ratio <= P95_RATIO_TARGET,
            "note": f"baseline: /web/login p95 in the same run; p50 {check['p50_ms']:.0f} vs "
            f"{login['p50_ms']:.0f} ms; " + note,
        },
        {
            "figure": f"public warranty page: {args.visitors} visitors, requests/s",
            "size": args.visitors,
            "value": round(check["rps"], 1),
            "unit": "req/s",
            "target": f">= {CAPACITY_TARGET:.0%} of /web/login",
            "baseline": round(login["rps"], 1),
            "ratio": round(ratio, 2),
            "passed": errors == 0 and ratio >= CAPACITY_TARGET,
            "note": "baseline: /web/login req/s in the same run; " + note,
        },
    ]
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0  # a missed target is a row marked FAIL, not a crash


if __name__ == "__main__":
    sys.exit(main())
