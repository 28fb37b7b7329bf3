"""Attacks of the hostile review (issue 14), performed over HTTP as the attacker would.

Each test asserts the refusal and that nothing was written.
"""

import io
import re
from urllib.parse import quote as url_quote

from werkzeug.datastructures import FileStorage

from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_portal.controllers.uploads import clean_filename, read_capped, read_uploads

from .common import PNG, AftersalesPortalCase

NUL = "\x00"
RLO = "\u202e"


class PortalSecurityCase(AftersalesPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        # the per-connection limit is not what these tests are about
        params.set_param("aftersales_portal.otp_send_limit", 1000)
        params.set_param("aftersales_portal.warranty_check_limit", 1000)
        cls.user_a.partner_id.email = "alpha.private@example.com"
        cls.user_b.partner_id.email = "bravo.customer@example.com"

    def _requests(self, **domain):
        return self.env["aftersales.request"].sudo().search([(key, "=", value) for key, value in domain.items()])

    def _otp_send(self, target):
        return self.make_jsonrpc_request("/aftersales/request/otp/send", {"target": target})

    def _verify_as_visitor(self, number):
        """Prove a mobile number as an anonymous visitor, as the form's script does."""
        self.url_open("/aftersales/request/new")
        self.assertTrue(self._otp_send(number).get("sent"))
        sms = self.env["sms.sms"].sudo().search([("number", "=", number)], order="id desc", limit=1)
        code = re.search(r"\d{6}", sms.body).group(0)
        self.assertTrue(self.make_jsonrpc_request("/aftersales/request/otp/verify", {"code": code}).get("verified"))

    def _post_request(self, files=None, **extra):
        data = {
            "csrf_token": self._csrf("/aftersales/request/new"),
            "product_id": str(self.product.id),
            "failure_mode_id": str(self.failure_mode.id),
            "description": "Stops after one minute",
        }
        data.update(extra)
        return self.url_open("/aftersales/request/new", data=data, files=files or {}, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestPortalIdentity(PortalSecurityCase):
    """Item 1: an anonymous visitor acts only as the address proven by the one-time code."""

    def test_posted_email_and_phone_of_another_customer_are_ignored(self):
        victim = self.user_a.partner_id
        victim_requests = self._requests(partner_id=victim.id)
        self._verify_as_visitor("+989125551234")
        response = self._post_request(
            contact_name="Attacker",
            email=victim.email,
            phone=victim.phone,
            serial="WC-PT-7001",  # the victim's warranty card
        )
        self.assertEqual(self._requests(partner_id=victim.id), victim_requests, "nothing filed in the victim's name")
        new = self._requests(channel="portal").sorted("id")[-1:]
        self.assertEqual(new.partner_id.phone, "+989125551234", "the verified number is the identity")
        self.assertNotEqual(new.partner_id, victim)
        self.assertFalse(new.line_ids.warranty_id, "the victim's card is not attached to the attacker's request")
        self.assertFalse(new.line_ids.under_warranty)
        page = self.url_open(response.headers["Location"]) if response.status_code == 303 else response
        self.assertNotIn("Customer Alpha Private", page.text)
        self.assertNotIn(self.lot.name, page.text, "the serial behind the victim's card is not shown")
        self.assertFalse(new.line_ids.lot_id)

    def test_known_customer_matched_gets_no_link_to_its_data(self):
        """Proving the phone of a known customer files for them, but shows nothing of theirs."""
        victim = self.user_a.partner_id
        self.product.default_code = "PT-WM-MODEL"
        before = self._requests(partner_id=victim.id)
        self._verify_as_visitor("+989121110001")
        response = self._post_request(contact_name="Someone", serial="PT-WM-MODEL")
        self.assertEqual(response.status_code, 200, "a confirmation, not a redirect to the request page")
        self.assertNotIn("access_token", response.text)
        self.assertNotIn("Location", response.headers)
        self.assertNotIn("Customer Alpha Private", response.text)
        self.assertNotIn(self.lot.name, response.text, "the customer's serial is not shown")
        new = self._requests(partner_id=victim.id) - before
        self.assertEqual(len(new), 1)
        self.assertIn(new.name, response.text)
        self.assertFalse(new.line_ids.lot_id, "a product code does not pick the customer's unit for a visitor")
        self.assertEqual(new.line_ids.product_id, self.product)

    def test_new_customer_gets_company_of_website(self):
        """Item 9: customers created by the website belong to its company."""
        self._verify_as_visitor("+989125557777")
        response = self._post_request(contact_name="Company Check")
        self.assertEqual(response.status_code, 303, response.text[:300])
        partner = self.env["res.partner"].sudo().search([("phone", "=", "+989125557777")])
        self.assertEqual(partner.company_id, self.env["website"].get_current_website().company_id)


@tagged("post_install", "-at_install")
class TestPortalAgentLeaks(PortalSecurityCase):
    """Item 6: agents never learn other customers' names, units or requests."""

    def _batch(self, **data):
        self.authenticate("pt_agent", "pt_agent")
        data["csrf_token"] = self._csrf("/my/aftersales/batch")
        files = data.pop("files", {})
        return self.url_open("/my/aftersales/batch", data=data, files=files, allow_redirects=False)

    def _agent_requests(self):
        return self._requests(agent_id=self.agency.id, channel="agent")

    def test_unit_of_another_customer_is_not_available_without_owner(self):
        before = self._agent_requests()
        partners = self.env["res.partner"].sudo().search_count([])
        response = self._batch(code=["WC-PT-7001", "WM-PT-0002"], failure=["Noise", "Leak"])
        self.assertEqual(response.status_code, 400)
        self.assertIn("Line 1: WC-PT-7001 is not available.", response.text)
        self.assertNotIn("Customer Alpha Private", response.text)
        self.assertNotIn(self.request_b.name, response.text, "no other customer's open request is named")
        self.assertEqual(self._agent_requests(), before, "nothing created")
        self.assertEqual(self.env["res.partner"].sudo().search_count([]), partners)

    def test_email_of_a_foreign_customer_is_not_matched(self):
        victim = self.user_a.partner_id
        victim_requests = self._requests(partner_id=victim.id)
        response = self._batch(customer_name="Guess", customer_email=victim.email, code=["WM-PT-0003"], failure=[""])
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self._requests(partner_id=victim.id), victim_requests, "nothing filed for the victim")
        new = self._agent_requests().sorted("id")[-1:]
        self.assertNotEqual(new.partner_id, victim)
        self.assertEqual(new.partner_id.name, "Guess")
        self.assertEqual(new.partner_id.company_id, self.env.company, "item 9: the agency's company")
        page = self.url_open(response.headers["Location"])
        self.assertNotIn("Customer Alpha Private", page.text)

    def test_own_customer_is_matched(self):
        """The customer of a request the agency filed before is the agency's own: matched again."""
        response = self._batch(customer_email=self.user_b.partner_id.email, code=["WM-PT-0003"], failure=[""])
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self._agent_requests().sorted("id")[-1:].partner_id, self.user_b.partner_id)

    def test_back_office_still_names_the_owner(self):
        """Internal users may read partners: the batch wizard keeps naming the owner for them."""
        service_request = self._make_request(self.user_b.partner_id, self.lot_d)
        dummy, errors = service_request._add_unit_entries([{"line_no": 1, "code": "WC-PT-7001"}])
        self.assertIn("Customer Alpha Private", errors[0]["reason"])
        dummy, errors = (
            service_request.with_user(self.user_agent).sudo()._add_unit_entries([{"line_no": 1, "code": "WC-PT-7001"}])
        )
        self.assertNotIn("Customer Alpha Private", errors[0]["reason"], "a portal user learns nothing, even sudo")


@tagged("post_install", "-at_install")
class TestPortalWorklogLocked(PortalSecurityCase):
    """Item 11: a submitted worklog cannot be changed from the portal."""

    def test_submitted_worklog_is_not_changed(self):
        worklog = self.env["aftersales.worklog"].create(
            {"repair_id": self.order_a.id, "work_description": "Replaced the belt"}
        )
        worklog.write({"state": "submitted"})
        worklogs = self.env["aftersales.worklog"].search([("repair_id", "=", self.order_a.id)])
        self.authenticate("pt_tech", "pt_tech")
        token = self._csrf("/aftersales/request/new")
        response = self.url_open(
            f"/my/aftersales/jobs/{self.order_a.id}/worklog",
            data={"csrf_token": token, "work_description": "Nothing was wrong", "result": "fixed"},
            files={"photo_after": ("after.png", PNG, "image/png")},
            allow_redirects=False,
        )
        self.assertIn("waits for approval", response.text)
        worklog.invalidate_recordset()
        self.assertEqual(worklog.work_description, "Replaced the belt")
        self.assertEqual(worklog.state, "submitted")
        self.assertFalse(worklog.photo_after_ids)
        self.assertEqual(self.env["aftersales.worklog"].search([("repair_id", "=", self.order_a.id)]), worklogs)


@tagged("post_install", "-at_install")
class TestPortalOtpSending(PortalSecurityCase):
    """Item 12: only real phone numbers and single emails get a code, within limits per target and in all."""

    def _counts(self):
        return (self.env["sms.sms"].sudo().search_count([]), self.env["aftersales.portal.otp"].sudo().search_count([]))

    def test_bad_targets_refused_nothing_queued(self):
        self.url_open("/aftersales/request/new")
        before = self._counts()
        for target in (
            "9" * 100000,
            "not a number",
            "0912 123 4567 8",
            "+98 21 8888 1234",  # a landline
            "02188881234",
            f"0912123{NUL}4567",
            "a@example.com, b@example.com",
            "a@example.com\nBcc: b@example.com",
            "@",
            12345678901,
            ["+989121234567"],
            {"target": "+989121234567"},
            True,
        ):
            result = self._otp_send(target)
            self.assertTrue(result.get("error"), f"{str(target)[:40]!r} refused")
            self.assertFalse(result.get("sent"))
        self.assertEqual(self._counts(), before, "no SMS, no code")

    def test_number_forms_are_normalized(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.otp_send_target_limit", 10)
        self.url_open("/aftersales/request/new")
        for typed in ("۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "00989121234567", "+98 912 123-4567"):
            self.assertEqual(self._otp_send(typed).get("channel"), "sms", typed)
        self.assertEqual(self.env["sms.sms"].sudo().search_count([("number", "=", "+989121234567")]), 4)
        self.assertTrue(self._otp_send("+44 7700 900123").get("sent"), "international E.164 numbers are accepted")

    def test_limit_per_target_and_global(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("aftersales_portal.otp_send_target_limit", 2)
        self.url_open("/aftersales/request/new")
        self.assertTrue(self._otp_send("09121230001").get("sent"))
        self.assertTrue(self._otp_send("+989121230001").get("sent"))
        before = self._counts()
        self.assertIn("this address", self._otp_send("00989121230001").get("error", ""))
        self.assertEqual(self._counts(), before, "the third code to the same number is not sent")
        self.assertTrue(self._otp_send("09121230002").get("sent"), "another number is not affected")
        params.set_param("aftersales_portal.otp_send_global_limit", 0)
        before = self._counts()
        self.assertTrue(self._otp_send("09121230003").get("error"))
        self.assertEqual(self._counts(), before, "over the global limit nothing is sent")


@tagged("post_install", "-at_install")
class TestPortalBadInput(PortalSecurityCase):
    """Item 13: bad input gets a 4xx and a clear message, never a server error, nothing half-written."""

    def _rate_hits(self, bucket):
        return sum(self.env["aftersales.portal.rate"].sudo().search([("bucket", "=", bucket)]).mapped("hits"))

    def test_warranty_check_nul_and_huge(self):
        for code in (f"WC-PT{NUL}7001", "X" * 10000):
            before = self._rate_hits("warranty_check")
            response = self.url_open(f"/aftersales/warranty?code={url_quote(code)}")
            self.assertEqual(response.status_code, 400)
            self.assertIn("not a serial or warranty card number", response.text)
            self.assertEqual(self._rate_hits("warranty_check"), before + 1, "the check still counts")

    def test_otp_verify_wrong_types(self):
        self.url_open("/aftersales/request/new")
        self.assertTrue(self._otp_send("+989125550101").get("sent"))
        otp = self.env["aftersales.portal.otp"].sudo().search([("target", "=", "+989125550101")])
        for code in (123456, True, ["123456"], {"a": 1}, None, "1" * 100000, f"12{NUL}3456"):
            result = self.make_jsonrpc_request("/aftersales/request/otp/verify", {"code": code})
            self.assertTrue(result.get("error"), repr(code)[:40])
        self.assertEqual(otp.state, "pending")

    def test_request_form_nul_and_huge_fields(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        before = self._requests(channel="portal")
        for field, value in (
            ("description", f"Noise{NUL}"),
            ("description", "x" * 100000),
            ("serial", f"WC{NUL}"),
            ("address", "a" * 100000),
            ("product_id", "9" * 100000),
            ("product_id", "۱"),
            ("product_id", "999999999"),
            ("failure_mode_id", "²"),
            ("latitude", "nan"),
        ):
            response = self._post_request(**{field: value})
            self.assertLess(response.status_code, 500, f"{field}={value[:20]!r}")
            if response.status_code != 303:
                self.assertEqual(response.status_code, 400)
                self.assertIn("o_aftersales_errors", response.text, f"{field}: a clear message")
        created = self._requests(channel="portal") - before
        self.assertFalse(created.filtered(lambda r: NUL in (r.line_ids.failure_description or "")))
        self.assertEqual(created.line_ids.mapped("partner_latitude"), [0.0] * len(created), "nan is no position")

    def test_batch_parser_errors_are_clear(self):
        self.authenticate("pt_agent", "pt_agent")
        before = self._requests(agent_id=self.agency.id)
        for name, content, expected in (
            ("units.xlsx", b"PK\x03\x04not really a workbook", "not a valid XLSX workbook"),
            ("units.xlsx", b"code,failure\nWM-PT-0003,Leak\n", "is not an XLSX workbook"),
            ("units.csv", b"WM-PT-0003\x00,Leak\n", "is not a text CSV file"),
            ("units.csv", b"\xff\xfe\x00garbage", "is not a text CSV file"),
            ("units.csv", "WM-PT-0003,\u06f1\u06f2\u06f3\n".encode("utf-16"), "is not a text CSV file"),
        ):
            token = self._csrf("/my/aftersales/batch")
            response = self.url_open(
                "/my/aftersales/batch",
                data={"csrf_token": token},
                files={"file": (name, content, "application/octet-stream")},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 400, name)
            self.assertIn(expected, response.text)
            self.assertNotIn("zip file", response.text.lower(), "no raw parser text")
        self.assertEqual(self._requests(agent_id=self.agency.id), before)

    def test_routes_ignore_hostile_query_values(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        for url in (
            f"/my/aftersales/requests?search=a{url_quote(NUL)}b",
            "/my/aftersales/requests?page=abc",
            f"/my/aftersales/requests/{self.request_a.id}?values=1&document=2",
            f"/aftersales/request/new?description=a{url_quote(NUL)}b&contact_name={'x' * 10000}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url[:80])
        self.authenticate("pt_tech", "pt_tech")
        self.assertEqual(self.url_open(f"/my/aftersales/jobs/{self.order_a.id}?order=1&error=x").status_code, 200)
        self.authenticate("pt_agent", "pt_agent")
        self.assertEqual(self.url_open("/my/aftersales/batch?rows=abc&errors=x").status_code, 200)


@tagged("post_install", "-at_install")
class TestPortalUploadsHttp(PortalSecurityCase):
    """Item 15 over HTTP: names cleaned, number of files capped."""

    def test_file_name_cleaned(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        response = self._post_request(files={"photos": (f"../../etc/passwd{RLO}gnp.png", PNG, "image/png")})
        self.assertEqual(response.status_code, 303, response.text[:300])
        new = self._requests(channel="portal").sorted("id")[-1:]
        name = new.line_ids.attachment_ids.name
        self.assertEqual(name, "passwdgnp.png")

    def test_too_many_files_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.max_upload_files", 2)
        self.authenticate("pt_cust_a", "pt_cust_a")
        before = self._requests(channel="portal")
        attachments = self.env["ir.attachment"].sudo().search_count([])
        files = [("photos", (f"p{index}.png", PNG, "image/png")) for index in range(3)]
        response = self._post_request(files=files)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Too many files", response.text)
        self.assertEqual(self._requests(channel="portal"), before)
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), attachments)


class CountingStream(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


@tagged("post_install", "-at_install")
class TestPortalUploads(TransactionCase):
    """Item 15: uploads are read in chunks up to their limit, names are cleaned, counts capped."""

    def test_read_stops_after_the_limit(self):
        stream = CountingStream(b"x" * (5 * 1024 * 1024))
        data = read_capped(FileStorage(stream, filename="big.bin"), 1000)
        self.assertEqual(len(data), 1001)
        self.assertLessEqual(stream.bytes_read, 1001, "never more than limit + 1 bytes")

    def test_large_photo_not_read_whole(self):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.max_photo_mb", "0.001")
        stream = CountingStream(PNG + b"\0" * (5 * 1024 * 1024))
        attachments, errors = read_uploads(self.env, [FileStorage(stream, filename="big.png")], kinds=("photo",))
        self.assertFalse(attachments)
        self.assertIn("too large", errors[0])
        self.assertLess(stream.bytes_read, 2 * 1024, "the rest of the file is never read")

    def test_clean_filename(self):
        self.assertEqual(clean_filename(f"../../etc/passwd{RLO}gnp.jpg"), "passwdgnp.jpg")
        self.assertEqual(clean_filename("C:\\Users\\x\\photo.png"), "photo.png")
        self.assertEqual(clean_filename(f"..{NUL}"), "file")
        self.assertEqual(clean_filename("عکس\u200cها.jpg"), "عکس\u200cها.jpg", "Persian half spaces are kept")
        long_name = clean_filename("a" * 5000 + ".jpeg")
        self.assertEqual(len(long_name), 100)
        self.assertTrue(long_name.endswith(".jpeg"))

    def test_count_capped(self):
        storages = [FileStorage(io.BytesIO(PNG), filename=f"p{index}.png") for index in range(11)]
        attachments, errors = read_uploads(self.env, storages, kinds=("photo",))
        self.assertFalse(attachments)
        self.assertIn("at most 10", errors[0])
