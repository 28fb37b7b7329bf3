"""The inbound SMS webhook as an SMS gateway calls it."""

import hashlib
import hmac
import json

import pytest
import requests

from .fixtures import make_warranty, unique


@pytest.fixture(scope="module")
def provider(admin):
    provider_id = admin.execute(
        "aftersales.sms.provider",
        "create",
        {"name": unique("Client gateway "), "kind": "http_generic", "url": "http://127.0.0.1:9/none", "active": True},
    )
    token = admin.execute("aftersales.sms.provider", "read", [provider_id], fields=["inbound_token"])[0]
    return provider_id, token["inbound_token"]


def test_bad_token_is_refused_and_nothing_stored(base_url, admin, provider):
    provider_id, _token = provider
    before = admin.execute("aftersales.sms.inbound", "search_count", [("provider_id", "=", provider_id)])
    resp = requests.post(
        f"{base_url}/aftersales/sms/inbound/{provider_id}",
        params={"token": "wrong"},
        data={"from": "09120000001", "message": "hello"},
        timeout=60,
    )
    assert resp.status_code == 403
    after = admin.execute("aftersales.sms.inbound", "search_count", [("provider_id", "=", provider_id)])
    assert after == before


def test_serial_by_sms_gets_warranty_status(base_url, admin, provider):
    provider_id, token = provider
    warranty = make_warranty(admin)
    body = json.dumps({"from": "+98 912 555 0101", "message": warranty["serial"]}).encode()
    signature = hmac.new(token.encode(), body, hashlib.sha256).hexdigest()
    resp = requests.post(
        f"{base_url}/aftersales/sms/inbound/{provider_id}",
        data=body,
        headers={"Content-Type": "application/json", "X-Signature": signature},
        timeout=60,
    )
    assert resp.status_code == 200, resp.text
    inbound = admin.execute(
        "aftersales.sms.inbound", "read", [resp.json()["id"]], fields=["state", "warranty_id", "reply_text"]
    )[0]
    assert inbound["state"] == "processed"
    assert inbound["warranty_id"][0] == warranty["card"]
    assert inbound["reply_text"]


def test_malformed_message_is_kept_for_review(base_url, admin, provider):
    provider_id, token = provider
    resp = requests.post(
        f"{base_url}/aftersales/sms/inbound/{provider_id}",
        params={"token": token},
        data={"message": "no sender here"},
        timeout=60,
    )
    assert resp.status_code == 400
    assert admin.execute(
        "aftersales.sms.inbound", "search_count", [("provider_id", "=", provider_id), ("state", "=", "error")]
    )
