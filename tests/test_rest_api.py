"""Contract tests of the mobile apps' REST API (``aftersales_api``), written as a phone app's developer
would: the standard library only (``urllib``), against the running server, signed in with the demo
logins (``portal_technician``, ``portal``, ``agent``, ``technician``).

The administrator prepares the data over XML-RPC (a serviceable product, a unit, an order for the
portal technician); every other call goes through ``/aftersales/api/v1``. The refusals assert the
status and, through the administrator, that nothing was written.
"""

import base64
import datetime
import json
import urllib.error
import urllib.request
import uuid
import xmlrpc.client

import pytest

API = "/aftersales/api/v1"
# a 1x1 PNG: photos and signature
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


class Rpc:
    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
        assert self.uid, f"login refused for {login}"
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


class Api:
    """What a phone app does: JSON or multipart over HTTPS, the key in ``Authorization``."""

    def __init__(self, base_url, key=None, lang=None):
        self.base_url, self.key, self.lang = base_url, key, lang

    def call(self, method, path, body=None, form=None, files=(), headers=None):
        headers = dict(headers or {})
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        if self.lang:
            headers["Accept-Language"] = self.lang
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None or files:
            data, headers["Content-Type"] = multipart(form or [], files)
        req = urllib.request.Request(self.base_url + API + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, raw, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, raw, ctype = error.code, error.read(), error.headers.get("Content-Type", "")
        if status != 204:
            assert ctype.startswith("application/json"), (status, ctype, raw[:300])
        return status, json.loads(raw) if raw else None


def multipart(fields, files):
    """``multipart/form-data`` body of ``fields`` (name, value) and ``files`` (name, filename, bytes, type)."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in fields:
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content, ctype in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n"
        )
        chunks += [head.encode(), content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def sign_in(base_url, login, password=None):
    status, body = Api(base_url).call("POST", "/token", {"login": login, "password": password or login, "device": "CI"})
    assert status == 201, body
    return Api(base_url, body["token"])


@pytest.fixture(scope="module")
def admin(base_url, db_name):
    return Rpc(base_url, db_name, "admin", "admin")


@pytest.fixture(scope="module")
def world(admin, base_url):
    """A serviceable product with a unit and its warranty, sign-in limits lifted for the run (restored)."""
    param = "aftersales_portal.api_token_limit"
    saved = admin("ir.config_parameter", "get_param", param) or False
    admin("ir.config_parameter", "set_param", param, "1000")
    wtype = admin(
        "aftersales.warranty.type",
        "create",
        {"name": unique("REST 12 months "), "duration": 12, "duration_unit": "month", "start_trigger": "manual"},
    )
    product = admin(
        "product.product",
        "create",
        {
            "name": unique("REST Washer "),
            "is_storable": True,
            "tracking": "serial",
            "is_serviceable": True,
            "warranty_type_id": wtype,
        },
    )
    partner = admin("res.partner", "create", {"name": unique("REST Customer "), "street": "Azadi 1", "city": "Tehran"})
    technician = admin("hr.employee", "search", [("user_id.login", "=", "portal_technician")])[0]
    other_technician = admin("hr.employee", "search", [("user_id.login", "=", "technician")])[0]
    try:
        yield {
            "product": product,
            "wtype": wtype,
            "partner": partner,
            "technician": technician,
            "other_technician": other_technician,
        }
    finally:
        admin("ir.config_parameter", "set_param", param, saved)


def new_unit(admin, world, partner=None):
    serial = unique("SN")
    lot = admin("stock.lot", "create", {"name": serial, "product_id": world["product"]})
    card = unique("WC")
    card_id = admin(
        "aftersales.warranty",
        "create",
        {
            "name": card,
            "lot_id": lot,
            "product_id": world["product"],
            "partner_id": partner or world["partner"],
            "warranty_type_id": world["wtype"],
        },
    )
    admin("aftersales.warranty", "action_activate", [card_id])
    return {"serial": serial, "lot": lot, "card": card}


def new_job(admin, world):
    """A service order given to the demo portal technician."""
    unit = new_unit(admin, world)
    order = admin(
        "repair.order",
        "create",
        {
            "partner_id": world["partner"],
            "product_id": world["product"],
            "lot_id": unit["lot"],
            "is_aftersales": True,
            "technician_id": world["technician"],
        },
    )
    return order, unit


def order_state(admin, order):
    values = admin("repair.order", "read", [order], ["state", "technician_id", "aftersales_worklog_ids"])[0]
    return values["state"], values["technician_id"], values["aftersales_worklog_ids"]


# ---------------------------------------------------------------- sign-in
def test_sign_in_and_key_errors(base_url, world):
    status, body = Api(base_url).call("GET", "/me")
    assert status == 401 and body["detail"]
    status, body = Api(base_url, "f" * 40).call("GET", "/jobs")
    assert status == 401
    status, body = Api(base_url).call("POST", "/token", {"login": "portal", "password": "not-the-password"})
    assert status == 401
    status, body = Api(base_url).call("POST", "/token", {"login": "portal", "password": "portal", "uid": 2})
    assert status == 422, "unknown keys in the body are refused"
    app = sign_in(base_url, "portal")
    status, me = app.call("GET", "/me")
    assert status == 200 and me["login"] == "portal" and "customer" in me["roles"]
    status, body = app.call("DELETE", "/token")
    assert status == 204
    status, body = app.call("GET", "/me")
    assert status == 401, "a revoked key is refused"


def test_errors_in_persian(base_url):
    status, body = Api(base_url, lang="fa-IR,fa;q=0.9").call("GET", "/me")
    assert status == 401
    assert any("\u0600" <= char <= "\u06ff" for char in body["detail"]), body


# ---------------------------------------------------------------- technician
def test_technician_visit(base_url, admin, world):
    order, unit = new_job(admin, world)
    app = sign_in(base_url, "portal_technician")
    status, me = app.call("GET", "/me")
    assert "technician" in me["roles"]
    status, jobs = app.call("GET", "/jobs")
    assert status == 200 and order in [job["id"] for job in jobs]
    status, job = app.call("GET", f"/jobs/{order}")
    assert status == 200 and job["serial"] == unit["serial"]
    assert "check_in" not in job["steps"] or job["dispatch_state"] == "accepted"
    status, job = app.call("POST", f"/jobs/{order}/check_in", {"latitude": 35.7, "longitude": 51.4})
    assert status == 200, job
    assert job["worklog"]["state"] == "draft"
    worklog = job["worklog"]["id"]
    # the visit took an hour (check-in and check-out in the same second are refused)
    start = (datetime.datetime.utcnow() - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    admin("aftersales.worklog", "write", [worklog], {"date_start": start})
    status, body = app.call(
        "POST",
        f"/jobs/{order}/worklog",
        form=[
            ("work_description", "Pump cleaned"),
            ("result", "fixed"),
            ("lot_name_confirmed", unit["serial"]),
            ("signed_by", "Customer"),
            ("signature", base64.b64encode(PNG).decode()),
        ],
        files=[("photo_before", "before.png", PNG, "image/png"), ("photo_after", "after.png", PNG, "image/png")],
    )
    assert status == 200, body
    assert len(body["job"]["worklog"]["photos_before"]) == 1 and body["job"]["worklog"]["has_signature"]
    status, body = app.call("POST", f"/jobs/{order}/submit", {"latitude": 35.7, "longitude": 51.4})
    assert status == 200, body
    state = admin("aftersales.worklog", "read", [worklog], ["state", "date_end"])[0]
    assert state["state"] in ("submitted", "approved") and state["date_end"]


def test_other_technician_cannot_touch_the_job(base_url, admin, world):
    """The demo back-office technician on the portal technician's job: 404 as for a missing job,
    nothing written."""
    order, unit = new_job(admin, world)
    before = order_state(admin, order)
    app = sign_in(base_url, "technician")
    status, missing = app.call("GET", "/jobs/2000000000")
    assert status == 404
    status, body = app.call("GET", f"/jobs/{order}")
    assert status == 404 and body == missing
    for step in ("accept", "decline", "on_my_way", "check_in"):
        status, body = app.call("POST", f"/jobs/{order}/{step}", {"reason": "mine now"})
        assert status == 404, (step, body)
    status, body = app.call("POST", f"/jobs/{order}/worklog", form=[("work_description", "forged")])
    assert status == 404
    assert order_state(admin, order) == before


def test_forged_step_and_bad_upload(base_url, admin, world):
    order, unit = new_job(admin, world)
    app = sign_in(base_url, "portal_technician")
    before = order_state(admin, order)
    status, body = app.call("POST", f"/jobs/{order}/check_in", {"latitude": 35.7, "state": "done"})
    assert status == 422
    assert order_state(admin, order) == before, "the step did not run"
    status, job = app.call("POST", f"/jobs/{order}/check_in", {})
    assert status == 200
    name = unique("evil") + ".png"
    status, body = app.call(
        "POST", f"/jobs/{order}/worklog", files=[("photo_before", name, b"<?php system($_GET['c']); ?>", "image/png")]
    )
    assert status == 400 and name in body["detail"]
    assert admin("ir.attachment", "search_count", [("name", "=", name)]) == 0


# ---------------------------------------------------------------- customer and agent
def test_customer_request_and_timeline(base_url, admin, world):
    app = sign_in(base_url, "portal")
    status, options = app.call("GET", "/requests/options")
    assert status == 200 and world["product"] in [product["id"] for product in options["products"]]
    status, created = app.call(
        "POST",
        "/requests",
        form=[("product_id", world["product"]), ("description", "Leaks water"), ("partner_id", world["partner"])],
        files=[("photos", "leak.png", PNG, "image/png")],
    )
    assert status == 201, created
    portal_partner = admin("res.users", "search_read", [("login", "=", "portal")], ["partner_id"])[0]["partner_id"][0]
    saved = admin("aftersales.request", "read", [created["id"]], ["partner_id", "channel"])[0]
    assert saved["partner_id"][0] == portal_partner, "the customer is the key's user, never a posted id"
    assert saved["channel"] == "portal"
    status, mine = app.call("GET", "/requests")
    assert created["id"] in [rec["id"] for rec in mine]
    status, detail = app.call("GET", f"/requests/{created['id']}")
    assert status == 200 and detail["lines"][0]["photos"][0]["name"] == "leak.png"
    # another user's key: the request does not exist for them
    status, body = sign_in(base_url, "agent").call("GET", f"/requests/{created['id']}")
    assert status == 404


def test_request_timeline_of_a_service_order(base_url, admin, world):
    """A request received at the counter with its order: the customer follows it in the app."""
    portal_partner = admin("res.users", "search_read", [("login", "=", "portal")], ["partner_id"])[0]["partner_id"][0]
    unit = new_unit(admin, world, partner=portal_partner)
    service_type = admin("aftersales.service.type", "search", [], limit=1)[0]
    request_id = admin(
        "aftersales.request",
        "create",
        {
            "partner_id": portal_partner,
            "channel": "phone",
            "service_type_id": service_type,
            "line_ids": [(0, 0, {"code": unit["card"], "product_id": world["product"], "lot_id": unit["lot"]})],
        },
    )
    line = admin("aftersales.request", "read", [request_id], ["line_ids"])[0]["line_ids"][0]
    admin(
        "repair.order",
        "create",
        {
            "partner_id": portal_partner,
            "product_id": world["product"],
            "lot_id": unit["lot"],
            "is_aftersales": True,
            "aftersales_request_id": request_id,
            "aftersales_request_line_id": line,
            "technician_id": world["technician"],
        },
    )
    status, detail = sign_in(base_url, "portal").call("GET", f"/requests/{request_id}")
    assert status == 200, detail
    order = detail["lines"][0]["order"]
    assert [event["event"] for event in order["timeline"]][:2] == ["received", "assigned"]
    assert order["technician"]["name"]


def test_agent_batch_request(base_url, admin, world):
    agent = admin("res.users", "search_read", [("login", "=", "agent")], ["partner_id"])[0]["partner_id"][0]
    agency = admin("res.partner", "read", [agent], ["commercial_partner_id"])[0]["commercial_partner_id"][0]
    unit = new_unit(admin, world, partner=agency)
    app = sign_in(base_url, "agent")
    status, body = app.call("POST", "/agent/requests", {"customer_name": "REST Walk-in", "units": [{"code": "NOPE-1"}]})
    assert status == 400, body
    # a unit of the agency's own stock, filed without a customer: the agency is the customer
    status, created = app.call("POST", "/agent/requests", {"units": [{"code": unit["serial"], "failure": "Noise"}]})
    assert status == 201, created
    status, mine = app.call("GET", "/requests")
    assert created["id"] in [rec["id"] for rec in mine]
    count = admin("aftersales.request", "search_count", [])
    status, body = sign_in(base_url, "portal").call("POST", "/agent/requests", {"units": [{"code": unit["serial"]}]})
    assert status == 403
    assert admin("aftersales.request", "search_count", []) == count


def test_public_warranty_check(base_url, admin, world):
    unit = new_unit(admin, world)
    status, body = Api(base_url).call("GET", f"/warranty?code={unit['card']}")
    assert status == 200 and body["status"] == "found" and body["under_warranty"] is True
    assert "REST Customer" not in json.dumps(body)


# ---------------------------------------------------------------- OpenAPI
def test_openapi_document(base_url):
    status, document = Api(base_url).call("GET", "/openapi.json")
    assert status == 200
    paths = document["paths"]
    for path in (
        "/token",
        "/me",
        "/jobs",
        "/jobs/{job_id}",
        "/jobs/{job_id}/check_in",
        "/jobs/{job_id}/worklog",
        "/jobs/{job_id}/submit",
        "/requests",
        "/requests/{request_id}",
        "/agent/requests",
        "/warranty",
    ):
        assert path in paths, path
    schemas = document["components"]["schemas"]
    for name in ("JobDetail", "Worklog", "RequestDetail", "TimelineEvent", "TokenOut", "WarrantyResult"):
        assert name in schemas, name
    assert document["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
