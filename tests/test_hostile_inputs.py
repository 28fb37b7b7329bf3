"""Hostile input against every public and portal route of the after-sales website (issue 14).

Each route gets NUL characters, 100,000-character strings, wrong JSON types, Persian and Arabic-Indic
digits, right-to-left override characters, oversized and fake files. Every answer must be below 500
and carry a clear message, and nothing may be half-written (counts read as admin over JSON-RPC).

One section per route group; add new groups (the SMS webhook...) as new sections at the end.
"""

import io
import json
import random
import re
import zipfile

import pytest
import requests

from .client import OdooClient
from .test_sms_client import counts as sms_counts
from .test_sms_client import (
    path_of,
    provider,  # noqa: F401 (a fixture shared with the webhook tests)
    send,
    sign,
)

NUL = "\x00"
RLO = "\u202e"
HUGE = "x" * 100_000
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f00f0003860180"
    "5a347d6b0000000049454e44ae426082"
)
# text values every form field receives; values a form cannot store are refused, the others accepted
HOSTILE_TEXTS = {
    "nul": f"abc{NUL}def",
    "huge": HUGE,
    "control": "\x1b[31m\x07bell",
    "rtl_override": f"{RLO}gpj.exe",
    "persian_digits": "۰۹۱۲۱۲۳۴۵۶۷",
    "arabic_digits": "٠٩١٢١٢٣٤٥٦٧",
}
REFUSED_TEXTS = ("nul", "huge", "control")
# in a URL the HTTP server itself drops request lines over 64 KiB: 20,000 characters stay under it
QUERY_TEXTS = dict(HOSTILE_TEXTS, huge="x" * 20_000)
# values of the wrong JSON type for the JSON routes
WRONG_JSON = [None, True, 0, 123456, 1.5, [], ["+989121234567"], {"a": 1}, "", HUGE, f"12{NUL}34"]
TIMEOUT = 120
PARAMS = {
    "aftersales_portal.otp_send_limit": "1000",
    "aftersales_portal.otp_send_target_limit": "1000",
    "aftersales_portal.warranty_check_limit": "1000",
    "aftersales_portal.max_photo_mb": "1",
}


# ------------------------------------------------------------------ helpers
@pytest.fixture(scope="module", autouse=True)
def generous_limits(admin):
    """Rate limits out of the way (every request comes from 127.0.0.1), a small photo limit; restored after."""
    saved = {key: admin.execute("ir.config_parameter", "get_param", key) for key in PARAMS}
    counters = set(admin.execute("aftersales.portal.rate", "search", []))
    for key, value in PARAMS.items():
        admin.execute("ir.config_parameter", "set_param", key, value)
    yield
    for key, value in saved.items():
        admin.execute("ir.config_parameter", "set_param", key, value or False)
    # the hits of this module must not push the next client tests over the restored limits
    new_counters = [rate for rate in admin.execute("aftersales.portal.rate", "search", []) if rate not in counters]
    admin.execute("aftersales.portal.rate", "unlink", new_counters)


@pytest.fixture(scope="module")
def ids(admin):
    product = admin.execute("product.product", "search", [("is_serviceable", "=", True)], limit=1)
    failure = admin.execute("aftersales.failure.mode", "search", [], limit=1)
    return {"product": product[0], "failure": failure[0] if failure else False}


def counts(admin):
    """What a refused request must not change."""
    return {
        model: admin.execute(model, "search_count", [])
        for model in (
            "aftersales.request",
            "aftersales.request.line",
            "res.partner",
            "sms.sms",
            "aftersales.portal.otp",
        )
    }


def session_for(base_url, db_name, login):
    return OdooClient(base_url, db_name, login, login).web_session()


def csrf(session, url):
    resp = session.get(url, timeout=TIMEOUT)
    assert resp.status_code == 200, f"{url}: {resp.status_code}"
    match = re.search(r'name="csrf_token" value="([^"]+)"', resp.text)
    assert match, f"{url} has no CSRF token"
    return match.group(1)


def assert_no_server_error(resp, what):
    assert resp.status_code < 500, f"{what}: {resp.status_code} {resp.text[:300]}"


def assert_clear_refusal(resp, what, marker="alert"):
    """A 4xx with a message in the page (not a traceback)."""
    assert 400 <= resp.status_code < 500, f"{what}: {resp.status_code} {resp.text[:300]}"
    if resp.status_code not in (413, 414):  # refused by the HTTP server itself, before Odoo
        assert marker in resp.text, f"{what}: no message shown"
    assert "Traceback" not in resp.text


def jsonrpc(session, url, params):
    resp = session.post(url, json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}, timeout=TIMEOUT)
    assert_no_server_error(resp, url)
    body = resp.json()
    assert "error" not in body, f"{url} {str(params)[:80]}: server exception {body.get('error')}"
    return body["result"]


def random_mobile():
    return f"+98912{random.randint(1_000_000, 9_999_999)}"


def fake_jpeg_text():
    return ("evil.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")


def zip_renamed_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return ("units.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ------------------------------------------------------------------ /aftersales and /aftersales/warranty
@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXTS))
def test_landing_ignores_hostile_query(base_url, kind):
    resp = requests.get(f"{base_url}/aftersales", params={"x": QUERY_TEXTS[kind]}, timeout=TIMEOUT)
    assert_no_server_error(resp, f"/aftersales {kind}")


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXTS))
def test_warranty_check_hostile_code(base_url, admin, kind):
    before = counts(admin)
    resp = requests.get(f"{base_url}/aftersales/warranty", params={"code": QUERY_TEXTS[kind]}, timeout=TIMEOUT)
    assert_no_server_error(resp, f"warranty {kind}")
    if kind in REFUSED_TEXTS:
        assert_clear_refusal(resp, f"warranty {kind}")
    else:
        assert resp.status_code == 200
        assert "o_aftersales_not_found" in resp.text, "an unknown code is answered as not found"
    assert counts(admin) == before


def test_warranty_check_nul_still_counts_against_the_limit(base_url, admin):
    """The rate counter survives a refused code: bad input is no way around the limit."""

    def hits():
        rows = admin.execute(
            "aftersales.portal.rate", "search_read", [("bucket", "=", "warranty_check")], fields=["hits"]
        )
        return sum(row["hits"] for row in rows)

    before = hits()
    resp = requests.get(f"{base_url}/aftersales/warranty", params={"code": f"WC{NUL}1"}, timeout=TIMEOUT)
    assert resp.status_code == 400
    assert hits() == before + 1


# ------------------------------------------------------------------ /aftersales/request/new (GET, POST)
@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXTS))
def test_request_form_get_hostile_query(base_url, kind):
    params = {"description": QUERY_TEXTS[kind], "product_id": QUERY_TEXTS[kind][:20]}
    resp = requests.get(f"{base_url}/aftersales/request/new", params=params, timeout=TIMEOUT)
    assert_no_server_error(resp, f"form GET {kind}")


@pytest.mark.parametrize("field", ["contact_name", "serial", "description", "address", "product_id", "failure_mode_id"])
@pytest.mark.parametrize("kind", REFUSED_TEXTS)
def test_request_form_post_hostile_field(base_url, db_name, admin, ids, field, kind):
    session = session_for(base_url, db_name, "portal")
    data = {
        "csrf_token": csrf(session, f"{base_url}/aftersales/request/new"),
        "product_id": str(ids["product"]),
        "failure_mode_id": str(ids["failure"] or ""),
        "description": "Hostile input test",
        field: HOSTILE_TEXTS[kind],
    }
    before = counts(admin)
    resp = session.post(f"{base_url}/aftersales/request/new", data=data, timeout=TIMEOUT, allow_redirects=False)
    assert_no_server_error(resp, f"{field} {kind}")
    if field == "failure_mode_id":
        # an unusable failure id is ignored: the description is enough
        assert resp.status_code in (303, 400)
        return
    if field == "product_id":
        assert_clear_refusal(resp, f"{field} {kind}", marker="o_aftersales_errors")
        assert counts(admin) == before
        return
    assert_clear_refusal(resp, f"{field} {kind}", marker="o_aftersales_errors")
    assert counts(admin) == before, "nothing half-written"


@pytest.mark.parametrize("kind", ["persian_digits", "arabic_digits", "rtl_override"])
def test_request_form_accepts_persian_text(base_url, db_name, admin, ids, kind):
    session = session_for(base_url, db_name, "portal")
    data = {
        "csrf_token": csrf(session, f"{base_url}/aftersales/request/new"),
        "product_id": str(ids["product"]),
        "description": f"Noise {HOSTILE_TEXTS[kind]}",
        "latitude": "۳۵.۷",
    }
    resp = session.post(f"{base_url}/aftersales/request/new", data=data, timeout=TIMEOUT, allow_redirects=False)
    assert resp.status_code == 303, resp.text[:300]


@pytest.mark.parametrize(
    "upload",
    [
        ("photos", fake_jpeg_text()),
        ("photos", ("big.png", PNG + b"\0" * (1024 * 1024 + 10), "image/png")),
        ("photos", (f"../../etc/passwd{RLO}gpj.exe", b"MZ\x90\x00", "image/jpeg")),
        ("video", ("clip.mp4", PNG, "video/mp4")),
    ],
    ids=["text-as-jpeg", "oversized", "rtl-exe", "photo-as-video"],
)
def test_request_form_bad_files(base_url, db_name, admin, ids, upload):
    session = session_for(base_url, db_name, "portal")
    data = {
        "csrf_token": csrf(session, f"{base_url}/aftersales/request/new"),
        "product_id": str(ids["product"]),
        "description": "Bad file test",
    }
    before = counts(admin)
    attachments = admin.execute("ir.attachment", "search_count", [])
    resp = session.post(
        f"{base_url}/aftersales/request/new", data=data, files=[upload], timeout=TIMEOUT, allow_redirects=False
    )
    assert_clear_refusal(resp, upload[1][0], marker="o_aftersales_errors")
    assert RLO not in resp.text and "../" not in resp.text.split("o_aftersales_errors", 1)[1][:2000]
    assert counts(admin) == before
    assert admin.execute("ir.attachment", "search_count", []) == attachments


def test_request_form_too_many_files(base_url, db_name, admin, ids):
    session = session_for(base_url, db_name, "portal")
    data = {
        "csrf_token": csrf(session, f"{base_url}/aftersales/request/new"),
        "product_id": str(ids["product"]),
        "description": "Many files",
    }
    before = counts(admin)
    files = [("photos", (f"p{index}.png", PNG, "image/png")) for index in range(11)]
    resp = session.post(
        f"{base_url}/aftersales/request/new", data=data, files=files, timeout=TIMEOUT, allow_redirects=False
    )
    assert_clear_refusal(resp, "11 photos", marker="Too many files")
    assert counts(admin) == before


def test_request_form_without_csrf_refused(base_url, db_name, admin, ids):
    session = session_for(base_url, db_name, "portal")
    before = counts(admin)
    resp = session.post(
        f"{base_url}/aftersales/request/new",
        data={"product_id": str(ids["product"]), "description": "x"},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert resp.status_code in (400, 403)
    assert counts(admin) == before


# ------------------------------------------------------------------ /aftersales/request/otp/send and /verify
@pytest.mark.parametrize("target", WRONG_JSON + [HOSTILE_TEXTS[k] for k in ("nul", "control", "rtl_override")])
def test_otp_send_refuses_bad_targets(base_url, admin, target):
    session = requests.Session()
    session.get(f"{base_url}/aftersales/request/new", timeout=TIMEOUT)
    before = counts(admin)
    result = jsonrpc(session, f"{base_url}/aftersales/request/otp/send", {"target": target})
    assert result.get("error") and isinstance(result["error"], str), f"{str(target)[:40]!r}: {result}"
    assert not result.get("sent")
    assert counts(admin) == before, "no SMS, no code"


@pytest.mark.parametrize("spelling", ["persian", "arabic", "zero-zero"])
def test_otp_send_normalizes_numbers(base_url, admin, spelling):
    number = random_mobile()
    local = "0" + number[3:]
    typed = {
        "persian": local.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")),
        "arabic": local.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        "zero-zero": "00" + number[1:],
    }[spelling]
    session = requests.Session()
    session.get(f"{base_url}/aftersales/request/new", timeout=TIMEOUT)
    result = jsonrpc(session, f"{base_url}/aftersales/request/otp/send", {"target": typed})
    assert result.get("sent"), result
    assert admin.execute("sms.sms", "search_count", [("number", "=", number)]) == 1


def test_otp_verify_wrong_types(base_url, admin):
    session = requests.Session()
    session.get(f"{base_url}/aftersales/request/new", timeout=TIMEOUT)
    number = random_mobile()
    assert jsonrpc(session, f"{base_url}/aftersales/request/otp/send", {"target": number}).get("sent")
    for code in WRONG_JSON:
        result = jsonrpc(session, f"{base_url}/aftersales/request/otp/verify", {"code": code})
        assert result.get("error"), f"{str(code)[:40]!r}: {result}"
        assert not result.get("verified")
    # wrong JSON-RPC shapes are refused by the framework without a server error
    resp = session.post(
        f"{base_url}/aftersales/request/otp/verify", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 400


def test_otp_verify_without_challenge(base_url):
    session = requests.Session()
    session.get(f"{base_url}/aftersales/request/new", timeout=TIMEOUT)
    result = jsonrpc(session, f"{base_url}/aftersales/request/otp/verify", {"code": "123456"})
    assert result.get("error")


def test_anonymous_posting_another_email_files_as_the_verified_number(base_url, admin, ids):
    """Verify one number, post somebody else's e-mail: the request belongs to the verified number."""
    victim_email = "victim.hostile@example.com"
    victim = admin.execute("res.partner", "create", {"name": "Hostile Test Victim", "email": victim_email})
    session = requests.Session()
    session.get(f"{base_url}/aftersales/request/new", timeout=TIMEOUT)
    number = random_mobile()
    assert jsonrpc(session, f"{base_url}/aftersales/request/otp/send", {"target": number}).get("sent")
    sms = admin.execute("sms.sms", "search_read", [("number", "=", number)], fields=["body"], limit=1)
    code = re.search(r"\d{6}", sms[0]["body"]).group(0)
    assert jsonrpc(session, f"{base_url}/aftersales/request/otp/verify", {"code": code}).get("verified")
    data = {
        "csrf_token": csrf(session, f"{base_url}/aftersales/request/new"),
        "contact_name": "Visitor",
        "email": victim_email,
        "phone": "+989120000000",
        "product_id": str(ids["product"]),
        "description": "In someone else's name",
    }
    resp = session.post(f"{base_url}/aftersales/request/new", data=data, timeout=TIMEOUT, allow_redirects=True)
    assert resp.status_code == 200
    assert "Hostile Test Victim" not in resp.text
    assert admin.execute("aftersales.request", "search_count", [("partner_id", "=", victim)]) == 0


# ------------------------------------------------------------------ /my/aftersales/requests[/<id>]
@pytest.mark.parametrize(
    "query",
    [
        {"search": f"a{NUL}b"},
        {"search": "x" * 20_000},
        {"search": "۱۲۳"},
        {"page": "abc"},
        {"sortby": RLO},
        {"filterby": [1, 2]},
    ],
    ids=["search-nul", "search-huge", "search-persian", "page-text", "sortby-rlo", "filterby-list"],
)
def test_my_requests_hostile_query(base_url, db_name, query):
    session = session_for(base_url, db_name, "portal")
    resp = session.get(f"{base_url}/my/aftersales/requests", params=query, timeout=TIMEOUT)
    assert_no_server_error(resp, str(query)[:40])
    assert resp.status_code == 200


@pytest.mark.parametrize(
    "suffix",
    [
        "/1?access_token=" + NUL,
        "/1?access_token=" + "x" * 20_000,
        "/1?report_type=pdf&access_token=wrong",
        "/1?values=1&document=2&created=" + RLO,
        "/99999999999999999999",
        "/abc",
    ],
    ids=["token-nul", "token-huge", "report-wrong-token", "kwargs-collision", "id-overflow", "id-text"],
)
def test_my_request_detail_hostile(base_url, suffix):
    resp = requests.get(f"{base_url}/my/aftersales/requests{suffix}", timeout=TIMEOUT, allow_redirects=False)
    assert_no_server_error(resp, suffix[:40])
    assert resp.status_code in (303, 404), "a stranger is sent away"


# ------------------------------------------------------------------ /my/aftersales/jobs[...]
@pytest.fixture(scope="module")
def technician_job(admin):
    user = admin.execute("res.users", "search", [("login", "=", "portal_technician")], limit=1)
    orders = admin.execute("repair.order", "search", [("technician_user_id", "in", user)], limit=1)
    return orders[0] if orders else False


@pytest.mark.parametrize("query", [{"error": NUL}, {"order": "1"}, {"message": QUERY_TEXTS["huge"]}])
def test_jobs_pages_hostile_query(base_url, db_name, technician_job, query):
    session = session_for(base_url, db_name, "portal_technician")
    resp = session.get(f"{base_url}/my/aftersales/jobs", params=query, timeout=TIMEOUT)
    assert_no_server_error(resp, "jobs")
    resp = session.get(f"{base_url}/my/aftersales/jobs/99999999999999999999", timeout=TIMEOUT, allow_redirects=False)
    assert resp.status_code in (303, 404), "an id beyond the database's integers is no job"
    if technician_job:
        resp = session.get(f"{base_url}/my/aftersales/jobs/{technician_job}", params=query, timeout=TIMEOUT)
        assert_no_server_error(resp, "job")


@pytest.mark.parametrize(
    "field,value",
    [
        ("work_description", f"done{NUL}"),
        ("work_description", HUGE),
        ("lot_name_confirmed", f"SN{NUL}"),
        ("part_codes", f"P{NUL}1"),
        ("signature", "data:image/png;base64,@@@not-base64@@@"),
        ("signature", "data:image/png;base64,PGh0bWw+"),
        ("action_ids", "9" * 5000),
        ("latitude", "nan"),
    ],
)
def test_job_worklog_hostile_fields(base_url, db_name, admin, technician_job, field, value):
    if not technician_job:
        pytest.skip("no demo job for portal_technician")
    session = session_for(base_url, db_name, "portal_technician")
    token = csrf(session, f"{base_url}/aftersales/request/new")
    worklogs = admin.execute(
        "aftersales.worklog", "search_read", [("repair_id", "=", technician_job)], fields=["work_description"]
    )
    resp = session.post(
        f"{base_url}/my/aftersales/jobs/{technician_job}/worklog",
        data={"csrf_token": token, field: value},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert_no_server_error(resp, f"worklog {field}")
    after = admin.execute(
        "aftersales.worklog", "search_read", [("repair_id", "=", technician_job)], fields=["work_description"]
    )
    assert not any(NUL in (row["work_description"] or "") for row in after)
    if field in ("work_description", "lot_name_confirmed", "part_codes", "signature"):
        assert after == worklogs, "a refused report changes nothing"


@pytest.mark.parametrize("step", ["accept", "accept_go", "decline", "on_my_way", "check_in", "check_out"])
def test_job_steps_hostile_values(base_url, db_name, step):
    session = session_for(base_url, db_name, "portal_technician")
    token = csrf(session, f"{base_url}/aftersales/request/new")
    # an order that is not the technician's: refused before anything else
    resp = session.post(
        f"{base_url}/my/aftersales/jobs/1/{step}",
        data={"csrf_token": token, "reason": f"x{NUL}", "latitude": "inf", "longitude": HUGE},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert_no_server_error(resp, step)


# ------------------------------------------------------------------ /my/aftersales/batch
@pytest.fixture(scope="module")
def agent_session(base_url, db_name):
    return session_for(base_url, db_name, "agent")


def batch_post(base_url, session, data=None, files=None):
    payload = {"csrf_token": csrf(session, f"{base_url}/my/aftersales/batch")}
    payload.update(data or {})
    return session.post(
        f"{base_url}/my/aftersales/batch", data=payload, files=files or {}, timeout=TIMEOUT, allow_redirects=False
    )


@pytest.mark.parametrize(
    "upload,message",
    [
        (zip_renamed_xlsx(), "not a valid XLSX workbook"),
        (("units.xlsx", b"code,failure\nX,Y\n", "text/csv"), "not an XLSX workbook"),
        (("units.csv", b"A\x00B,noise\n", "text/csv"), "not a text CSV"),
        (("units.csv", "کد,خرابی\n".encode("utf-16"), "text/csv"), "not a text CSV"),
        (("units.csv", b"\xff\xfe\xfa not utf8\n", "text/csv"), "UTF-8"),
        (("units.exe", b"MZ\x90\x00", "application/octet-stream"), "CSV or XLSX"),
        ((f"..{RLO}/../units.csv", b"", "text/csv"), "empty"),
        (("units.csv", b"x" * (6 * 1024 * 1024), "text/csv"), "too large"),
    ],
    ids=["zip-as-xlsx", "csv-as-xlsx", "nul-csv", "utf16-csv", "latin-csv", "exe", "empty-rtl-name", "oversized"],
)
def test_batch_bad_files(base_url, admin, agent_session, upload, message):
    before = counts(admin)
    resp = batch_post(base_url, agent_session, files={"file": upload})
    assert_clear_refusal(resp, upload[0], marker=message)
    for raw in ("File is not a zip file", "There is no item named", "codec can't decode", "line contains NUL"):
        assert raw not in resp.text, f"raw parser text shown: {raw}"
    assert counts(admin) == before


@pytest.mark.parametrize(
    "data",
    [
        {"code": [f"WM{NUL}1"], "failure": ["x"]},
        {"code": [HUGE], "failure": ["x"]},
        {"code": ["X1"], "failure": [HUGE]},
        {"customer_name": f"A{NUL}", "code": ["X1"]},
        {"customer_phone": HUGE, "code": ["X1"]},
        {"customer_phone": "021 8888 1234", "code": ["X1"]},
        {"customer_email": "a@x.com, b@y.com", "code": ["X1"]},
        {"service_type_id": "9" * 5000, "code": [f"X{NUL}"]},
        {"rows": "abc", "errors": "x", "code": [f"X{NUL}"]},
    ],
    ids=[
        "code-nul",
        "code-huge",
        "failure-huge",
        "name-nul",
        "phone-huge",
        "landline",
        "two-emails",
        "service-type-overflow",
        "kwargs-collision",
    ],
)
def test_batch_hostile_fields(base_url, admin, agent_session, data):
    before = counts(admin)
    resp = batch_post(base_url, agent_session, data=data)
    assert_clear_refusal(resp, str(data)[:60])
    assert counts(admin) == before


def test_batch_unit_of_another_customer_names_nobody(base_url, admin, agent_session):
    # the demo portal customer's card: not a customer of the demo agency
    cards = admin.execute(
        "aftersales.warranty", "search_read", [("name", "=", "WC-1403-0901")], fields=["name", "partner_id"], limit=1
    )
    if not cards:
        pytest.skip("no demo card of the portal customer")
    card = cards[0]
    before = counts(admin)
    resp = batch_post(base_url, agent_session, data={"code": [card["name"]], "failure": ["x"]})
    assert resp.status_code == 400
    owner = card["partner_id"][1]
    assert owner not in resp.text, "the owner of the unit is not named to an agent"
    assert counts(admin) == before


def test_batch_get_hostile_query(base_url, agent_session):
    resp = agent_session.get(
        f"{base_url}/my/aftersales/batch", params={"rows": "abc", "errors": NUL, "post": "1"}, timeout=TIMEOUT
    )
    assert resp.status_code == 200


# ------------------------------------------------------------------ /sms_gateway/inbound/<provider>
# The SMS webhook: every hostile text and wrong type as the sender and as the message, signed as a
# gateway would sign it, then forged and replayed. (Deeper signature cases: test_sms_client.py.)
@pytest.mark.parametrize("field", ["from", "message"])
@pytest.mark.parametrize("value", [*HOSTILE_TEXTS.values(), *WRONG_JSON], ids=lambda v: repr(v)[:20])
def test_sms_webhook_hostile_values(base_url, admin, provider, field, value):  # noqa: F811
    provider_id, secret = provider
    path = path_of(provider_id)
    payload = {"from": random_mobile(), "message": "status?", field: value}
    body = json.dumps(payload).encode()
    before = sms_counts(admin, provider_id)
    resp = send(
        base_url,
        "POST",
        path,
        body=body,
        content_type="application/json",
        headers=sign(secret, "POST", path, b"", body),
    )
    assert_no_server_error(resp, f"webhook {field}={value!r:.30}")
    if resp.status_code >= 400:
        assert resp.text.strip(), "a refusal says why"
        inbound, partners, requests_count = sms_counts(admin, provider_id)
        assert (partners, requests_count) == before[1:], "a refused call creates no customer and no request"
        if inbound != before[0]:
            # a message without sender or text is kept once, in error, for a reviewer (nothing is answered)
            assert inbound == before[0] + 1
            latest = admin.execute(
                "sms.inbound",
                "search_read",
                [("provider_id", "=", provider_id)],
                fields=["state"],
                order="id desc",
                limit=1,
            )
            assert latest[0]["state"] == "error"


def test_sms_webhook_forged_and_replayed(base_url, admin, provider):  # noqa: F811
    provider_id, secret = provider
    path = path_of(provider_id)
    body = b'{"from": "09120000777", "message": "hello"}'
    headers = sign(secret, "POST", path, b"", body)
    forged = dict(headers, **{"X-Sms-Signature": "0" * 64})
    before = sms_counts(admin, provider_id)
    resp = send(base_url, "POST", path, body=body, content_type="application/json", headers=forged)
    assert 400 <= resp.status_code < 500
    assert sms_counts(admin, provider_id) == before
    first = send(base_url, "POST", path, body=body, content_type="application/json", headers=headers)
    assert first.status_code == 200, first.text
    after_first = sms_counts(admin, provider_id)
    replay = send(base_url, "POST", path, body=body, content_type="application/json", headers=headers)
    assert 400 <= replay.status_code < 500
    assert sms_counts(admin, provider_id) == after_first
