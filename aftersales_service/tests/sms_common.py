"""A fake SMS gateway on loopback for the tests: a real HTTP server in a thread."""

import json
import secrets
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from odoo import fields
from odoo.tests import new_test_user

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


def setup_inbound_fixtures(cls):
    """Provider, customer, warranty card and service request shared by the inbound tests."""
    env = cls.env
    env["aftersales.sms.provider"].search([("kind", "!=", "odoo")]).active = False
    cls.manager = new_test_user(
        env, login="sms_in_manager", groups="base.group_user,aftersales_warranty.group_aftersales_manager"
    )
    cls.reception = new_test_user(
        env, login="sms_in_reception", groups="base.group_user,aftersales_warranty.group_aftersales_user"
    )
    cls.provider = env["aftersales.sms.provider"].create(
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
    warranty_type = env["aftersales.warranty.type"].create(
        {"name": "SMS test 18 months", "duration": 18, "duration_unit": "month"}
    )
    cls.product = env["product.product"].create(
        {
            "name": "SMS test washing machine",
            "default_code": "SMS-TWM",
            "is_storable": True,
            "tracking": "serial",
            "is_serviceable": True,
            "warranty_type_id": warranty_type.id,
        }
    )
    cls.lot = env["stock.lot"].create({"name": "SMSSN0001", "product_id": cls.product.id, "company_id": env.company.id})
    cls.card = env["aftersales.warranty"].create(
        {
            "name": "SMS-WC-0001",
            "lot_id": cls.lot.id,
            "product_id": cls.product.id,
            "partner_id": cls.customer.id,
            "company_id": env.company.id,
            "date_start": fields.Date.today() - timedelta(days=30),
            "state": "active",
        }
    )
    service_type = env["aftersales.service.type"].create({"name": "SMS test repair"})
    cls.request = env["aftersales.request"].create(
        {"partner_id": cls.customer.id, "service_type_id": service_type.id, "channel": "sms"}
    )
