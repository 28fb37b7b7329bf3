"""The database ``./aftersales run`` ships, driven from outside as each demo login of the README.

``./aftersales test`` creates it with ``./aftersales create-db`` (the same function the run command
uses: the four addons, their demo data, English and Persian), starts a server on it and runs this file.
Each login signs in, reads in its own language, opens every After-Sales menu entry it can see the way
the web client does (load the action, its views, its first page of records) and every portal page it is
meant to use; nothing may answer with an error, an HTTP 4xx/5xx or a traceback.
"""

import datetime
import html
import json
import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from dateutil.relativedelta import relativedelta

from ..client import OdooClient, OdooRPCError

ADDONS = ("aftersales_warranty", "aftersales_service", "aftersales_qc", "aftersales_portal")

# login -> (language, back office?, portal pages the login is meant to use)
DEMO_LOGINS = {
    "admin": ("en_US", True, ()),
    "reception": ("en_US", True, ()),
    "dispatcher": ("en_US", True, ()),
    "technician": ("en_US", True, ()),
    "qc": ("en_US", True, ()),
    "portal": ("en_US", False, ("/my", "/my/aftersales/requests")),
    "agent": ("en_US", False, ("/my", "/my/aftersales/requests", "/my/aftersales/batch")),
    "portal_technician": ("en_US", False, ("/my", "/my/aftersales/jobs")),
    "pars_manager": ("fa_IR", True, ()),
    "pars_reception": ("fa_IR", True, ()),
    "pars_technician": ("fa_IR", True, ()),
    "pars_portal": ("fa_IR", False, ("/my", "/my/aftersales/requests")),
}
PUBLIC_PAGES = ("/aftersales", "/aftersales/warranty", "/aftersales/request/new")
# detail pages reached from a listing: the listing's links to them are followed
DETAIL_LINK = re.compile(r'href="((?:/[a-z]{2}(?:_[A-Z]{2})?)?/my/aftersales/(?:requests|jobs)/\d+[^"]*)"')


def canonical(link):
    """A detail link without the query the page carries along (sorting, filters): its record, its access
    token and whether it prints, so that each page is visited once."""
    url = urlsplit(link)
    query = parse_qs(url.query)
    kept = {key: query[key][0] for key in ("access_token", "report_type") if key in query}
    return url.path + (f"?{urlencode(kept)}" if kept else "")


class WebClient:
    """What the browser does for a signed-in user: JSON-RPC calls on the web client's routes."""

    def __init__(self, base_url, db, login):
        self.base_url, self.login = base_url, login
        self.session = requests.Session()
        info = self._post("/web/session/authenticate", {"db": db, "login": login, "password": login}, what="sign in")
        self.info = info
        self.context = dict(info["user_context"])

    def _post(self, path, params, what):
        resp = self.session.post(
            f"{self.base_url}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=120
        )
        assert resp.status_code == 200, f"{self.login}: {what}: HTTP {resp.status_code}"
        body = resp.json()
        if body.get("error"):
            raise OdooRPCError(body["error"])
        return body["result"]

    def call(self, model, method, *args, what="", **kwargs):
        kwargs.setdefault("context", self.context)
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            what=what or f"{model}.{method}",
        )

    def get(self, path):
        return self.session.get(f"{self.base_url}{path}", timeout=120)


def eval_expr(expr, uid, context, default):
    """Evaluate an action's domain or context the way the web client does (enough of it for demo menus)."""
    if not isinstance(expr, str):
        return expr if expr is not None else default
    today = datetime.date.today()
    names = {
        "uid": uid,
        "context": context,
        "context_today": lambda: today,
        "datetime": datetime,
        "relativedelta": relativedelta,
        "time": __import__("time"),
        "active_id": False,
        "active_ids": [],
        "allowed_company_ids": context.get("allowed_company_ids", []),
        "current_company_id": (context.get("allowed_company_ids") or [False])[0],
        "True": True,
        "False": False,
        "None": None,
    }
    return eval(expr, {"__builtins__": {}}, names)  # noqa: S307 - server data of our own addons, in a test


def open_action(client, action, where):
    """Open an action as the web client would; returns a short description of what was read."""
    kind = action.get("type")
    if kind == "ir.actions.server":
        result = client._post("/web/action/run", {"action_id": action["id"]}, what=where)
        return open_action(client, result, where) if isinstance(result, dict) and result.get("type") else "server"
    if kind == "ir.actions.report":
        return print_report(client, action, where)
    if kind != "ir.actions.act_window":
        return kind or "nothing"
    model = action["res_model"]
    context = dict(client.context)
    context.update(eval_expr(action.get("context") or "{}", client.info["uid"], client.context, {}))
    domain = eval_expr(action.get("domain") or "[]", client.info["uid"], client.context, [])
    views = [[view_id or False, view_type] for view_id, view_type in action.get("views") or []]
    views.append([action.get("search_view_id") and action["search_view_id"][0] or False, "search"])
    client.call(
        model,
        "get_views",
        views=views,
        options={"action_id": action["id"], "load_filters": True, "toolbar": True},
        context=context,
        what=f"{where}: views of {model}",
    )
    view_types = [view_type for dummy, view_type in views]
    if action.get("res_id"):
        client.call(model, "web_read", [action["res_id"]], {"display_name": {}}, context=context, what=where)
    elif {"list", "kanban", "calendar", "activity"} & set(view_types):
        client.call(model, "web_search_read", domain, {"display_name": {}}, limit=80, context=context, what=where)
    elif {"pivot", "graph"} & set(view_types):
        client.call(model, "read_group", domain, ["__count"], [], context=context, what=where)
    else:
        client.call(model, "default_get", ["display_name"], context=context, what=where)
    return model


def print_report(client, action, where):
    """Print a report action as the web client does (PDF by URL, data-based reports with their options)."""
    report_type = "pdf" if action.get("report_type") == "qweb-pdf" else "html"
    if action.get("report_type") not in ("qweb-pdf", "qweb-html"):
        return action.get("report_type")
    url = f"/report/{report_type}/{action['report_name']}"
    ids = (action.get("context") or {}).get("active_ids") or []
    if action.get("data"):
        url += "?" + urlencode({"options": json.dumps(action["data"]), "context": json.dumps(client.context)})
    elif ids:
        url += "/" + ",".join(str(record_id) for record_id in ids)
    resp = client.get(url)
    assert resp.status_code == 200 and "Traceback" not in resp.text[:5000], f"{where}: {url}: HTTP {resp.status_code}"
    if report_type == "pdf":
        assert resp.content.startswith(b"%PDF"), f"{where}: {url} is not a PDF"
    return report_type


def aftersales_menus(client):
    menus = client.get("/web/webclient/load_menus/shipped-test")
    assert menus.status_code == 200, f"{client.login}: menus: HTTP {menus.status_code}"
    return [
        menu
        for menu in menus.json().values()
        if isinstance(menu, dict) and (menu.get("xmlid") or "").split(".")[0] in ADDONS and menu.get("actionID")
    ]


@pytest.mark.parametrize("login", [login for login, spec in DEMO_LOGINS.items() if spec[1]])
def test_back_office_login_opens_every_aftersales_menu(base_url, db_name, login):
    lang = DEMO_LOGINS[login][0]
    client = WebClient(base_url, db_name, login)
    assert client.context.get("lang") == lang, f"{login} reads {client.context.get('lang')}, not {lang}"
    home = client.get("/odoo")
    assert home.status_code == 200 and "Traceback" not in home.text, f"{login}: /odoo HTTP {home.status_code}"
    menus = aftersales_menus(client)
    assert menus, f"{login} sees no After-Sales menu"
    failures = []
    for menu in menus:
        where = f"{login}: menu {menu['xmlid']} ({menu['name']})"
        try:
            action = client._post("/web/action/load", {"action_id": menu["actionID"]}, what=where)
            open_action(client, action, where)
        except (OdooRPCError, AssertionError) as error:
            failures.append(f"{where}: {error}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("login", [login for login, spec in DEMO_LOGINS.items() if not spec[1]])
def test_portal_login_opens_its_pages_in_its_language(base_url, db_name, login):
    lang, dummy, pages = DEMO_LOGINS[login]
    client = WebClient(base_url, db_name, login)
    assert client.context.get("lang") == lang, f"{login} reads {client.context.get('lang')}, not {lang}"
    html_lang = lang.replace("_", "-")
    # links of the login's own language (the language switcher's other prefixes are not followed)
    prefix = "" if lang == "en_US" else "/" + lang.split("_")[0]
    seen, queue, failures = set(), list(pages), []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        resp = client.get(path)
        if resp.status_code >= 400 or "Traceback" in resp.text[:5000]:
            failures.append(f"{login}: {path}: HTTP {resp.status_code}")
            continue
        if "report_type=pdf" in path:
            if not resp.content.startswith(b"%PDF"):
                failures.append(f"{login}: {path} is not a PDF")
            continue
        if f'lang="{html_lang}"' not in resp.text:
            failures.append(f"{login}: {path} is not in {lang}")
        if lang.startswith("fa") and 'dir="rtl"' not in resp.text:
            failures.append(f"{login}: {path} is not right to left")
        links = {canonical(html.unescape(link)) for link in DETAIL_LINK.findall(resp.text)}
        queue += sorted(link for link in links if link.startswith(f"{prefix}/my/") and link not in seen)[:5]
    assert not failures, "\n".join(failures)
    details = [path for path in seen if path not in pages]
    assert details or login == "agent", f"{login}: no request or job reached from {pages}"
    if login in ("portal", "pars_portal"):
        assert any("report_type=pdf" in path for path in details), f"{login}: no receipt to print"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_open_for_an_anonymous_visitor(base_url, path):
    resp = requests.get(f"{base_url}{path}", timeout=60)
    assert resp.status_code == 200 and "Traceback" not in resp.text, f"{path}: HTTP {resp.status_code}"


def test_english_stays_active_and_users_can_switch(base_url, db_name):
    admin = OdooClient(base_url, db_name, "admin", "admin")
    active = {lang["code"] for lang in admin.execute("res.lang", "search_read", [], fields=["code"])}
    assert {"en_US", "fa_IR"} <= active
    reception = OdooClient(base_url, db_name, "reception", "reception")
    reception.execute("res.users", "write", [reception.uid], {"lang": "fa_IR"})
    assert reception.execute("res.users", "read", [reception.uid], fields=["lang"])[0]["lang"] == "fa_IR"
    reception.execute("res.users", "write", [reception.uid], {"lang": "en_US"})


def pdf_reports(admin):
    """Every PDF report of our addons: (xmlid, report_name, model)."""
    data = admin.execute(
        "ir.model.data",
        "search_read",
        [("model", "=", "ir.actions.report"), ("module", "in", list(ADDONS))],
        fields=["module", "name", "res_id"],
    )
    reports = admin.execute(
        "ir.actions.report",
        "read",
        [row["res_id"] for row in data],
        fields=["report_name", "model", "report_type"],
    )
    xmlids = {row["res_id"]: f"{row['module']}.{row['name']}" for row in data}
    return [
        (xmlids[rep["id"]], rep["report_name"], rep["model"]) for rep in reports if rep["report_type"] == "qweb-pdf"
    ]


@pytest.fixture
def report_url(base_url, db_name):
    """The test server is not on the port of the shipped ``web.base.url``: wkhtmltopdf fetches the stylesheets
    from ``report.url``."""
    admin = OdooClient(base_url, db_name, "admin", "admin")
    admin.execute("ir.config_parameter", "set_param", "report.url", base_url)
    yield
    admin.execute("ir.config_parameter", "set_param", "report.url", False)


@pytest.mark.usefixtures("report_url")
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("login", ["admin", "pars_manager"])
def test_every_pdf_report_prints(base_url, db_name, login):
    admin = OdooClient(base_url, db_name, "admin", "admin")
    client = WebClient(base_url, db_name, login)
    reports = pdf_reports(admin)
    assert reports, "no PDF report found"
    failures = []
    for xmlid, report_name, model in reports:
        ids = client.call(model, "search", [], limit=1, order="id desc")
        if not ids:
            failures.append(f"{login}: {xmlid}: no {model} record to print")
            continue
        resp = client.get(f"/report/pdf/{report_name}/{ids[0]}")
        if resp.status_code != 200 or not resp.content.startswith(b"%PDF"):
            failures.append(f"{login}: {xmlid}: HTTP {resp.status_code}, {resp.content[:60]!r}")
            continue
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=resp.content, capture_output=True, check=True
        ).stdout.decode()
        if len(text.strip()) < 40:
            failures.append(f"{login}: {xmlid}: the PDF has no text")
    assert not failures, "\n".join(failures)


def test_heat_map_prints_under_the_readers_company(base_url, db_name):
    """A page without a document takes the reader's company, not the website's."""
    client = WebClient(base_url, db_name, "pars_manager")
    company = client.info["user_companies"]["allowed_companies"][str(client.info["user_companies"]["current_company"])]
    menu = next(
        menu for menu in aftersales_menus(client) if menu["xmlid"].endswith("repair_order_report_heatmap_menu_map")
    )
    action = client._post("/web/action/load", {"action_id": menu["actionID"]}, what="heat map")
    report = client._post("/web/action/run", {"action_id": action["id"]}, what="heat map")
    context = dict(client.context, allowed_company_ids=[company["id"]])
    url = f"/report/html/{report['report_name']}?" + urlencode(
        {"options": json.dumps(report["data"]), "context": json.dumps(context)}
    )
    page = client.get(url).text
    assert company["name"] in page
    other = OdooClient(base_url, db_name, "admin", "admin").execute(
        "res.company", "search_read", [("id", "!=", company["id"])], fields=["name"]
    )
    assert not any(row["name"] in page for row in other), "another company's header"
