import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FORM, WEBHOOK_LOGGER, SmsWebhookCase


@tagged("post_install", "-at_install")
class TestSmsWebhook(SmsWebhookCase):
    # ------------------------------------------------------------ accepted calls

    def test_signed_json(self):
        response = self._signed_json({"from": "09351234569", "message": "SMSSN0001", "messageid": 55})
        self.assertEqual(response.status_code, 200, response.text)
        message = self.Inbound.search([("gateway_message_id", "=", "55")])
        self.assertEqual((message.mobile, message.text), ("+989351234569", "SMSSN0001"))
        self.assertEqual(response.json()["state"], message.state)
        self.assertTrue(message.gateway_nonce)

    def test_signed_form_body_as_the_gateway_sent_it(self):
        """The gateway signs the form body it really sends (Odoo parses forms before the controller runs:
        the signature must still be checked on those bytes)."""
        response = self._signed_form({"from": "+989351234568", "message": "نام: رضا کریمی", "messageid": "f-1"})
        self.assertEqual(response.status_code, 200, response.text)
        message = self.Inbound.search([("gateway_message_id", "=", "f-1")])
        self.assertEqual((message.mobile, message.text), ("+989351234568", "نام: رضا کریمی"))
        self.assertEqual(message.partner_id.name, "رضا کریمی")

    def test_signed_get_query(self):
        query = urlencode({"from": "09351234567", "message": "hello", "messageid": "g-1"}).encode()
        response = self._signed("GET", query=query)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.Inbound.search([("gateway_message_id", "=", "g-1")]).mobile, "+989351234567")

    def test_gateway_retry_is_not_processed_twice(self):
        payload = {"from": "09351230000", "message": "hello", "messageid": "retry-1"}
        first = self._signed_json(payload)
        second = self._signed_json(payload)  # a new nonce and timestamp: the gateway's own retry
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        self.assertEqual(second.json()["status"], "duplicate")
        self.assertEqual(second.json()["id"], first.json()["id"])
        self.assertEqual(self.Inbound.search_count([("gateway_message_id", "=", "retry-1")]), 1)

    def test_header_token_scheme(self):
        self.provider.inbound_auth = "header_token"
        body = urlencode({"from": "09351234570", "message": "hello", "messageid": "h-1"}).encode()
        response = self._send("POST", body=body, content_type=FORM, headers={"X-Sms-Token": self.secret})
        self.assertEqual(response.status_code, 200, response.text)
        before = self._counts()
        with mute_logger(WEBHOOK_LOGGER):
            wrong = self._send("POST", body=body, content_type=FORM, headers={"X-Sms-Token": "x" * 43})
            in_query = self._send(
                "POST", query=urlencode({"token": self.secret}).encode(), body=body, content_type=FORM
            )
            in_body = self._send(
                "POST", body=body + b"&" + urlencode({"token": self.secret}).encode(), content_type=FORM
            )
        self.assertEqual((wrong.status_code, in_query.status_code, in_body.status_code), (403, 403, 403))
        self.assertEqual(self._counts(), before)

    def test_path_token_scheme(self):
        """Kavenegar and Melipayamak call a fixed URL without headers: the secret is the last path part."""
        self.provider.inbound_auth = "path_token"
        query = urlencode({"from": "09351234571", "body": "hello", "to": "10004346"}).encode()
        response = self._send("GET", query=query, path=f"{self.path}/{self.secret}")
        self.assertEqual(response.status_code, 200, response.text)
        before = self._counts()
        with mute_logger(WEBHOOK_LOGGER):
            wrong = self._send("GET", query=query, path=f"{self.path}/{'x' * 43}")
            no_path = self._send("GET", query=query + b"&" + urlencode({"token": self.secret}).encode())
            # a query parameter named like the route argument does not count either
            named = self._send("GET", query=query + b"&" + urlencode({"path_token": self.secret}).encode())
            header = self._send("GET", query=query, headers={"X-Sms-Token": self.secret})
        self.assertEqual([r.status_code for r in (wrong, no_path, named, header)], [403] * 4)
        self.assertEqual(self._counts(), before)

    # ------------------------------------------------------------ attacks

    def test_forged_or_reused_signature_is_refused(self):
        """One fixed signature must not fit other messages: the old scheme signed an empty body for forms."""
        before = self._counts()
        body = urlencode({"from": "09351234569", "message": "SMSSN0001"}).encode()
        other = urlencode({"from": "09120000000", "message": "call me"}).encode()
        headers = self._signed_headers("POST", body=body)
        empty_body_signature = hmac.new(self.secret.encode(), b"", hashlib.sha256).hexdigest()
        with mute_logger(WEBHOOK_LOGGER):
            tampered = self._send("POST", body=other, content_type=FORM, headers=headers)
            # the old scheme's header too: it accepted this signature for any form body
            old_scheme = self._send(
                "POST",
                body=other,
                content_type=FORM,
                headers={
                    **headers,
                    "X-Sms-Signature": empty_body_signature,
                    "X-Signature": empty_body_signature,
                },
            )
            wrong_key = self._signed_form({"from": "09351234569", "message": "x"}, secret="k" * 43)
            other_method = self._send("GET", query=body, headers=self._signed_headers("POST", body=body))
            other_path = self._send(
                "POST",
                body=body,
                content_type=FORM,
                headers=self._signed_headers("POST", body=body, path="/sms_gateway/inbound/999999"),
            )
            unsigned = self._send("POST", body=body, content_type=FORM)
        self.assertEqual(
            [r.status_code for r in (tampered, old_scheme, wrong_key, other_method, other_path, unsigned)], [403] * 6
        )
        self.assertEqual(self._counts(), before)

    def test_query_parameters_never_override_the_signed_body(self):
        before = self._counts()
        body = urlencode({"from": "09351234572", "message": "SMSSN0001", "messageid": "q-1"}).encode()
        headers = self._signed_headers("POST", body=body)
        attack = urlencode({"from": "09120000000", "messageid": "q-2"}).encode()
        with mute_logger(WEBHOOK_LOGGER):
            added = self._send("POST", query=attack, body=body, content_type=FORM, headers=headers)
        self.assertEqual(added.status_code, 403)
        self.assertEqual(self._counts(), before)
        # even a signed query string is not merged into the body: the body alone is the message
        response = self._signed("POST", query=attack, body=body, content_type=FORM)
        self.assertEqual(response.status_code, 200, response.text)
        message = self.Inbound.browse(response.json()["id"])
        self.assertEqual((message.mobile, message.gateway_message_id), ("+989351234572", "q-1"))

    def test_exact_replay_is_refused(self):
        body = json.dumps({"from": "09351234573", "message": "hello"}).encode()
        headers = self._signed_headers("POST", body=body)
        first = self._send("POST", body=body, content_type="application/json", headers=headers)
        self.assertEqual(first.status_code, 200, first.text)
        before = self._counts()
        with mute_logger(WEBHOOK_LOGGER):
            replay = self._send("POST", body=body, content_type="application/json", headers=headers)
        self.assertEqual(replay.status_code, 409)
        self.assertEqual(self._counts(), before)

    def test_stale_or_future_timestamp_is_refused(self):
        before = self._counts()
        now = int(time.time())
        with mute_logger(WEBHOOK_LOGGER):
            stale = self._signed_json({"from": "09351234574", "message": "hello"}, timestamp=now - 360)
            future = self._signed_json({"from": "09351234574", "message": "hello"}, timestamp=now + 360)
            garbage = self._signed_json({"from": "09351234574", "message": "hello"}, timestamp="1e9")
        self.assertEqual((stale.status_code, future.status_code, garbage.status_code), (403, 403, 403))
        self.assertIn("stale", stale.text)
        self.assertEqual(self._counts(), before)

    def test_bad_or_missing_secret_is_refused_and_not_stored(self):
        count = self.Inbound.search_count([])
        query = urlencode({"token": self.secret, "from": "09351234567", "message": "SMSSN0001"}).encode()
        with mute_logger(WEBHOOK_LOGGER):
            token_in_query = self._send("GET", query=query)
            unknown = self._signed("GET", query=query, path="/sms_gateway/inbound/999999")
            path_on_hmac = self._send("GET", query=query, path=f"{self.path}/{self.secret}")
        self.assertEqual((token_in_query.status_code, unknown.status_code, path_on_hmac.status_code), (403, 403, 403))
        self.assertEqual(self.Inbound.search_count([]), count)

    def test_inactive_provider_is_refused(self):
        self.provider.active = False
        with mute_logger(WEBHOOK_LOGGER):
            response = self._signed_json({"from": "09351234567", "message": "x"})
        self.assertEqual(response.status_code, 403)

    def test_invalid_content_is_400_and_nothing_written(self):
        """NUL bytes, wrong types, oversized texts: a clear 400, no record, no customer, no reply."""
        before = self._counts()
        raw_bodies = {
            "nul in JSON text": json.dumps({"from": "09351234575", "message": "SMS\u0000SN0001"}),
            "nul in JSON sender": json.dumps({"from": "0935\u00001234575", "message": "hello"}),
            "lone surrogate": '{"from": "09351234575", "message": "\\ud800"}',
            "list sender": json.dumps({"from": ["09351234575"], "message": "hello"}),
            "object text": json.dumps({"from": "09351234575", "message": {"a": 1}}),
            "boolean text": json.dumps({"from": "09351234575", "message": True}),
            "huge text": json.dumps({"from": "09351234575", "message": "x" * 5000}),
            "duplicate key": '{"from": "09351234575", "from": "09120000000", "message": "hello"}',
        }
        with mute_logger(WEBHOOK_LOGGER):
            for label, raw in raw_bodies.items():
                response = self._signed("POST", body=raw.encode(), content_type="application/json")
                self.assertEqual(response.status_code, 400, f"{label}: {response.text}")
                self.assertTrue(response.text.startswith("Bad Request: field"), f"{label}: {response.text}")
            nul_form = self._signed("POST", body=b"from=09351234575&message=SMS%00SN0001", content_type=FORM)
            twice = self._signed("POST", body=b"from=09351234575&from=0912&message=hi", content_type=FORM)
            nul_query = self._signed("GET", query=b"from=09351234575&message=a%00b")
            text_plain = self._signed("POST", body=b"from=09351234575", content_type="text/plain")
            too_big = self._signed("POST", body=b"x" * (65 * 1024), content_type="application/json")
        self.assertEqual([nul_form.status_code, twice.status_code, nul_query.status_code], [400, 400, 400])
        self.assertIn("control characters", nul_form.text)
        self.assertIn("more than once", twice.text)
        self.assertEqual((text_plain.status_code, too_big.status_code), (400, 413))
        self.assertEqual(self._counts(), before)

    def test_malformed_body_is_400_and_kept(self):
        with mute_logger(WEBHOOK_LOGGER):
            response = self._signed_json({"message": "SMSSN0001"})
            broken = self._signed("POST", body=b"{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Missing field(s): from", response.text)
        self.assertEqual(broken.status_code, 400)
        self.assertIn("not valid JSON", broken.text)
        errors = self.Inbound.search([("provider_id", "=", self.provider.id), ("state", "=", "error")])
        self.assertEqual(len(errors), 2)
        self.assertIn("SMSSN0001", errors.mapped("text"))
        self.assertTrue(errors.activity_ids)
