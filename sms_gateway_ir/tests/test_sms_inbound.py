from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import FakeGateway, setup_inbound_fixtures

INBOUND_LOGGER = "odoo.addons.sms_gateway_ir.models.sms_inbound"
ANSWER = {"state": "processed", "match_type": "none", "reply_text": "Thank you, we will call you back."}


@tagged("post_install", "-at_install")
class TestSmsInbound(TransactionCase):
    """Receiving, identifying the sender, answering and reviewing; what a text means is the ``_match`` hook
    of the addons that understand texts, patched here where a test needs an answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_inbound_fixtures(cls)
        cls.Inbound = cls.env["sms.inbound"]

    def _receive(self, text, sender=None, message_id=False):
        return self.Inbound._receive_message(self.provider, sender or self.stranger_number, text, message_id)

    def _answering(self, outcome=None):
        """Patch the hook as an addon that understands the text would answer it."""
        return patch.object(
            type(self.Inbound), "_match", autospec=True, side_effect=lambda *a, **k: dict(outcome or ANSWER)
        )

    def test_unknown_number_becomes_a_customer(self):
        message = self._receive("hello", sender="۰۹۳۵ ۱۱۱ ۲۲۳۳")
        self.assertEqual(message.mobile, "+989351112233")
        self.assertTrue(message.partner_created)
        self.assertEqual(message.partner_id.name, "SMS customer 09351112233")
        self.assertEqual(message.partner_id.mobile, "09351112233")
        # a second message from the same number finds that customer again
        again = self._receive("hello again", sender="+989351112233")
        self.assertEqual(again.partner_id, message.partner_id)
        self.assertFalse(again.partner_created)

    def test_name_parsed_from_the_text(self):
        with self._answering() as match:
            message = self._receive("نام: علی رضایی SMSSN0001")
        self.assertEqual(message.partner_id.name, "علی رضایی")
        self.assertEqual(match.call_args.args[1], "SMSSN0001", "the hook gets the text without the name")

    def test_known_customer_is_matched_in_any_format(self):
        message = self._receive("hello", sender="989125550101")
        self.assertEqual(message.partner_id, self.customer)
        self.assertFalse(message.partner_created)

    def test_unmatched_text_needs_review_with_activity(self):
        """A text no addon understands waits for a person, with an activity for the reviewer."""
        message = self._receive("یخچالم خراب شده")
        self.assertEqual(message.state, "needs_review")
        self.assertEqual(message.activity_ids.user_id, self.manager)
        self.assertIn(message, self.Inbound.search([("state", "=", "needs_review")]))

    def test_answer_is_queued_through_the_provider(self):
        with self._answering():
            message = self._receive("please call me")
        self.assertEqual(message.state, "processed")
        reply = message.reply_sms_id
        self.assertEqual((reply.number, reply.body, reply.state), ("+989367778899", ANSWER["reply_text"], "outgoing"))
        self.assertEqual(reply.gateway_provider_id, self.provider)
        self.assertFalse(message.activity_ids)

    def test_replies_are_rate_limited_per_number(self):
        with self._answering():
            messages = [self._receive(f"random text {index}") for index in range(4)]
            self.assertEqual([bool(m.reply_sms_id) for m in messages], [True, True, True, False])
            self.assertTrue(messages[-1].reply_rate_limited)
            # another number is not limited
            self.assertTrue(self._receive("random text", sender="09120000001").reply_sms_id)

    def test_gateway_retries_are_not_processed_twice(self):
        first = self._receive("SMSSN0001", message_id="8792343")
        second = self._receive("SMSSN0001", message_id="8792343")
        self.assertEqual(first, second)
        self.assertEqual(self.Inbound.search_count([("gateway_message_id", "=", "8792343")]), 1)

    def test_never_answers_our_own_line(self):
        with self._answering():
            message = self._receive("auto reply: SMSSN0001", sender=self.provider.sender_number)
        self.assertTrue(message.reply_text)
        self.assertFalse(message.reply_sms_id)

    def test_processing_failure_is_kept_in_error(self):
        with (
            patch.object(type(self.Inbound), "_match", side_effect=ValueError("boom")),
            mute_logger(INBOUND_LOGGER),
        ):
            message = self._receive("SMSSN0001")
        self.assertEqual(message.state, "error")
        self.assertIn("boom", message.error_message)
        self.assertTrue(message.activity_ids)
        self.assertFalse(message.reply_sms_id)
        # once the cause is fixed, an administrator processes it again
        with self._answering():
            message.with_user(self.manager).action_process_again()
        self.assertEqual(message.state, "processed")
        self.assertFalse(message.activity_ids, "the review activity is closed once answered")

    def test_reception_marks_reviewed(self):
        message = self._receive("please call me")
        message.with_user(self.reception).action_mark_reviewed()
        self.assertEqual(message.state, "reviewed")
        self.assertFalse(message.activity_ids, "the review activity is done")
        with self._answering():
            processed = self._receive("SMSSN0001", sender="09120000002")
        with self.assertRaises(UserError):
            processed.with_user(self.reception).action_mark_reviewed()
        with self.assertRaises(UserError):
            processed.action_process_again()

    def test_access(self):
        with self.assertRaises(AccessError):
            self.Inbound.with_user(self.reception).create({"provider_id": self.provider.id, "text": "x"})
        with self.assertRaises(AccessError):
            self.provider.with_user(self.reception).read(["inbound_token"])
        with self.assertRaises(AccessError):
            self.provider.with_user(self.reception).read(["inbound_url"])
        self.assertEqual(self.provider.with_user(self.reception).name, "Inbound test line")

    def test_users_cannot_rewrite_a_message(self):
        """Reception changing the sender then asking for processing would make the system text any number."""
        message = self._receive("please call me")
        snapshot = message.read(["sender", "mobile", "text", "state", "partner_id", "reply_text"])
        sms_count = self.env["sms.sms"].search_count([])
        for user in (self.reception, self.manager):
            for vals in (
                {"sender": "09120000000", "mobile": "+989120000000"},
                {"text": "SMSSN0001"},
                {"state": "new"},
                {"partner_id": self.customer.id},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    message.with_user(user).write(vals)
            with self.assertRaises(AccessError):
                message.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Inbound.with_user(user)._receive_message(self.provider, "09120000000", "SMSSN0001")
        with self.assertRaises(AccessError):
            message.with_user(self.reception).action_process_again()
        self.env.invalidate_all()
        self.assertEqual(message.read(["sender", "mobile", "text", "state", "partner_id", "reply_text"]), snapshot)
        self.assertEqual(self.env["sms.sms"].search_count([]), sms_count)
        self.assertEqual(self.Inbound.search_count([("mobile", "=", "+989120000000")]), 0)

    def test_process_again_answers_the_stored_sender_only(self):
        with (
            patch.object(type(self.Inbound), "_match", side_effect=ValueError("boom")),
            mute_logger(INBOUND_LOGGER),
        ):
            message = self._receive("SMSSN0001")
        with self._answering():
            message.with_user(self.manager).action_process_again()
        self.assertEqual(message.state, "processed")
        self.assertEqual(message.reply_sms_id.number, "+989367778899")
        # reception can still follow up in the chatter
        message.with_user(self.reception).message_post(body="Called back", message_type="comment")

    def test_new_customer_gets_the_provider_company(self):
        message = self._receive("hello", sender="09351112299")
        self.assertTrue(message.partner_created)
        self.assertEqual(message.partner_id.company_id, self.provider.company_id)

    def test_reply_is_sent_through_the_provider(self):
        gateway = FakeGateway()
        self.addCleanup(gateway.stop)
        self.provider.url = gateway.url + "/v1/{api_key}/sms/send.json"
        with self._answering():
            message = self._receive("please call me")
        self.env["sms.sms"]._process_queue(ids=message.reply_sms_id.ids)
        self.assertEqual(message.reply_sms_id.state, "pending")
        self.assertEqual(message.reply_state, "pending")
        self.assertEqual(gateway.received[0]["params"]["receptor"], "09367778899")
        self.assertEqual(gateway.received[0]["params"]["message"], message.reply_text)
