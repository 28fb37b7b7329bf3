from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestDelivery(WarrantyCommon):
    def test_delivery_creates_active_cards(self):
        lots = self._lot("SN-DLV-1") | self._lot("SN-DLV-2")
        picking = self._deliver(lots, self.customer_contact)
        cards = lots.warranty_id
        self.assertEqual(len(cards), 2)
        for card in cards:
            self.assertEqual(card.state, "active")
            self.assertEqual(card.date_start, self.today)
            self.assertEqual(card.partner_id, self.customer_contact)
            self.assertEqual(card.delivery_picking_id, picking)
            self.assertEqual(card.warranty_type_id, self.type_18m)
            self.assertTrue(card.under_warranty)
            self.assertTrue(card.name.startswith("WC"))
        self.assertEqual(self.customer.warranty_count, 2)

    def test_delivery_starts_imported_draft_card(self):
        lot = self._lot("SN-DLV-DRAFT")
        card = self._card("WC-PREPRINTED", lot)
        self._deliver(lot)
        self.assertEqual(card.state, "active")
        self.assertEqual(card.date_start, self.today)
        self.assertEqual(card.partner_id, self.customer)
        self.assertEqual(lot.warranty_ids, card, "no second card")

    def test_registration_type_stays_draft(self):
        self.product_other.warranty_type_id = self.type_registration
        lot = self._lot("SN-DLV-REG", self.product_other)
        self._deliver(lot)
        self.assertEqual(lot.warranty_id.state, "draft")
        self.assertFalse(lot.warranty_id.date_start)
        self.assertEqual(lot.warranty_id.partner_id, self.customer)

    def test_registration_by_customer_starts_card(self):
        self.product_other.warranty_type_id = self.type_registration
        lot = self._lot("SN-DLV-REG2", self.product_other)
        self._deliver(lot, self.customer2)
        card = lot.warranty_id
        card.action_register(date_start=self.today)
        self.assertEqual((card.state, card.date_start, card.partner_id), ("active", self.today, self.customer2))
        self.assertEqual(card.date_end, self.type_registration.compute_date_end(self.today))
        with self.assertRaises(UserError):
            card.action_register()

    def test_sale_trigger_starts_on_order_date(self):
        self.type_18m.start_trigger = "sale"
        lot = self._lot("SN-DLV-SALE")
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.env.ref("stock.warehouse0").lot_stock_id, 1, lot_id=lot
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=10)
        picking = order.picking_ids
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, lot)
        picking.move_ids.picked = True
        picking._action_done()
        card = lot.warranty_id
        self.assertEqual(card.sale_order_id, order)
        self.assertEqual(card.state, "active")
        self.assertEqual(card.date_start, self.today - timedelta(days=10))

    def test_not_serviceable_gets_no_card(self):
        self.product_other.is_serviceable = False
        lot = self._lot("SN-DLV-NONE", self.product_other)
        self._deliver(lot)
        self.assertFalse(lot.warranty_ids)

    def test_return_is_recorded_on_the_card(self):
        lot = self._lot("SN-RET-1")
        picking = self._deliver(lot)
        card = lot.warranty_id
        return_pick = self._return(picking)
        self.assertTrue(card.returned)
        self.assertEqual(card.date_returned, self.today)
        self.assertEqual(card.return_picking_id, return_pick)
        self.assertEqual(card.state, "active", "a return does not end the warranty by itself")
        self.assertTrue(any("returned" in body for body in card.message_ids.mapped("body")))
