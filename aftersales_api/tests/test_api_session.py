"""Keys: what a caller without a valid key gets (401, JSON, never a 500), signing in for a key,
signing out, the login throttle, and translated answers."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AftersalesApiCase


@tagged("post_install", "-at_install")
class TestApiSession(AftersalesApiCase):
    def _key_count(self, user):
        return self.env["res.users.apikeys"].sudo().search_count([("user_id", "=", user.id)])

    def test_me_with_key(self):
        body = self.assertStatus(self.api("GET", "/me", key=self.key_tech), 200)
        self.assertEqual(body["login"], "pt_tech")
        self.assertIn("technician", body["roles"])
        body = self.assertStatus(self.api("GET", "/me", key=self.key_agent), 200)
        self.assertEqual(set(body["roles"]), {"customer", "agent"})

    def test_missing_or_bad_keys_are_401(self):
        """No header, another scheme, a wrong, a too long, a non-ASCII, an expired key: 401 JSON."""
        expired = (
            self.env["res.users.apikeys"]
            .with_user(self.user_a)
            .sudo()
            ._generate("aftersales_api", "old", fields.Datetime.now() - timedelta(days=1))
        )
        other_scope = self._key(self.user_a, scope="another_app")
        cases = {
            "no header": {},
            "basic": {"Authorization": "Basic cHRfY3VzdF9hOnB0X2N1c3RfYQ=="},
            "wrong": {"Authorization": "Bearer " + "0" * 40},
            "too long": {"Authorization": "Bearer " + "a" * 5000},
            "not ascii": {"Authorization": "Bearer " + "é" * 40},
            "expired": {"Authorization": f"Bearer {expired}"},
            "other scope": {"Authorization": f"Bearer {other_scope}"},
            "password": {"Authorization": "Bearer pt_cust_a"},
        }
        for case, headers in cases.items():
            with self.subTest(case=case):
                response = self.api("GET", "/requests", headers=headers)
                body = self.assertStatus(response, 401)
                self.assertTrue(body["detail"])
                self.assertEqual(response.headers.get("WWW-Authenticate"), "Bearer")

    def test_archived_user_key_is_401(self):
        self.user_b.active = False
        self.assertStatus(self.api("GET", "/me", key=self.key_b), 401)

    def test_token_for_password(self):
        before = self._key_count(self.user_a)
        response = self.api(
            "POST", "/token", json_body={"login": "pt_cust_a", "password": "pt_cust_a", "device": "Pixel"}
        )
        body = self.assertStatus(response, 201)
        self.assertEqual(body["user"]["login"], "pt_cust_a")
        self.assertTrue(body["expires_at"].endswith("Z"))
        self.assertEqual(self._key_count(self.user_a), before + 1)
        key = self.env["res.users.apikeys"].sudo().search([("user_id", "=", self.user_a.id)], order="id desc", limit=1)
        self.assertEqual(key.scope, "aftersales_api")
        self.assertTrue(key.expiration_date, "a key from a password expires")
        me = self.assertStatus(self.api("GET", "/me", key=body["token"]), 200)
        self.assertEqual(me["id"], self.user_a.id)

    def test_wrong_password_gives_no_key(self):
        before = self._key_count(self.user_a)
        response = self.api("POST", "/token", json_body={"login": "pt_cust_a", "password": "wrong"})
        self.assertStatus(response, 401)
        response = self.api("POST", "/token", json_body={"login": "nobody-here", "password": "x"})
        self.assertStatus(response, 401)
        self.assertEqual(self._key_count(self.user_a), before)

    def test_forged_token_body_is_refused(self):
        """A body naming another user (or any unknown key) is refused before anything is checked."""
        before = self._key_count(self.user_a)
        response = self.api(
            "POST",
            "/token",
            json_body={"login": "pt_cust_a", "password": "pt_cust_a", "uid": self.env.ref("base.user_admin").id},
        )
        self.assertStatus(response, 422)
        self.assertEqual(self._key_count(self.user_a), before)

    def test_token_attempts_are_limited(self):
        """Past the limit per address even the right password gets no key (429), and the count stays."""
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.api_token_limit", 2)
        for _attempt in range(2):
            self.assertStatus(self.api("POST", "/token", json_body={"login": "pt_cust_a", "password": "wrong"}), 401)
        before = self._key_count(self.user_a)
        response = self.api("POST", "/token", json_body={"login": "pt_cust_a", "password": "pt_cust_a"})
        self.assertStatus(response, 429)
        self.assertEqual(self._key_count(self.user_a), before)
        self.assertTrue(
            self.env["aftersales.portal.rate"].sudo().search_count([("bucket", "=", "api_token"), ("hits", ">=", 3)])
        )

    def test_sign_out_revokes_the_key(self):
        key = self._key(self.user_b)
        self.assertStatus(self.api("GET", "/me", key=key), 200)
        response = self.api("DELETE", "/token", key=key)
        self.assertEqual(response.status_code, 204, response.text)
        self.assertStatus(self.api("GET", "/me", key=key), 401)
        # the other keys of the user still work
        self.assertStatus(self.api("GET", "/me", key=self.key_b), 200)

    def test_persian_answers(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["aftersales_api"], ["fa_IR"])
        body = self.assertStatus(self.api("GET", "/me", headers={"Accept-Language": "fa-IR,fa;q=0.9"}), 401)
        self.assertRegex(body["detail"], "[\u0600-\u06ff]", "the refusal is in Persian")
        body = self.assertStatus(self.api("GET", "/me", headers={"Accept-Language": "en"}), 401)
        self.assertNotRegex(body["detail"], "[\u0600-\u06ff]")

    def test_malformed_body_is_422_without_the_password(self):
        """A NUL in the login (PostgreSQL cannot hold it) is a malformed request, not a 500, and the
        answer does not quote the password sent."""
        for body in (
            {"login": "pt_cust_a\x00", "password": "Secret-Passw0rd"},
            {"login": "pt_cust_a", "password": "Secret-Passw0rd\x00"},
            {"login": "pt_cust_a", "password": "Secret-Passw0rd" * 100},
        ):
            with self.subTest(body=body["login"]):
                response = self.api("POST", "/token", json_body=body)
                self.assertStatus(response, 422)
                self.assertNotIn("Secret-Passw0rd", response.text)
