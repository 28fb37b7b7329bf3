from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestAccess(WarrantyCommon):
    def test_reception_reads_and_registers(self):
        card = self._card("AC-WC-1", partner_id=self.customer.id)
        Warranty = self.env["aftersales.warranty"].with_user(self.user_reception)
        self.assertEqual(Warranty.browse(card.id).name, "AC-WC-1")
        self.assertEqual(Warranty.lookup("AC-WC-1")["warranty_id"], card.id)
        new = Warranty.create({"name": "AC-WC-2", "product_id": self.product.id})
        new.action_activate()
        self.assertEqual(new.state, "active")
        with self.assertRaises(AccessError):
            new.unlink()
        Type = self.env["aftersales.warranty.type"].with_user(self.user_reception)
        self.assertTrue(Type.browse(self.type_18m.id).name)
        with self.assertRaises(AccessError):
            Type.create({"name": "Reception type", "duration": 1})
        with self.assertRaises(AccessError):
            Type.browse(self.type_18m.id).write({"duration": 99})

    def test_manager_configures(self):
        Type = self.env["aftersales.warranty.type"].with_user(self.user_manager)
        wtype = Type.create({"name": "Manager type", "duration": 2, "duration_unit": "year"})
        wtype.write({"grace_days": 10})
        wtype.action_archive()
        draft = (
            self.env["aftersales.warranty"]
            .with_user(self.user_manager)
            .create({"name": "AC-WC-M", "product_id": self.product.id})
        )
        draft.unlink()

    def test_no_group_no_access(self):
        card = self._card("AC-WC-3")
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty"].with_user(self.user_plain).browse(card.id).read(["name"])
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty"].with_user(self.user_plain).lookup("AC-WC-3")

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other branch company"})
        other_card = self._card("AC-WC-OTHER", company_id=other_company.id)
        Warranty = self.env["aftersales.warranty"].with_user(self.user_reception)
        self.assertFalse(Warranty.search([("id", "=", other_card.id)]))
        self.assertEqual(Warranty.lookup("AC-WC-OTHER")["status"], "not_found")
        # the same warranty serial may exist in another company
        self._card("AC-WC-OTHER")

    def test_lookup_applies_record_rules(self):
        """A rule added on cards (here: reception sees only one customer's cards) hides the other cards
        from every kind of lookup, as it hides them from the list."""
        shown_lot, hidden_lot = self._lot("AC-SN-SHOWN"), self._lot("AC-SN-HIDDEN")
        shown = self._card("AC-WC-SHOWN", shown_lot, partner_id=self.customer.id)
        self._card("AC-WC-HIDDEN", hidden_lot, partner_id=self.customer2.id)
        self.env["ir.rule"].create(
            {
                "name": "Reception: one customer's cards",
                "model_id": self.env.ref("aftersales_warranty.model_aftersales_warranty").id,
                "domain_force": f"[('partner_id', '=', {self.customer.id})]",
                "groups": [(4, self.env.ref("aftersales_warranty.group_aftersales_user").id)],
            }
        )
        Warranty = self.env["aftersales.warranty"].with_user(self.user_reception)
        self.assertEqual(Warranty.lookup("AC-WC-SHOWN")["warranty_id"], shown.id)
        self.assertEqual(Warranty.lookup("AC-WC-HIDDEN")["status"], "not_found")
        hidden_serial = Warranty.lookup("AC-SN-HIDDEN")
        self.assertEqual((hidden_serial["status"], hidden_serial["warranty_id"]), ("found", False))
        self.assertIn("no warranty card", hidden_serial["message"])
        # by product code, only the visible card is left: a single answer instead of "several matches"
        by_code = Warranty.lookup("TWM-01")
        self.assertEqual((by_code["status"], by_code["warranty_id"]), ("found", shown.id))
        self.assertEqual(self.env["aftersales.warranty"].lookup("TWM-01")["status"], "ambiguous")
