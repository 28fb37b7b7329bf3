from datetime import datetime, time, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.sms_gateway_ir.tests.common import FakeGateway

from .common_sms import setup_aftersales_sms_fixtures


@tagged("post_install", "-at_install")
class TestSmsInboundAftersales(TransactionCase):
    """What a customer's text means to after-sales (the ``_match`` hook); receiving, replying and the
    security of the records are tested in sms_gateway_ir."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_aftersales_sms_fixtures(cls)
        cls.Inbound = cls.env["sms.inbound"]

    def _receive(self, text, sender=None, message_id=False):
        return self.Inbound._receive_message(self.provider, sender or self.stranger_number, text, message_id)

    def test_name_parsed_from_the_text(self):
        message = self._receive("نام: علی رضایی SMSSN0001")
        self.assertEqual(message.partner_id.name, "علی رضایی")
        self.assertEqual((message.state, message.match_type), ("processed", "warranty"))

    def test_days_left_counted_on_the_company_day(self):
        """At 22:00 UTC it is already tomorrow in Tehran: a sender without a time zone of their own gets
        the days left of the company's day, not of the server's; so does anyone who asks, whatever their
        time zone (the warranty is the company's contract)."""
        self.env.company.partner_id.tz = "Asia/Tehran"
        Warranty = self.env["aftersales.warranty"]
        with freeze_time(datetime.combine(fields.Date.today(), time(22, 0))):
            tehran_day = fields.Date.today() + timedelta(days=1)
            message = self._receive("SMSSN0001")
            tehran = Warranty.with_context(tz="Asia/Tehran").lookup("SMSSN0001")
            utc = Warranty.with_context(tz="UTC").lookup("SMSSN0001")
        self.assertFalse(message.partner_id.tz)
        self.assertEqual(tehran["days_left"], (self.card.date_end - tehran_day).days)
        self.assertEqual(utc["days_left"], tehran["days_left"], "the company's day, whoever asks")
        self.assertEqual(message.reply_text, tehran["message"])

    def test_serial_gets_the_warranty_status(self):
        expected = self.env["aftersales.warranty"].lookup("SMSSN0001")["message"]
        message = self._receive("smssn۰۰۰۱")  # lower case and Persian digits, as phones type them
        self.assertEqual(message.state, "processed")
        self.assertEqual(message.warranty_id, self.card)
        self.assertEqual(message.lot_id, self.lot)
        self.assertEqual(message.product_id, self.product)
        self.assertEqual(message.reply_text, expected)
        reply = message.reply_sms_id
        self.assertEqual((reply.number, reply.body, reply.state), ("+989367778899", expected, "outgoing"))
        self.assertEqual(reply.gateway_provider_id, self.provider)
        self.assertFalse(message.activity_ids)

    def test_warranty_card_number_inside_a_sentence(self):
        message = self._receive("سلام، وضعیت گارانتی SMS-WC-0001 را بفرمایید")
        self.assertEqual((message.state, message.warranty_id), ("processed", self.card))
        self.assertIn("SMSSN0001", message.reply_text)

    def test_request_reference_from_its_customer(self):
        message = self._receive(f"status {self.request.name.lower()}", sender="09125550101")
        self.assertEqual((message.state, message.match_type), ("processed", "request"))
        self.assertEqual(message.request_id, self.request)
        self.assertEqual(message.reply_text, f"Service request {self.request.name}: Draft.")

    def test_request_number_only_from_its_customer(self):
        number = self.request.name.rsplit("/", 1)[-1]
        message = self._receive(str(int(number)), sender="09125550101")
        self.assertEqual((message.state, message.request_id), ("processed", self.request))

    def test_request_reference_from_another_number_leaks_nothing(self):
        message = self._receive(self.request.name)
        self.assertEqual(message.state, "needs_review")
        self.assertFalse(message.request_id)
        self.assertNotIn("Draft", message.reply_text)
        self.assertIn("no service request", message.reply_text)
        # an existing and a missing reference get the same answer
        missing = self._receive("SR/1999/99999", sender="09367778800")
        self.assertEqual(
            missing.reply_text.replace("SR/1999/99999", "REF"), message.reply_text.replace(self.request.name, "REF")
        )

    def test_unmatched_text_needs_review_with_help_and_activity(self):
        message = self._receive("یخچالم خراب شده")
        self.assertEqual((message.state, message.match_type), ("needs_review", "none"))
        self.assertIn("serial number", message.reply_text)
        self.assertEqual(message.reply_sms_id.body, message.reply_text)
        self.assertEqual(message.activity_ids.user_id, self.manager)
        self.assertIn(message, self.Inbound.search([("state", "=", "needs_review")]))

    def test_processing_failure_is_kept_in_error(self):
        with (
            patch.object(type(self.Inbound), "_match", side_effect=ValueError("boom")),
            mute_logger("odoo.addons.sms_gateway_ir.models.sms_inbound"),
        ):
            message = self._receive("SMSSN0001")
        self.assertEqual(message.state, "error")
        self.assertIn("boom", message.error_message)
        self.assertTrue(message.activity_ids)
        self.assertFalse(message.reply_sms_id)
        # once the cause is fixed, a manager processes it again
        message.with_user(self.manager).action_process_again()
        self.assertEqual((message.state, message.warranty_id), ("processed", self.card))
        self.assertFalse(message.activity_ids, "the review activity is closed once answered")

    def test_product_code_from_an_unknown_number_lists_no_serial(self):
        """A product code proves no ownership: an unknown number gets no card and no serial of anybody."""
        other = self.env["res.partner"].create({"name": "Other owner", "mobile": "09127770000"})
        lot = self.env["stock.lot"].create(
            {"name": "SMSSN0002", "product_id": self.product.id, "company_id": self.env.company.id}
        )
        self.env["aftersales.warranty"].create(
            {
                "name": "SMS-WC-0002",
                "lot_id": lot.id,
                "product_id": self.product.id,
                "partner_id": other.id,
                "company_id": self.env.company.id,
                "date_start": fields.Date.today(),
                "state": "active",
            }
        )
        message = self._receive("SMS-TWM")
        self.assertTrue(message.partner_created)
        self.assertEqual((message.state, message.match_type), ("needs_review", "none"))
        self.assertFalse(message.warranty_id or message.lot_id)
        for secret in ("SMSSN0001", "SMSSN0002", "SMS-WC-0001", "SMS-WC-0002"):
            self.assertNotIn(secret, message.reply_text)
            self.assertNotIn(secret, message.reply_sms_id.body)
        # the customer proven by the number gets their own card, and nobody else's
        own = self._receive("SMS-TWM", sender="09125550101")
        self.assertEqual((own.state, own.warranty_id), ("processed", self.card))
        self.assertIn("SMSSN0001", own.reply_text)
        self.assertNotIn("SMSSN0002", own.reply_text)
        # a serial stays answered for anybody, as on the portal
        self.assertEqual(self._receive("SMSSN0002", sender="09350000001").warranty_id.lot_id, lot)

    def test_reply_is_sent_through_the_provider(self):
        gateway = FakeGateway()
        self.addCleanup(gateway.stop)
        self.provider.url = gateway.url + "/v1/{api_key}/sms/send.json"
        message = self._receive("SMSSN0001")
        self.env["sms.sms"]._process_queue(ids=message.reply_sms_id.ids)
        self.assertEqual(message.reply_sms_id.state, "pending")
        self.assertEqual(message.reply_state, "pending")
        self.assertEqual(gateway.received[0]["params"]["receptor"], "09367778899")
        self.assertEqual(gateway.received[0]["params"]["message"], message.reply_text)

    def test_aftersales_roles_hold_the_sms_gateway_rights(self):
        """Reception reads the customers' texts but no gateway secret; managers configure the gateway."""
        message = self._receive("please call me")
        self.assertTrue(self.reception.has_group("sms_gateway_ir.group_sms_gateway_user"))
        self.assertFalse(self.reception.has_group("sms_gateway_ir.group_sms_gateway_manager"))
        self.assertTrue(self.manager.has_group("sms_gateway_ir.group_sms_gateway_manager"))
        self.assertEqual(message.with_user(self.reception).text, "please call me")
        with self.assertRaises(AccessError):
            self.provider.with_user(self.reception).read(["inbound_token"])
        with self.assertRaises(AccessError):
            self.provider.with_user(self.reception).write({"url": "http://evil.example.com/{api_key}"})
        self.assertTrue(self.provider.with_user(self.manager).read(["inbound_token"])[0]["inbound_token"])
        created = (
            self.env["sms.gateway.provider"].with_user(self.manager).create({"name": "By manager", "kind": "kavenegar"})
        )
        self.assertEqual(created.param_receiver, "receptor")
