from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesQcCommon


@tagged("post_install", "-at_install")
class TestQcInspection(AftersalesQcCommon):
    def test_submit_creates_inspection_from_checklist(self):
        order = self._order(self.tech_1)
        worklog = self._submit(order)
        inspection = worklog.qc_inspection_ids
        self.assertEqual(len(inspection), 1)
        self.assertEqual(worklog.state, "submitted", "a worklog picked for QC is not auto-approved")
        self.assertTrue(worklog.qc_pending)
        self.assertEqual(worklog.qc_trigger, "new_technician")
        self.assertEqual(inspection.state, "to_do")
        self.assertEqual(inspection.repair_id, order)
        self.assertEqual(inspection.technician_id, self.tech_1)
        self.assertEqual(inspection.checklist_id, self.checklist)
        self.assertEqual(inspection.line_ids.mapped("name"), ["Fault gone", "Supply voltage"])
        self.assertEqual(inspection.rework_round, 0)
        self.assertEqual(order.qc_status, "pending")
        self.assertEqual(order.qc_inspection_count, 1)

    def test_approve_releases_order(self):
        order = self._order(self.tech_1)
        worklog = self._submit(order)
        inspection = worklog.qc_inspection_ids
        with self.assertRaises(UserError):
            self._close(order)
        self._approve(inspection)
        self.assertEqual(inspection.state, "approved")
        self.assertEqual(inspection.inspector_id, self.inspector)
        self.assertTrue(inspection.date_decision)
        self.assertEqual(worklog.state, "approved")
        self.assertEqual(order.qc_status, "approved")
        self._close(order)
        self.assertEqual(order.state, "done")

    def test_reject_sends_rework_and_keeps_history(self):
        order = self._order(self.tech_1)
        worklog = self._submit(order)
        first = worklog.qc_inspection_ids
        self._reject(first)
        self.assertEqual(first.state, "rejected")
        self.assertEqual(worklog.state, "rejected")
        self.assertIn("Noise remains", worklog.rejection_reason)
        rework = first.rework_worklog_id
        self.assertTrue(rework)
        self.assertEqual(rework.state, "draft")
        self.assertEqual(rework.repair_id, order, "the rework stays on the same order")
        self.assertEqual(rework.technician_id, self.tech_1)
        self.assertEqual(rework.qc_rework_of_id, worklog)
        activity = rework.activity_ids
        self.assertEqual(activity.user_id, self.tech_user_1, "the technician gets a to-do for the rework")
        self.assertEqual(order.qc_rework_count, 1)
        self.assertEqual(order.qc_status, "rework")
        with self.assertRaises(UserError):
            self._close(order)
        # second round
        rework.write(
            {
                "date_start": worklog.date_start,
                "date_end": worklog.date_end,
                "result": "fixed",
                "lot_name_confirmed": order.lot_id.name,
            }
        )
        rework.action_submit()
        second = rework.qc_inspection_ids
        self.assertEqual(second.rework_round, 1)
        self._approve(second)
        self.assertEqual(rework.state, "approved")
        self.assertEqual(order.qc_inspection_ids, first | second)
        self.assertEqual(order.qc_rework_count, 1)
        self.assertEqual(order.qc_status, "approved")
        self._close(order)
        self.assertEqual(order.state, "done")

    def test_reject_needs_reason(self):
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        with self.assertRaises(UserError):
            inspection.with_user(self.inspector).action_reject()
        self.assertEqual(inspection.state, "to_do")

    def test_failed_check_cannot_be_approved(self):
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        self._fill_passing(inspection, voltage=250.0)
        voltage = inspection.line_ids.filtered(lambda line: line.kind == "measure")
        self.assertEqual(voltage.result, "fail", "a value above the maximum fails the check")
        with self.assertRaises(UserError):
            inspection.with_user(self.inspector).action_approve()
        voltage.measured_value = 230.0
        self.assertEqual(voltage.result, "pass")
        inspection.with_user(self.inspector).action_approve()
        self.assertEqual(inspection.state, "approved")

    def test_pass_fail_check_failed_blocks_approval(self):
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        self._fill_passing(inspection)
        inspection.line_ids.filtered(lambda line: line.kind == "pass_fail").result = "fail"
        with self.assertRaises(UserError):
            inspection.with_user(self.inspector).action_approve()

    def test_missing_measured_value(self):
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        inspection.line_ids.filtered(lambda line: line.kind == "pass_fail").result = "pass"
        with self.assertRaises(UserError):
            inspection.with_user(self.inspector).action_approve()
        # a recorded zero is a value (here out of range, so it fails)
        voltage = inspection.line_ids.filtered(lambda line: line.kind == "measure")
        voltage.measured_value = 0.0
        self.assertTrue(voltage.is_measured)
        self.assertEqual(voltage.result, "fail")

    def test_photo_required(self):
        self.checklist.item_ids.filtered(lambda item: item.kind == "pass_fail").photo_required = True
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        self._fill_passing(inspection)
        with self.assertRaises(UserError):
            inspection.with_user(self.inspector).action_approve()
        inspection.line_ids.filtered(
            "photo_required"
        ).photo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        inspection.with_user(self.inspector).action_approve()
        self.assertEqual(inspection.state, "approved")

    def test_only_inspectors_decide(self):
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        self._fill_passing(inspection)
        for user in (self.tech_user_1, self.dispatcher):
            with self.assertRaises(UserError):  # AccessError is a UserError too
                inspection.with_user(user).action_approve()
        self.assertEqual(inspection.state, "to_do")

    def test_dispatcher_cannot_bypass_qc(self):
        worklog = self._submit(self._order(self.tech_1))
        with self.assertRaises(UserError):
            worklog.with_user(self.dispatcher).action_approve()
        self.assertEqual(worklog.state, "submitted")

    def test_decided_inspection_is_frozen(self):
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        self._approve(inspection)
        with self.assertRaises(UserError):
            inspection.line_ids[0].result = "fail"
        with self.assertRaises(UserError):
            inspection.with_user(self.inspector).action_reject()

    def test_fallback_checklist(self):
        Checklist = self.env["aftersales.qc.checklist"]
        Checklist.search([("service_type_id", "=", False)]).active = False
        generic = Checklist.create({"name": "QC test generic", "item_ids": [(0, 0, {"name": "Report complete"})]})
        order = self._order(self.tech_1)
        order.service_type_id = self.env["aftersales.service.type"].create({"name": "QC test install"})
        inspection = self._submit(order).qc_inspection_ids
        self.assertEqual(inspection.checklist_id, generic)
        self.assertEqual(inspection.line_ids.mapped("name"), ["Report complete"])
