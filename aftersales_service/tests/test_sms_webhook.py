from odoo.tests import tagged

from odoo.addons.sms_gateway_ir.tests.common import SmsWebhookCase

from .common_sms import setup_aftersales_sms_fixtures


@tagged("post_install", "-at_install")
class TestSmsWebhookAnswers(SmsWebhookCase):
    """The after-sales answers to texts received through the webhook (its security: sms_gateway_ir)."""

    @classmethod
    def setup_fixtures(cls):
        setup_aftersales_sms_fixtures(cls)

    def test_signed_json_serial_gets_the_warranty(self):
        response = self._signed_json({"from": "09351234569", "message": "SMSSN0001", "messageid": 55})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["state"], "processed")
        message = self.Inbound.search([("gateway_message_id", "=", "55")])
        self.assertEqual(message.warranty_id, self.card)
        self.assertTrue(message.gateway_nonce)

    def test_serial_text_queues_warranty_reply(self):
        # the days left are counted in the company's time zone (the sender is unknown, the webhook runs as
        # the public user): Tehran's day starts 3.5 hours before UTC's, so the answers differ at night
        self.env.company.partner_id.tz = "Asia/Tehran"
        response = self._signed_json({"from": "۰۹۳۵۱۲۳۴۵۷۰", "message": "SMSSN0001"})
        message = self.Inbound.browse(response.json()["id"])
        expected = self.env["aftersales.warranty"].with_context(tz="Asia/Tehran").lookup("SMSSN0001")["message"]
        self.assertEqual(message.reply_sms_id.body, expected)
        self.assertEqual(message.reply_sms_id.number, "+989351234570")
        self.assertEqual(message.reply_sms_id.state, "outgoing")

    def test_request_status_only_to_its_customer(self):
        own = self._signed_json({"from": "09125550101", "message": self.request.name})
        other = self._signed_json({"from": self.stranger_number, "message": self.request.name})
        own_message = self.Inbound.browse(own.json()["id"])
        other_message = self.Inbound.browse(other.json()["id"])
        self.assertEqual(own_message.reply_sms_id.body, f"Service request {self.request.name}: Draft.")
        self.assertEqual(other_message.state, "needs_review")
        self.assertNotIn("Draft", other_message.reply_sms_id.body)
        self.assertFalse(other_message.request_id)
