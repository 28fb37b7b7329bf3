from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarranty(WarrantyCommon):
    def test_create_normalizes_and_defaults(self):
        lot = self._lot("SN-W-0001")
        card = self._card("  wc-۰۰۱ ", lot, partner_id=self.customer.id)
        self.assertEqual(card.name, "WC-001")
        self.assertEqual(card.warranty_type_id, self.type_18m, "type taken from the product")
        self.assertEqual(card.state, "draft")
        self.assertEqual(lot.warranty_id, card)
        self.assertEqual(lot.warranty_state, "draft")
        self.assertTrue(self.env["aftersales.warranty"].create({"product_id": self.product.id}).name.startswith("WC"))

    def test_form_fills_product_from_serial(self):
        lot = self._lot("SN-W-FORM")
        with Form(self.env["aftersales.warranty"]) as form:
            form.name = "wc-form"
            form.lot_id = lot
            self.assertEqual(form.product_id, self.product)
            self.assertEqual(form.warranty_type_id, self.type_18m)
        self.assertEqual(form.record.name, "WC-FORM")

    def test_unique_per_company(self):
        self._card("WC-UNIQUE")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._card("wc-unique")

    def test_serial_of_another_product(self):
        lot = self._lot("SN-OTHER", self.product_other)
        with self.assertRaises(ValidationError):
            self._card("WC-MISMATCH", lot, product_id=self.product.id)

    def test_one_card_per_serial(self):
        lot = self._lot("SN-ONE")
        first = self._card("WC-ONE-1", lot)
        with self.assertRaises(ValidationError):
            self._card("WC-ONE-2", lot)
        first._action_void("Printed twice")
        second = self._card("WC-ONE-2", lot)
        self.assertEqual(lot.warranty_id, second, "the card that is not void is the current one")

    def test_activate_and_void_in_batch(self):
        cards = self._card("WC-B1") | self._card("WC-B2", date_start=self.today - timedelta(days=10))
        cards.action_activate()
        self.assertEqual(set(cards.mapped("state")), {"active"})
        self.assertEqual(cards[0].date_start, self.today)
        self.assertTrue(all(cards.mapped("under_warranty")))
        with self.assertRaises(UserError):
            cards.action_activate()
        wizard = (
            self.env["aftersales.warranty.void"]
            .with_context(active_model="aftersales.warranty", active_ids=cards.ids)
            .create({"reason": "Dealer cancelled the sale"})
        )
        self.assertEqual(wizard.warranty_ids, cards)
        wizard.action_confirm()
        self.assertEqual(set(cards.mapped("state")), {"void"})
        self.assertEqual(cards[0].void_reason, "Dealer cancelled the sale")
        self.assertFalse(cards[0].under_warranty)
        self.env.cr.precommit.run()  # tracking values are written at commit time
        tracked = cards[0].message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("void_reason", tracked)
        self.assertIn("state", tracked)
        with self.assertRaises(UserError):
            cards._action_void("again")
        cards.action_activate()
        self.assertEqual(set(cards.mapped("state")), {"active"})
        self.assertFalse(cards[0].void_reason)

    def test_void_needs_reason(self):
        card = self._card("WC-REASON")
        with self.assertRaises(UserError):
            card._action_void("   ")

    def test_activate_refuses_ended_card(self):
        card = self._card("WC-OLD", date_start=self.today - timedelta(days=900))
        with self.assertRaises(UserError):
            card.action_activate()
        self.assertEqual(card.state, "draft")

    def test_unlink_only_draft(self):
        card = self._card("WC-DEL")
        card.action_activate()
        with self.assertRaises(UserError):
            card.unlink()
        draft = self._card("WC-DEL-2")
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_partner_smart_button_counts_contacts(self):
        self._card("WC-P1", partner_id=self.customer.id)
        self._card("WC-P2", partner_id=self.customer_contact.id)
        self._card("WC-P3", partner_id=self.customer2.id)
        self.assertEqual(self.customer.warranty_count, 2)
        self.assertEqual(self.customer_contact.warranty_count, 1)
        action = self.customer.action_view_warranties()
        self.assertEqual(self.env["aftersales.warranty"].search_count(action["domain"]), 2)

    def test_serviceable_wizard(self):
        template = self.product_plain.product_tmpl_id
        self.assertFalse(template.is_serviceable)
        wizard = (
            self.env["product.template.serviceable"]
            .with_context(active_model="product.template", active_ids=template.ids)
            .create({"operation": "add"})
        )
        with self.assertRaises(UserError):
            wizard.action_apply()  # no warranty type on the product nor its category
        wizard.warranty_type_id = self.type_18m
        self.assertEqual(wizard.not_serial_count, 1)
        wizard.action_apply()
        self.assertTrue(template.is_serviceable)
        self.assertEqual(template.tracking, "serial")
        self.assertFalse(template.aftersales_serial_warning)
        self.env["product.template.serviceable"].create(
            {"operation": "remove", "product_tmpl_ids": [(6, 0, template.ids)]}
        ).action_apply()
        self.assertFalse(template.is_serviceable)
        self.assertFalse(template._get_aftersales_warranty_type())

    def test_category_default_and_serial_warning(self):
        categ = self.env["product.category"].create(
            {"name": "Appliances", "aftersales_is_serviceable": True, "aftersales_warranty_type_id": self.type_18m.id}
        )
        template = self.env["product.template"].create({"name": "Oven", "categ_id": categ.id})
        self.assertTrue(template.is_serviceable)
        self.assertEqual(template._get_aftersales_warranty_type(), self.type_18m)
        self.assertTrue(template.aftersales_serial_warning, "serviceable but not serial-tracked")


@tagged("post_install", "-at_install")
class TestWarrantyCompanyClock(WarrantyCommon):
    """A warranty's days are the issuing company's days, whoever looks: the clerk who activates a card
    in one time zone, the public page and the SMS answer in another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Tehran"
        cls.user_reception.tz = "Asia/Tehran"
        cls.visitor = cls.env.ref("base.public_user")
        cls.visitor.tz = False  # UTC

    def test_activated_after_midnight_in_tehran_is_under_warranty_for_a_visitor_in_utc(self):
        # 22:00 UTC on 5 December is 01:30 on 6 December in Tehran
        with freeze_time("2026-12-05 22:00:00"):
            card = self._card("WC-CLOCK-1").with_user(self.user_reception)
            card.with_context(tz="Europe/Brussels").action_activate()  # a clerk's browser in another zone
            self.assertEqual(card.date_start, date(2026, 12, 6), "the company's day, not the clerk's")
            public = self.env["aftersales.warranty"].with_user(self.visitor).sudo().with_context(tz=None)
            found = public.lookup("WC-CLOCK-1")
            self.assertEqual(found["status"], "found")
            self.assertTrue(found["under_warranty"], "started today on the company's clock")
            self.assertTrue(public.browse(card.id).under_warranty)

    def test_expiry_on_the_companys_clock(self):
        with freeze_time("2026-12-05 22:00:00"):
            # the grace period ended on 5 December: over in Tehran (6 December), not yet in UTC
            card = self._card("WC-CLOCK-2", date_start=date(2025, 6, 1), date_end_override=date(2026, 11, 28))
            card.write({"state": "active"})
            self.assertEqual(card.date_grace_end, date(2026, 12, 5))
            self.assertFalse(card.with_context(tz="UTC").under_warranty)
            self.assertIn(card, self.env["aftersales.warranty"].with_context(tz="UTC")._cron_expire())
            self.assertEqual(card.state, "expired")

    def test_company_without_address_zone_uses_its_working_hours_zone(self):
        self.company.partner_id.tz = False
        self.company.resource_calendar_id.tz = "Asia/Tehran"
        Warranty = self.env["aftersales.warranty"]
        with freeze_time("2026-12-05 22:00:00"):
            for user in (self.user_reception, self.visitor, self.env.ref("base.user_admin")):
                for tz in ("UTC", "Europe/Brussels", None):
                    self.assertEqual(Warranty.with_user(user).with_context(tz=tz)._company_today(), date(2026, 12, 6))
