"""The installed product as an integrator or a browser sees it from outside."""

import random
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from common import ADDONS  # noqa: E402 (tools/ is not a package)


def test_suite_addons_installed(admin):
    """Every addon of the suite (ADDONS in tools/common.py, the list the run command installs) is installed."""
    mods = admin.execute(
        "ir.module.module",
        "search_read",
        [("name", "in", ADDONS)],
        fields=["name", "state"],
    )
    assert {m["name"]: m["state"] for m in mods} == dict.fromkeys(ADDONS, "installed")


def test_after_sales_menu_visible_to_admin(admin):
    menus = admin.execute(
        "ir.ui.menu", "search_read", [("name", "=", "After-Sales"), ("parent_id", "=", False)], fields=["name"]
    )
    assert len(menus) == 1


def test_wrong_password_is_refused(base_url, db_name):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": "common", "method": "login", "args": [db_name, "admin", "not-the-password"]},
    }
    body = requests.post(f"{base_url}/jsonrpc", json=payload, timeout=30).json()
    assert body["result"] is False


def test_health_endpoint(base_url):
    assert requests.get(f"{base_url}/web/health", timeout=30).json()["status"] == "pass"


def test_report_grouped_read_in_a_read_only_request(admin):
    """A pivot's grouped read is a read-only request in Odoo 18: the first read of a grouping registers it for
    the stored monthly figures in a transaction of its own (it once failed with a server error in tests);
    the read and the next one answer the same."""
    session = admin.web_session()
    model = "repair.order.report.aftersales"
    # a grouping this database has not seen yet (the first read registers it)
    domain = [["id", "!=", -random.randint(1, 10**9)]]
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "model": model,
            "method": "web_read_group",
            "args": [],
            "kwargs": {"domain": domain, "fields": ["order_count:sum"], "groupby": ["technician_id"], "lazy": False},
        },
    }
    answers = []
    for _attempt in range(2):
        resp = session.post(f"{admin.url}/web/dataset/call_kw/{model}/web_read_group", json=payload, timeout=60)
        resp.raise_for_status()
        body = resp.json()
        assert "error" not in body, body.get("error")
        answers.append(body["result"])
    assert answers[0]["length"] > 0, "the demo's orders are grouped"
    assert answers[0] == answers[1]
