import re
from datetime import datetime

from odoo.tests import tagged

from .common import PNG, AftersalesPortalCase


@tagged("post_install", "-at_install")
class TestPortalWarrantyCheck(AftersalesPortalCase):
    def test_warranty_check_shows_product_not_customer(self):
        response = self.url_open("/aftersales/warranty?code=wc-pt-7001")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Tour Washing Machine", response.text)
        self.assertIn("o_aftersales_under_warranty", response.text)
        self.assertNotIn("Customer Alpha Private", response.text, "no personal data on the public check")
        self.assertNotIn("+989121110001", response.text)

    def test_warranty_check_by_product_serial(self):
        response = self.url_open("/aftersales/warranty?code=WM-PT-0001")
        self.assertIn("o_aftersales_date_end", response.text)

    def test_warranty_check_unknown_and_product_code(self):
        response = self.url_open("/aftersales/warranty?code=NOPE-404")
        self.assertIn("o_aftersales_not_found", response.text)

    def test_warranty_check_rate_limited(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.warranty_check_limit", 3)
        for _i in range(3):
            self.assertEqual(self.url_open("/aftersales/warranty?code=NOPE-1").status_code, 200)
        response = self.url_open("/aftersales/warranty?code=WC-PT-7001")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("Tour Washing Machine", response.text, "no answer once over the limit")
        self.assertEqual(self.url_open("/aftersales/warranty").status_code, 200, "the empty form stays available")


@tagged("post_install", "-at_install")
class TestPortalRequestForm(AftersalesPortalCase):
    def _post(self, files=None, **extra):
        token = self._csrf("/aftersales/request/new")
        data = {
            "csrf_token": token,
            "product_id": str(self.product.id),
            "serial": "",
            "failure_mode_id": str(self.failure_mode.id),
            "description": "Stops after one minute",
            "latitude": "35.7",
            "longitude": "51.4",
        }
        data.update(extra)
        return self.url_open("/aftersales/request/new", data=data, files=files or {}, allow_redirects=False)

    def _count(self):
        return self.env["aftersales.request"].sudo().search_count([("channel", "=", "portal")])

    def test_request_signed_in_with_photo(self):
        # the unit's earlier request is closed: a new one may be filed (see TestPortalRequestOpenUnit)
        self.request_a.action_cancel()
        self.authenticate("pt_cust_a", "pt_cust_a")
        before = self._count()
        response = self._post(files={"photos": ("drum.png", PNG, "image/png")}, serial="WC-PT-7001")
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("/my/aftersales/requests/", response.headers["Location"])
        self.assertEqual(self._count(), before + 1)
        new = self.env["aftersales.request"].sudo().search([("channel", "=", "portal")], order="id desc", limit=1)
        self.assertEqual(new.partner_id, self.user_a.partner_id)
        self.assertEqual(new.line_ids.lot_id, self.lot, "the warranty serial found the unit")
        self.assertEqual(new.line_ids.attachment_ids.mimetype, "image/png")
        self.assertAlmostEqual(new.line_ids.partner_latitude, 35.7)

    def test_request_rejects_wrong_type(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        before = self._count()
        response = self._post(files={"photos": ("evil.jpg", b"<html><script>alert(1)</script>", "image/jpeg")})
        self.assertEqual(response.status_code, 400)
        self.assertIn("evil.jpg", response.text)
        self.assertEqual(self._count(), before, "nothing created")

    def test_request_rejects_too_large(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.max_photo_mb", "0.00001")
        self.authenticate("pt_cust_a", "pt_cust_a")
        before = self._count()
        response = self._post(files={"photos": ("big.png", PNG + b"\0" * 200, "image/png")})
        self.assertEqual(response.status_code, 400)
        self.assertIn("too large", response.text)
        self.assertEqual(self._count(), before)

    def test_request_rejects_video_as_photo_type(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        response = self._post(files={"video": ("clip.png", PNG, "video/mp4")})
        self.assertEqual(response.status_code, 400, "a photo is not accepted as the video")

    def test_request_without_csrf_refused(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        before = self._count()
        response = self.url_open(
            "/aftersales/request/new",
            data={"product_id": str(self.product.id), "description": "x"},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (400, 403))
        self.assertEqual(self._count(), before)

    def test_request_anonymous_needs_code(self):
        before = self._count()
        response = self._post(contact_name="Visitor")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Verify your phone number", response.text)
        self.assertEqual(self._count(), before)

    def test_request_anonymous_with_code(self):
        self.url_open("/aftersales/request/new")
        result = self.make_jsonrpc_request("/aftersales/request/otp/send", {"target": "+989125550000"})
        self.assertTrue(result.get("sent"))
        sms = self.env["sms.sms"].sudo().search([("number", "=", "+989125550000")], order="id desc", limit=1)
        code = re.search(r"\d{6}", sms.body).group(0)
        self.assertTrue(
            self.make_jsonrpc_request(
                "/aftersales/request/otp/verify", {"code": "000000" if code != "000000" else "111111"}
            ).get("error")
        )
        self.assertTrue(self.make_jsonrpc_request("/aftersales/request/otp/verify", {"code": code}).get("verified"))
        response = self._post(contact_name="Visitor Mobile")
        self.assertEqual(response.status_code, 303, response.text[:500])
        new = self.env["aftersales.request"].sudo().search([("channel", "=", "portal")], order="id desc", limit=1)
        self.assertEqual(new.partner_id.phone, "+989125550000")
        # the visitor follows the request with the access token of the link
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(new.name, page.text)


@tagged("post_install", "-at_install")
class TestPortalAccess(AftersalesPortalCase):
    def test_customer_sees_own_request_only(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        own = self.url_open(f"/my/aftersales/requests/{self.request_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.request_a.name, own.text)
        self.assertIn("Reza Technician", own.text, "the technician is shown to the customer")
        other = self.url_open(f"/my/aftersales/requests/{self.request_b.id}", allow_redirects=False)
        self.assertIn(other.status_code, (303, 403, 404))
        self.assertNotIn(self.request_b.name, other.text)
        listing = self.url_open("/my/aftersales/requests")
        self.assertIn(self.request_a.name, listing.text)
        self.assertNotIn(self.request_b.name, listing.text)

    def test_persian_customer_reads_local_jalali_times(self):
        """Estimated arrival in Persian: Jalali, Persian digits, the customer's time (not UTC)."""
        persian = self.env["res.lang"]._activate_lang("fa_IR")
        self.env["website"].search([], limit=1).language_ids |= persian
        self.user_a.write({"lang": "fa_IR", "tz": "Asia/Tehran"})
        # 20:45 UTC on 20 March 2025 is 00:15 on Nowruz 1404 in Tehran
        self.order_a.eta_date = datetime(2025, 3, 20, 20, 45)
        self.authenticate("pt_cust_a", "pt_cust_a")
        page = self.url_open(f"/{persian.url_code}/my/aftersales/requests/{self.request_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("۱۴۰۴/۰۱/۰۱ ۰۰:۱۵", page.text)
        self.assertNotIn("۱۴۰۳/۱۲/۳۰ ۲۰:۴۵", page.text, "not the UTC time")

    def test_wrong_token_refused(self):
        self.authenticate("pt_cust_b", "pt_cust_b")
        response = self.url_open(
            f"/my/aftersales/requests/{self.request_a.id}?access_token=not-the-token", allow_redirects=False
        )
        self.assertIn(response.status_code, (303, 403, 404))
        token = self.request_a.sudo()._portal_ensure_token()
        response = self.url_open(f"/my/aftersales/requests/{self.request_a.id}?access_token={token}")
        self.assertEqual(response.status_code, 200, "a shared link with the right token opens")

    def test_record_rules(self):
        Request = self.env["aftersales.request"]
        self.assertEqual(Request.with_user(self.user_a).search([]), self.request_a)
        agent_requests = Request.with_user(self.user_agent).search([])
        self.assertIn(self.request_agency, agent_requests)
        self.assertNotIn(self.request_agency_other, agent_requests, "never another agency's requests")
        self.assertNotIn(self.request_a, agent_requests)
        Order = self.env["repair.order"]
        self.assertEqual(Order.with_user(self.user_tech).search([]), self.order_a)
        self.assertFalse(Order.with_user(self.user_tech2).search([]))
        self.assertFalse(Order.with_user(self.user_b).search([]))

    def test_agent_follows_agency_requests(self):
        self.authenticate("pt_agent", "pt_agent")
        listing = self.url_open("/my/aftersales/requests")
        self.assertIn(self.request_agency.name, listing.text)
        self.assertNotIn(self.request_agency_other.name, listing.text)
        other = self.url_open(f"/my/aftersales/requests/{self.request_agency_other.id}", allow_redirects=False)
        self.assertIn(other.status_code, (303, 403, 404))

    def test_technician_cannot_open_or_move_another_job(self):
        self.authenticate("pt_tech2", "pt_tech2")
        page = self.url_open(f"/my/aftersales/jobs/{self.order_a.id}", allow_redirects=False)
        self.assertIn(page.status_code, (303, 403, 404))
        token = self._csrf("/aftersales/request/new")
        response = self.url_open(
            f"/my/aftersales/jobs/{self.order_a.id}/decline", data={"csrf_token": token}, allow_redirects=False
        )
        self.assertIn(response.status_code, (303, 403, 404))
        self.assertEqual(self.order_a.technician_id, self.tech, "the other technician changed nothing")
        jobs = self.url_open("/my/aftersales/jobs")
        self.assertNotIn(self.order_a.name, jobs.text)

    def test_technician_cannot_accept_and_go_on_another_job(self):
        """Accept and go (one tap) is refused on a job offered to another technician: nothing stamped."""
        self.order_a.sudo().write({"dispatch_state": "offered"})
        self.authenticate("pt_tech2", "pt_tech2")
        token = self._csrf("/aftersales/request/new")
        response = self.url_open(
            f"/my/aftersales/jobs/{self.order_a.id}/accept_go",
            data={"csrf_token": token, "latitude": "35.7", "longitude": "51.4"},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (303, 403, 404))
        self.order_a.invalidate_recordset()
        self.assertEqual(self.order_a.dispatch_state, "offered", "not accepted")
        self.assertFalse(self.order_a.date_on_the_way, "not on the way")
        self.assertFalse(self.order_a.date_accepted)

    def test_customer_is_not_a_technician(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        response = self.url_open(f"/my/aftersales/jobs/{self.order_a.id}", allow_redirects=False)
        self.assertIn(response.status_code, (303, 403, 404))

    def test_batch_only_for_agents(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        response = self.url_open("/my/aftersales/batch", allow_redirects=False)
        self.assertEqual(response.status_code, 303)


@tagged("post_install", "-at_install")
class TestPortalAgentBatch(AftersalesPortalCase):
    def _agent_requests(self):
        return (
            self.env["aftersales.request"].sudo().search([("agent_id", "=", self.agency.id), ("channel", "=", "agent")])
        )

    def test_batch_file_with_bad_line_creates_nothing(self):
        self.authenticate("pt_agent", "pt_agent")
        before = self._agent_requests()
        partners = self.env["res.partner"].sudo().search_count([])
        token = self._csrf("/my/aftersales/batch")
        csv_data = b"code,failure\nWM-PT-0003,No water\nNOPE-42,Noise\nWM-PT-0003,Twice\n"
        response = self.url_open(
            "/my/aftersales/batch",
            data={"csrf_token": token, "customer_name": "New End Customer", "customer_phone": "+989127770000"},
            files={"file": ("units.csv", csv_data, "text/csv")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("NOPE-42", response.text)
        self.assertIn("Line 3", response.text, "the bad line is named by its number")
        self.assertIn("Line 4", response.text, "the duplicate is reported too")
        self.assertEqual(self._agent_requests(), before, "nothing created")
        self.assertEqual(self.env["res.partner"].sudo().search_count([]), partners, "no half-created customer")

    def test_batch_file_and_rows(self):
        self.authenticate("pt_agent", "pt_agent")
        before = self._agent_requests()
        token = self._csrf("/my/aftersales/batch")
        response = self.url_open(
            "/my/aftersales/batch",
            data={"csrf_token": token, "code": ["WM-PT-0004", ""], "failure": ["Leak", ""]},
            files={"file": ("units.csv", b"WM-PT-0003;No water\n", "text/csv")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        new = self._agent_requests() - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.partner_id, self.agency, "no customer given: the agency's own stock")
        self.assertEqual(new.line_ids.lot_id, self.lot_c | self.lot_d)
        self.assertIn(self.user_agent.partner_id, new.message_partner_ids)

    def test_batch_rejects_other_files(self):
        self.authenticate("pt_agent", "pt_agent")
        token = self._csrf("/my/aftersales/batch")
        response = self.url_open(
            "/my/aftersales/batch",
            data={"csrf_token": token},
            files={"file": ("units.exe", b"MZ\x90\x00", "application/octet-stream")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("units.exe", response.text)
