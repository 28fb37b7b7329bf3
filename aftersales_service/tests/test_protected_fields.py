from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesServiceCase
from .common_flows import AftersalesProtectedFieldsCommon


@tagged("post_install", "-at_install")
class TestProtectedFields(AftersalesProtectedFieldsCommon):
    """Issue 14: workflow, approval and warranty fields change only through the action methods. Each test
    performs the RPC call a low-privilege user could send (``write``/``create`` with the field) and checks
    the refusal and that nothing was written; then the action methods still work for their roles."""

    # ------------------------------------------------------------------ worklogs
    def test_technician_cannot_approve_own_worklog(self):
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        Worklog = self.env["aftersales.worklog"].with_user(self.tech_user)
        worklog = Worklog.create(self._worklog_vals(order, parts=[(self.pump, 1)]))
        for vals in (
            {"state": "approved"},
            {"state": "submitted", "date_submitted": fields.Datetime.now()},
            {"approved_by_id": self.tech_user.id, "date_approved": fields.Datetime.now()},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                worklog.write(vals)
        worklog.invalidate_recordset()
        self.assertEqual(worklog.state, "draft")
        self.assertFalse(worklog.date_submitted or worklog.date_approved or worklog.approved_by_id)
        self.assertFalse(worklog.part_ids.move_id, "no part was booked")
        # nor created directly in an approved state
        count = self.env["aftersales.worklog"].search_count([("repair_id", "=", order.id)])
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            Worklog.create(self._worklog_vals(order, state="approved", approved_by_id=self.tech_user.id))
        self.assertEqual(self.env["aftersales.worklog"].search_count([("repair_id", "=", order.id)]), count)
        self.assertFalse(order.move_ids)

    def test_worklog_actions_still_work_for_their_roles(self):
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        Worklog = self.env["aftersales.worklog"].with_user(self.tech_user)
        worklog = Worklog.create(self._worklog_vals(order, parts=[(self.pump, 1)]))
        worklog.action_submit()
        self.assertEqual(worklog.state, "submitted")
        worklog.with_user(self.dispatcher).action_reject()
        self.assertEqual(worklog.state, "rejected")
        worklog.with_user(self.dispatcher).action_reset_draft()
        self.assertEqual(worklog.state, "draft")
        worklog.action_submit()
        worklog.with_user(self.dispatcher).action_approve()
        self.assertEqual(worklog.state, "approved")
        self.assertEqual(worklog.approved_by_id, self.dispatcher)
        self.assertTrue(worklog.signed_on and worklog.date_position, "the system still stamps the evidence")
        # a manager may still correct the fields directly
        worklog.with_user(self.manager).write({"date_approved": fields.Datetime.now()})

    def test_technician_parts_flow_creates_moves_through_the_system(self):
        """Technicians have no write on stock moves: the approved worklog books them as superuser."""
        order = self._make_order()
        worklog = (
            self.env["aftersales.worklog"]
            .with_user(self.tech_user)
            .create(self._worklog_vals(order, parts=[(self.pump, 1)]))
        )
        worklog.action_submit()
        self.assertEqual(worklog.state, "approved")
        move = worklog.part_ids.move_id
        self.assertEqual(move.repair_id, order)
        self.assertEqual(self.env["stock.move"].with_user(self.tech_user).search([("id", "=", move.id)]), move)

    # ------------------------------------------------------------------ stock moves
    def test_technician_cannot_create_or_write_stock_moves(self):
        order = self._make_order()
        done_move = self.env["stock.move"].search(
            [("location_dest_id", "=", self.van.id), ("product_id", "=", self.pump.id), ("state", "=", "done")],
            limit=1,
        )
        self.assertTrue(done_move)
        Move = self.env["stock.move"].with_user(self.tech_user)
        with self.assertRaises(AccessError):
            done_move.with_user(self.tech_user).write({"quantity": 999, "location_dest_id": self.van2.id})
        done_move.invalidate_recordset()
        self.assertEqual(done_move.quantity, 10)
        self.assertEqual(done_move.location_dest_id, self.van)
        count = self.env["stock.move"].search_count([])
        with self.assertRaises(AccessError):
            Move.create(
                {
                    "name": "Free pumps",
                    "product_id": self.pump.id,
                    "product_uom": self.pump.uom_id.id,
                    "product_uom_qty": 5,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.van.id,
                }
            )
        with self.assertRaises(AccessError):
            order.with_user(self.tech_user).write(
                {
                    "move_ids": [
                        Command.create({"product_id": self.pump.id, "product_uom_qty": 1, "repair_line_type": "add"})
                    ]
                }
            )
        self.assertEqual(self.env["stock.move"].search_count([]), count)
        # reading: the moves of their van and of their orders, not the other technician's van
        other_van_move = self._receive(self.seal, self.van2, 3, 10.0)
        visible = Move.search([("id", "in", (done_move | other_van_move).ids)])
        self.assertEqual(visible, done_move)

    # ------------------------------------------------------------------ service orders
    def test_technician_cannot_toggle_order_workflow_fields(self):
        order = self._draft_order()
        Order = order.with_user(self.tech_user)
        attacks = [
            {"under_warranty": True},
            {"warranty_id": False, "under_warranty": True},
            {"date_accepted": fields.Datetime.now()},
            {"technician_id": self.technician2.id},
            {"technician_id": False},
            {"is_aftersales": False},
            {"sla_start_date": fields.Datetime.now()},
        ]
        for vals in attacks:
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                Order.write(vals)
        order.invalidate_recordset()
        self.assertFalse(order.under_warranty)
        self.assertFalse(order.date_accepted)
        self.assertEqual(order.technician_id, self.technician)
        self.assertTrue(order.is_aftersales)
        # other fields stay editable for the technician
        Order.write({"internal_notes": "Customer prefers mornings"})

    def test_dispatcher_assigns_through_the_wizard_only(self):
        order = self._draft_order()
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            order.with_user(self.dispatcher).write({"technician_id": self.technician2.id})
        self.assertEqual(order.technician_id, self.technician)
        wizard = (
            self.env["repair.order.assign.technician"]
            .with_user(self.dispatcher)
            .create({"repair_ids": [Command.set(order.ids)], "technician_id": self.technician2.id})
        )
        wizard.action_assign()
        self.assertEqual(order.technician_id, self.technician2)
        self.assertTrue(order.date_assigned)
        # a manager may still write it directly
        order.with_user(self.manager).write({"technician_id": self.technician.id})
        self.assertEqual(order.technician_id, self.technician)

    def test_reception_cannot_create_orders_with_workflow_stamps(self):
        reception = new_test_user(
            self.env, login="flows_reception", groups="base.group_user,aftersales_warranty.group_aftersales_user"
        )
        count = self.env["repair.order"].search_count([])
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.env["repair.order"].with_user(reception).create(
                {
                    "product_id": self.device.id,
                    "partner_id": self.customer.id,
                    "service_type_id": self.service_type.id,
                    "date_accepted": fields.Datetime.now(),
                }
            )
        self.assertEqual(self.env["repair.order"].search_count([]), count)

    def test_dispatch_company_context_key_skips_nothing(self):
        """``aftersales_dispatch_company_checked`` used to switch off the company check of the technician."""
        other_company = self.env["res.company"].create({"name": "Flows Other Co"})
        foreign = self.env["hr.employee"].create(
            {"name": "Foreign Technician", "is_technician": True, "company_id": other_company.id}
        )
        order = self._draft_order()
        wizard = (
            self.env["repair.order.assign.technician"]
            .with_user(self.dispatcher)
            .with_context(aftersales_dispatch_company_checked=True)
            .create({"repair_ids": [Command.set(order.ids)], "technician_id": foreign.id})
        )
        with self.assertRaises(UserError):
            wizard.action_assign()
        self.assertEqual(order.technician_id, self.technician)
        with self.assertRaises(UserError):
            order.with_user(self.manager).with_context(aftersales_dispatch_company_checked=True).write(
                {"technician_id": foreign.id}
            )
        order.invalidate_recordset()
        self.assertEqual(order.technician_id, self.technician)


@tagged("post_install", "-at_install")
class TestProtectedWarranty(AftersalesServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        request = cls._create_request_cls(["WC-TEST-001"])
        request.action_receive()
        cls.order = request.repair_ids

    def test_warranty_follows_the_serial_not_the_client(self):
        order = self.order
        self.assertTrue(order.under_warranty)
        self.assertEqual(order.warranty_id, self.warranty_valid)
        Order = order.with_user(self.user_dispatcher)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            Order.write({"under_warranty": False})
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            Order.write({"warranty_id": self.warranty_other.id})
        order.invalidate_recordset()
        self.assertTrue(order.under_warranty)
        self.assertEqual(order.warranty_id, self.warranty_valid)
        # changing the serial is allowed; the warranty values sent along are replaced by the lookup
        Order.write({"lot_id": self.lots[1].id, "under_warranty": True, "warranty_id": self.warranty_valid.id})
        self.assertEqual(order.warranty_id, self.warranty_expired)
        self.assertFalse(order.under_warranty)

    def test_reception_cannot_claim_a_warranty_on_a_request_line(self):
        """Reception over RPC: a unit with an expired card, a line marked under warranty by hand."""
        request = self._create_request_cls(["WC-TEST-002"]).with_user(self.user_reception)
        line = request.line_ids
        self.assertFalse(line.under_warranty, "the card WC-TEST-002 has expired")
        Line = self.env["aftersales.request.line"].with_user(self.user_reception)
        count = Line.search_count([])
        for vals in (
            {"under_warranty": True},
            {"warranty_id": self.warranty_valid.id},  # another unit's valid card
            {"warranty_id": self.warranty_valid.id, "under_warranty": True},
        ):
            with self.assertRaisesRegex(AccessError, "comes from its warranty card"):
                line.write(vals)
            with self.assertRaisesRegex(AccessError, "comes from its warranty card"):
                Line.create(
                    dict(
                        vals,
                        request_id=request.id,
                        code="WC-TEST-002",
                        product_id=line.product_id.id,
                        lot_id=line.lot_id.id,
                    )
                )
        line.invalidate_recordset()
        self.assertFalse(line.under_warranty)
        self.assertEqual(line.warranty_id, self.warranty_expired)
        self.assertEqual(Line.search_count([]), count, "no line was created")
        # the lookup's own values pass: scanning the valid card adds a line under warranty
        request.with_user(self.user_reception)._add_unit_codes(["WC-TEST-004"])
        self.assertTrue(request.line_ids.filtered(lambda unit: unit.warranty_id == self.warranty_spare).under_warranty)
        # a manager may grant a goodwill warranty
        line.with_user(self.user_manager).write({"under_warranty": True})
        self.assertTrue(line.under_warranty)
