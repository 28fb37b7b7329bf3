"""The customer and agent apps: my requests, one request and its timeline, a new request, the
agents' batch request and the public warranty check; the attacks of a customer on another's
request, forged identities, non-image uploads. Each attack asserts the refusal and that nothing
was written."""

from odoo.tests import tagged

from odoo.addons.aftersales_portal.tests.common import PNG

from .common import AftersalesApiCase


@tagged("post_install", "-at_install")
class TestApiCustomer(AftersalesApiCase):
    def _request_count(self):
        return self.env["aftersales.request"].sudo().search_count([])

    # ------------------------------------------------------------------ customer
    def test_my_requests(self):
        ids = [rec["id"] for rec in self.assertStatus(self.api("GET", "/requests", self.key_a), 200)]
        self.assertIn(self.request_a.id, ids)
        self.assertNotIn(self.request_b.id, ids)
        ids = [rec["id"] for rec in self.assertStatus(self.api("GET", "/requests?filter=done", self.key_a), 200)]
        self.assertNotIn(self.request_a.id, ids)
        self.assertStatus(self.api("GET", "/requests?filter=nonsense", self.key_a), 422)

    def test_request_timeline(self):
        body = self.assertStatus(self.api("GET", f"/requests/{self.request_a.id}", self.key_a), 200)
        self.assertEqual(body["name"], self.request_a.name)
        line = body["lines"][0]
        self.assertEqual(line["serial"], "WM-PT-0001")
        order = line["order"]
        self.assertEqual(order["id"], self.order_a.id)
        self.assertEqual(order["technician"]["name"], "Reza Technician")
        events = [event["event"] for event in order["timeline"]]
        self.assertEqual(events[:2], ["received", "assigned"])

    def test_other_customers_request_is_404(self):
        """Customer A asking for customer B's request: the answer of a request that does not exist."""
        missing = self.assertStatus(self.api("GET", "/requests/999999999", self.key_a), 404)
        body = self.assertStatus(self.api("GET", f"/requests/{self.request_b.id}", self.key_a), 404)
        self.assertEqual(body, missing)
        self.assertNotIn(self.request_b.name, str(body))

    def test_new_request(self):
        before = self._request_count()
        response = self.api(
            "POST",
            "/requests",
            self.key_a,
            data={
                "product_id": str(self.product.id),
                "failure_mode_id": str(self.failure_mode.id),
                "description": "Leaks",
            },
            files=[("photos", ("leak.png", PNG, "image/png"))],
        )
        body = self.assertStatus(response, 201)
        self.assertEqual(self._request_count(), before + 1)
        created = self.env["aftersales.request"].browse(body["id"])
        self.assertEqual(created.partner_id, self.user_a.partner_id)
        self.assertEqual(created.channel, "portal")
        self.assertEqual([photo["name"] for photo in body["lines"][0]["photos"]], ["leak.png"])
        # it is listed and readable by its customer only
        self.assertStatus(self.api("GET", f"/requests/{created.id}", self.key_a), 200)
        self.assertStatus(self.api("GET", f"/requests/{created.id}", self.key_b), 404)

    def test_new_request_forged_identity_is_ignored(self):
        """Another customer's id, email and phone posted with the form: the request is the key's user's."""
        response = self.api(
            "POST",
            "/requests",
            self.key_a,
            data={
                "product_id": str(self.product.id),
                "description": "Noise",
                "partner_id": str(self.user_b.partner_id.id),
                "customer_email": "b@example.com",
                "channel": "counter",
            },
        )
        body = self.assertStatus(response, 201)
        created = self.env["aftersales.request"].browse(body["id"])
        self.assertEqual(created.partner_id, self.user_a.partner_id)
        self.assertEqual(created.channel, "portal")

    def test_new_request_for_unit_with_open_request_is_409(self):
        before = self._request_count()
        response = self.api("POST", "/requests", self.key_a, data={"serial": "WM-PT-0001", "description": "Again"})
        body = self.assertStatus(response, 409)
        self.assertIn(self.request_a.name, body["detail"], "its own open request is named to its customer")
        self.assertEqual(self._request_count(), before)

    def test_new_request_bad_upload_creates_nothing(self):
        before = self._request_count()
        attachments = self.env["ir.attachment"].sudo().search_count([])
        response = self.api(
            "POST",
            "/requests",
            self.key_a,
            data={"product_id": str(self.product.id), "description": "Leaks"},
            files=[("photos", ("invoice.png", b"%PDF-1.7\n...", "image/png"))],
        )
        body = self.assertStatus(response, 400)
        self.assertIn("invoice.png", body["detail"])
        self.assertEqual(self._request_count(), before)
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), attachments)

    def test_new_request_product_not_serviceable_is_refused(self):
        before = self._request_count()
        other = self.env["product.product"].create({"name": "Not serviced", "type": "consu"})
        response = self.api("POST", "/requests", self.key_a, data={"product_id": str(other.id), "description": "x"})
        self.assertStatus(response, 400)
        self.assertEqual(self._request_count(), before)

    def test_options(self):
        body = self.assertStatus(self.api("GET", "/requests/options", self.key_a), 200)
        self.assertIn(self.product.id, [product["id"] for product in body["products"]])
        self.assertIn("WC-PT-7001", [unit["code"] for unit in body["units"]])
        self.assertEqual(body["service_types"], [], "customers do not choose a service type")
        body = self.assertStatus(self.api("GET", "/requests/options", self.key_b), 200)
        self.assertNotIn("WC-PT-7001", [unit["code"] for unit in body["units"]], "nobody else's units")

    # ------------------------------------------------------------------ agent
    def test_agent_requests(self):
        ids = [rec["id"] for rec in self.assertStatus(self.api("GET", "/requests", self.key_agent), 200)]
        self.assertIn(self.request_agency.id, ids)
        self.assertNotIn(self.request_agency_other.id, ids)
        self.assertStatus(self.api("GET", f"/requests/{self.request_agency_other.id}", self.key_agent), 404)

    def test_agent_new_request(self):
        before = self._request_count()
        response = self.api(
            "POST",
            "/agent/requests",
            self.key_agent,
            json_body={"customer_name": "Walk-in", "units": [{"code": "WM-PT-0003", "failure": "Noise"}]},
        )
        body = self.assertStatus(response, 201)
        self.assertEqual(self._request_count(), before + 1)
        created = self.env["aftersales.request"].browse(body["id"])
        self.assertEqual(created.agent_id, self.agency)

    def test_agent_bad_unit_creates_nothing(self):
        before = self._request_count()
        response = self.api(
            "POST",
            "/agent/requests",
            self.key_agent,
            json_body={"units": [{"code": "WM-PT-0003"}, {"code": "NO-SUCH-UNIT-XYZ"}]},
        )
        self.assertStatus(response, 400)
        self.assertEqual(self._request_count(), before)

    def test_customer_cannot_file_as_agent(self):
        before = self._request_count()
        response = self.api("POST", "/agent/requests", self.key_a, json_body={"units": [{"code": "WM-PT-0003"}]})
        self.assertStatus(response, 403)
        self.assertEqual(self._request_count(), before)

    def test_agent_forged_agency_is_refused(self):
        """An agency id slipped into the body: 422, nothing created."""
        before = self._request_count()
        response = self.api(
            "POST",
            "/agent/requests",
            self.key_agent,
            json_body={"agent_id": self.agency_other.id, "units": [{"code": "WM-PT-0003"}]},
        )
        self.assertStatus(response, 422)
        self.assertEqual(self._request_count(), before)

    # ------------------------------------------------------------------ warranty
    def test_warranty_check(self):
        body = self.assertStatus(self.api("GET", "/warranty?code=WC-PT-7001"), 200)
        self.assertEqual(body["status"], "found")
        self.assertEqual(body["product"], "Tour Washing Machine")
        self.assertNotIn("Alpha", str(body), "nothing of the owner")
        body = self.assertStatus(self.api("GET", "/warranty?code=NOPE-0000"), 200)
        self.assertEqual(body["status"], "not_found")
        self.assertStatus(self.api("GET", "/warranty?code=A%00B"), 400)

    def test_warranty_check_is_limited(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.warranty_check_limit", 1)
        self.assertStatus(self.api("GET", "/warranty?code=WC-PT-7001"), 200)
        self.assertStatus(self.api("GET", "/warranty?code=WC-PT-7001"), 429)

    def test_ids_out_of_range_are_422_not_500(self):
        """Ids the database cannot hold (path, form, body): a malformed request, nothing created."""
        before = self._request_count()
        for path in ("/requests/99999999999", "/requests/0", "/jobs/99999999999", "/jobs/-1"):
            with self.subTest(path=path):
                self.assertStatus(self.api("GET", path, self.key_a), 422)
        response = self.api("POST", "/requests", self.key_a, data={"product_id": "99999999999", "description": "x"})
        self.assertStatus(response, 422)
        response = self.api("POST", "/requests", self.key_a, data={"failure_mode_id": "-5", "description": "x"})
        self.assertStatus(response, 422)
        response = self.api(
            "POST",
            "/agent/requests",
            self.key_agent,
            json_body={"service_type_id": 99999999999, "units": [{"code": "WM-PT-0003"}]},
        )
        self.assertStatus(response, 422)
        self.assertEqual(self._request_count(), before)
