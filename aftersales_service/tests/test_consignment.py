from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_flows import AftersalesFlowsCommon


@tagged("post_install", "-at_install")
class TestConsignment(AftersalesFlowsCommon):
    def _validate(self, picking):
        picking.action_confirm()
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")

    def test_issue_to_van_and_return_unused(self):
        order = self._make_order()
        van_before = self._on_hand(self.pump, self.van)
        stock_before = self._on_hand(self.pump, self.stock_location)
        action = order.action_consignment_issue()
        with Form(self.env["stock.picking"].with_context(**action["context"])) as form:
            with form.move_ids_without_package.new() as line:
                line.product_id = self.pump
                line.product_uom_qty = 3
        issue = form.record
        self.assertEqual(issue.location_dest_id, self.van)
        self.assertEqual(issue.aftersales_consignment_type, "issue")
        self._validate(issue)
        self.assertEqual(self._on_hand(self.pump, self.van), van_before + 3)
        self.assertEqual(self._on_hand(self.pump, self.stock_location), stock_before - 3)
        self.assertEqual(order.aftersales_consignment_count, 1)

        self._make_worklog(order, parts=[(self.pump, 1)]).action_submit()
        order.action_repair_end()
        result = order.action_consignment_return()
        back = self.env["stock.picking"].browse(result["res_id"])
        self.assertEqual(back.aftersales_consignment_type, "return")
        self.assertEqual(back.location_id, self.van)
        self.assertEqual(back.location_dest_id, self.stock_location)
        self.assertEqual(back.move_ids.product_uom_qty, 2, "three issued, one consumed")
        self._validate(back)
        self.assertEqual(self._on_hand(self.pump, self.van), van_before)
        self.assertEqual(self._on_hand(self.pump, self.stock_location), stock_before - 1)
        self.assertEqual(order.aftersales_consignment_picking_ids, issue | back)
        with self.assertRaisesRegex(UserError, "no issued part"):
            order.action_consignment_return()

    def test_return_needs_issued_parts_and_a_van(self):
        order = self._make_order()
        with self.assertRaises(UserError):
            order.action_consignment_return()
        self.technician.van_location_id = False
        with self.assertRaisesRegex(UserError, "no van"):
            order.action_consignment_issue()
