"""Benchmark of the after-sales portal pages against Odoo's own ``/my/home``.

Signed-in users (one ``requests.Session`` per thread) load, in turn for a fixed time:

- ``/my/home`` (Odoo's portal home, the reference),
- ``/my/aftersales/jobs`` (technician job list: 40 jobs, 15 open),
- ``/my/aftersales/requests/<id>`` (customer request page: one of 12 requests of 3 units each).

Three measures per page, in the same run: the time of the page for one user alone; ``--users`` people
(default 20) who pause ``--think`` seconds on average between two pages, as people reading a page do:
p50/p95 latency and errors; the same users without any pause (the server's capacity): throughput and
its ratio to ``/my/home``. Targets: p95 <= 500 ms, no errors, capacity >= 70 % of ``/my/home``.

The script creates its fixture users in the database (``bench_portal_customer``, ``bench_portal_technician``,
committed, once) and starts its own server on it (``--workers 4``, free port, crons off), or uses
``--url``. Example::

    .venv/bin/python tools/bench_portal.py --db aftersales_bench --json .data/bench-portal.json
"""

import argparse
import json
import math
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("AFTERSALES_VENV", ROOT / ".venv"))
DATA = Path(os.environ.get("AFTERSALES_DATA", ROOT / ".data"))


def free_port():
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db, workers, extra=(), name="portal"):
    """Start a server on ``db`` with ``workers`` workers (crons off) on a free port; returns (process, url).
    ``extra``: more command line options (e.g. ``--proxy-mode``); its log is ``.data/<db>-bench-<name>.log``."""
    db_args = shlex.split(
        subprocess.run([str(ROOT / "aftersales"), "db-args"], capture_output=True, text=True, check=True).stdout
    )
    port = free_port()
    cmd = [
        str(VENV / "bin" / "python"),
        str(VENV / "bin" / "odoo"),
        "-c",
        str(ROOT / "odoo.conf"),
        "--addons-path",
        str(ROOT),
        "--data-dir",
        str(DATA / "filestore"),
        *db_args,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--http-port",
        str(port),
        "--workers",
        str(workers),
        "--max-cron-threads",
        "0",
        "--limit-time-real",
        "600",
        "--log-level",
        "warn",
        *extra,
    ]
    log = open(DATA / f"{db}-bench-{name}.log", "w")  # noqa: SIM115 - kept open for the server's life
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _i in range(120):
        try:
            if requests.get(f"{url}/web/health", timeout=2).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(1)
    proc.terminate()
    sys.exit(f"the server did not start, see {log.name}")


CUSTOMER = "bench_portal_customer"
TECHNICIAN = "bench_portal_technician"


def ensure_fixtures(db):
    """Create (once, committed) the customer and technician the benchmark signs in as, with a realistic
    history: the customer has 12 requests (36 service orders) and the technician 40 jobs, 15 of them
    open. Works on a database without demo data; returns the id of the customer's latest request."""
    sys.path.insert(0, str(ROOT / "tools"))
    from common import db_args as common_db_args  # noqa: PLC0415 (tools/ is not a package)

    import odoo  # noqa: PLC0415
    from odoo import Command, fields  # noqa: PLC0415

    odoo.tools.config.parse_config(
        ["-c", str(ROOT / "odoo.conf"), "--addons-path", str(ROOT), "-d", db, "--log-level", "warn", *common_db_args()]
    )
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        Users = env["res.users"].with_context(no_reset_password=True)
        customer = Users.search([("login", "=", CUSTOMER)])
        if customer:
            request = env["aftersales.request"].search([("partner_id", "=", customer.partner_id.id)], limit=1)
            return request.id
        portal = env.ref("base.group_portal")
        customer = Users.create(
            {
                "name": "Maryam Karimi (مریم کریمی)",
                "login": CUSTOMER,
                "password": CUSTOMER,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        customer.partner_id.write({"mobile": "+989121234567", "city": "Tehran", "street": "Valiasr St. 1200"})
        technician_user = Users.create(
            {
                "name": "Reza Ahmadi (رضا احمدی)",
                "login": TECHNICIAN,
                "password": TECHNICIAN,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        technician = env["hr.employee"].create(
            {
                "name": technician_user.name,
                "user_id": technician_user.id,
                "is_technician": True,
                "mobile_phone": "+989351112233",
            }
        )
        service_type = env["aftersales.service.type"].search([], limit=1) or env["aftersales.service.type"].create(
            {"name": "Repair"}
        )
        product = env["product.product"].create(
            {"name": "Bench Washing Machine", "is_storable": True, "tracking": "serial", "is_serviceable": True}
        )
        lots = env["stock.lot"].create([{"name": f"BPWM{i:06d}", "product_id": product.id} for i in range(76)])
        others = env["res.partner"].create(
            [{"name": f"Bench customer {i}", "city": "Tehran", "street": f"Street {i}"} for i in range(40)]
        )
        requests = env["aftersales.request"].create(
            [
                {
                    "partner_id": customer.partner_id.id,
                    "channel": "portal",
                    "service_type_id": service_type.id,
                    "line_ids": [
                        Command.create(
                            {
                                "code": lot.name,
                                "product_id": product.id,
                                "lot_id": lot.id,
                                "failure_description": "Noise",
                            }
                        )
                        for lot in lots[3 * i : 3 * i + 3]
                    ],
                }
                for i in range(12)
            ]
        )
        now = fields.Datetime.now()
        env["repair.order"].create(
            [
                {
                    "partner_id": customer.partner_id.id,
                    "product_id": product.id,
                    "lot_id": line.lot_id.id,
                    "is_aftersales": True,
                    "aftersales_request_id": line.request_id.id,
                    "aftersales_request_line_id": line.id,
                }
                for line in requests.line_ids
            ]
        )
        jobs = env["repair.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "lot_id": lots[36 + index].id,
                    "is_aftersales": True,
                    "technician_id": technician.id,
                    "schedule_date": now + timedelta(hours=3 * index - 60),
                }
                for index, partner in enumerate(others)
            ]
        )
        jobs[:25].write({"state": "done"})
        cr.commit()  # pylint: disable=invalid-commit
        return requests[-1].id


def login(url, credentials):
    user, password = credentials.split(":", 1)
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{url}/web/login",
        data={"login": user, "password": password, "csrf_token": token, "redirect": "/my"},
        timeout=30,
    )
    if "/web/login" in response.url:
        sys.exit(f"cannot sign in as {user}")
    return session


def run_load(send, sessions, seconds, think=0.0):
    """Each session calls ``send(session, rng)`` in a loop for ``seconds`` (``send`` returns True when the
    answer is the expected one), pausing ``think`` seconds (0.5x to 1.5x, seeded) between two calls, as a
    person reading a page does; ``think=0`` measures capacity. Returns requests, errors, p50/p95 (ms), req/s."""
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(index, session):
        rng = random.Random(index)
        time.sleep(rng.uniform(0, think))  # users do not all click at the same instant
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                ok = send(session, rng)
            except requests.RequestException:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                (latencies if ok else errors).append(elapsed)
            if think:
                time.sleep(think * rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=worker, args=(i, session)) for i, session in enumerate(sessions)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "seconds": duration,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0,
        "p95_ms": latencies[max(0, math.ceil(len(latencies) * 0.95) - 1)] * 1000 if latencies else 0,
        "rps": len(latencies) / duration,
    }


def run_page(url, path, sessions, seconds, think=0.0):
    """Each session loads ``path`` in a loop for ``seconds`` (see ``run_load``)."""

    def send(session, _rng):
        return session.get(f"{url}{path}", timeout=30, allow_redirects=False).status_code == 200

    return dict(run_load(send, sessions, seconds, think), path=path)


def single_user(url, path, session, count):
    """p50 of ``count`` sequential loads by one user: the cost of the page itself, without queueing."""
    timings = []
    for _i in range(count):
        start = time.perf_counter()
        session.get(f"{url}{path}", timeout=30, allow_redirects=False).raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database (fixtures are created in it and a server is started on it)")
    parser.add_argument("--url", help="use a running server instead (with --customer, --technician, --request-id)")
    parser.add_argument("--json", help="write the result rows for ./aftersales bench")
    parser.add_argument("--quick", action="store_true", help="5 users, 5 s per page")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause of a user between two pages (s)")
    parser.add_argument("--customer", help="login:password of a customer (default: the bench fixture)")
    parser.add_argument("--technician", help="login:password of a technician (default: the bench fixture)")
    parser.add_argument("--request-id", type=int, help="request shown to the customer")
    args = parser.parse_args()
    if not (args.db or args.url):
        parser.error("give --db or --url")
    if args.quick:
        args.users, args.seconds = 5, 5
    if args.db and not args.url:
        request_id = ensure_fixtures(args.db)
        args.request_id = args.request_id or request_id
    args.customer = args.customer or f"{CUSTOMER}:{CUSTOMER}"
    args.technician = args.technician or f"{TECHNICIAN}:{TECHNICIAN}"
    proc = None
    url = args.url
    if not url:
        proc, url = start_server(args.db, args.workers)
    try:
        customers = [login(url, args.customer) for _i in range(args.users)]
        technicians = [login(url, args.technician) for _i in range(args.users)]
        request_id = args.request_id
        if not request_id:
            listing = customers[0].get(f"{url}/my/aftersales/requests", timeout=30).text
            found = re.search(r"/my/aftersales/requests/(\d+)", listing)
            if not found:
                sys.exit("the customer has no service request")
            request_id = int(found.group(1))
        pages = [
            ("/my/home", customers),
            ("/my/aftersales/jobs", technicians),
            (f"/my/aftersales/requests/{request_id}", customers),
        ]
        # warm-up (caches, assets) in every worker before measuring
        for _i in range(2 * args.workers):
            for path, sessions in pages:
                sessions[0].get(f"{url}{path}", timeout=60)
        single = {path: single_user(url, path, sessions[0], 20) for path, sessions in pages}
        people = [run_page(url, path, sessions, args.seconds, think=args.think) for path, sessions in pages]
        capacity = [run_page(url, path, sessions, args.seconds / 2) for path, sessions in pages]
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)
    load = os.getloadavg()[0]
    home, home_capacity = people[0], capacity[0]
    print(
        f"{args.users} users pausing {args.think:.1f} s on average between pages, {args.seconds:.0f} s per page, "
        f"{args.workers} workers ({url}); capacity: the same users without pauses; load average {load:.1f}"
    )
    print(
        f"{'page':32} {'alone ms':>8} {'req':>5} {'err':>4} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'capacity req/s':>14} {'vs home':>8} {'p95 full ms':>11}"
    )
    rows, failed = [], False
    for (path, _sessions), row, cap in zip(pages, people, capacity, strict=True):
        ratio = cap["rps"] / (home_capacity["rps"] or 1)
        print(
            f"{path:32} {single[path]:8.0f} {row['requests']:5d} {row['errors'] + cap['errors']:4d} "
            f"{row['p50_ms']:7.0f} {row['p95_ms']:7.0f} {cap['rps']:14.1f} {ratio:7.0%} {cap['p95_ms']:11.0f}"
        )
        if path == "/my/home":
            continue
        passed = row["errors"] == 0 and cap["errors"] == 0 and row["p95_ms"] <= 500 and ratio >= 0.7
        failed |= not passed
        page = "technician job list" if "jobs" in path else "customer request page"
        rows.append(
            {
                "figure": f"portal: {page}, {args.users} users, p95",
                "size": args.users,
                "value": round(row["p95_ms"], 1),
                "unit": "ms",
                "target": "<= 500 ms, no errors, capacity >= 70 % of /my/home",
                "baseline": round(home["p95_ms"], 1),
                "ratio": round(ratio, 2),
                "passed": passed,
                "note": f"baseline: /my/home p95 in the same run; ratio: capacity {cap['rps']:.1f} vs "
                f"{home_capacity['rps']:.1f} req/s without pauses (p95 then {cap['p95_ms']:.0f} ms); "
                f"alone {single[path]:.0f} ms; errors {row['errors'] + cap['errors']}; "
                f"{args.workers} workers; load {load:.1f}",
            }
        )
    print("targets (p95 <= 500 ms, no errors, capacity >= 70 % of /my/home):", "missed" if failed else "met")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
