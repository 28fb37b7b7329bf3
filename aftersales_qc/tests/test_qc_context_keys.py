from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesQcCommon

DECISION_KEY = {"aftersales_qc_decision": True}


@tagged("post_install", "-at_install")
class TestQcContextKeys(AftersalesQcCommon):
    """Issue 14: the ``aftersales_qc_decision`` context key, which any RPC client can send, used to switch
    off the decision checks. The attacks below send it; nothing may be skipped nor written."""

    def _assert_undecided(self, inspection, worklog):
        inspection.invalidate_recordset()
        worklog.invalidate_recordset()
        self.assertEqual(inspection.state, "to_do")
        self.assertFalse(inspection.inspector_id)
        self.assertFalse(inspection.date_decision)
        self.assertEqual(worklog.state, "submitted")
        self.assertFalse(worklog.approved_by_id)

    def test_inspector_cannot_write_the_decision_with_the_key(self):
        worklog = self._submit(self._order(self.tech_1))
        inspection = worklog.qc_inspection_ids
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(UserError, "Approve and Reject buttons"):
            inspection.with_user(self.inspector).with_context(**DECISION_KEY).write(
                {"state": "approved", "inspector_id": admin.id, "date_decision": fields.Datetime.now()}
            )
        self._assert_undecided(inspection, worklog)

    def test_inspector_cannot_skip_the_line_checks_with_the_key(self):
        worklog = self._submit(self._order(self.tech_1))
        inspection = worklog.qc_inspection_ids
        self.assertTrue(inspection.pending_line_count, "the checks are not filled in")
        with self.assertRaisesRegex(UserError, "Record the measured value"):
            inspection.with_user(self.inspector).with_context(**DECISION_KEY).action_approve()
        self._assert_undecided(inspection, worklog)
        # the worklog approval behind it is no shortcut either (it waits for QC; inspectors are not approvers)
        with self.assertRaises(UserError):
            worklog.with_user(self.inspector).with_context(**DECISION_KEY).action_approve()
        self._assert_undecided(inspection, worklog)
        # once the checks pass, the inspector who clicked is the decider
        self._fill_passing(inspection)
        inspection.with_user(self.inspector).with_context(**DECISION_KEY).action_approve()
        self.assertEqual(inspection.inspector_id, self.inspector)
        self.assertEqual(worklog.state, "approved")
        self.assertEqual(worklog.approved_by_id, self.inspector)

    def test_dispatcher_cannot_pass_the_qc_gate_with_the_key(self):
        worklog = self._submit(self._order(self.tech_1))
        inspection = worklog.qc_inspection_ids
        with self.assertRaisesRegex(UserError, "wait for their QC inspection"):
            worklog.with_user(self.dispatcher).with_context(**DECISION_KEY).action_approve()
        self._assert_undecided(inspection, worklog)

    def test_qc_fields_of_the_worklog_are_the_systems(self):
        order = self._order(self.tech_1)
        worklog = self._worklog(order)
        Worklog = worklog.with_user(self.tech_user_1)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            Worklog.write({"qc_trigger": "not_sampled"})
        other = self._worklog(order)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            Worklog.write({"qc_rework_of_id": other.id})
        worklog.invalidate_recordset()
        self.assertFalse(worklog.qc_trigger or worklog.qc_rework_of_id)
        # submission records the sampling as the system
        worklog.with_user(self.tech_user_1).action_submit()
        self.assertEqual(worklog.qc_trigger, "new_technician")
        self.assertEqual(worklog.state, "submitted")

    def test_reject_still_works_for_inspectors(self):
        worklog = self._submit(self._order(self.tech_1))
        inspection = worklog.qc_inspection_ids
        inspection.with_user(self.inspector).write({"reject_reason_id": self.reason.id})
        inspection.with_user(self.inspector).action_reject()
        self.assertEqual(inspection.state, "rejected")
        self.assertEqual(inspection.inspector_id, self.inspector)
        self.assertEqual(worklog.state, "rejected")
        self.assertEqual(inspection.rework_worklog_id.qc_rework_of_id, worklog)
