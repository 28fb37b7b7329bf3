import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_portal.controllers.uploads import sniff_mimetype


@tagged("post_install", "-at_install")
class TestPortalRateOtp(TransactionCase):
    def test_rate_limit_counts_per_client_and_bucket(self):
        Rate = self.env["aftersales.portal.rate"]
        self.assertTrue(all(Rate._hit("warranty_check", "10.0.0.1", 3, 600) for _i in range(3)))
        self.assertFalse(Rate._hit("warranty_check", "10.0.0.1", 3, 600), "the fourth check is refused")
        self.assertTrue(Rate._hit("warranty_check", "10.0.0.2", 3, 600), "another client is not affected")
        self.assertTrue(Rate._hit("otp_send", "10.0.0.1", 3, 600), "another page is not affected")

    def test_rate_limit_new_window(self):
        Rate = self.env["aftersales.portal.rate"]
        now = fields.Datetime.now()
        Rate._hit("warranty_check", "10.0.0.3", 1, 60)
        self.assertFalse(Rate._hit("warranty_check", "10.0.0.3", 1, 60))
        with patch.object(fields.Datetime, "now", return_value=now + timedelta(seconds=61)):
            self.assertTrue(Rate._hit("warranty_check", "10.0.0.3", 1, 60), "a new window starts from zero")

    def _issue_sms(self, number="+989121234567"):
        otp = self.env["aftersales.portal.otp"]._issue("sms", number)
        sms = self.env["sms.sms"].search([("number", "=", number)], order="id desc", limit=1)
        code = re.search(r"\d{6}", sms.body).group(0)
        return otp, code

    def test_otp_sent_by_sms_and_stored_hashed(self):
        otp, code = self._issue_sms()
        self.assertNotIn(code, otp.code_hash, "the code itself is never stored")
        self.assertEqual(otp.state, "pending")
        self.assertTrue(otp._verify(code))
        self.assertEqual(otp.state, "verified")

    def test_otp_email(self):
        otp = self.env["aftersales.portal.otp"]._issue("email", " Customer@Example.com ")
        self.assertEqual(otp.target, "customer@example.com")
        mail = self.env["mail.mail"].search([("email_to", "=", "customer@example.com")], limit=1)
        self.assertTrue(mail, "the code is queued by email")

    def test_otp_wrong_codes_block(self):
        otp, code = self._issue_sms("+989120000001")
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _i in range(otp.MAX_ATTEMPTS):
            self.assertFalse(otp._verify(wrong))
        self.assertEqual(otp.state, "blocked")
        self.assertFalse(otp._verify(code), "even the right code is refused once blocked")

    def test_otp_expired(self):
        otp, code = self._issue_sms("+989120000002")
        otp.sudo().write({"expires_at": fields.Datetime.now() - timedelta(minutes=1)})
        self.assertFalse(otp._verify(code))

    def test_otp_persian_digits(self):
        otp, code = self._issue_sms("+989120000003")
        persian = code.translate({ord(str(i)): c for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
        self.assertTrue(otp._verify(persian))

    def test_sniff_mimetype(self):
        self.assertEqual(sniff_mimetype(b"\xff\xd8\xff\xe0" + b"0" * 12), "image/jpeg")
        self.assertEqual(sniff_mimetype(b"\x89PNG\r\n\x1a\n" + b"0" * 8), "image/png")
        self.assertEqual(sniff_mimetype(b"RIFF\x00\x00\x00\x00WEBPVP8 "), "image/webp")
        self.assertEqual(sniff_mimetype(b"\x00\x00\x00\x18ftypmp42"), "video/mp4")
        self.assertEqual(sniff_mimetype(b"\x1a\x45\xdf\xa3" + b"0" * 12), "video/webm")
        self.assertIsNone(sniff_mimetype(b"<html><script>"))
        self.assertIsNone(sniff_mimetype(b"%PDF-1.4"))
