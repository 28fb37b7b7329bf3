from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_flows import AftersalesFlowsCommon


@tagged("post_install", "-at_install")
class TestPartRequest(AftersalesFlowsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.regional = cls.env["stock.warehouse"].create({"name": "Regional Isfahan", "code": "ISFR"})
        cls._receive(cls.seal, cls.regional.lot_stock_id, 7, 10.0)

    def test_live_stock_by_warehouse(self):
        stock = self.env["aftersales.part.request"]._get_stock_by_warehouse(self.pump | self.seal, self.company)
        self.assertEqual(stock[self.seal][self.regional], (7.0, 7.0))
        self.assertEqual(stock[self.pump][self.warehouse][0], 30.0, "warehouse stock and the van inside it")
        request = (
            self.env["aftersales.part.request"]
            .with_user(self.tech_user)
            .create({"product_id": self.seal.id, "quantity": 2, "warehouse_id": self.regional.id})
        )
        self.assertEqual(request.technician_id, self.technician)
        self.assertEqual(request.location_dest_id, self.van)
        self.assertEqual(request.available_qty, 7.0)
        self.assertIn("Regional Isfahan", request.stock_overview)

    def test_storekeeper_approves_and_transfer_reaches_van(self):
        request = (
            self.env["aftersales.part.request"]
            .with_user(self.tech_user)
            .create({"product_id": self.seal.id, "quantity": 2, "warehouse_id": self.regional.id})
        )
        request.action_request()
        self.assertEqual(request.state, "requested")
        with self.assertRaises(AccessError):
            request.action_approve()
        request.with_user(self.storekeeper).action_approve()
        self.assertEqual(request.state, "approved")
        picking = self.env["stock.picking"].browse(request.picking_id.id)
        self.assertEqual(picking.picking_type_id, self.regional.int_type_id)
        self.assertEqual(picking.location_id, self.regional.lot_stock_id)
        self.assertEqual(picking.location_dest_id, self.van)
        self.assertEqual(picking.state, "assigned")
        van_before = self._on_hand(self.seal, self.van)
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(self._on_hand(self.seal, self.van), van_before + 2)
        self.assertEqual(self._on_hand(self.seal, self.regional.lot_stock_id), 5)

    def test_automatic_approval_only_when_available(self):
        self.company.aftersales_part_request_auto_approve = True
        Request = self.env["aftersales.part.request"].with_user(self.tech_user)
        served = Request.create({"product_id": self.seal.id, "quantity": 5, "warehouse_id": self.regional.id})
        served.action_request()
        self.assertEqual(served.state, "approved")
        self.assertTrue(served.picking_id)
        self.assertFalse(served.approved_by_id, "nobody approved it: the company's rule did, not the technician")
        self.assertTrue(any("Approved automatically" in message.body for message in served.message_ids))
        short = Request.create({"product_id": self.seal.id, "quantity": 50, "warehouse_id": self.regional.id})
        short.action_request()
        self.assertEqual(short.state, "requested")
        self.assertFalse(short.picking_id)

    def test_storekeeper_approval_names_the_storekeeper(self):
        request = (
            self.env["aftersales.part.request"]
            .with_user(self.tech_user)
            .create({"product_id": self.seal.id, "quantity": 1, "warehouse_id": self.regional.id})
        )
        request.action_request()
        request.with_user(self.storekeeper).action_approve()
        self.assertEqual(request.approved_by_id, self.storekeeper)

    def test_technician_sees_own_requests_only(self):
        mine = self.env["aftersales.part.request"].with_user(self.tech_user).create({"product_id": self.seal.id})
        theirs = self.env["aftersales.part.request"].with_user(self.tech2_user).create({"product_id": self.seal.id})
        visible = self.env["aftersales.part.request"].with_user(self.tech_user).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        self.assertIn(theirs, self.env["aftersales.part.request"].with_user(self.storekeeper).search([]))

    def test_cancel_approved_request_cancels_transfer(self):
        request = (
            self.env["aftersales.part.request"]
            .with_user(self.tech_user)
            .create({"product_id": self.seal.id, "quantity": 1, "warehouse_id": self.regional.id})
        )
        request.action_request()
        request.with_user(self.storekeeper).action_approve()
        with self.assertRaises(AccessError):
            request.action_cancel()
        request.with_user(self.storekeeper).action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertEqual(request.picking_id.sudo().state, "cancel")
