import re

from odoo import fields
from odoo.tests import tagged

from .common import AftersalesPortalCase


@tagged("post_install", "-at_install")
class TestPortalJourneys(AftersalesPortalCase):
    """Issue 17: the portal journeys of the customer, the technician and the agent on a phone."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a unit of customer A without an open request (WM-PT-0001 has one)
        cls.warranty_c = cls.env["aftersales.warranty"].create(
            {
                "name": "WC-PT-7003",
                "lot_id": cls.lot_c.id,
                "product_id": cls.product.id,
                "partner_id": cls.user_a.partner_id.id,
                "warranty_type_id": cls.warranty_type.id,
                "date_start": fields.Date.today(),
            }
        )
        cls.warranty_c.action_activate()
        cls.not_serviceable = cls.env["product.product"].create(
            {"name": "Gift Card Not Serviceable", "type": "service"}
        )

    # ------------------------------------------------------------------ My Account tiles
    def test_tiles_use_small_pictograms(self):
        """The tiles carry 64 px vector pictograms like Odoo's, not the 140 px app icon."""
        self.authenticate("pt_tech", "pt_tech")
        page = self.url_open("/my").text
        self.assertIn("/aftersales_portal/static/src/img/technician_jobs.svg", page)
        self.assertIn("/aftersales_portal/static/src/img/service_request.svg", page)
        self.assertNotIn("/aftersales_portal/static/description/icon.png", page)
        for name in ("technician_jobs", "service_request", "batch_requests"):
            response = self.url_open(f"/aftersales_portal/static/src/img/{name}.svg")
            self.assertEqual(response.status_code, 200)
            self.assertIn('width="64" height="64"', response.text)

    def test_batch_tile_and_link_for_agents_only(self):
        self.authenticate("pt_agent", "pt_agent")
        self.assertIn('href="/my/aftersales/batch"', self.url_open("/my").text, "agents get the batch tile")
        self.assertIn("o_aftersales_batch_link", self.url_open("/my/aftersales/requests").text)
        self.authenticate("pt_cust_a", "pt_cust_a")
        self.assertNotIn('href="/my/aftersales/batch"', self.url_open("/my").text)
        self.assertNotIn("o_aftersales_batch_link", self.url_open("/my/aftersales/requests").text)

    # ------------------------------------------------------------------ request form
    def test_request_form_offers_own_units_and_serviceable_products(self):
        self.authenticate("pt_cust_a", "pt_cust_a")
        page = self.url_open("/aftersales/request/new").text
        self.assertIn('value="WC-PT-7003"', page, "the customer's own unit is offered")
        self.assertIn("WM-PT-0003", page, "with its serial")
        self.assertIn("Tour Washing Machine", page)
        self.assertNotIn("Gift Card Not Serviceable", page, "only serviceable products are offered")
        self.authenticate("pt_cust_b", "pt_cust_b")
        page = self.url_open("/aftersales/request/new").text
        self.assertNotIn("WC-PT-7003", page, "another customer's units are never listed")
        self.assertNotIn("WM-PT-0003", page)

    def test_units_with_an_open_request_are_linked_not_offered(self):
        """Issue 17: a unit with an open request is not offered again (it would be refused after the whole
        form): its own request is linked; another customer's request on it is not named. The only unit
        left is chosen already."""
        other = self._make_request(self.user_b.partner_id, self.lot_c)  # somebody else's request on A's unit
        self.authenticate("pt_cust_a", "pt_cust_a")
        page = self.url_open("/aftersales/request/new").text
        self.assertNotIn('value="WC-PT-7001"', page, "the unit with the customer's open request is not offered")
        self.assertIn(self.request_a.get_portal_url(), page, "the customer's own open request is linked")
        self.assertIn("o_aftersales_unit_open", page)
        self.assertNotIn('value="WC-PT-7003"', page, "the unit with another customer's open request neither")
        self.assertNotIn(other.name, page, "another customer's request is not named")
        self.assertNotIn(other.get_portal_url(), page)
        other.unlink()
        page = self.url_open("/aftersales/request/new").text
        chosen = re.search(r'<input[^>]*value="WC-PT-7003"[^>]*>', page).group(0)
        self.assertIn("checked", chosen, "the only unit without an open request is chosen already")

    def test_request_with_own_unit(self):
        """One tap on the unit gives product, serial and warranty card."""
        self.authenticate("pt_cust_a", "pt_cust_a")
        response = self.url_open(
            "/aftersales/request/new",
            data={
                "csrf_token": self._csrf("/aftersales/request/new"),
                "unit_code": "WC-PT-7003",
                "product_id": str(self.not_serviceable.id),  # ignored: the unit stands for the product
                "description": "Leaks",
            },
        )
        self.assertEqual(response.status_code, 200)
        line = (
            self.env["aftersales.request"]
            .search([("partner_id", "=", self.user_a.partner_id.id)], order="id desc", limit=1)
            .line_ids
        )
        self.assertEqual(line.lot_id, self.lot_c)
        self.assertEqual(line.product_id, self.product)
        self.assertEqual(line.warranty_id, self.warranty_c)

    def test_request_with_unit_of_another_customer(self):
        """Posting another customer's card number as a chosen unit gives neither the card nor its serial."""
        self.authenticate("pt_cust_b", "pt_cust_b")
        before = self.env["aftersales.request"].search([]).ids
        self.url_open(
            "/aftersales/request/new",
            data={"csrf_token": self._csrf("/aftersales/request/new"), "unit_code": "WC-PT-7003", "description": "x"},
        )
        created = self.env["aftersales.request"].search([("id", "not in", before)])
        self.assertFalse(created.line_ids.warranty_id, "no card of somebody else")
        self.assertFalse(created.line_ids.lot_id, "no unit of somebody else")

    def test_request_review_error_in_view_tour(self):
        """On a phone the review tap with a mistake shows it next to the field, in view and focused;
        then a unit of the customer's own is chosen with one tap and sent."""
        before = self.env["aftersales.request"].search_count([("partner_id", "=", self.user_a.partner_id.id)])
        self.start_tour("/aftersales/request/new", "aftersales_portal_request_units_tour", login="pt_cust_a")
        requests = self.env["aftersales.request"].search(
            [("partner_id", "=", self.user_a.partner_id.id)], order="id desc"
        )
        self.assertEqual(len(requests), before + 1)
        self.assertEqual(requests[0].line_ids.lot_id, self.lot_c)
        self.assertEqual(requests[0].line_ids.warranty_id, self.warranty_c)

    # ------------------------------------------------------------------ website home page
    def test_home_page_leads_to_aftersales(self):
        page = self.url_open("/").text
        self.assertIn("o_aftersales_home_block", page)
        for url in ("/aftersales/request/new", "/aftersales/warranty", "/my/aftersales/requests"):
            self.assertIn(f'href="{url}"', page)
        self.assertIn('href="/aftersales"', page, "the landing page is in the website menu")
