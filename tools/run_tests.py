"""Test driver behind ``./aftersales test``.

Steps, each counted in the closing ``N passed, N failed`` line:

1. lint: ruff (check and format) and pylint-odoo with the mandatory configuration;
2. install check: the four addons installed one after the other, in dependency order,
   into a throwaway database (each must install on top of the previous ones alone);
3. Odoo tests: a second throwaway database where the four addons are installed with
   ``--test-enable``; every test of our addons (tours in headless Chromium included)
   and Odoo's own ``repair`` suite run;
4. client tests: an Odoo server is started on the test database and the top-level
   ``tests/`` drive it over JSON-RPC and HTTP with pytest;
5. the shipped database: a database created exactly as ``./aftersales run`` creates it (demo data,
   English and Persian), driven by ``tests/shipped/`` as each demo login of the README.

The script exits non-zero when anything failed, including a module that did not install.
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ADDONS, DATA, ROOT, VENV, drop_db, odoo_cmd  # noqa: E402 (tools/ is not a package)

NATIVE_SUITES = ["repair"]

RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIP_RE = re.compile(r" INFO \S+ \S+: skipped ")
FAIL_RE = re.compile(r" (ERROR|CRITICAL) \S+ (\S+): (FAIL|ERROR): (\S+)")


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def add(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(f"{name} {detail}".strip())

    def line(self):
        text = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            text += f", {self.skipped} skipped"
        return text


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_logged(cmd, log_path, echo):
    """Run ``cmd``, write its output to ``log_path``; echo test outcome lines as they come."""
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        for line in proc.stdout:
            log.write(line)
            if echo(line):
                sys.stdout.write(line)
                sys.stdout.flush()
        return proc.wait()


def interesting(line):
    return (
        " ERROR " in line
        or " CRITICAL " in line
        or "tests when loading database" in line
        or "Starting post tests" in line
        or "post-tests in" in line
        or re.search(r"odoo\.modules\.loading: \d+ modules loaded", line) is not None
    )


def step_lint(tally):
    print("== lint: ruff and pylint-odoo", flush=True)
    ruff = VENV / "bin" / "ruff"
    ok = subprocess.run([str(ruff), "check", "."], cwd=ROOT).returncode == 0
    tally.add("lint:ruff-check", ok)
    ok = subprocess.run([str(ruff), "format", "--check", "."], cwd=ROOT).returncode == 0
    tally.add("lint:ruff-format", ok)
    targets = [a for a in ADDONS if (ROOT / a).is_dir()]
    cmd = [str(VENV / "bin" / "pylint"), "--rcfile=.pylintrc-mandatory", *targets]
    ok = subprocess.run(cmd, cwd=ROOT).returncode == 0
    tally.add("lint:pylint-odoo", ok)
    ok = subprocess.run([str(VENV / "bin" / "python"), "tools/gen_readme.py", "--check"], cwd=ROOT).returncode == 0
    tally.add("lint:readme-up-to-date", ok)


def step_install_alone(tally, db):
    print(f"== install check: each addon on top of the previous ones, database {db}", flush=True)
    drop_db(db)
    for addon in ADDONS:
        log = DATA / f"{db}-install-{addon}.log"
        rc = run_logged(
            odoo_cmd(db, "-i", addon, "--stop-after-init", "--without-demo=all", "--log-level=warn"),
            log,
            lambda line: " ERROR " in line or " CRITICAL " in line,
        )
        text = log.read_text(encoding="utf-8")
        ok = rc == 0 and " CRITICAL " not in text and " ERROR " not in text
        tally.add(f"install:{addon}", ok, f"(see {log})")
        print(f"   {addon}: {'installed' if ok else 'FAILED'}", flush=True)
        if not ok:
            break
    drop_db(db)


def step_odoo_tests(tally, db, modules, tags):
    print(f"== Odoo tests of {', '.join(modules)} (+ {', '.join(NATIVE_SUITES)}), database {db}", flush=True)
    drop_db(db)
    log = DATA / f"{db}-odoo-tests.log"
    tag_spec = ",".join(tags or [f"/{m}" for m in modules + NATIVE_SUITES])
    cmd = odoo_cmd(
        db,
        "-i",
        ",".join(modules),
        # the languages the shipped database has (./aftersales create-db): Persian screens are tested with
        # Odoo's own Persian terms, as a Persian user gets them
        "--load-language",
        "en_US,fa_IR",
        "--test-enable",
        "--test-tags",
        tag_spec,
        "--stop-after-init",
        "--http-port",
        str(free_port()),
        "--log-level=test",
        "--max-cron-threads=0",
    )
    rc = run_logged(cmd, log, interesting)
    text = log.read_text(encoding="utf-8")
    reports = RESULT_RE.findall(text)
    match = reports[-1] if reports else None
    if match:
        failed, errors, run = (int(g) for g in match)
        skipped = len(SKIP_RE.findall(text))
        bad = failed + errors
        tally.passed += max(run - bad - skipped, 0)
        tally.failed += bad
        tally.skipped += skipped
        for fail in FAIL_RE.finditer(text):
            tally.failures.append(f"{fail.group(3)} {fail.group(4)}")
    if rc != 0 and not (match and sum(int(g) for g in match[:2])):
        tally.add("odoo:install-and-run", False, f"exit code {rc}, see {log}")
    elif not match:
        tally.add("odoo:install-and-run", False, f"no test report, see {log}")
    return rc


def step_translations(tally, db, modules):
    """Every translatable term of our addons must have a Persian translation in its i18n/fa.po."""
    print("== translations: every term of our addons has a Persian translation", flush=True)
    import i18n  # noqa: PLC0415 (loaded only for this step)

    try:
        missing = i18n.missing_terms(db, [m for m in modules if m in ADDONS])
    except subprocess.CalledProcessError as exc:
        tally.add("i18n:export", False, str(exc))
        return
    for addon, terms in sorted(missing.items()):
        detail = f"{len(terms)} terms without Persian translation, e.g. {terms[:3]!r}" if terms else ""
        tally.add(f"i18n:{addon}", not terms, detail)
        print(f"   {addon}: {'complete' if not terms else detail}", flush=True)


def wait_http(url, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(1)
    return False


def step_shipped(tally, db, pytest_args):
    """The database the run command ships, created the same way, driven as each demo login."""
    print(f"== the shipped database: created as './aftersales run' does, database {db}", flush=True)
    drop_db(db)
    log = DATA / f"{db}-create.log"
    with open(log, "w", encoding="utf-8") as out:
        rc = subprocess.run(
            [str(ROOT / "aftersales"), "create-db", db], stdout=out, stderr=subprocess.STDOUT
        ).returncode
    tally.add("shipped:create-db", rc == 0, f"(see {log})")
    if rc == 0:
        step_client_tests(tally, db, ["shipped", *pytest_args], label="shipped database")
    drop_db(db)


def step_client_tests(tally, db, pytest_args, label="client tests (tests/)"):
    print(f"== {label} against a running server on {db}", flush=True)
    port = free_port()
    log = DATA / f"{db}-client-server.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            odoo_cmd(db, "--http-port", str(port), "--max-cron-threads=0", "--log-level=warn"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        if not wait_http(f"{url}/web/health"):
            tally.add("client:server-start", False, f"see {log}")
            return
        junit = DATA / f"{db}-client-tests.xml"
        env = dict(os.environ, AFTERSALES_URL=url, AFTERSALES_TEST_DB=db)
        subprocess.run(
            [str(VENV / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *pytest_args],
            cwd=ROOT / "tests",
            env=env,
        )
        if not junit.exists():
            tally.add("client:pytest", False, "no report")
            return
        root = ET.parse(junit).getroot()
        for suite in root.iter("testsuite"):
            total = int(suite.get("tests", 0))
            failures = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped = int(suite.get("skipped", 0))
            tally.passed += total - failures - skipped
            tally.failed += failures
            tally.skipped += skipped
            for case in suite.iter("testcase"):
                if case.find("failure") is not None or case.find("error") is not None:
                    tally.failures.append(f"client {case.get('classname')}.{case.get('name')}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def step_cluster(tally):
    """The fault scenarios against primary + replica, two servers and nginx (``./aftersales cluster test``)."""
    print("== cluster: fault scenarios (tools/cluster_faults.py)", flush=True)
    (DATA / "cluster" / "faults.json").unlink(missing_ok=True)
    proc = subprocess.run([str(VENV / "bin" / "python"), str(ROOT / "tools" / "cluster.py"), "test"])
    results = json.loads((DATA / "cluster" / "faults.json").read_text()) if proc.returncode in (0, 1) else {}
    for name, row in results.items():
        tally.add(f"cluster:{name}", row.get("passed", False))
    if not results:
        tally.add("cluster:start", False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="aftersales_test", help="throwaway database name")
    parser.add_argument("--modules", help="comma-separated addons to install and test (default: all four)")
    parser.add_argument("--tags", help="Odoo --test-tags (default: our addons and repair)")
    parser.add_argument("--quick", action="store_true", help="skip lint and the install-alone check")
    parser.add_argument("--no-client", action="store_true", help="skip the top-level client tests")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="also bring up the cluster of tools/cluster.py and play its fault scenarios (about 15 minutes)",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest (client tests)")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    modules = args.modules.split(",") if args.modules else ADDONS
    tally = Tally()
    if not args.quick:
        step_lint(tally)
        step_install_alone(tally, f"{args.db}_install")
    step_odoo_tests(tally, args.db, modules, args.tags.split(",") if args.tags else None)
    if not args.quick:
        step_translations(tally, args.db, modules)
    if not args.no_client and (ROOT / "tests").is_dir():
        step_client_tests(tally, args.db, ["--ignore=shipped", *args.pytest_args])
        if not args.quick:
            step_shipped(tally, f"{args.db}_shipped", args.pytest_args)
    if args.cluster:
        step_cluster(tally)
    if tally.failures:
        print("\nFailures:")
        for failure in tally.failures:
            print(f"  - {failure}")
    print()
    print(tally.line(), flush=True)
    sys.exit(1 if tally.failed or not tally.passed else 0)


if __name__ == "__main__":
    main()
