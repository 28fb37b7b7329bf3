from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AftersalesQcCommon


@tagged("post_install", "-at_install")
class TestQcSampling(AftersalesQcCommon):
    def test_new_technician_always_inspected(self):
        self.company.aftersales_qc_sample_rate = 0
        worklog = self._submit(self._order(self.tech_2))
        self.assertEqual(worklog.qc_trigger, "new_technician")
        self.assertTrue(worklog.qc_inspection_ids)

    def test_experienced_technician_not_sampled_at_zero(self):
        self._make_experienced(self.tech_2)
        self.company.aftersales_qc_sample_rate = 0
        worklog = self._submit(self._order(self.tech_2))
        self.assertEqual(worklog.qc_trigger, "not_sampled")
        self.assertFalse(worklog.qc_inspection_ids)
        self.assertEqual(worklog.state, "approved", "unsampled work follows the company auto-approval")

    # ------------------------------------------------------------ who approved (issue 15, item 1)
    def _notes(self, worklog):
        return worklog.message_ids.filtered(lambda m: "Approved" in (m.body or "")).mapped("body")

    def test_qc_off_submit_is_approved_automatically_not_by_the_technician(self):
        self.company.aftersales_qc_enabled = False
        worklog = self._worklog(self._order(self.tech_2)).with_user(self.tech_user_2)
        result = worklog.action_submit()
        self.assertEqual(worklog.qc_trigger, "disabled")
        self.assertEqual(worklog.state, "approved")
        self.assertEqual(worklog.approval_mode, "automatic")
        self.assertFalse(worklog.approved_by_id, "the technician who submitted approved nothing")
        self.assertIn("Approved automatically (QC off)", self._notes(worklog)[0])
        self.assertIn("approved automatically", result["params"]["message"])

    def test_not_sampled_auto_approval_says_so(self):
        self._make_experienced(self.tech_2)
        self.company.aftersales_qc_sample_rate = 0
        worklog = self._submit(self._order(self.tech_2))
        self.assertEqual((worklog.approval_mode, worklog.approved_by_id.id), ("automatic", False))
        self.assertIn("QC did not sample this worklog", self._notes(worklog)[0])

    def test_qc_approval_names_the_inspector(self):
        worklog = self._worklog(self._order(self.tech_2)).with_user(self.tech_user_2)
        result = worklog.action_submit()
        self.assertEqual(worklog.state, "submitted", "a new technician's work waits for QC")
        self.assertIn("sent for approval", result["params"]["message"])
        self._approve(worklog.with_env(self.env).qc_inspection_ids)
        self.assertEqual(worklog.approval_mode, "qc")
        self.assertEqual(worklog.approved_by_id, self.inspector)
        self.assertIn("after the QC inspection", self._notes(worklog)[0])

    def test_not_sampled_waits_for_dispatcher_without_auto_approval(self):
        self._make_experienced(self.tech_2)
        self.company.write({"aftersales_qc_sample_rate": 0, "aftersales_worklog_auto_approve": False})
        worklog = self._submit(self._order(self.tech_2))
        self.assertFalse(worklog.qc_inspection_ids)
        self.assertEqual(worklog.state, "submitted")
        worklog.with_user(self.dispatcher).action_approve()
        self.assertEqual(worklog.state, "approved")

    def test_recently_rejected_technician_always_inspected(self):
        self._make_experienced(self.tech_2)
        self.company.aftersales_qc_sample_rate = 100
        inspection = self._submit(self._order(self.tech_2)).qc_inspection_ids
        self.assertEqual(inspection.trigger, "sample")
        self._reject(inspection)
        self.company.aftersales_qc_sample_rate = 0
        worklog = self._submit(self._order(self.tech_2))
        self.assertEqual(worklog.qc_trigger, "recent_rejection")
        self.assertEqual(worklog.qc_inspection_ids.trigger, "recent_rejection")
        # once the rejection is older than the window, sampling applies again
        inspection.date_decision = fields.Datetime.now() - timedelta(days=31)
        worklog = self._submit(self._order(self.tech_2))
        self.assertEqual(worklog.qc_trigger, "not_sampled")

    def test_sample_bucket_is_deterministic_and_uniform(self):
        Worklog = self.env["aftersales.worklog"]
        buckets = [Worklog.browse(worklog_id)._qc_sample_bucket() for worklog_id in range(1, 2001)]
        self.assertEqual(buckets, [Worklog.browse(i)._qc_sample_bucket() for i in range(1, 2001)])
        self.assertTrue(all(0 <= bucket < 100 for bucket in buckets))
        share = sum(1 for bucket in buckets if bucket < 30) / len(buckets)
        self.assertAlmostEqual(share, 0.30, delta=0.04)

    def test_sampling_follows_bucket(self):
        self._make_experienced(self.tech_2)
        self.company.aftersales_qc_sample_rate = 50
        worklogs = self.env["aftersales.worklog"]
        for _i in range(8):
            worklogs |= self._submit(self._order(self.tech_2))
        for worklog in worklogs:
            picked = worklog._qc_sample_bucket() < 50
            self.assertEqual(worklog.qc_trigger, "sample" if picked else "not_sampled")
            self.assertEqual(bool(worklog.qc_inspection_ids), picked)

    def test_qc_disabled(self):
        self.company.aftersales_qc_enabled = False
        worklog = self._submit(self._order(self.tech_1))
        self.assertEqual(worklog.qc_trigger, "disabled")
        self.assertFalse(worklog.qc_inspection_ids)
        self.assertEqual(worklog.state, "approved")
