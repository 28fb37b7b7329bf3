"""Issue 15: customers see their own photos (and nobody else does); no second request for a unit
that already has an open one. Performed over HTTP as the customer, another customer or a visitor."""

import re

from odoo.tests import tagged

from .common import PNG, AftersalesPortalCase


class PortalRequestCase(AftersalesPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("aftersales_portal.otp_send_limit", 1000)

    def _verify_as_visitor(self, number):
        """Prove a mobile number as an anonymous visitor, as the form's script does."""
        self.url_open("/aftersales/request/new")
        self.assertTrue(self.make_jsonrpc_request("/aftersales/request/otp/send", {"target": number}).get("sent"))
        sms = self.env["sms.sms"].sudo().search([("number", "=", number)], order="id desc", limit=1)
        code = re.search(r"\d{6}", sms.body).group(0)
        self.assertTrue(self.make_jsonrpc_request("/aftersales/request/otp/verify", {"code": code}).get("verified"))


@tagged("post_install", "-at_install")
class TestPortalRequestPhotos(PortalRequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.photo = cls.env["ir.attachment"].create(
            {
                "name": "drum.png",
                "raw": PNG,
                "mimetype": "image/png",
                "res_model": "aftersales.request.line",
                "res_id": cls.request_a.line_ids.id,
            }
        )
        cls.request_a.line_ids.attachment_ids = [(4, cls.photo.id)]
        cls.photo_url = f"/my/aftersales/requests/{cls.request_a.id}/photos/{cls.photo.id}"

    def _assert_no_image(self, url, what):
        response = self.url_open(url, allow_redirects=False)
        if not url.startswith("/web/"):
            # (Odoo's /web/image answers a placeholder image instead)
            self.assertNotEqual(response.status_code, 200, what)
        self.assertNotIn(PNG, response.content, f"{what}: no image bytes")

    def test_owner_sees_the_photo(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        page = self.url_open(f"/my/aftersales/requests/{self.request_a.id}")
        self.assertIn(f'href="{self.photo_url}"', page.text, "the photo links to the image")
        self.assertIn(f'src="{self.photo_url}?thumbnail=1"', page.text, "a thumbnail is shown")
        image = self.url_open(self.photo_url)
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.content, PNG)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        thumbnail = self.url_open(f"{self.photo_url}?thumbnail=1")
        self.assertEqual(thumbnail.status_code, 200)
        self.assertTrue(thumbnail.content.startswith(b"\x89PNG"))

    def test_link_holder_sees_the_photo(self):
        """A visitor who filed without an account follows the request by its link: the photos too."""
        token = self.request_a.sudo()._portal_ensure_token()
        page = self.url_open(f"/my/aftersales/requests/{self.request_a.id}?access_token={token}")
        self.assertIn(f"{self.photo_url}?access_token={token}", page.text)
        image = self.url_open(f"{self.photo_url}?access_token={token}")
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.content, PNG)

    def test_other_customer_gets_no_image(self):
        self.authenticate("pt_cust_b", "pt_cust_b")
        self._assert_no_image(self.photo_url, "another customer")
        # through the customer's own request, naming somebody else's photo
        self._assert_no_image(f"/my/aftersales/requests/{self.request_b.id}/photos/{self.photo.id}", "own request")
        # nor through Odoo's own image route
        self._assert_no_image(f"/web/image/{self.photo.id}", "/web/image")
        self._assert_no_image(f"/web/content/{self.photo.id}", "/web/content")

    def test_anonymous_gets_no_image(self):
        self._assert_no_image(self.photo_url, "anonymous")
        self._assert_no_image(f"{self.photo_url}?access_token=not-the-token", "wrong token")
        token_b = self.request_b.sudo()._portal_ensure_token()
        self._assert_no_image(
            f"/my/aftersales/requests/{self.request_b.id}/photos/{self.photo.id}?access_token={token_b}",
            "the token of another request",
        )
        self._assert_no_image(f"/web/image/{self.photo.id}", "/web/image")

    def test_only_the_request_photos(self):
        """Another attachment of the customer (not a photo of the request's units) is not served."""
        other = self.env["ir.attachment"].create(
            {"name": "note.png", "raw": PNG, "mimetype": "image/png", "res_model": "res.partner", "res_id": 1}
        )
        self.authenticate("pt_cust_a", "pt_cust_a")
        self._assert_no_image(f"/my/aftersales/requests/{self.request_a.id}/photos/{other.id}", "not on the request")


@tagged("post_install", "-at_install")
class TestPortalRequestOpenUnit(PortalRequestCase):
    """A unit with an open request (request A holds the unit WM-PT-0001 of customer Alpha)."""

    def _post(self, **extra):
        data = {
            "csrf_token": self._csrf("/aftersales/request/new"),
            "product_id": str(self.product.id),
            "failure_mode_id": str(self.failure_mode.id),
            "description": "Stops again",
        }
        data.update(extra)
        return self.url_open("/aftersales/request/new", data=data, allow_redirects=False)

    def _counts(self):
        return (
            self.env["aftersales.request"].sudo().search_count([]),
            self.env["res.partner"].sudo().with_context(active_test=False).search_count([]),
            self.env["ir.attachment"].sudo().search_count([("res_model", "=", "aftersales.request.line")]),
        )

    def test_owner_is_sent_to_the_open_request(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        before = self._counts()
        response = self.url_open(
            "/aftersales/request/new",
            data={
                "csrf_token": self._csrf("/aftersales/request/new"),
                "product_id": str(self.product.id),
                "serial": "WC-PT-7001",
                "description": "Stops again",
            },
            files={"photos": ("drum.png", PNG, "image/png")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("A request is already open for this unit", response.text)
        self.assertIn(self.request_a.name, response.text)
        self.assertIn(f'href="/my/aftersales/requests/{self.request_a.id}"', response.text)
        self.assertIn('value="WC-PT-7001"', response.text, "what was typed is kept")
        self.assertEqual(self._counts(), before, "nothing created")

    def test_other_customer_learns_nothing(self):
        self.authenticate("pt_cust_b", "pt_cust_b")
        before = self._counts()
        response = self._post(serial="WM-PT-0001")
        self.assertEqual(response.status_code, 400)
        self.assertIn("A request is already open for this unit.", response.text)
        self.assertNotIn(self.request_a.name, response.text)
        self.assertNotIn("o_aftersales_open_request", response.text, "no link")
        self.assertNotIn(f"/my/aftersales/requests/{self.request_a.id}", response.text)
        self.assertNotIn("Customer Alpha Private", response.text)
        self.assertEqual(self._counts(), before, "nothing created")

    def test_anonymous_stranger_learns_nothing(self):
        self._verify_as_visitor("+989125550042")
        before = self._counts()
        response = self._post(contact_name="Stranger", serial="WM-PT-0001")
        self.assertEqual(response.status_code, 400)
        self.assertIn("A request is already open for this unit.", response.text)
        self.assertNotIn(self.request_a.name, response.text)
        self.assertNotIn("o_aftersales_open_request", response.text)
        self.assertEqual(self._counts(), before, "nothing created, not even the visitor's contact")

    def test_anonymous_owner_is_asked_to_sign_in(self):
        """The visitor proved the customer's own number: the request is named, the link asks to sign in
        (an anonymous visitor never gets the customer's request page)."""
        self._verify_as_visitor("+989121110001")
        before = self._counts()
        response = self._post(contact_name="Alpha", serial="WM-PT-0001")
        self.assertEqual(response.status_code, 400)
        self.assertIn(self.request_a.name, response.text)
        self.assertIn(f'href="/web/login?redirect=%2Fmy%2Faftersales%2Frequests%2F{self.request_a.id}"', response.text)
        self.assertNotIn("access_token", response.text)
        self.assertEqual(self._counts(), before, "nothing created")

    def test_closed_request_does_not_block(self):
        self.request_a.action_cancel()
        self.authenticate("pt_cust_a", "pt_cust_a")
        response = self._post(serial="WM-PT-0001")
        self.assertEqual(response.status_code, 303, response.text[:500])
