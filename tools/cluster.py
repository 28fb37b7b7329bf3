"""A production-shaped deployment on one machine: ``./aftersales cluster start|stop|status|test``.

What ``start`` brings up, each a real component configured as a deployment over several machines would be:

- a PostgreSQL **primary** (its own cluster under ``.data/cluster/primary``, so faults played on it never touch
  the database of ``./aftersales run``) with streaming replication enabled;
- a **hot-standby replica** made with ``pg_basebackup`` and following the primary by streaming;
- **two Odoo servers** in prefork mode (``--workers``), each with its own HTTP and websocket ports, one shared
  filestore (sessions included), ``db_replica_host`` pointing read-only routes (reports) at the replica, and
  ``queue_job`` loaded server-wide, so both run a job runner: one holds the runner lock, the other takes over
  when it dies; the runners send the jobs through nginx, so any worker of either server runs them;
- **nginx** in front, with Odoo's usual proxy settings (``proxy_mode``, forwarded headers, websocket upgrade
  on ``/websocket``, long timeouts, failover to the other server when one does not answer).

``test`` plays the fault scenarios of ``tools/cluster_faults.py`` against it and prints their table.
Ports: nginx on ``AFTERSALES_CLUSTER_PORT`` (default 8280), the servers on the next ones.
"""

import argparse
import configparser
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ADDONS, DATA, ROOT, VENV  # noqa: E402 (tools/ is not a package)

CLUSTER = DATA / "cluster"
PRIMARY, PRIMARY_SOCK = CLUSTER / "primary", CLUSTER / "run-primary"
REPLICA, REPLICA_SOCK = CLUSTER / "replica", CLUSTER / "run-replica"
FILESTORE, LOGS, NGINX_DIR = CLUSTER / "filestore", CLUSTER / "log", CLUSTER / "nginx"
CONF = CLUSTER / "odoo.conf"
DB = os.environ.get("AFTERSALES_CLUSTER_DB", "aftersales_cluster")
BASE_PORT = int(os.environ.get("AFTERSALES_CLUSTER_PORT", "8280"))
PROXY_PORT = BASE_PORT
SERVERS = {  # name: (http port, websocket/gevent port)
    "odoo1": (BASE_PORT + 1, BASE_PORT + 3),
    "odoo2": (BASE_PORT + 2, BASE_PORT + 4),
}
PG_PORT = 5432  # each cluster has its own socket folder, so both can use the usual port number
PG_ROLE = "aftersales"
PG_OS_USER = os.environ.get("AFTERSALES_PG_OS_USER", "postgres")
# queue_job channels: imports, reception and planning each get their own lane, so a long import never
# holds back a batch reception
CHANNELS = "root:4,root.import:2,root.reception:2,root.planning:1"


def say(message):
    print(f"\033[1m[cluster]\033[0m {message}", file=sys.stderr, flush=True)


def pg_bin(name):
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        sys.exit(f"PostgreSQL binary {name} not found (Debian: apt-get install postgresql)")
    return str(candidates[-1])


def as_pg(cmd, **kwargs):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", PG_OS_USER, "--", *cmd]
    return subprocess.run(cmd, check=True, **kwargs)


def psql(sock, sql, db="postgres", user="postgres"):
    out = subprocess.run(
        ["psql", "-h", str(sock), "-p", str(PG_PORT), "-U", user, "-d", db, "-AtXc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def pg_running(datadir):
    if not (datadir / "PG_VERSION").exists():
        return False
    cmd = [pg_bin("pg_ctl"), "-D", str(datadir), "status"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", PG_OS_USER, "--", *cmd]
    return subprocess.run(cmd, capture_output=True).returncode == 0


def pg_ctl(datadir, action, *extra):
    as_pg([pg_bin("pg_ctl"), "-D", str(datadir), "-l", str(datadir / "server.log"), "-w", "-t", "120", action, *extra])


def prepare_dir(path, mode=0o700):
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(path, PG_OS_USER)
    path.chmod(mode)


# ---------------------------------------------------------------- PostgreSQL
def start_primary():
    prepare_dir(PRIMARY_SOCK, 0o777)
    if not (PRIMARY / "PG_VERSION").exists():
        say(f"creating the primary in {PRIMARY}")
        prepare_dir(PRIMARY)
        as_pg(
            [pg_bin("initdb"), "-D", str(PRIMARY), "-U", "postgres", "--auth-local=trust", "--auth-host=reject"]
            + ["-E", "UTF8", "--locale=C.UTF-8"],
            capture_output=True,
        )
        with open(PRIMARY / "postgresql.conf", "a") as conf:
            conf.write(
                f"""
listen_addresses = ''
unix_socket_directories = '{PRIMARY_SOCK}'
unix_socket_permissions = 0777
port = {PG_PORT}
max_connections = 300
shared_buffers = 256MB
work_mem = 16MB
wal_level = replica
max_wal_senders = 10
wal_keep_size = 1GB
hot_standby = on
"""
            )
    if not pg_running(PRIMARY):
        pg_ctl(PRIMARY, "start")
    if psql(PRIMARY_SOCK, f"SELECT count(*) FROM pg_roles WHERE rolname = '{PG_ROLE}'") == "0":
        psql(PRIMARY_SOCK, f"CREATE ROLE {PG_ROLE} LOGIN CREATEDB")


def start_replica():
    prepare_dir(REPLICA_SOCK, 0o777)
    if not (REPLICA / "PG_VERSION").exists():
        say("making the hot-standby replica with pg_basebackup")
        prepare_dir(REPLICA)
        as_pg(
            [pg_bin("pg_basebackup"), "-D", str(REPLICA), "-h", str(PRIMARY_SOCK), "-p", str(PG_PORT)]
            + ["-U", "postgres", "-X", "stream", "-R", "-c", "fast"],
        )
        with open(REPLICA / "postgresql.conf", "a") as conf:
            # the replica inherits the primary's settings; only where it listens differs
            conf.write(f"\nunix_socket_directories = '{REPLICA_SOCK}'\nhot_standby_feedback = on\n")
    if not pg_running(REPLICA):
        pg_ctl(REPLICA, "start")


def replica_lag():
    """(bytes of WAL not yet replayed, seconds since the last replayed transaction's commit on the primary)."""
    sent = psql(PRIMARY_SOCK, "SELECT pg_current_wal_lsn()")
    replayed = psql(REPLICA_SOCK, "SELECT pg_last_wal_replay_lsn()")
    lag_bytes = psql(PRIMARY_SOCK, f"SELECT pg_wal_lsn_diff('{sent}', '{replayed}')")
    return int(float(lag_bytes))


# ---------------------------------------------------------------- Odoo
def write_odoo_conf():
    """The repository's odoo.conf with the settings of a deployment over several servers."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(ROOT / "odoo.conf")
    conf["options"].update(
        {
            "db_host": str(PRIMARY_SOCK),
            "db_port": str(PG_PORT),
            "db_user": PG_ROLE,
            "db_replica_host": str(REPLICA_SOCK),
            "db_replica_port": str(PG_PORT),
            "db_name": DB,
            "dbfilter": f"^{DB}$",
            "list_db": "False",
            "data_dir": str(FILESTORE),
            "addons_path": str(ROOT),
            "proxy_mode": "True",
            "workers": "2",
            "max_cron_threads": "1",
            "server_wide_modules": "base,web,queue_job",
        }
    )
    if not conf.has_section("queue_job"):
        conf.add_section("queue_job")
    # the runners call the jobs through the proxy, so either server's workers run them
    conf["queue_job"].update({"channels": CHANNELS, "scheme": "http", "host": "127.0.0.1", "port": str(PROXY_PORT)})
    with open(CONF, "w") as out:
        conf.write(out)


def odoo_base_cmd():
    return [str(VENV / "bin" / "python"), str(VENV / "bin" / "odoo"), "-c", str(CONF)]


def ensure_database():
    exists = psql(PRIMARY_SOCK, f"SELECT count(*) FROM pg_database WHERE datname = '{DB}'", user=PG_ROLE)
    stamp = CLUSTER / f"{DB}.addons-stamp"
    code = addons_hash()
    if exists == "1":
        if stamp.exists() and stamp.read_text() == code:
            return
        say(f"the addons changed: updating '{DB}'")
        for name in SERVERS:  # an update changes tables under the feet of running servers
            kill_server(name)
        # -i only the addons new in the list: -i on an installed addon reloads it as at install (its demo
        # steps run again, its noupdate data is overwritten)
        installed = set(
            psql(PRIMARY_SOCK, "SELECT name FROM ir_module_module WHERE state = 'installed'", db=DB).split()
        )
        new = [name for name in ADDONS if name not in installed]
        options = (["-i", ",".join(new)] if new else []) + ["-u", ",".join(ADDONS)]
    else:
        say(f"installing the addons with demo data into '{DB}' (a few minutes)")
        options = ["-i", ",".join(ADDONS), "--load-language", "en_US,fa_IR"]
    log = LOGS / "install.log"
    with open(log, "w") as out:
        rc = subprocess.run(
            [*odoo_base_cmd(), "-d", DB, *options, "--stop-after-init", "--workers", "0", "--log-level", "warn"],
            stdout=out,
            stderr=subprocess.STDOUT,
        ).returncode
    if rc:
        sys.exit(f"installing the addons failed: see {log}")
    stamp.write_text(code)


def addons_hash():
    digest = hashlib.sha1()
    for path in sorted(p for addon in ADDONS for p in (ROOT / addon).rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def pidfile(name):
    return CLUSTER / f"{name}.pid"


def read_pid(name):
    try:
        pid = int(pidfile(name).read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def healthy(port, path="/web/health", timeout=2):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def start_server(name):
    if read_pid(name):
        return
    http_port, gevent_port = SERVERS[name]
    log = open(LOGS / f"{name}.log", "a")  # noqa: SIM115 (the server keeps it)
    proc = subprocess.Popen(
        [*odoo_base_cmd(), "--http-port", str(http_port), "--gevent-port", str(gevent_port)]
        + ["--pidfile", str(pidfile(name)), "--logfile", str(LOGS / f"{name}.log")],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a fault test kills it with its workers
    )
    pidfile(name).write_text(str(proc.pid))


def wait_for(check, what, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    sys.exit(f"{what} did not come up within {timeout} s (logs in {LOGS})")


def kill_server(name, sig=signal.SIGTERM):
    pid = read_pid(name)
    if not pid:
        return
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    for _ in range(60):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.25)
    else:
        os.killpg(pid, signal.SIGKILL)
    pidfile(name).unlink(missing_ok=True)


# ---------------------------------------------------------------- nginx
def nginx_conf():
    odoo = "\n".join(f"    server 127.0.0.1:{http} max_fails=1 fail_timeout=5s;" for http, _ in SERVERS.values())
    chat = "\n".join(f"    server 127.0.0.1:{ws} max_fails=1 fail_timeout=5s;" for _, ws in SERVERS.values())
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 2;
pid {NGINX_DIR}/nginx.pid;
error_log {LOGS}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  client_body_temp_path {NGINX_DIR}/body;
  proxy_temp_path {NGINX_DIR}/proxy;
  fastcgi_temp_path {NGINX_DIR}/fastcgi;
  uwsgi_temp_path {NGINX_DIR}/uwsgi;
  scgi_temp_path {NGINX_DIR}/scgi;
  log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                      '$request_time $upstream_addr $upstream_response_time';
  access_log {LOGS}/nginx-access.log upstream;
  upstream odoo {{
{odoo}
  }}
  upstream odoochat {{
{chat}
  }}
  map $http_upgrade $connection_upgrade {{
    default upgrade;
    ''      close;
  }}
  server {{
    listen 127.0.0.1:{PROXY_PORT};
    client_max_body_size 64m;
    proxy_read_timeout 720s;
    proxy_connect_timeout 5s;
    proxy_send_timeout 720s;
    proxy_set_header X-Forwarded-Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header Host $http_host;
    # a server that refuses the connection is skipped; a request it already received is never replayed
    proxy_next_upstream error timeout;
    location /websocket {{
      proxy_pass http://odoochat;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
    }}
    location / {{
      proxy_pass http://odoo;
      proxy_redirect off;
    }}
    gzip on;
    gzip_types text/css text/plain application/json application/javascript text/xml;
  }}
}}
"""


def start_nginx():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx is missing (Debian: apt-get install nginx)")
    NGINX_DIR.mkdir(parents=True, exist_ok=True)
    conf = NGINX_DIR / "nginx.conf"
    conf.write_text(nginx_conf())
    pid = NGINX_DIR / "nginx.pid"
    if pid.exists():
        subprocess.run([nginx, "-c", str(conf), "-p", str(NGINX_DIR), "-s", "reload"], check=True)
    else:
        subprocess.run([nginx, "-c", str(conf), "-p", str(NGINX_DIR)], check=True)


def stop_nginx():
    if (NGINX_DIR / "nginx.pid").exists():
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-c", str(NGINX_DIR / "nginx.conf"), "-p", str(NGINX_DIR), "-s", "quit"])
        for _ in range(40):
            if not (NGINX_DIR / "nginx.pid").exists():
                break
            time.sleep(0.25)


# ---------------------------------------------------------------- commands
def start():
    for folder in (CLUSTER, FILESTORE, LOGS):
        folder.mkdir(parents=True, exist_ok=True)
    start_primary()
    start_replica()
    write_odoo_conf()
    if not all(read_pid(name) for name in SERVERS):
        for name in SERVERS:
            kill_server(name)
        kill_strays()
    ensure_database()
    for name in SERVERS:
        start_server(name)
    for name, (http_port, _) in SERVERS.items():
        wait_for(lambda port=http_port: healthy(port), f"Odoo server {name}")
    start_nginx()
    wait_for(lambda: healthy(PROXY_PORT), "nginx")
    status()


def kill_strays():
    """Odoo processes of this cluster that no pid file tracks any more (a server restarted by hand, a
    crashed run): they would keep its ports and serve old code."""
    subprocess.run(["pkill", "-KILL", "-f", f"odoo.* -c {CONF}"], capture_output=True)


def stop():
    stop_nginx()
    for name in SERVERS:
        kill_server(name)
    kill_strays()
    for datadir in (REPLICA, PRIMARY):
        if pg_running(datadir):
            as_pg([pg_bin("pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"], capture_output=True)
    say("cluster stopped")


def runner_master():
    """Which server's job runner holds queue_job's runner lock (the others wait to take over)."""
    rows = psql(
        PRIMARY_SOCK,
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted",
        db=DB,
        user=PG_ROLE,
    )
    pids = {int(name.rsplit("-", 1)[-1]) for name in rows.split() if name.startswith("odoo-")}
    for name in SERVERS:
        main = read_pid(name)
        if not main:
            continue
        children = subprocess.run(["pgrep", "-g", str(main)], capture_output=True, text=True).stdout.split()
        if pids & ({main} | {int(child) for child in children}):
            return name
    return None


def status(as_json=False):
    info = {
        "primary": pg_running(PRIMARY),
        "replica": pg_running(REPLICA)
        and psql(REPLICA_SOCK, "SELECT pg_is_in_recovery()") == "t"
        and psql(PRIMARY_SOCK, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == "1",
        "servers": {name: bool(read_pid(name)) and healthy(ports[0]) for name, ports in SERVERS.items()},
        "nginx": healthy(PROXY_PORT),
    }
    if info["primary"] and info["replica"]:
        info["replica_lag_bytes"] = replica_lag()
    if info["primary"]:
        try:
            info["job_runner"] = runner_master()
        except subprocess.CalledProcessError:
            info["job_runner"] = None
    if as_json:
        print(json.dumps(info, indent=2))
        return info
    mark = {True: "up", False: "DOWN"}
    print(f"PostgreSQL primary   {mark[info['primary']]}   socket {PRIMARY_SOCK}")
    lag = f"   lag {info.get('replica_lag_bytes', '?')} bytes" if info["replica"] else ""
    print(f"PostgreSQL replica   {mark[bool(info['replica'])]}   socket {REPLICA_SOCK} (streaming){lag}")
    for name, (http_port, ws_port) in SERVERS.items():
        print(f"Odoo {name}           {mark[info['servers'][name]]}   http {http_port}, websocket {ws_port}")
    print(f"nginx                {mark[info['nginx']]}   http://127.0.0.1:{PROXY_PORT}/ (database {DB})")
    print(f"job runner lock      {info.get('job_runner') or '-'}")
    return info


def main():
    parser = argparse.ArgumentParser(prog="./aftersales cluster", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status", "test"])
    parser.add_argument("--json", action="store_true", help="status: print JSON")
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.command == "start":
        start()
    elif args.command == "stop":
        stop()
    elif args.command == "status":
        info = status(as_json=args.json)
        ok = info["primary"] and info["replica"] and all(info["servers"].values()) and info["nginx"]
        sys.exit(0 if ok else 1)
    else:
        start()
        import cluster_faults  # noqa: PLC0415

        sys.exit(cluster_faults.main(args.rest))


if __name__ == "__main__":
    main()
