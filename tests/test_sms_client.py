"""The inbound SMS webhook as an SMS gateway, and as an attacker, calls it over HTTP."""

import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import urlencode

import pytest
import requests

from .fixtures import make_warranty, unique

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def provider(admin):
    provider_id = admin.execute(
        "sms.gateway.provider",
        "create",
        {
            "name": unique("Client gateway "),
            "kind": "http_generic",
            "url": "http://127.0.0.1:9/none",
            "active": True,
            "inbound_auth": "hmac",
        },
    )
    token = admin.execute("sms.gateway.provider", "read", [provider_id], fields=["inbound_token"])[0]
    return provider_id, token["inbound_token"]


def sign(secret, method, path, query=b"", body=b"", timestamp=None, nonce=None):
    """Headers of a signed call, as the readme ("Webhook signing") tells a gateway to build them."""
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_urlsafe(16)
    canonical = b"\n".join([timestamp.encode(), nonce.encode(), method.encode(), path.encode(), query, body])
    return {
        "X-Sms-Timestamp": timestamp,
        "X-Sms-Nonce": nonce,
        "X-Sms-Signature": hmac.new(secret.encode(), canonical, hashlib.sha256).hexdigest(),
    }


def send(base_url, method, path, query=b"", body=b"", content_type=None, headers=None):
    url = f"{base_url}{path}" + (f"?{query.decode()}" if query else "")
    headers = dict(headers or {})
    if content_type:
        headers["Content-Type"] = content_type
    return requests.request(method, url, data=body or None, headers=headers, timeout=60)


def counts(admin, provider_id):
    """What an accepted call could create: inbound messages, customers, requests."""
    return (
        admin.execute("sms.inbound", "search_count", [("provider_id", "=", provider_id)]),
        admin.execute("res.partner", "search_count", [], context={"active_test": False}),
        admin.execute("aftersales.request", "search_count", []),
    )


def path_of(provider_id):
    return f"/sms_gateway/inbound/{provider_id}"


def test_forged_signature_is_refused(base_url, admin, provider):
    provider_id, token = provider
    path = path_of(provider_id)
    body = urlencode({"from": "09120000001", "message": "hello"}).encode()
    forged = urlencode({"from": "09120000002", "message": "call me"}).encode()
    before = counts(admin, provider_id)
    # a signature made for another body, one keyed with a guessed secret, and none at all
    other_body = send(
        base_url, "POST", path, body=forged, content_type=FORM, headers=sign(token, "POST", path, b"", body)
    )
    guessed = send(
        base_url, "POST", path, body=body, content_type=FORM, headers=sign("x" * 43, "POST", path, b"", body)
    )
    unsigned = send(base_url, "POST", path, body=body, content_type=FORM, headers={"X-Sms-Token": token})
    assert [r.status_code for r in (other_body, guessed, unsigned)] == [403, 403, 403]
    assert counts(admin, provider_id) == before


def test_replayed_message_is_refused(base_url, admin, provider):
    provider_id, token = provider
    path = path_of(provider_id)
    body = json.dumps({"from": "09120000003", "message": "hello"}).encode()
    headers = sign(token, "POST", path, b"", body)
    first = send(base_url, "POST", path, body=body, content_type="application/json", headers=headers)
    assert first.status_code == 200, first.text
    before = counts(admin, provider_id)
    replay = send(base_url, "POST", path, body=body, content_type="application/json", headers=headers)
    assert replay.status_code == 409
    assert counts(admin, provider_id) == before


def test_stale_timestamp_is_refused(base_url, admin, provider):
    provider_id, token = provider
    path = path_of(provider_id)
    body = json.dumps({"from": "09120000004", "message": "hello"}).encode()
    before = counts(admin, provider_id)
    stale = send(
        base_url,
        "POST",
        path,
        body=body,
        content_type="application/json",
        headers=sign(token, "POST", path, b"", body, timestamp=int(time.time()) - 3600),
    )
    assert stale.status_code == 403
    assert counts(admin, provider_id) == before


def test_query_parameter_cannot_override_the_signed_body(base_url, admin, provider):
    provider_id, token = provider
    path = path_of(provider_id)
    body = urlencode({"from": "09120000005", "message": "hello", "messageid": unique("q")}).encode()
    headers = sign(token, "POST", path, b"", body)
    before = counts(admin, provider_id)
    attack = urlencode({"from": "09129999999", "messageid": unique("evil")}).encode()
    resp = send(base_url, "POST", path, query=attack, body=body, content_type=FORM, headers=headers)
    assert resp.status_code == 403
    assert counts(admin, provider_id) == before


def test_token_in_query_string_is_refused(base_url, admin, provider):
    provider_id, token = provider
    before = counts(admin, provider_id)
    resp = requests.post(
        f"{base_url}{path_of(provider_id)}",
        params={"token": token},
        data={"from": "09120000001", "message": "hello"},
        timeout=60,
    )
    assert resp.status_code == 403
    assert counts(admin, provider_id) == before


@pytest.mark.parametrize(
    "body, content_type",
    [
        (json.dumps({"from": "09120000006", "message": "SN\u0000123"}).encode(), "application/json"),
        (b"from=09120000006&message=SN%00123", FORM),
        (json.dumps({"from": ["09120000006"], "message": "hello"}).encode(), "application/json"),
        (json.dumps({"from": "09120000006", "message": "x" * 5000}).encode(), "application/json"),
    ],
    ids=["nul-json", "nul-form", "list-sender", "huge-text"],
)
def test_invalid_text_is_400_and_nothing_written(base_url, admin, provider, body, content_type):
    provider_id, token = provider
    path = path_of(provider_id)
    before = counts(admin, provider_id)
    resp = send(
        base_url, "POST", path, body=body, content_type=content_type, headers=sign(token, "POST", path, b"", body)
    )
    assert resp.status_code == 400, resp.text
    assert resp.text.startswith("Bad Request: field")
    assert counts(admin, provider_id) == before


def test_signed_form_body_is_accepted(base_url, admin, provider):
    provider_id, token = provider
    path = path_of(provider_id)
    body = urlencode({"from": "09120000007", "message": "سلام", "messageid": unique("form")}).encode()
    resp = send(base_url, "POST", path, body=body, content_type=FORM, headers=sign(token, "POST", path, b"", body))
    assert resp.status_code == 200, resp.text
    inbound = admin.execute("sms.inbound", "read", [resp.json()["id"]], fields=["mobile", "text"])[0]
    assert (inbound["mobile"], inbound["text"]) == ("+989120000007", "سلام")


def test_serial_by_sms_gets_warranty_status(base_url, admin, provider):
    provider_id, token = provider
    path = path_of(provider_id)
    warranty = make_warranty(admin)
    body = json.dumps({"from": "+98 912 555 0101", "message": warranty["serial"]}).encode()
    resp = send(
        base_url, "POST", path, body=body, content_type="application/json", headers=sign(token, "POST", path, b"", body)
    )
    assert resp.status_code == 200, resp.text
    inbound = admin.execute("sms.inbound", "read", [resp.json()["id"]], fields=["state", "warranty_id", "reply_text"])[
        0
    ]
    assert inbound["state"] == "processed"
    assert inbound["warranty_id"][0] == warranty["card"]
    assert inbound["reply_text"]


def test_malformed_message_is_kept_for_review(base_url, admin, provider):
    provider_id, token = provider
    path = path_of(provider_id)
    body = urlencode({"message": "no sender here"}).encode()
    resp = send(base_url, "POST", path, body=body, content_type=FORM, headers=sign(token, "POST", path, b"", body))
    assert resp.status_code == 400
    assert admin.execute("sms.inbound", "search_count", [("provider_id", "=", provider_id), ("state", "=", "error")])
