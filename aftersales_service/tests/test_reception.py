from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import AftersalesServiceCase


@tagged("post_install", "-at_install")
class TestReception(AftersalesServiceCase):
    def test_request_sequence_and_defaults(self):
        request = self._create_request()
        self.assertTrue(request.name.startswith("SR/"), request.name)
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.order_type_id, self.order_type, "work type comes from the service type")
        self.assertEqual(request.priority_id, self.priority_high)

    def test_new_request_reads_new_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        Request = self.env["aftersales.request"].with_context(lang="fa_IR")
        new = Request.default_get(["name"])["name"]
        self.assertEqual(new, Request.env._("New"))
        self.assertNotEqual(new, "New", "the Persian term, not the English one")
        request = Request.create(
            {
                "partner_id": self.customer.id,
                "service_type_id": self.service_type.id,
                "service_centre_id": self.centre.id,
                "name": new,
            }
        )
        self.assertTrue(request.name.startswith("SR/"), request.name)

    def test_add_units_by_each_kind_of_code(self):
        request = self._create_request(codes=["WC-TEST-001", "svc-test-002", "KET10"])
        by_code = {line.code: line for line in request.line_ids}
        warranty_line = by_code["WC-TEST-001"]
        self.assertEqual(warranty_line.lot_id, self.lots[0])
        self.assertEqual(warranty_line.warranty_id, self.warranty_valid)
        self.assertTrue(warranty_line.under_warranty)
        self.assertTrue(warranty_line.warranty_reason)
        expired_line = by_code["svc-test-002"]
        self.assertEqual(expired_line.lot_id, self.lots[1], "product serials are found whatever their case")
        self.assertEqual(expired_line.warranty_id, self.warranty_expired)
        self.assertFalse(expired_line.under_warranty)
        self.assertTrue(expired_line.warranty_reason, "the reason why it is not under warranty is kept")
        model_line = by_code["KET10"]
        self.assertEqual(model_line.product_id, self.product_untracked)
        self.assertFalse(model_line.lot_id)

    def test_scan_field_appends_line(self):
        request = self._create_request()
        with Form(request) as form:
            form.scan_code = "WC-TEST-001"
            self.assertFalse(form.scan_code, "the scan field is cleared for the next unit")
            self.assertEqual(len(form.line_ids), 1)
            form.scan_code = "SVC-TEST-002"
            self.assertEqual(len(form.line_ids), 2)
        self.assertEqual(request.line_ids.lot_id, self.lots[:2])
        self.assertEqual(request.line_ids.sorted("sequence").mapped("sequence"), [1, 2])

    def test_new_request_form_scan_and_save(self):
        """The counter flow: a new request, no counter, units scanned before the first save."""
        form = Form(self.env["aftersales.request"])
        form.partner_id = self.customer
        form.service_type_id = self.service_type
        self.assertEqual(form.priority_id, self.priority_high)
        form.scan_code = "wc-test-001"
        form.scan_code = "KET10"
        form.scan_code = "NOPE-404"  # refused with a warning, nothing added
        self.assertEqual(len(form.line_ids), 2)
        request = form.save()
        self.assertEqual(request.line_ids.product_id, self.product | self.product_untracked)
        self.assertEqual(request.line_ids.service_type_id, self.service_type)
        self.assertFalse(request.service_centre_id)

    def test_scan_first_takes_customer_from_card(self):
        """At the counter a code alone starts the request: customer, product, serial and warranty come
        from the card (it used to be refused with 'choose the customer first')."""
        form = Form(self.env["aftersales.request"].with_user(self.user_reception))
        form.service_type_id = self.service_type
        form.scan_code = "WC-TEST-001"
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(len(form.line_ids), 1)
        request = form.save()
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.line_ids.lot_id, self.lots[0])
        self.assertEqual(request.line_ids.warranty_id, self.warranty_valid)
        self.assertEqual(request.line_ids.product_id, self.product)

    def test_scan_first_other_customer_warns_and_switches(self):
        """A customer was chosen but the first card scanned is another's: the request follows the card
        and the receptionist is warned; once units are on it, another customer's unit is refused."""
        form = Form(self.env["aftersales.request"].with_user(self.user_reception))
        form.partner_id = self.other_customer
        form.service_type_id = self.service_type
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.scan_code = "WC-TEST-001"
        self.assertIn("Customer changed", logs.output[0])
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(len(form.line_ids), 1)
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.scan_code = "WC-TEST-003"  # the other customer's card: refused, the customer stays
        self.assertIn("another customer", logs.output[0])
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(len(form.line_ids), 1)

    def test_scan_product_code_without_customer_asks_for_one(self):
        form = Form(self.env["aftersales.request"].with_user(self.user_reception))
        form.service_type_id = self.service_type
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.scan_code = "KET10"  # a product code names no customer
        self.assertIn("choose the customer", logs.output[0])
        self.assertFalse(form.partner_id)
        self.assertFalse(form.line_ids)

    def test_reception_user_defaults_centre_and_counter(self):
        """A receptionist's new request is at their desk and centre; without a desk, the centre of their
        employee."""
        self.counter.user_ids = self.user_reception
        request = self.env["aftersales.request"].with_user(self.user_reception).new({})
        self.assertEqual(request.counter_id, self.counter)
        self.assertEqual(request.service_centre_id, self.centre)
        self.counter.user_ids = False
        self.env["hr.employee"].create(
            {"name": "Desk Clerk", "user_id": self.user_reception.id, "service_centre_id": self.centre.id}
        )
        request = (
            self.env["aftersales.request"]
            .with_user(self.user_reception)
            .create({"partner_id": self.customer.id, "service_type_id": self.service_type.id})
        )
        self.assertFalse(request.counter_id)
        self.assertEqual(request.service_centre_id, self.centre)

    def test_scan_field_rejects_same_unit_twice(self):
        request = self._create_request()
        with Form(request) as form:
            form.scan_code = "WC-TEST-001"
            form.scan_code = "SVC-TEST-001"  # the same unit through its product serial
            self.assertEqual(len(form.line_ids), 1)
        self.assertEqual(len(request.line_ids), 1)

    def test_scan_button_guards(self):
        request = self._create_request()
        with self.assertRaisesRegex(UserError, "not a known"):
            request._add_unit_codes(["NO-SUCH-CODE"])
        with self.assertRaisesRegex(UserError, "another customer"):
            request._add_unit_codes(["WC-TEST-003"])
        request._add_unit_codes(["WC-TEST-001"])
        other = self._create_request()
        with self.assertRaisesRegex(UserError, request.name):
            other._add_unit_codes(["SVC-TEST-001"])
        self.assertFalse(other.line_ids)

    def test_receive_creates_service_orders(self):
        request = self._create_request(codes=["WC-TEST-001", "SVC-TEST-002"])
        request.line_ids[0].failure_description = "Drum does not turn"
        request.action_receive()
        self.assertEqual(request.state, "received")
        self.assertTrue(request.date_received)
        self.assertEqual(request.repair_count, 2)
        orders = request.repair_ids
        valid = orders.filtered(lambda o: o.lot_id == self.lots[0])
        expired = orders.filtered(lambda o: o.lot_id == self.lots[1])
        self.assertTrue(valid.under_warranty)
        self.assertEqual(valid.warranty_id, self.warranty_valid)
        self.assertFalse(expired.under_warranty)
        for order in orders:
            self.assertTrue(order.is_aftersales)
            self.assertEqual(order.partner_id, self.customer)
            self.assertEqual(order.product_id, self.product)
            self.assertEqual(order.service_type_id, self.service_type)
            self.assertEqual(order.service_priority_id, self.priority_high)
            self.assertEqual(order.priority, "1", "a high service priority makes the repair urgent")
            self.assertEqual(order.service_centre_id, self.centre)
            self.assertEqual(order.picking_type_id, self.warehouse.repair_type_id)
            self.assertEqual(order.aftersales_request_line_id.repair_id, order)
        self.assertEqual(valid.reported_failure_description, "Drum does not turn")

    def test_receive_guards(self):
        empty = self._create_request()
        with self.assertRaisesRegex(UserError, "at least one unit"):
            empty.action_receive()
        request = self._create_request(codes=["WC-TEST-001"])
        request.action_receive()
        with self.assertRaisesRegex(UserError, "Only draft"):
            request.action_receive()

    def test_manual_order_creation_per_line(self):
        request = self._create_request(service_type=self.service_type_manual, codes=["WC-TEST-001", "SVC-TEST-004"])
        with self.assertRaisesRegex(UserError, "Receive the request"):
            request.line_ids[0].action_create_service_order()
        request.action_receive()
        self.assertFalse(request.repair_ids, "this service type creates orders by the line button")
        request.line_ids[0].action_create_service_order()
        self.assertEqual(request.repair_count, 1)
        with self.assertRaisesRegex(UserError, "already have a service order"):
            request.line_ids[0].action_create_service_order()

    def test_request_state_follows_orders(self):
        request = self._create_request(codes=["KET10"])
        request.action_receive()
        order = request.repair_ids
        order.action_validate()
        self.assertEqual(request.state, "in_service")
        order.action_repair_start()
        order.action_repair_end()
        self.assertEqual(order.state, "done")
        self.assertEqual(request.state, "done")
        self.assertTrue(request.date_done)

    def test_cancel_request_cancels_orders(self):
        request = self._create_request(codes=["WC-TEST-001"])
        request.action_receive()
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.repair_ids.state, "cancel")
        with self.assertRaisesRegex(UserError, "Only draft"):
            request.action_receive()
        request.action_draft()
        self.assertEqual(request.state, "draft")

    def test_unlink_guard(self):
        request = self._create_request(codes=["WC-TEST-001"])
        request.action_receive()
        with self.assertRaises(UserError):
            request.unlink()

    def test_receipt_report_renders(self):
        request = self._create_request(codes=["WC-TEST-001"])
        request.line_ids.failure_description = "Water leak"
        request.action_receive()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.report_aftersales_request_receipt", request.ids)[0]
            .decode()
        )
        self.assertIn(request.name, html)
        self.assertIn("Water leak", html)
        self.assertIn("SVC-TEST-001", html)
        self.assertIn("Customer signature", html)
