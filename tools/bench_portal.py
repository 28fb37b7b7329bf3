"""Benchmark of the after-sales portal pages against Odoo's own ``/my/home``.

Concurrent signed-in users (one ``requests.Session`` per thread) load, in turn for a fixed time:

- ``/my/home`` (Odoo's portal home, the reference),
- ``/my/aftersales/jobs`` (technician job list),
- ``/my/aftersales/requests/<id>`` (customer request page).

For each page: requests, errors, p50/p95 latency, throughput, and the throughput ratio to
``/my/home`` measured in the same run. Targets: p95 <= 500 ms, no errors, ratio >= 70 %.

The script starts its own server (``--workers 4`` by default, on a free port, crons off) on the
given database, or uses ``--url``. Example::

    ./aftersales db-args   # connection arguments, read by this script
    .venv/bin/python tools/bench_portal.py --db aftersales --users 20 --seconds 20
"""

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
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


def start_server(db, workers):
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
    ]
    log = open(DATA / f"{db}-bench-portal.log", "w")  # noqa: SIM115 - kept open for the server's life
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


def run_page(url, path, sessions, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(session):
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                response = session.get(f"{url}{path}", timeout=30, allow_redirects=False)
                ok = response.status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                (latencies if ok else errors).append(elapsed)

    threads = [threading.Thread(target=worker, args=(session,)) for session in sessions]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "errors": len(errors),
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0,
        "rps": len(latencies) / duration,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database (a server is started on it)")
    parser.add_argument("--url", help="use a running server instead")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--customer", default="portal:portal", help="login:password of a customer")
    parser.add_argument("--technician", default="technician:technician", help="login:password of a technician")
    parser.add_argument("--request-id", type=int, help="request shown to the customer (default: the first)")
    args = parser.parse_args()
    if not (args.db or args.url):
        parser.error("give --db or --url")
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
        # warm-up (caches, assets) before measuring
        for session in customers[:2] + technicians[:2]:
            session.get(f"{url}/my/home", timeout=60)
            session.get(f"{url}/my/aftersales/jobs", timeout=60)
            session.get(f"{url}/my/aftersales/requests/{request_id}", timeout=60)
        results = [
            run_page(url, "/my/home", customers, args.seconds),
            run_page(url, "/my/aftersales/jobs", technicians, args.seconds),
            run_page(url, f"/my/aftersales/requests/{request_id}", customers, args.seconds),
        ]
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)
    reference = results[0]["rps"] or 1
    print(f"{args.users} users, {args.seconds:.0f} s per page, {args.workers} workers ({url})")
    print(f"{'page':40} {'req':>6} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'vs home':>8}")
    failed = False
    for row in results:
        ratio = row["rps"] / reference
        print(
            f"{row['path']:40} {row['requests']:6d} {row['errors']:4d} {row['p50_ms']:8.0f} "
            f"{row['p95_ms']:8.0f} {row['rps']:7.1f} {ratio:7.0%}"
        )
        if row["path"] != "/my/home":
            failed |= row["errors"] > 0 or row["p95_ms"] > 500 or ratio < 0.7
    print("targets (p95 <= 500 ms, no errors, >= 70 % of /my/home):", "missed" if failed else "met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
