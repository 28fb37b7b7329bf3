"""Fault scenarios played against the cluster of ``tools/cluster.py`` (``./aftersales cluster test``).

Each scenario drives the cluster from outside, as clients and an operator would, injects its fault and
checks the outcome in the database; it prints one row of the table below and writes all figures to
``.data/cluster/faults.json``:

1. ``import-kill``: a 20,000-line warranty import runs as a queue job; the Odoo server whose worker runs it
   is killed with SIGKILL (master and workers) in the middle. The job is found dead, run again by the other
   server, and every line is imported exactly once (no duplicate serial, no duplicate card).
   ``reception-kill``: the same for a 2,000-unit batch reception (a job on the reception channel): every
   unit is on the request exactly once.
2. ``dispatch-race``: batch dispatch of the same orders started on both servers at the same moment: no order
   is assigned twice, no technician goes over their daily cap.
3. ``primary-restart``: the PostgreSQL primary is restarted during portal and back-office traffic: errors only
   inside the restart window, no half-written request (each created request has its line), and the
   servers serve again without being restarted.
4. ``replica-reports``: reports served from the replica (``db_replica_host``, Odoo's read-only routes) while
   the primary takes writes; the replica's replay lag is measured.
5. ``portal-load``: 50 signed-in portal users through nginx for a fixed time: 0 errors, p50/p95, and how
   the requests were spread over the two servers.

``./aftersales cluster test [--only NAME,...] [--seconds N]``.
"""

import argparse
import json
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import cluster  # noqa: E402

from tests.client import OdooClient, OdooRPCError  # noqa: E402

PROXY = f"http://127.0.0.1:{cluster.PROXY_PORT}"


def server_url(name):
    return f"http://127.0.0.1:{cluster.SERVERS[name][0]}"


def admin(url=PROXY):
    return OdooClient(url, cluster.DB, "admin", "admin")


def sql(query):
    return cluster.psql(cluster.PRIMARY_SOCK, query, db=cluster.DB, user=cluster.PG_ROLE)


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def server_of_pid(pid):
    """The cluster server whose process group holds ``pid``."""
    for name in cluster.SERVERS:
        main = cluster.read_pid(name)
        if not main:
            continue
        group = subprocess.run(["pgrep", "-g", str(main)], capture_output=True, text=True).stdout.split()
        if str(pid) in group or pid == main:
            return name
    return None


def restore_servers():
    for name in cluster.SERVERS:
        cluster.start_server(name)
    for name, (port, _) in cluster.SERVERS.items():
        cluster.wait_for(lambda port=port: cluster.healthy(port), f"Odoo server {name}")


# ---------------------------------------------------------------- 1. import, server killed
def scenario_import_kill(args):
    lines = args.import_lines
    client = admin()
    product = client.execute("product.product", "search_read", [("default_code", "=", "WM-8KG")], fields=["id"])
    if not product:
        return False, {"error": "demo product WM-8KG not found"}
    run = f"K{int(time.time())}"
    text = "\n".join(f"WS-{run}-{i:06d},PS-{run}-{i:06d},WM-8KG" for i in range(lines))
    wizard = client.execute(
        "aftersales.warranty.import", "create", {"input_mode": "text", "text": text, "company_id": 1}
    )
    client.execute("aftersales.warranty.import", "action_check", [wizard])
    action = client.execute("aftersales.warranty.import", "action_import", [wizard])
    batch_id = action.get("res_id")
    if not batch_id or action.get("res_model") != "aftersales.warranty.import.batch":
        return False, {"error": f"the import did not become a job: {action}"}
    uuid = client.execute("aftersales.warranty.import.batch", "read", [batch_id], ["job_uuid"])[0]["job_uuid"]
    # wait until a worker runs it, then kill that worker's whole server
    started = time.monotonic()
    victim = None
    while time.monotonic() - started < 300:
        row = sql(f"SELECT state, coalesce(worker_pid, 0) FROM queue_job WHERE uuid = '{uuid}'")
        state, pid = row.split("|") if row else ("", "0")
        if state == "started" and int(pid):
            # in the middle: once the job has published the progress of its first chunk
            live = sql(f"SELECT done_count FROM aftersales_warranty_import_progress WHERE batch_id = {batch_id}")
            if int(live or 0) > 0 or time.monotonic() - started > args.kill_after:
                victim = server_of_pid(int(pid))
                break
        time.sleep(0.2)
    if not victim:
        return False, {"error": "the job never started"}
    progress_at_kill = int(
        sql(f"SELECT coalesce(done_count, 0) FROM aftersales_warranty_import_batch WHERE id = {batch_id}")
    )
    state_at_kill = sql(f"SELECT state FROM queue_job WHERE uuid = '{uuid}'")
    killed_at = time.monotonic()
    cluster.kill_server(victim, signal.SIGKILL)
    # the other server's runner takes the runner lock if needed, finds the job dead and runs it again
    deadline = time.monotonic() + args.timeout
    state = ""
    while time.monotonic() < deadline:
        state = sql(f"SELECT state FROM queue_job WHERE uuid = '{uuid}'")
        if state in ("done", "failed"):
            break
        time.sleep(1)
    recovered_s = time.monotonic() - killed_at
    batch = sql(f"SELECT state, done_count, line_count FROM aftersales_warranty_import_batch WHERE id = {batch_id}")
    cards = int(sql(f"SELECT count(*) FROM aftersales_warranty WHERE name LIKE 'WS-{run}-%'"))
    distinct_cards = int(sql(f"SELECT count(DISTINCT name) FROM aftersales_warranty WHERE name LIKE 'WS-{run}-%'"))
    lots = int(sql(f"SELECT count(*) FROM stock_lot WHERE name LIKE 'PS-{run}-%'"))
    distinct_lots = int(sql(f"SELECT count(DISTINCT name) FROM stock_lot WHERE name LIKE 'PS-{run}-%'"))
    cards_per_lot = int(
        sql(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM aftersales_warranty w "
            f"JOIN stock_lot l ON l.id = w.lot_id WHERE l.name LIKE 'PS-{run}-%' GROUP BY w.lot_id) s"
        )
    )
    retries = int(sql(f"SELECT coalesce(retry, 0) FROM queue_job WHERE uuid = '{uuid}'"))
    restore_servers()
    batch_state, done_count, line_count = batch.split("|")
    figures = {
        "lines": lines,
        "killed_server": victim,
        "job_state_at_kill": state_at_kill,
        "progress_at_kill": progress_at_kill,
        "job_state": state,
        "job_retries": retries,
        "recovered_in_s": round(recovered_s, 1),
        "batch_state": batch_state,
        "batch_done_count": int(done_count),
        "cards": cards,
        "distinct_cards": distinct_cards,
        "serials": lots,
        "distinct_serials": distinct_lots,
        "max_cards_per_serial": cards_per_lot,
    }
    ok = (
        state == "done"
        and batch_state == "done"
        and int(done_count) == lines == int(line_count)
        and cards == distinct_cards == lines
        and lots == distinct_lots == lines
        and cards_per_lot == 1
        and retries >= 1
    )
    return ok, figures


def scenario_reception_kill(args):
    """2,000 units received in one batch (a job on the reception channel), its server killed mid-way."""
    client = admin()
    units = args.reception_units
    run = f"R{int(time.time())}"
    # serials of this run, registered with their cards by a (small, synchronous) import first
    text = "\n".join(f"RW-{run}-{i:05d},RS-{run}-{i:05d},WM-8KG" for i in range(units))
    wizard = client.execute(
        "aftersales.warranty.import", "create", {"input_mode": "text", "text": text, "company_id": 1}
    )
    client.execute("aftersales.warranty.import", "action_check", [wizard])
    client.execute("aftersales.warranty.import", "action_import", [wizard])
    wait_until(lambda: sql(f"SELECT count(*) FROM stock_lot WHERE name LIKE 'RS-{run}-%'") == str(units), 600)
    partner = client.execute("res.users", "read", [7], ["partner_id"])[0]["partner_id"][0]
    service_type = client.execute("aftersales.service.type", "search", [], limit=1)[0]
    request = client.execute(
        "aftersales.request", "create", {"partner_id": partner, "service_type_id": service_type, "company_id": 1}
    )
    codes = "\n".join(f"RS-{run}-{i:05d}" for i in range(units))
    adder = client.execute(
        "aftersales.request.add.units", "create", {"request_id": request, "input_mode": "paste", "codes_text": codes}
    )
    last_job = int(sql("SELECT coalesce(max(id), 0) FROM queue_job"))
    # a batch of exactly 2,000 would be received at once (the default threshold): make it a job
    param = "aftersales_service.batch_async_threshold"
    threshold = client.execute("ir.config_parameter", "get_param", param)
    client.execute("ir.config_parameter", "set_param", param, str(units // 2))
    try:
        client.execute("aftersales.request.add.units", "action_add_units", [adder])
    finally:
        client.execute("ir.config_parameter", "set_param", param, threshold or "")
    job = (
        "SELECT uuid, state, coalesce(worker_pid, 0), channel FROM queue_job "
        f"WHERE id > {last_job} AND method_name = '_job_add_unit_entries'"
    )
    victim = None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not victim:
        row = sql(job)
        if row and row.split("|")[1] == "started" and int(row.split("|")[2]):
            victim = server_of_pid(int(row.split("|")[2]))
        time.sleep(0.05)
    if not victim:
        return False, {"error": f"the reception job never started: {sql(job)}"}
    cluster.kill_server(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    wait_until(lambda: sql(job).split("|")[1] in ("done", "failed"), args.timeout)
    recovered_s = time.monotonic() - killed_at
    uuid, state, _pid, channel = sql(job).split("|")
    lines = int(sql(f"SELECT count(*) FROM aftersales_request_line WHERE request_id = {request}"))
    distinct = int(sql(f"SELECT count(DISTINCT lot_id) FROM aftersales_request_line WHERE request_id = {request}"))
    retries = int(sql(f"SELECT coalesce(retry, 0) FROM queue_job WHERE uuid = '{uuid}'"))
    restore_servers()
    figures = {
        "units": units,
        "killed_server": victim,
        "job_channel": channel,
        "job_state": state,
        "job_retries": retries,
        "recovered_in_s": round(recovered_s, 1),
        "request_lines": lines,
        "distinct_serials": distinct,
    }
    return state == "done" and lines == distinct == units and retries >= 1, figures


def wait_until(check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


# ---------------------------------------------------------------- 2. dispatch race
def scenario_dispatch_race(args):
    client = admin()
    template = client.execute(
        "repair.order",
        "search_read",
        [("is_aftersales", "=", True), ("company_id", "=", 1), ("service_centre_id", "!=", False)],
        fields=["partner_id", "product_id", "service_type_id", "service_centre_id", "service_priority_id"],
        limit=1,
    )[0]
    vals = {
        key: (value[0] if isinstance(value, list) else value)
        for key, value in template.items()
        if key != "id" and value
    }
    vals["is_aftersales"] = True
    # the race must happen whatever the hour of the run: the technicians work around the clock for it
    technicians = client.execute(
        "hr.employee",
        "search_read",
        [("is_technician", "=", True), ("company_id", "=", 1)],
        fields=["resource_calendar_id"],
    )
    always = client.execute(
        "resource.calendar",
        "create",
        {
            "name": "Cluster test: around the clock",
            "company_id": 1,
            "attendance_ids": [
                (0, 0, {"name": f"day {day}", "dayofweek": str(day), "hour_from": 0.0, "hour_to": 24.0})
                for day in range(7)
            ],
        },
    )
    client.execute("hr.employee", "write", [t["id"] for t in technicians], {"resource_calendar_id": always})
    order_ids = client.execute("repair.order", "create", [dict(vals) for _ in range(args.orders)])
    results, errors = {}, {}
    barrier = threading.Barrier(2)

    def dispatch(name):
        server = OdooClient(server_url(name), cluster.DB, "admin", "admin")
        barrier.wait()
        try:
            results[name] = server.execute("repair.order", "action_dispatch_auto", order_ids)
        except (OdooRPCError, requests.RequestException) as error:
            errors[name] = str(error)

    threads = [threading.Thread(target=dispatch, args=(name,)) for name in cluster.SERVERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for technician in technicians:
        calendar = technician["resource_calendar_id"]
        client.execute("hr.employee", "write", [technician["id"]], {"resource_calendar_id": calendar and calendar[0]})
    ids = ",".join(map(str, order_ids))
    assigned = int(sql(f"SELECT count(*) FROM repair_order WHERE id IN ({ids}) AND technician_id IS NOT NULL"))
    # every time a technician was set on one of these orders, the chatter tracked it
    assignments = sql(
        "SELECT m.res_id, count(*) FROM mail_tracking_value v JOIN mail_message m ON m.id = v.mail_message_id "
        "JOIN ir_model_fields f ON f.id = v.field_id "
        f"WHERE m.model = 'repair.order' AND m.res_id IN ({ids}) AND f.name = 'technician_id' "
        "AND v.new_value_integer IS NOT NULL GROUP BY m.res_id"
    )
    per_order = [int(line.split("|")[1]) for line in assignments.splitlines() if line]
    over_cap = sql(
        "SELECT e.name, count(*), e.max_jobs_per_day FROM repair_order r JOIN hr_employee e ON e.id = r.technician_id "
        "WHERE r.state IN ('draft', 'confirmed', 'under_repair') AND r.is_aftersales "
        "AND (r.schedule_date IS NULL OR r.schedule_date::date <= now()::date) "
        "GROUP BY e.id, e.name, e.max_jobs_per_day HAVING e.max_jobs_per_day > 0 AND count(*) > e.max_jobs_per_day"
    )
    figures = {
        "orders": len(order_ids),
        "assigned": assigned,
        "assigned_twice": sum(1 for n in per_order if n > 1),
        "technicians_over_cap": len([line for line in over_cap.splitlines() if line]),
        "errors": errors,
        "servers_answered": sorted(results),
        "dispatched_by_server": {
            name: int(re.match(r"\d+", result["params"]["message"]).group()) for name, result in results.items()
        },
    }
    ok = not figures["assigned_twice"] and not figures["technicians_over_cap"] and assigned > 0 and len(results) == 2
    return ok, figures


# ---------------------------------------------------------------- 3. primary restart
def scenario_primary_restart(args):
    client = admin()
    partner = client.execute("res.users", "read", [7], ["partner_id"])[0]["partner_id"][0]
    service_type = client.execute("aftersales.service.type", "search", [], limit=1)[0]
    product = client.execute("product.product", "search", [("default_code", "=", "WM-8KG")], limit=1)[0]
    marker = f"restart-{int(time.time())}"
    stop = threading.Event()
    events = []  # (time, ok, kind)
    created = []

    def portal_reader():
        session = OdooClient(PROXY, cluster.DB, "portal", "portal").web_session()
        while not stop.is_set():
            began = time.monotonic()
            try:
                ok = session.get(f"{PROXY}/my/home", timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            events.append((began, ok, "portal"))
            time.sleep(0.2)

    def writer():
        rpc = None
        while not stop.is_set():
            began = time.monotonic()
            try:
                rpc = rpc or admin()
                request_id = rpc.execute(
                    "aftersales.request",
                    "create",
                    {
                        "partner_id": partner,
                        "service_type_id": service_type,
                        "description": marker,
                        "line_ids": [(0, 0, {"product_id": product})],
                    },
                )
                created.append(request_id)
                events.append((began, True, "write"))
            except (OdooRPCError, requests.RequestException, PermissionError):
                events.append((began, False, "write"))
                rpc = None
            time.sleep(0.3)

    threads = [threading.Thread(target=portal_reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    time.sleep(args.seconds / 3)
    restart_began = time.monotonic()
    cluster.pg_ctl(cluster.PRIMARY, "restart", "-m", "fast")
    restart_ended = time.monotonic()
    time.sleep(args.seconds / 3)
    # the servers must serve again by themselves: wait up to 30 s for a first success after the restart
    recovered = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and recovered is None:
        recovered = next((t for t, ok, _ in events if ok and t > restart_ended), None)
        time.sleep(0.5)
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join()
    failures = [t for t, ok, _ in events if not ok]
    outside = [t for t in failures if t < restart_began - 1 or t > (recovered or restart_ended) + 1]
    requests_with_marker = int(sql(f"SELECT count(*) FROM aftersales_request WHERE description LIKE '%{marker}%'"))
    without_line = int(
        sql(
            f"SELECT count(*) FROM aftersales_request r WHERE r.description LIKE '%{marker}%' AND NOT EXISTS "
            "(SELECT 1 FROM aftersales_request_line l WHERE l.request_id = r.id)"
        )
    )
    figures = {
        "requests": len(events),
        "errors": len(failures),
        "errors_outside_window": len(outside),
        "restart_s": round(restart_ended - restart_began, 2),
        "first_success_after_restart_s": round(recovered - restart_ended, 2) if recovered else None,
        "requests_created": len(created),
        "requests_in_db": requests_with_marker,
        "requests_without_line": without_line,
    }
    ok = (
        recovered is not None
        and not outside
        and without_line == 0
        and requests_with_marker >= len(created)
        and requests_with_marker - len(created) <= 1  # a commit whose answer was lost in the restart
    )
    return ok, figures


# ---------------------------------------------------------------- 4. reports on the replica
def scenario_replica_reports(args):
    client = admin()
    orders = client.execute("repair.order", "search", [("is_aftersales", "=", True)], limit=5)
    session = client.web_session()

    def replica_commits():
        return int(
            cluster.psql(
                cluster.REPLICA_SOCK,
                f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{cluster.DB}'",
            )
        )

    stop = threading.Event()
    writes = []

    def writer():
        rpc = admin()
        partner = rpc.execute("res.partner", "create", {"name": "Replica lag probe"})
        while not stop.is_set():
            rpc.execute("res.partner", "write", [partner], {"comment": f"write {time.time()}"})
            writes.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    primary = psycopg2.connect(host=str(cluster.PRIMARY_SOCK), port=cluster.PG_PORT, user="postgres", dbname="postgres")
    replica = psycopg2.connect(host=str(cluster.REPLICA_SOCK), port=cluster.PG_PORT, user="postgres", dbname="postgres")
    primary.autocommit = replica.autocommit = True
    primary_cr, replica_cr = primary.cursor(), replica.cursor()
    before = replica_commits()
    timings, statuses, lags_ms = [], [], []
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        began = time.monotonic()
        resp = session.get(
            f"{PROXY}/report/html/aftersales_service.report_repair_order_service/{random.choice(orders)}", timeout=60
        )
        timings.append((time.monotonic() - began) * 1000)
        statuses.append(resp.status_code)
        # replay lag: how long until the replica has replayed the primary's current WAL position
        primary_cr.execute("SELECT pg_current_wal_lsn()")
        lsn = primary_cr.fetchone()[0]
        began = time.monotonic()
        while time.monotonic() - began < 10:
            replica_cr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,))
            if replica_cr.fetchone()[0]:
                break
            time.sleep(0.002)
        lags_ms.append((time.monotonic() - began) * 1000)
    stop.set()
    thread.join()
    primary.close()
    replica.close()
    served_on_replica = replica_commits() - before
    figures = {
        "reports": len(timings),
        "report_errors": sum(1 for status in statuses if status != 200),
        "report_p95_ms": round(percentile(timings, 95)),
        "replica_transactions": served_on_replica,
        "primary_writes": len(writes),
        "lag_p50_ms": round(statistics.median(lags_ms), 1) if lags_ms else None,
        "lag_p95_ms": round(percentile(lags_ms, 95), 1),
        "lag_max_ms": round(max(lags_ms), 1) if lags_ms else None,
    }
    ok = (
        figures["reports"] > 0
        and not figures["report_errors"]
        and served_on_replica >= figures["reports"]
        and figures["primary_writes"] > 0
    )
    return ok, figures


# ---------------------------------------------------------------- 5. portal load through nginx
def scenario_portal_load(args):
    users = args.users
    access_log = cluster.LOGS / "nginx-access.log"
    log_offset = access_log.stat().st_size if access_log.exists() else 0
    login = OdooClient(PROXY, cluster.DB, "portal", "portal")
    sessions = [login.web_session() for _ in range(users)]
    pages = ["/my/home", "/my/aftersales/requests", "/my"]
    timings, failures = [], []
    lock = threading.Lock()
    stop = threading.Event()

    def visitor(session):
        while not stop.is_set():
            page = random.choice(pages)
            began = time.monotonic()
            try:
                resp = session.get(f"{PROXY}{page}", timeout=60)
                ok = resp.status_code == 200 and "/web/login" not in resp.url
            except requests.RequestException:
                ok = False
            with lock:
                (timings if ok else failures).append((time.monotonic() - began) * 1000)
            time.sleep(random.uniform(0.5, 1.5))  # a person reads the page

    threads = [threading.Thread(target=visitor, args=(session,)) for session in sessions]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    spread = {}
    with open(access_log) as log:
        log.seek(log_offset)
        for line in log:
            match = re.search(r" (127\.0\.0\.1:\d+) [\d.-]+$", line.strip())
            if match:
                spread[match.group(1)] = spread.get(match.group(1), 0) + 1
    figures = {
        "users": users,
        "requests": len(timings) + len(failures),
        "errors": len(failures),
        "p50_ms": round(percentile(timings, 50)),
        "p95_ms": round(percentile(timings, 95)),
        "requests_per_s": round(len(timings) / elapsed, 1),
        "per_server": spread,
    }
    ok = not failures and len(spread) == len(cluster.SERVERS) and figures["requests"] > 0
    return ok, figures


SCENARIOS = {
    "portal-load": scenario_portal_load,
    "replica-reports": scenario_replica_reports,
    "dispatch-race": scenario_dispatch_race,
    "primary-restart": scenario_primary_restart,
    "import-kill": scenario_import_kill,
    "reception-kill": scenario_reception_kill,
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./aftersales cluster test")
    parser.add_argument("--only", help="comma-separated scenarios: " + ", ".join(SCENARIOS))
    parser.add_argument("--seconds", type=int, default=30, help="duration of the timed scenarios")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--import-lines", type=int, default=20000)
    parser.add_argument("--reception-units", type=int, default=2000)
    parser.add_argument(
        "--kill-after", type=float, default=30.0, help="seconds into the job: kill then if no progress was published"
    )
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args(argv or [])
    names = args.only.split(",") if args.only else list(SCENARIOS)
    results = {}
    for name in names:
        cluster.say(f"scenario {name}")
        began = time.monotonic()
        try:
            ok, figures = SCENARIOS[name](args)
        except Exception as error:  # noqa: BLE001 (a scenario that crashes is a failed row, the others still run)
            ok, figures = False, {"error": f"{type(error).__name__}: {error}"}
            restore_servers()
        figures["seconds"] = round(time.monotonic() - began, 1)
        results[name] = {"passed": ok, **figures}
        print(f"{name:<16} {'PASS' if ok else 'FAIL'}  {json.dumps(figures, ensure_ascii=False)}", flush=True)
    (cluster.CLUSTER / "faults.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print("\n| scenario | result | figures |\n| --- | --- | --- |")
    for name, row in results.items():
        shown = ", ".join(f"{key} {value}" for key, value in row.items() if key != "passed")
        print(f"| {name} | {'pass' if row['passed'] else 'FAIL'} | {shown} |")
    return 0 if all(row["passed"] for row in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
