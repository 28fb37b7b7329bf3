import hashlib
import hmac
import json
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .sms_common import setup_inbound_fixtures

WEBHOOK_LOGGER = "odoo.addons.aftersales_service.controllers.sms_webhook"


@tagged("post_install", "-at_install")
class TestSmsWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_inbound_fixtures(cls)
        cls.Inbound = cls.env["aftersales.sms.inbound"]
        cls.secret = "S3CRET-token-for-tests"
        cls.path = f"/aftersales/sms/inbound/{cls.provider.id}"

    def _sign(self, body):
        return hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()

    def _get(self, params, path=None):
        return self.url_open(f"{path or self.path}?{urlencode(params)}")

    def _post_json(self, payload, signature=None, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "X-Signature": signature or self._sign(body)}
        return self.url_open(self.path, data=body, headers=headers)

    def test_get_with_token(self):
        response = self._get(
            {"token": self.secret, "from": "09351234567", "message": "نام: رضا کریمی", "messageid": "g-1"}
        )
        self.assertEqual(response.status_code, 200)
        message = self.Inbound.browse(response.json()["id"])
        self.assertEqual((message.mobile, message.gateway_message_id), ("+989351234567", "g-1"))
        self.assertEqual(message.text, "نام: رضا کریمی")
        self.assertEqual(message.partner_id.name, "رضا کریمی")

    def test_form_post_with_token_header(self):
        response = self.url_open(
            self.path,
            data={"from": "+989351234568", "message": "hello", "messageid": "f-1"},
            headers={"X-Aftersales-Token": self.secret},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.Inbound.search([("gateway_message_id", "=", "f-1")]).text, "hello")

    def test_bad_or_missing_token_is_refused_and_not_stored(self):
        count = self.Inbound.search_count([])
        with mute_logger(WEBHOOK_LOGGER):
            bad = self._get({"token": "wrong", "from": "09351234567", "message": "SMSSN0001"})
            missing = self._get({"from": "09351234567", "message": "SMSSN0001"})
            unknown = self._get(
                {"token": self.secret, "from": "09351234567", "message": "x"}, path="/aftersales/sms/inbound/999999"
            )
        self.assertEqual((bad.status_code, missing.status_code, unknown.status_code), (403, 403, 403))
        self.assertEqual(self.Inbound.search_count([]), count)

    def test_inactive_provider_is_refused(self):
        self.provider.active = False
        with mute_logger(WEBHOOK_LOGGER):
            response = self._get({"token": self.secret, "from": "09351234567", "message": "x"})
        self.assertEqual(response.status_code, 403)

    def test_hmac_signed_json(self):
        response = self._post_json({"from": "09351234569", "message": "SMSSN0001", "messageid": 55})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["state"], "processed")
        message = self.Inbound.search([("gateway_message_id", "=", "55")])
        self.assertEqual(message.warranty_id, self.card)

    def test_bad_hmac_is_refused(self):
        count = self.Inbound.search_count([])
        body = json.dumps({"from": "09351234569", "message": "SMSSN0001"}).encode()
        with mute_logger(WEBHOOK_LOGGER):
            wrong_key = self._post_json(None, raw=body, signature=hmac.new(b"other", body, hashlib.sha256).hexdigest())
            tampered = self._post_json(None, raw=body.replace(b"0001", b"0002"), signature=self._sign(body))
        self.assertEqual((wrong_key.status_code, tampered.status_code), (403, 403))
        self.assertEqual(self.Inbound.search_count([]), count)

    def test_malformed_body_is_400_and_kept(self):
        with mute_logger(WEBHOOK_LOGGER):
            response = self._post_json({"message": "SMSSN0001"})
            broken = self._post_json(None, raw=b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Missing field(s): from", response.text)
        self.assertEqual(broken.status_code, 400)
        self.assertIn("not valid JSON", broken.text)
        errors = self.Inbound.search([("provider_id", "=", self.provider.id), ("state", "=", "error")])
        self.assertEqual(len(errors), 2)
        self.assertIn("SMSSN0001", errors.mapped("text"))
        self.assertTrue(errors.activity_ids)

    def test_serial_text_queues_warranty_reply(self):
        # the days left are counted in the company's time zone (the sender is unknown, the webhook runs as
        # the public user): Tehran's day starts 3.5 hours before UTC's, so the answers differ at night
        self.env.company.partner_id.tz = "Asia/Tehran"
        response = self._get({"token": self.secret, "from": "۰۹۳۵۱۲۳۴۵۷۰", "message": "SMSSN0001"})
        message = self.Inbound.browse(response.json()["id"])
        expected = self.env["aftersales.warranty"].with_context(tz="Asia/Tehran").lookup("SMSSN0001")["message"]
        self.assertEqual(message.reply_sms_id.body, expected)
        self.assertEqual(message.reply_sms_id.number, "+989351234570")
        self.assertEqual(message.reply_sms_id.state, "outgoing")

    def test_request_status_only_to_its_customer(self):
        own = self._get({"token": self.secret, "from": "09125550101", "message": self.request.name})
        other = self._get({"token": self.secret, "from": self.stranger_number, "message": self.request.name})
        own_message = self.Inbound.browse(own.json()["id"])
        other_message = self.Inbound.browse(other.json()["id"])
        self.assertEqual(own_message.reply_sms_id.body, f"Service request {self.request.name}: Draft.")
        self.assertEqual(other_message.state, "needs_review")
        self.assertNotIn("Draft", other_message.reply_sms_id.body)
        self.assertFalse(other_message.request_id)
