"""Test helpers: a fake SMS gateway on loopback (a real HTTP server in a thread), the inbound fixtures and
a base class that calls the webhook as a gateway would. Other addons' tests import them."""

import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from odoo.tests import HttpCase, new_test_user

WEBHOOK_LOGGER = "odoo.addons.sms_gateway_ir.controllers.sms_webhook"
FORM = "application/x-www-form-urlencoded"
KAVENEGAR_OK = {
    "return": {"status": 200, "message": "تایید شد"},
    "entries": [{"messageid": 8792343, "status": 1, "statustext": "در صف ارسال", "sender": "10004346"}],
}


class _GatewayHandler(BaseHTTPRequestHandler):
    def _handle(self):
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Type", "").startswith("application/json"):
            params = json.loads(raw.decode("utf-8"))
        else:
            params = {key: values[0] for key, values in parse_qs(raw.decode("utf-8")).items()}
        params.update({key: values[0] for key, values in parse_qs(split.query).items()})
        self.server.received.append({"method": self.command, "path": split.path, "params": params, "raw": raw})
        status, body = self.server.responses.pop(0) if self.server.responses else self.server.default_response
        payload = body if isinstance(body, str) else json.dumps(body)
        data = payload.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _handle
    do_POST = _handle

    def log_message(self, format, *args):  # noqa: A002 - silence the default stderr access log
        return


class FakeGateway:
    """Start with ``FakeGateway()``; ``url``, ``received`` (requests seen), ``respond(status, body)``."""

    def __init__(self, default_response=(200, KAVENEGAR_OK)):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _GatewayHandler)
        self.server.received = []
        self.server.responses = []
        self.server.default_response = default_response
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def received(self):
        return self.server.received

    def respond(self, status, body):
        """Queue the answer of the next request (then the default answer again)."""
        self.server.responses.append((status, body))

    def reset(self):
        self.server.received.clear()
        self.server.responses.clear()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def setup_inbound_fixtures(
    cls,
    user_groups="base.group_user,sms_gateway_ir.group_sms_gateway_user",
    manager_groups="base.group_user,sms_gateway_ir.group_sms_gateway_manager",
):
    """Provider, reviewer, reception user and customer shared by the inbound tests.

    Addons that give the SMS gateway rights through their own roles pass those groups (``aftersales_service``:
    its reception and manager groups imply the SMS gateway user and administrator)."""
    env = cls.env
    env["sms.gateway.provider"].search([("kind", "!=", "odoo")]).active = False
    cls.manager = new_test_user(env, login="sms_in_manager", groups=manager_groups)
    cls.reception = new_test_user(env, login="sms_in_reception", groups=user_groups)
    cls.provider = env["sms.gateway.provider"].create(
        {
            "name": "Inbound test line",
            "kind": "kavenegar",
            "url": "http://127.0.0.1:9/v1/{api_key}/sms/send.json",
            "api_key": "K",
            "sender_number": "10004346",
            # each run draws its own secret: nothing shipped or guessable
            "inbound_token": secrets.token_urlsafe(32),
            "inbound_auth": "hmac",
            "reply_rate_limit": 3,
            "review_user_id": cls.manager.id,
        }
    )
    cls.customer = env["res.partner"].create({"name": "Maryam Ahmadi", "mobile": "+98 912 555 0101"})
    cls.stranger_number = "09367778899"


def sign(secret, timestamp, nonce, method, path, query, body):
    """The documented canonical string (readme "Webhook signing"), written independently of the addon."""
    canonical = f"{timestamp}\n{nonce}\n{method}\n{path}\n".encode() + query + b"\n" + body
    return hmac.new(secret.encode(), canonical, hashlib.sha256).hexdigest()


class SmsWebhookCase(HttpCase):
    """Calls the inbound webhook as a gateway (or an attacker) would: exact bytes, signed or not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fixtures()
        cls.Inbound = cls.env["sms.inbound"]
        cls.secret = cls.provider.inbound_token
        cls.path = f"/sms_gateway/inbound/{cls.provider.id}"

    @classmethod
    def setup_fixtures(cls):
        setup_inbound_fixtures(cls)

    def _signed_headers(self, method, query=b"", body=b"", path=None, timestamp=None, nonce=None, secret=None):
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or secrets.token_urlsafe(16)
        signature = sign(secret or self.secret, timestamp, nonce, method, path or self.path, query, body)
        return {
            "X-Sms-Timestamp": timestamp,
            "X-Sms-Nonce": nonce,
            "X-Sms-Signature": signature,
        }

    def _send(self, method, query=b"", body=b"", content_type=None, headers=None, path=None):
        """Send exactly these bytes (no client-side re-encoding) and return the response."""
        url = self.base_url() + (path or self.path) + (("?" + query.decode()) if query else "")
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        return self.opener.request(method, url, data=body or None, headers=headers, timeout=30)

    def _signed(self, method="POST", query=b"", body=b"", content_type=None, **sign_kw):
        headers = self._signed_headers(method, query, body, **sign_kw)
        return self._send(method, query, body, content_type, headers)

    def _signed_json(self, payload, **kw):
        return self._signed("POST", body=json.dumps(payload).encode(), content_type="application/json", **kw)

    def _signed_form(self, payload, **kw):
        return self._signed("POST", body=urlencode(payload).encode(), content_type=FORM, **kw)

    def _counts(self):
        """What a call could write: inbound messages, contacts, SMS."""
        return (
            self.Inbound.search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["sms.sms"].search_count([]),
        )
