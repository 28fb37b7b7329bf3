from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_flows import AftersalesFlowsCommon


@tagged("post_install", "-at_install")
class TestPartsAccounting(AftersalesFlowsCommon):
    def _valuation_lines(self, moves):
        return moves.stock_valuation_layer_ids.account_move_id.line_ids

    def test_stock_account_installed(self):
        self.assertTrue(
            self.env["ir.module.module"].search([("name", "=", "stock_account"), ("state", "=", "installed")])
        )

    def test_warranty_location_per_company(self):
        self.assertEqual(self.warranty_location.usage, "inventory")
        self.assertEqual(self.warranty_location.valuation_in_account_id, self.account_warranty)
        other = self.env["account.account"].create(
            {"name": "Other Warranty Expense", "code": "AS5202", "account_type": "expense"}
        )
        self.company.aftersales_warranty_expense_account_id = other
        self.assertEqual(self.warranty_location.valuation_in_account_id, other)
        company = self.env["res.company"].create({"name": "Aftersales Branch Shiraz"})
        self.assertTrue(company.aftersales_warranty_location_id)
        self.assertEqual(company.aftersales_warranty_location_id.company_id, company)

    def test_full_path_in_warranty(self):
        order = self._make_order(under_warranty=True)
        worklog = self._make_worklog(order, parts=[(self.pump, 2)])
        worklog.action_submit()
        move = worklog.part_ids.move_id
        self.assertEqual(move.location_dest_id, self.warranty_location)
        order.action_repair_end()
        self.assertEqual(order.state, "done")
        self.assertEqual(move.state, "done")
        self.assertEqual(self._on_hand(self.pump, self.van), 8, "the van gave two pumps")
        self.assertEqual(self._on_hand(self.pump, self.warranty_location), 2)
        lines = self._valuation_lines(move)
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.account_warranty).debit, 80.0)
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.account_valuation).credit, 80.0)
        self.assertEqual(lines.move_id.state, "posted")
        with self.assertRaisesRegex(UserError, "under warranty"):
            order.action_invoice_parts()

    def test_full_path_out_of_warranty_invoice_parts_and_labour(self):
        order = self._make_order()
        worklog = self._make_worklog(order, parts=[(self.pump, 1), (self.seal, 2)], hours=2.0)
        worklog.action_submit()
        with self.assertRaisesRegex(UserError, "Only repaired orders"):
            order.action_invoice_parts()
        order.action_repair_end()
        self.assertEqual(self._on_hand(self.pump, self.van), 9)
        self.assertEqual(self._on_hand(self.seal, self.van), 8)
        moves = worklog.part_ids.move_id
        self.assertNotEqual(moves.location_dest_id, self.warranty_location)
        lines = self._valuation_lines(moves)
        self.assertEqual(
            sum(lines.filtered(lambda line: line.account_id == self.account_valuation).mapped("credit")), 60.0
        )

        order.action_invoice_parts()
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale")
        labour_line = sale.order_line.filtered(lambda line: line.product_id == self.labour)
        self.assertAlmostEqual(labour_line.product_uom_qty, 2.0, places=2)
        self.assertEqual(sale.amount_untaxed, 100.0 + 2 * 30.0 + 2 * 50.0)
        invoice = order.aftersales_invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 260.0)
        self.assertEqual(invoice.partner_id, self.customer)
        income = invoice.line_ids.filtered(lambda line: line.account_id == self.account_income)
        self.assertEqual(sum(income.mapped("credit")), 260.0)
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertEqual(receivable.debit, 260.0)
        self.assertEqual(order.aftersales_invoice_count, 1)
        action = order.action_invoice_parts()
        self.assertEqual(action["res_id"], invoice.id, "a second click opens the invoice, no new one")
        self.assertEqual(order.aftersales_invoice_ids, invoice)

    def test_labour_needs_a_labour_product(self):
        service_type = self.env["aftersales.service.type"].create({"name": "No labour product"})
        order = self._make_order(service_type=service_type)
        self._make_worklog(order).action_submit()
        order.action_repair_end()
        with self.assertRaisesRegex(UserError, "labour product"):
            order.action_invoice_parts()

    def test_removed_parts_to_scrap_or_back_to_stock(self):
        order = self._make_order()
        worklog = self._make_worklog(
            order,
            removed_part_ids=[
                Command.create({"product_id": self.pump.id, "quantity": 1, "line_type": "remove"}),
                Command.create({"product_id": self.seal.id, "quantity": 1, "line_type": "recycle"}),
            ],
        )
        worklog.action_submit()
        removed = order.move_ids.filtered(lambda m: m.repair_line_type == "remove")
        recycled = order.move_ids.filtered(lambda m: m.repair_line_type == "recycle")
        self.assertEqual(removed.product_id, self.pump)
        self.assertEqual(removed.location_dest_id, order.parts_location_id)
        self.assertEqual(removed.location_dest_id, self.warehouse.aftersales_scrap_location_id)
        self.assertEqual(removed.location_dest_id.usage, "internal", "a valued scrap stock")
        self.assertEqual(recycled.location_dest_id, order.recycle_location_id)
        seal_before = self._on_hand(self.seal, order.recycle_location_id)
        order.action_repair_end()
        self.assertEqual(removed.state, "done")
        self.assertEqual(self._on_hand(self.seal, order.recycle_location_id), seal_before + 1)

    # ------------------------------------------------------------ removed parts (issue 15, item 3)
    def _order_with_removed_part(self, product):
        order = self._make_order()
        worklog = self._make_worklog(
            order,
            removed_part_ids=[Command.create({"product_id": product.id, "quantity": 1, "line_type": "remove"})],
        )
        worklog.action_submit()
        self.assertEqual(worklog.state, "approved")
        order.action_repair_end()
        move = order.move_ids.filtered(lambda m: m.repair_line_type == "remove")
        self.assertEqual(move.state, "done")
        return order, move

    def test_removed_part_received_into_scrap_parts_with_its_entry(self):
        """Real-time valuation: the broken pump removed from the customer's unit is received into the
        warehouse's Scrap Parts stock at the pump's cost, debit stock valuation, credit the company's
        removed parts account; writing it off later (scrap) moves that value to the scrap loss."""
        recovery = self.env["account.account"].create(
            {"name": "Recovered Parts", "code": "AS4901", "account_type": "income_other"}
        )
        self.company.aftersales_scrap_recovery_account_id = recovery
        scrap_parts = self.warehouse.aftersales_scrap_location_id
        self.assertEqual(scrap_parts.usage, "internal")
        self.assertTrue(scrap_parts._should_be_valued())
        order, move = self._order_with_removed_part(self.pump)
        self.assertEqual(move.location_dest_id, scrap_parts)
        self.assertEqual(self._on_hand(self.pump, scrap_parts), 1)
        self.assertEqual(self._on_hand(self.pump, self.van), 10, "the van gave nothing")
        layer = move.stock_valuation_layer_ids
        self.assertEqual(len(layer), 1)
        self.assertEqual((layer.quantity, layer.value), (1, 40.0))
        entry = layer.account_move_id
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.journal_id, self.stock_journal)
        self.assertEqual(entry.line_ids.filtered(lambda line: line.account_id == self.account_valuation).debit, 40.0)
        self.assertEqual(entry.line_ids.filtered(lambda line: line.account_id == recovery).credit, 40.0)
        self.assertFalse(entry.line_ids.filtered(lambda line: line.account_id == self.account_stock_in))
        # disposal: the order's Scrap button writes the removed part off from the Scrap Parts stock
        action = order.action_aftersales_scrap()
        self.assertEqual(action["context"]["default_location_id"], scrap_parts.id)
        self.assertEqual(action["context"]["default_product_id"], self.pump.id)
        with Form(self.env["stock.scrap"].with_context(**action["context"])) as form:
            form.scrap_qty = 1
        scrap = form.record
        scrap.action_validate()
        self.assertEqual(self._on_hand(self.pump, scrap_parts), 0)
        lines = self._valuation_lines(scrap.move_ids)
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.account_valuation).credit, 40.0)

    def test_removed_part_without_account_uses_stock_input(self):
        """No removed parts account: the native counterpart (the category's stock input account)."""
        dummy, move = self._order_with_removed_part(self.seal)
        lines = self._valuation_lines(move)
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.account_valuation).debit, 10.0)
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.account_stock_in).credit, 10.0)

    def test_removed_part_manual_valuation_has_no_entry(self):
        """Manual (periodic) valuation: the removed part is received and valued in stock, no journal entry."""
        categ = self.env["product.category"].create(
            {"name": "Spare Parts (manual)", "property_valuation": "manual_periodic", "property_cost_method": "fifo"}
        )
        belt = self.env["product.product"].create(
            {"name": "Drive Belt", "is_storable": True, "categ_id": categ.id, "standard_price": 25.0}
        )
        dummy, move = self._order_with_removed_part(belt)
        self.assertEqual(move.location_dest_id, self.warehouse.aftersales_scrap_location_id)
        layer = move.stock_valuation_layer_ids
        self.assertEqual((layer.quantity, layer.value), (1, 25.0))
        self.assertFalse(layer.account_move_id)

    def test_new_warehouse_gets_scrap_parts_for_its_repairs(self):
        warehouse = self.env["stock.warehouse"].create({"name": "Service Centre Tabriz", "code": "TBZ"})
        scrap_parts = warehouse.aftersales_scrap_location_id
        self.assertEqual((scrap_parts.usage, scrap_parts.location_id), ("internal", warehouse.view_location_id))
        self.assertEqual(warehouse.repair_type_id.default_remove_location_dest_id, scrap_parts)
        self.assertFalse(scrap_parts.scrap_location, "not offered as the destination of ordinary scraps")

    def test_scrap_receipt_linked_to_order_with_valuation(self):
        order = self._make_order()
        action = order.action_aftersales_scrap()
        with Form(self.env["stock.scrap"].with_context(**action["context"])) as form:
            form.product_id = self.pump
            form.scrap_qty = 1
        scrap = form.record
        self.assertEqual(scrap.location_id, self.van)
        self.assertEqual(scrap.aftersales_repair_id, order)
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self._on_hand(self.pump, self.van), 9)
        self.assertEqual(self._on_hand(self.pump, scrap.scrap_location_id), 1)
        lines = self._valuation_lines(scrap.move_ids)
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.account_valuation).credit, 40.0)
        self.assertEqual(order.aftersales_scrap_count, 1)
        self.assertEqual(order.action_view_aftersales_scraps()["domain"], [("aftersales_repair_id", "=", order.id)])
