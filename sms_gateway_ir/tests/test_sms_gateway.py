import socket
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.sms.tools.sms_api import SmsApi
from odoo.addons.sms_gateway_ir.tools.sms_gateway import SmsGatewayApi

from .common import KAVENEGAR_OK, FakeGateway

PERSIAN_BODY = "مشتری گرامی، دستگاه شما با سریال SN-4512 آماده تحویل است."


@tagged("post_install", "-at_install")
class TestSmsGateway(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = FakeGateway()
        cls.addClassCleanup(cls.gateway.stop)
        # no other provider of the test company may take the SMS
        cls.env["sms.gateway.provider"].search([("kind", "!=", "odoo")]).active = False
        cls.provider = cls.env["sms.gateway.provider"].create(
            {
                "name": "Kavenegar test",
                "kind": "kavenegar",
                "url": cls.gateway.url + "/v1/{api_key}/sms/send.json",
                "api_key": "TESTKEY-123",
                "sender_number": "10004346",
                "max_attempts": 3,
                "retry_delay": 5,
                "test_number": "0912 123 4567",
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "Sara Mohammadi", "mobile": "09121234567"})
        cls.manager = new_test_user(
            cls.env, login="sms_manager", groups="base.group_user,sms_gateway_ir.group_sms_gateway_manager"
        )
        cls.reception = new_test_user(
            cls.env, login="sms_reception", groups="base.group_user,sms_gateway_ir.group_sms_gateway_user"
        )

    def setUp(self):
        super().setUp()
        self.gateway.reset()

    def _sms(self, body=PERSIAN_BODY, number="+989121234567"):
        return self.env["sms.sms"].create({"number": number, "body": body, "partner_id": self.partner.id})

    def test_kavenegar_send_persian(self):
        sms = self._sms()
        sms.send()
        self.assertEqual(len(self.gateway.received), 1)
        call = self.gateway.received[0]
        self.assertEqual(call["method"], "POST")
        self.assertEqual(call["path"], "/v1/TESTKEY-123/sms/send.json")
        self.assertEqual(call["params"]["receptor"], "09121234567")
        self.assertEqual(call["params"]["sender"], "10004346")
        self.assertEqual(call["params"]["message"], PERSIAN_BODY)
        self.assertIn(b"%D9%85%D8%B4", call["raw"], "the text travels as UTF-8")
        self.assertTrue(sms.exists(), "an SMS sent through a provider stays in the SMS log")
        self.assertEqual(sms.state, "pending")
        self.assertFalse(sms.to_delete)
        self.assertEqual(sms.gateway_provider_id, self.provider)
        self.assertEqual(sms.gateway_message_id, "8792343")
        self.assertEqual(sms.gateway_attempt_count, 1)
        self.assertFalse(sms.gateway_failure_reason)
        self.assertEqual((sms.gateway_encoding, sms.gateway_parts), ("ucs2", 1))

    def test_parts_shown_on_sms(self):
        sms = self._sms(body="a" * 161)
        self.assertEqual((sms.gateway_encoding, sms.gateway_parts), ("gsm7", 2))
        sms.body = "س" * 135
        self.assertEqual((sms.gateway_encoding, sms.gateway_parts), ("ucs2", 3))

    def test_failure_is_visible_then_retried_with_backoff(self):
        self.gateway.respond(500, "Internal Server Error")
        sms = self._sms()
        before = fields.Datetime.now()
        sms.send()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_server")
        self.assertIn("500", sms.gateway_failure_reason)
        self.assertEqual(sms.gateway_attempt_count, 1)
        self.assertGreaterEqual(sms.gateway_next_attempt, before + timedelta(minutes=5) - timedelta(seconds=1))
        retry_filter = [("state", "=", "error"), ("gateway_next_attempt", "!=", False)]
        self.assertIn(sms, self.env["sms.sms"].search(retry_filter), "visible in the 'Retry Scheduled' filter")

        # not due yet: the cron leaves it alone
        self.env["sms.sms"]._cron_gateway_retry()
        self.assertEqual(sms.state, "error")
        self.assertEqual(len(self.gateway.received), 1)

        # second failure: the delay doubles
        sms.gateway_next_attempt = fields.Datetime.now() - timedelta(seconds=1)
        self.gateway.respond(503, "busy")
        before = fields.Datetime.now()
        self.env["sms.sms"]._cron_gateway_retry()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.gateway_attempt_count, 2)
        self.assertGreaterEqual(sms.gateway_next_attempt, before + timedelta(minutes=10) - timedelta(seconds=1))

        # gateway back: the cron sends it
        sms.gateway_next_attempt = fields.Datetime.now() - timedelta(seconds=1)
        self.env["sms.sms"]._cron_gateway_retry()
        self.assertEqual(sms.state, "pending")
        self.assertEqual(sms.gateway_attempt_count, 3)
        self.assertFalse(sms.gateway_failure_reason)
        self.assertFalse(sms.gateway_next_attempt)
        self.assertEqual(len(self.gateway.received), 3)
        self.assertEqual(self.gateway.received[-1]["params"]["message"], PERSIAN_BODY)

    def test_retries_stop_after_max_attempts(self):
        self.provider.max_attempts = 2
        sms = self._sms()
        self.gateway.respond(500, "down")
        self.gateway.respond(500, "down")
        sms.send()
        sms.gateway_next_attempt = fields.Datetime.now() - timedelta(seconds=1)
        self.env["sms.sms"]._cron_gateway_retry()
        self.assertEqual((sms.state, sms.gateway_attempt_count), ("error", 2))
        self.assertFalse(sms.gateway_next_attempt, "no third attempt is planned")
        self.env["sms.sms"]._cron_gateway_retry()
        self.assertEqual(len(self.gateway.received), 2)

    def test_json_refusal_is_an_error_with_reason(self):
        self.gateway.respond(200, {"return": {"status": 418, "message": "اعتبار کافی نیست"}, "entries": None})
        sms = self._sms()
        sms.send()
        self.assertEqual(sms.state, "error")
        self.assertIn("return.status = 418", sms.gateway_failure_reason)
        self.assertFalse(sms.gateway_message_id)

    def test_unreachable_gateway_is_retryable(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.provider.url = f"http://127.0.0.1:{port}/v1/{{api_key}}/sms/send.json"
        sms = self._sms()
        with mute_logger("odoo.addons.sms_gateway_ir.models.sms_gateway_provider"):
            sms.send()
        self.assertEqual(sms.state, "error")
        self.assertIn("unreachable", sms.gateway_failure_reason)
        self.assertTrue(sms.gateway_next_attempt)

    def test_missing_number_is_not_retried(self):
        sms = self._sms(number="")
        sms.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_missing"))
        self.assertFalse(sms.gateway_next_attempt)
        self.assertFalse(self.gateway.received)

    def test_generic_get_with_regex_check(self):
        self.provider.active = False
        generic = self.env["sms.gateway.provider"].create(
            {
                "name": "Generic",
                "kind": "http_generic",
                "url": self.gateway.url + "/send",
                "http_method": "get",
                "param_receiver": "to",
                "param_sender": "from",
                "param_message": "text",
                "param_api_key": "apikey",
                "api_key": "K1",
                "sender_number": "3000505",
                "number_format": "intl",
                "success_regex": r"^OK:\d+",
            }
        )
        self.gateway.respond(200, "OK:5566")
        sms = self._sms(body="Hello, your device is ready")
        sms.send()
        call = self.gateway.received[0]
        self.assertEqual(call["method"], "GET")
        self.assertEqual(
            call["params"],
            {"to": "989121234567", "from": "3000505", "text": "Hello, your device is ready", "apikey": "K1"},
        )
        self.assertEqual((sms.state, sms.gateway_provider_id), ("pending", generic))
        self.gateway.respond(200, "ERR:12")
        sms2 = self._sms(body="again")
        sms2.send()
        self.assertEqual(sms2.state, "error")
        self.assertIn("ERR:12", sms2.gateway_failure_reason)

    def test_generic_json_post_and_message_id(self):
        self.provider.write(
            {
                "kind": "http_generic",
                "url": self.gateway.url + "/api/sms",
                "payload_format": "json",
                "success_json_path": "ok",
                "success_value": "True",
                "message_id_json_path": "data.id",
            }
        )
        self.gateway.respond(200, {"ok": True, "data": {"id": "abc-1"}})
        sms = self._sms()
        sms.send()
        self.assertEqual(self.gateway.received[0]["params"]["text"], PERSIAN_BODY)
        self.assertEqual(self.gateway.received[0]["params"]["to"], "+989121234567")
        self.assertEqual((sms.state, sms.gateway_message_id), ("pending", "abc-1"))

    def test_without_active_provider_odoo_iap_is_kept(self):
        sms = self._sms()
        apis = [api for api, _records in sms._split_by_api()]
        self.assertIsInstance(apis[0], SmsGatewayApi)
        self.provider.active = False
        apis = [api for api, _records in sms._split_by_api()]
        self.assertEqual(len(apis), 1)
        self.assertIsInstance(apis[0], SmsApi)
        # a provider of another company does not send this company's SMS
        other = self.env["res.company"].create({"name": "Other branch company"})
        self.provider.write({"active": True, "company_id": other.id})
        self.assertIsInstance(next(sms._split_by_api())[0], SmsApi)

    def test_message_sms_on_a_document_uses_the_provider(self):
        self.partner._message_sms(PERSIAN_BODY, partner_ids=self.partner.ids)
        self.assertEqual(len(self.gateway.received), 1)
        self.assertEqual(self.gateway.received[0]["params"]["receptor"], "09121234567")
        sms = self.env["sms.sms"].search([("gateway_provider_id", "=", self.provider.id)])
        self.assertEqual(sms.state, "pending")

    def test_send_test_sms_button(self):
        action = self.provider.with_user(self.manager).action_send_test_sms()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.gateway.received[0]["params"]["receptor"], "09121234567")
        self.gateway.respond(500, "down")
        action = self.provider.action_send_test_sms()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("500", action["params"]["message"])
        # a provider can be tested before it is activated
        self.provider.active = False
        self.provider.action_send_test_sms()
        self.assertEqual(len(self.gateway.received), 3)
        self.provider.test_number = False
        with self.assertRaises(UserError):
            self.provider.action_send_test_sms()
        odoo_provider = self.env["sms.gateway.provider"].create({"name": "IAP", "kind": "odoo"})
        with self.assertRaises(UserError):
            odoo_provider.action_send_test_sms()

    def test_configuration_checks(self):
        with self.assertRaises(ValidationError):
            self.env["sms.gateway.provider"].create({"name": "No URL", "kind": "http_generic", "url": False})
        with self.assertRaises(ValidationError):
            self.provider.success_regex = "([unclosed"

    def test_access_rights(self):
        provider = self.provider.with_user(self.reception)
        self.assertEqual(provider.name, "Kavenegar test")
        with self.assertRaises(AccessError):
            provider.read(["api_key"])
        with self.assertRaises(AccessError):
            provider.name = "Hijacked"
        with self.assertRaises(AccessError):
            self.env["sms.sms"].with_user(self.reception).search([])
        manager_provider = (
            self.env["sms.gateway.provider"]
            .with_user(self.manager)
            .create({"name": "By manager", "kind": "kavenegar", "api_key": "X"})
        )
        self.assertEqual(manager_provider.param_receiver, "receptor")
        self.assertTrue(self.env["sms.sms"].with_user(self.manager).search([("id", "=", self._sms().id)]))

    def test_old_sms_log_is_vacuumed(self):
        old_sent, old_failed, recent = self._sms(), self._sms(), self._sms()
        self.gateway.respond(200, KAVENEGAR_OK)
        self.gateway.respond(500, "down")
        (old_sent | old_failed | recent).send()
        self.assertEqual(old_failed.state, "error")
        self.env.cr.execute(
            "UPDATE sms_sms SET create_date = now() - interval '200 days' WHERE id IN %s",
            [(old_sent.id, old_failed.id)],
        )
        self.env["sms.sms"].invalidate_model(["create_date"])
        self.env["sms.sms"]._gc_gateway_sms_log()
        self.assertFalse(old_sent.exists())
        self.assertTrue(old_failed.exists(), "failed SMS stay until handled")
        self.assertTrue(recent.exists())
