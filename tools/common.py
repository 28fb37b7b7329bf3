"""Helpers shared by the tools: paths, Odoo command line, database connection of ./aftersales."""

import os
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
DATA = Path(os.environ.get("DATA", ROOT / ".data"))
ADDONS = [
    "web_jalali",
    "resource_calendar_ir",
    "report_wkhtmltopdf_compat",
    "sms_gateway_ir",
    "l10n_ir",
    "aftersales_warranty",
    "aftersales_service",
    "aftersales_dispatch",
    "aftersales_planning",
    "aftersales_qc",
    "aftersales_portal",
    "aftersales_api",
]


def db_args():
    """Connection options for odoo-bin, as ./aftersales computes them (embedded cluster or given server)."""
    out = subprocess.run([str(ROOT / "aftersales"), "db-args"], capture_output=True, text=True, check=True)
    return shlex.split(out.stdout)


def odoo_cmd(db, *extra):
    return [
        str(VENV / "bin" / "python"),
        str(VENV / "bin" / "odoo"),
        "-c",
        os.environ.get("CONF", str(ROOT / "odoo.conf")),
        "--addons-path",
        str(ROOT),
        "--data-dir",
        str(DATA / "filestore"),
        *db_args(),
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        *extra,
    ]


def psql_env():
    """Environment for psql/psycopg2 pointing at the same server as Odoo."""
    args = db_args()
    opts = dict(zip(args[::2], args[1::2], strict=False))
    env = dict(os.environ)
    for opt, var in (
        ("--db_host", "PGHOST"),
        ("--db_port", "PGPORT"),
        ("--db_user", "PGUSER"),
        ("--db_password", "PGPASSWORD"),
    ):
        if opt in opts:
            env[var] = opts[opt]
    return env


def psql(sql, db="postgres"):
    out = subprocess.run(["psql", "-d", db, "-tAc", sql], env=psql_env(), check=True, capture_output=True, text=True)
    return out.stdout.strip()


def db_exists(db):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"


def drop_db(db):
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


class PeakRSS:
    """Peak resident memory (MiB) of this process while the ``with`` block runs, sampled every 20 ms
    from /proc (``ru_maxrss`` cannot be reset, so it would report earlier peaks too)."""

    def __init__(self, interval=0.02):
        self.interval = interval
        self.before = self.peak = 0.0
        self._stop = None
        self._thread = None

    @staticmethod
    def current():
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20

    def _sample(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.current())

    def __enter__(self):
        import threading  # noqa: PLC0415

        self.before = self.peak = self.current()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())
        return False
