from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_flows import AftersalesFlowsCommon


@tagged("post_install", "-at_install")
class TestWorklog(AftersalesFlowsCommon):
    def test_submit_auto_approved_books_parts_on_order(self):
        order = self._make_order()
        worklog = self._make_worklog(order, parts=[(self.pump, 1)])
        self.assertEqual(worklog.technician_id, self.technician)
        self.assertAlmostEqual(worklog.duration_hours, 2.0, places=2)
        self.assertTrue(worklog.serial_checked)
        worklog.action_submit()
        self.assertEqual(worklog.state, "approved")
        move = worklog.part_ids.move_id
        self.assertEqual(len(move), 1)
        self.assertIn(move, order.move_ids)
        self.assertEqual(move.repair_line_type, "add")
        self.assertEqual(move.location_id, self.van)
        self.assertEqual(move.product_uom_qty, 1)
        self.assertEqual(order.aftersales_worklog_count, 1)
        self.assertAlmostEqual(order.aftersales_labour_hours, 2.0, places=2)

    def test_manual_approval_when_auto_approve_is_off(self):
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        worklog = self._make_worklog(order, parts=[(self.pump, 1)])
        worklog.with_user(self.tech_user).action_submit()
        self.assertEqual(worklog.state, "submitted")
        self.assertFalse(worklog.part_ids.move_id, "parts are booked only on approval")
        with self.assertRaises(AccessError):
            worklog.with_user(self.tech_user).action_approve()
        worklog.with_user(self.dispatcher).action_approve()
        self.assertEqual(worklog.state, "approved")
        self.assertEqual(worklog.approved_by_id, self.dispatcher)
        self.assertEqual(worklog.part_ids.move_id.repair_id, order)

    # ------------------------------------------------------------------ who approved (issue 15, item 1)
    def _approval_notes(self, worklog):
        return worklog.message_ids.filtered(lambda m: "Approved" in (m.body or ""))

    def test_auto_approval_names_no_approver(self):
        """QC off: the technician's Submit approves the worklog automatically. The technician approved
        nothing: no approver is recorded, the worklog and its chatter say it was automatic, and the
        technician is told it was approved, not that it waits for approval."""
        order = self._make_order()
        worklog = self.env["aftersales.worklog"].with_user(self.tech_user).create(self._worklog_vals(order))
        result = worklog.action_submit()
        self.assertEqual(worklog.state, "approved")
        self.assertFalse(worklog.approved_by_id, "the submitting technician is not the approver")
        self.assertEqual(worklog.approval_mode, "automatic")
        self.assertTrue(worklog.date_approved)
        note = self._approval_notes(worklog)
        self.assertEqual(len(note), 1)
        self.assertIn("Approved automatically (QC off)", note.body)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"), "the system signs the note")
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("approved automatically", result["params"]["message"])
        self.assertNotIn("sent for approval", result["params"]["message"])
        self.assertIn(worklog.name, result["params"]["message"])

    def test_manual_approval_names_the_approver(self):
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        worklog = self._make_worklog(order)
        result = worklog.with_user(self.tech_user).action_submit()
        self.assertIn("sent for approval", result["params"]["message"])
        self.assertNotIn("approved automatically", result["params"]["message"])
        self.assertFalse(worklog.approval_mode)
        self.assertFalse(self._approval_notes(worklog))
        worklog.with_user(self.dispatcher).action_approve()
        self.assertEqual(worklog.approval_mode, "manual")
        self.assertEqual(worklog.approved_by_id, self.dispatcher)
        note = self._approval_notes(worklog)
        self.assertIn(f"Approved by {self.dispatcher.name}", note.body)
        self.assertEqual(note.author_id, self.dispatcher.partner_id)

    def test_technician_cannot_write_the_approval_mode(self):
        """The approval mode is a workflow field: a technician's RPC write of it is refused."""
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        worklog = self.env["aftersales.worklog"].with_user(self.tech_user).create(self._worklog_vals(order))
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            worklog.write({"approval_mode": "manual"})
        worklog.action_submit()
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            worklog.write({"approval_mode": "automatic"})
        worklog.invalidate_recordset()
        self.assertEqual(worklog.state, "submitted")
        self.assertFalse(worklog.approval_mode)

    def test_reject_keeps_order_open_for_rework(self):
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        worklog = self._make_worklog(order, parts=[(self.pump, 1)])
        worklog.action_submit()
        with self.assertRaises(UserError):
            order.action_repair_end()
        worklog.with_user(self.dispatcher).action_reject()
        self.assertEqual(worklog.state, "rejected")
        self.assertEqual(order.state, "under_repair")
        self.assertFalse(order.move_ids, "rejected work books no part")
        rework = self._make_worklog(order, parts=[(self.pump, 1)])
        rework.action_submit()
        rework.with_user(self.dispatcher).action_approve()
        self.assertEqual(len(order.move_ids), 1)
        self.assertAlmostEqual(order.aftersales_labour_hours, 2.0, places=2, msg="only approved time counts")

    def test_service_report_prints_rejected_work_apart(self):
        """Issue 15, item 2: a worklog rejected by the dispatcher or QC is not printed as work done
        (with its result "Fixed"); the service report lists it under Rejected."""
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        rejected = self._make_worklog(order, work_description="First visit: replaced the seal")
        rejected.action_submit()
        rejected.with_user(self.dispatcher).action_reject()
        rework = self._make_worklog(order, work_description="Second visit: replaced the pump")
        rework.action_submit()
        rework.with_user(self.dispatcher).action_approve()
        sections = order._aftersales_get_report_worklogs()
        self.assertEqual(sections["done"], rework)
        self.assertEqual(sections["rejected"], rejected)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.action_report_repair_order_service", order.ids
        )
        html = html.decode()
        work_done, _sep, rejected_part = html.partition("Rejected</h4>")
        self.assertTrue(rejected_part, "a Rejected section is printed")
        self.assertIn("Work Done", work_done)
        self.assertIn(rework.name, work_done)
        self.assertNotIn(rejected.name, work_done, "rejected work is not work done")
        self.assertNotIn("First visit", html, "its notes are not printed as work done")
        self.assertIn(rejected.name, rejected_part)

    def test_serial_must_match_order(self):
        order = self._make_order()
        worklog = self._make_worklog(order, lot_name_confirmed="SWD226-2024-999999")
        self.assertFalse(worklog.serial_checked)
        with self.assertRaisesRegex(UserError, "does not match"):
            worklog.action_submit()
        worklog.lot_name_confirmed = " swd226 2024 000123 "
        self.assertTrue(worklog.serial_checked, "spaces, dashes and case are ignored")
        worklog.action_submit()
        self.assertEqual(worklog.state, "approved")

    def test_serial_required(self):
        order = self._make_order()
        worklog = self._make_worklog(order, lot_name_confirmed=False)
        with self.assertRaisesRegex(UserError, "serial number of the device"):
            worklog.action_submit()

    def test_part_quantity_must_be_positive(self):
        order = self._make_order()
        with self.assertRaisesRegex(ValidationError, "Drain Pump"):
            self._make_worklog(order, parts=[(self.pump, 0)])
        with self.assertRaises(ValidationError):
            self._make_worklog(order, parts=[(self.pump, -2)])

    def test_part_must_be_available_in_source(self):
        order = self._make_order()
        worklog = self._make_worklog(order, parts=[(self.pump, 6), (self.pump, 5)])
        self.assertEqual(worklog.part_ids[0].available_qty, 10)
        with self.assertRaisesRegex(UserError, "Drain Pump DP-226"):
            worklog.action_submit()
        self.assertEqual(worklog.state, "draft")

    def test_part_missing_from_van_is_warned_when_added(self):
        """Adding a part the van lacks warns at once, naming the part and the van; enough stock says nothing."""
        order = self._make_order()
        with Form(self.env["aftersales.worklog"].with_context(default_repair_id=order.id)) as form:
            with form.part_ids.new() as line:
                line.product_id = self.pump
                self.assertEqual(line.location_id, self.van)
                with self.assertNoLogs("odoo.tests.form.onchange", "WARNING"):
                    line.quantity = 10
                with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
                    line.quantity = 11
        self.assertIn("Drain Pump DP-226", logs.output[0])
        self.assertIn(self.van.display_name, logs.output[0])

    def test_end_must_follow_start(self):
        order = self._make_order()
        worklog = self._make_worklog(order)
        with self.assertRaisesRegex(ValidationError, "must be after the start"):
            worklog.date_end = worklog.date_start
        with self.assertRaises(ValidationError):
            self._make_worklog(order, hours=-1)

    def test_photos_required_by_service_type(self):
        order = self._make_order(service_type=self.service_type_photos)
        worklog = self._make_worklog(order)
        self.assertTrue(worklog.photos_required)
        with self.assertRaisesRegex(UserError, "photos before and after"):
            worklog.action_submit()
        before, after = self.env["ir.attachment"].create(
            [
                {"name": "before.jpg", "datas": "aGVsbG8=", "res_model": "aftersales.worklog", "res_id": worklog.id},
                {"name": "after.jpg", "datas": "aGVsbG8=", "res_model": "aftersales.worklog", "res_id": worklog.id},
            ]
        )
        worklog.photo_before_ids = [Command.link(before.id)]
        with self.assertRaises(UserError):
            worklog.action_submit()
        worklog.photo_after_ids = [Command.link(after.id)]
        worklog.action_submit()
        self.assertEqual(worklog.state, "approved")

    def test_signature_required_unless_disabled(self):
        order = self._make_order()
        worklog = self._make_worklog(order, signature=False)
        with self.assertRaisesRegex(UserError, "signature"):
            worklog.action_submit()
        self.company.aftersales_worklog_signature_required = False
        worklog.action_submit()
        self.assertEqual(worklog.state, "approved")

    def test_signature_and_position_are_time_stamped(self):
        order = self._make_order()
        worklog = self._make_worklog(order)
        self.assertTrue(worklog.signed_on)
        self.assertTrue(worklog.date_position)

    def test_position_far_from_customer_warns_without_blocking(self):
        order = self._make_order()
        near = self._make_worklog(order)
        self.assertFalse(near.warning_message)
        self.assertLess(near.distance_from_customer, 1.0)
        # Isfahan, about 340 km from the customer's address in Tehran
        far = self._make_worklog(order, latitude=32.6539, longitude=51.6660)
        self.assertGreater(far.distance_from_customer, 300)
        self.assertIn("km", far.warning_message)
        far.action_submit()
        self.assertEqual(far.state, "approved", "the warning does not block")
        self.assertTrue(
            far.message_ids.filtered(lambda m: "km from the customer" in (m.body or "")),
            "the warning is noted in the chatter",
        )
        self.company.aftersales_worklog_max_distance = 500.0
        far.invalidate_recordset(["warning_message"])
        self.assertFalse(far.warning_message)

    def test_only_compatible_parts(self):
        order = self._make_order()
        with self.assertRaisesRegex(ValidationError, "does not fit"):
            self._make_worklog(order, parts=[(self.backlight, 1)])
        worklog = self._make_worklog(order, parts=[(self.pump, 1), (self.seal, 1), (self.screw, 4)])
        self.assertEqual(len(worklog.part_ids), 3, "by product, by category and universal parts fit")
        domain = self.env["product.template"]._get_aftersales_compatible_parts_domain(self.device)
        fitting = self.env["product.product"].search(domain)
        self.assertIn(self.pump, fitting)
        self.assertIn(self.seal, fitting)
        self.assertNotIn(self.backlight, fitting)

    def test_scan_part_barcode_adds_line(self):
        order = self._make_order()
        with Form(self.env["aftersales.worklog"].with_context(default_repair_id=order.id)) as form:
            self.assertEqual(form.part_location_id, self.van, "the technician's van is the default source")
            form.barcode_scan = "6260001000115"
            form.barcode_scan = "6260001000115"
            form.barcode_scan = "DS-FL"
        worklog = form.record
        self.assertEqual(worklog.part_ids.product_id, self.pump | self.seal)
        self.assertEqual(worklog.part_ids.filtered(lambda p: p.product_id == self.pump).quantity, 2)
        self.assertEqual(worklog.part_ids.location_id, self.van)
        with self.assertRaisesRegex(UserError, "does not fit"):
            worklog.action_scan_part("6260001000999")
        with self.assertRaisesRegex(UserError, "No part"):
            worklog.action_scan_part("0000000000")
        worklog.action_scan_part("SC-M4")
        self.assertIn(self.screw, worklog.part_ids.product_id)

    def test_technician_only_writes_worklogs_of_own_orders(self):
        order = self._make_order()
        other_order = self._make_order(lot=self.lot2, technician=self.technician2)
        Worklog = self.env["aftersales.worklog"].with_user(self.tech_user)
        own = Worklog.create(self._worklog_vals(order, parts=[(self.pump, 1)]))
        own.work_description = "Replaced the drain pump"
        with self.assertRaises(AccessError):
            Worklog.create(self._worklog_vals(other_order))
        theirs = self._make_worklog(other_order)
        with self.assertRaises(AccessError):
            theirs.with_user(self.tech_user).work_description = "not mine"
        self.assertFalse(Worklog.search([("id", "=", theirs.id)]))
        own.action_submit()
        self.assertEqual(own.state, "approved")
        with self.assertRaises(AccessError):
            own.work_description = "changed after approval"

    def test_submitted_worklog_cannot_be_deleted(self):
        order = self._make_order()
        worklog = self._make_worklog(order)
        worklog.action_submit()
        with self.assertRaises(UserError):
            worklog.unlink()
