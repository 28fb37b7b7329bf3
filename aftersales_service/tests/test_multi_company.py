from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesServiceCase


@tagged("post_install", "-at_install")
class TestMultiCompany(AftersalesServiceCase):
    """Two service companies in one database: each one's users see only its own records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_b = env["res.company"].create({"name": "Pars Service (test)"})
        cls.user_b = new_test_user(
            env,
            login="mc_manager_b",
            groups="aftersales_warranty.group_aftersales_manager,stock.group_stock_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        warehouse_b = env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.centre_b = env["aftersales.service.centre"].create(
            {"name": "Vanak", "code": "MCB", "company_id": cls.company_b.id, "warehouse_id": warehouse_b.id}
        )
        cls.customer_b = env["res.partner"].create({"name": "فاطمه نوری", "company_id": cls.company_b.id})
        lot_b = env["stock.lot"].create(
            {"name": "MC-B-0001", "product_id": cls.product.id, "company_id": cls.company_b.id}
        )
        cls.warranty_b = env["aftersales.warranty"].create(
            {
                "name": "MC-B-WC-0001",
                "company_id": cls.company_b.id,
                "lot_id": lot_b.id,
                "product_id": cls.product.id,
                "partner_id": cls.customer_b.id,
                "warranty_type_id": cls.warranty_type.id,
                "date_start": fields.Date.today(),
                "state": "active",
            }
        )
        cls.request_a = cls.env["aftersales.request"].create(
            {"partner_id": cls.customer.id, "service_type_id": cls.service_type.id, "service_centre_id": cls.centre.id}
        )
        cls.request_a._add_unit_codes(["WC-TEST-001"])
        cls.request_a.action_receive()

    def test_company_bound_models_have_a_company_rule(self):
        """Every stored after-sales model with a company has a global multi-company record rule."""
        Rule = self.env["ir.rule"].sudo()
        missing = []
        for name, model in self.env.registry.items():
            if not name.startswith("aftersales.") or model._abstract or model._transient:
                continue
            field = model._fields.get("company_id")
            if not field or not field.store:
                continue
            rules = Rule.search([("model_id.model", "=", name), ("global", "=", True)])
            if not any("company_ids" in (rule.domain_force or "") for rule in rules):
                missing.append(name)
        self.assertFalse(missing, "models without a multi-company rule")

    def test_user_sees_only_own_company(self):
        request_b = (
            self.env["aftersales.request"]
            .with_user(self.user_b)
            .create({"partner_id": self.customer_b.id, "service_type_id": self.service_type.id})
        )
        self.assertEqual(request_b.company_id, self.company_b, "new records go to the user's company")
        request_b._add_unit_codes(["MC-B-WC-0001"])
        self.assertEqual(request_b.line_ids.warranty_id, self.warranty_b, "the lookup finds the company's cards")
        with self.assertRaisesRegex(UserError, "not a known"):
            request_b._add_unit_codes(["WC-TEST-001"])

        as_b = self.env(user=self.user_b)
        self.assertEqual(as_b["aftersales.request"].search([]), request_b)
        self.assertEqual(as_b["aftersales.warranty"].search([]), self.warranty_b)
        self.assertEqual(as_b["aftersales.service.centre"].search([]), self.centre_b)
        self.assertFalse(as_b["repair.order"].search([("is_aftersales", "=", True)]))
        with self.assertRaises(AccessError):
            self.request_a.with_user(self.user_b).read(["name"])
        with self.assertRaises(AccessError):
            self.request_a.repair_ids.with_user(self.user_b).read(["name"])
        self.assertNotIn(request_b, self.env(user=self.user_manager)["aftersales.request"].search([]))

    def test_sms_log_shows_only_own_company(self):
        """The SMS log holds customers' numbers and texts: each company's managers read only theirs."""
        request_b = self.env["aftersales.request"].create(
            {"partner_id": self.customer_b.id, "service_type_id": self.service_type.id, "company_id": self.company_b.id}
        )
        request_b._message_sms("B's text", partner_ids=self.customer_b.ids, sms_numbers=["+989121110000"])
        self.request_a._message_sms("A's text", sms_numbers=["+989121110001"])
        Sms = self.env["sms.sms"]
        sms_b = Sms.search([("body", "=", "B's text")])
        sms_a = Sms.search([("body", "=", "A's text")])
        self.assertEqual(sms_b.gateway_company_id, self.company_b, "the company of the document")
        self.assertEqual(sms_a.gateway_company_id, self.request_a.company_id)
        logs_a = Sms.with_user(self.user_manager).search([("id", "in", (sms_a | sms_b).ids)])
        logs_b = Sms.with_user(self.user_b).search([("id", "in", (sms_a | sms_b).ids)])
        self.assertEqual(logs_a, sms_a)
        self.assertEqual(logs_b, sms_b)
        with self.assertRaises(AccessError):
            sms_b.with_user(self.user_manager).read(["number", "body"])

    def test_persian_demo_company(self):
        """The Persian demo company (when demo data is loaded): users in Persian who see only it."""
        company = self.env.ref("aftersales_service.demo_company_pars", raise_if_not_found=False)
        if not company:
            self.skipTest("demo data not loaded")
        self.assertEqual(company.currency_id, self.env.ref("base.IRR"))
        self.assertEqual(company.partner_id.lang, "fa_IR")
        for xmlid in (
            "aftersales_service.demo_user_pars_manager",
            "aftersales_service.demo_user_pars_reception",
            "aftersales_service.demo_user_pars_technician",
        ):
            user = self.env.ref(xmlid)
            self.assertEqual((user.lang, user.company_ids), ("fa_IR", company), xmlid)
        portal_user = self.env.ref("aftersales_portal.demo_user_pars_portal", raise_if_not_found=False)
        if "aftersales.portal.otp" in self.env:  # the portal addon is installed: its demo customer too
            self.assertTrue(portal_user, "the portal demo data loaded")
            self.assertEqual((portal_user.lang, portal_user.company_ids), ("fa_IR", company))
        reception = self.env.ref("aftersales_service.demo_user_pars_reception")
        requests = self.env(user=reception)["aftersales.request"].search([])
        self.assertTrue(requests)
        self.assertEqual(requests.company_id, company)
        self.assertTrue(all(name.startswith("PRS/SR/") for name in requests.mapped("name")), "its own numbering")
        self.assertEqual(self.env(user=reception)["aftersales.warranty"].search([]).company_id, company)
        states = set(requests.mapped("state"))
        self.assertTrue({"draft", "received", "in_service", "done"} <= states, states)
        customers = requests.partner_id
        self.assertTrue(all(partner.lang == "fa_IR" and partner.mobile.startswith("+98 9") for partner in customers))
        self.assertGreaterEqual(
            len(
                set(
                    self.env(user=reception)["res.partner"]
                    .search([("company_id", "=", company.id), ("city", "!=", False)])
                    .mapped("city")
                )
            ),
            5,
            "customers in several provinces",
        )
        main_reception = self.env.ref("aftersales_warranty.user_reception")
        self.assertNotIn(company, main_reception.company_ids, "the existing demo users stay in their company")
        self.assertFalse(self.env(user=main_reception)["aftersales.request"].search([("company_id", "=", company.id)]))
