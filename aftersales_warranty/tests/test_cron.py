from datetime import timedelta

from odoo.tests import tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestCron(WarrantyCommon):
    def test_expire_after_end_and_grace(self):
        Warranty = self.env["aftersales.warranty"]
        # 18 months + 7 days grace: ended 10 days ago -> in grace until 3 days ago
        ended = self._card("WC-EXP-1", date_start=self.today - timedelta(days=600), state="active")
        in_grace = self._card("WC-EXP-2", state="active", date_start=self.today - timedelta(days=100))
        in_grace.date_end_override = self.today - timedelta(days=3)
        running = self._card("WC-EXP-3", date_start=self.today - timedelta(days=10), state="active")
        draft_old = self._card("WC-EXP-4", date_start=self.today - timedelta(days=900))
        expired = Warranty._cron_expire()
        self.assertIn(ended, expired)
        self.assertEqual(ended.state, "expired")
        self.assertEqual(in_grace.state, "active")
        self.assertTrue(in_grace.under_warranty, "still served during the grace period")
        self.assertEqual(running.state, "active")
        self.assertEqual(draft_old.state, "draft", "only active cards expire")
        self.assertFalse(Warranty._cron_expire() & (ended | in_grace | running), "idempotent")

    def test_expire_in_batches(self):
        self.env["aftersales.warranty"]._cron_expire()  # what the database held before
        cards = self.env["aftersales.warranty"].create(
            [
                {
                    "name": f"WC-BATCH-{i}",
                    "product_id": self.product.id,
                    "date_start": self.today - timedelta(days=700),
                    "state": "active",
                }
                for i in range(5)
            ]
        )
        first = self.env["aftersales.warranty"]._cron_expire(batch_size=3)
        self.assertEqual(len(first & cards), 3)
        self.env["aftersales.warranty"]._cron_expire(batch_size=3)
        self.assertEqual(set(cards.mapped("state")), {"expired"})

    def test_renewal_opportunity_once_per_card(self):
        self.company.aftersales_renewal_days = 30
        soon = self._card("WC-REN-1", partner_id=self.customer.id, state="active", date_start=self.today)
        soon.date_end_override = self.today + timedelta(days=20)
        later = self._card("WC-REN-2", partner_id=self.customer.id, state="active", date_start=self.today)
        no_partner = self._card("WC-REN-3", state="active", date_start=self.today)
        no_partner.date_end_override = self.today + timedelta(days=5)
        leads = self.env["aftersales.warranty"]._cron_create_renewal_opportunities()
        lead = leads.filtered(lambda lead: lead.aftersales_warranty_id == soon)
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.type, "opportunity")
        self.assertNotIn(later | no_partner, leads.aftersales_warranty_id)
        self.assertEqual(soon.date_renewal_offer, self.today)
        self.assertFalse(later.renewal_lead_ids)
        again = self.env["aftersales.warranty"]._cron_create_renewal_opportunities()
        self.assertFalse(again & soon.renewal_lead_ids, "one opportunity per card")
        self.assertEqual(len(soon.renewal_lead_ids), 1)

    def test_renewal_disabled(self):
        self.company.aftersales_renewal_days = 0
        card = self._card("WC-REN-OFF", partner_id=self.customer.id, state="active", date_start=self.today)
        card.date_end_override = self.today + timedelta(days=2)
        self.env["aftersales.warranty"]._cron_create_renewal_opportunities()
        self.assertFalse(card.renewal_lead_ids)
