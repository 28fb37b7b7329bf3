from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesQcCommon


@tagged("post_install", "-at_install")
class TestQcAccess(AftersalesQcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payroll_officer = new_test_user(
            cls.env, login="qc_test_payroll", groups="base.group_user,payroll.group_payroll_user"
        )
        month = cls.env["aftersales.technician.score"]._month_bounds(cls.env.cr.now().date())
        cls.scores = cls.env["aftersales.technician.score"]._get_or_create(cls.tech_1 | cls.tech_2, *month)
        cls.score_1 = cls.scores.filtered(lambda s: s.technician_id == cls.tech_1)
        cls.score_2 = cls.scores.filtered(lambda s: s.technician_id == cls.tech_2)

    def test_technician_reads_own_scores_only(self):
        Score = self.env["aftersales.technician.score"].with_user(self.tech_user_1)
        self.assertEqual(Score.search([("id", "in", self.scores.ids)]), self.score_1)
        self.score_1.with_user(self.tech_user_1).read(["score", "bonus_amount"])
        with self.assertRaises(AccessError):
            self.score_2.with_user(self.tech_user_1).read(["score"])
        with self.assertRaises(AccessError):
            self.score_1.with_user(self.tech_user_1).action_lock()

    def test_payroll_officer_reads_all_cannot_write(self):
        Score = self.env["aftersales.technician.score"].with_user(self.payroll_officer)
        self.assertEqual(Score.search([("id", "in", self.scores.ids)]), self.scores)
        with self.assertRaises(AccessError):
            self.score_1.with_user(self.payroll_officer).write({"score": 99.0})
        with self.assertRaises(AccessError):
            self.score_1.with_user(self.payroll_officer).action_lock()

    def test_technician_sees_own_inspections_only(self):
        own = self._submit(self._order(self.tech_1)).qc_inspection_ids
        other = self._submit(self._order(self.tech_2)).qc_inspection_ids
        Inspection = self.env["aftersales.qc.inspection"].with_user(self.tech_user_1)
        self.assertEqual(Inspection.search([("id", "in", (own | other).ids)]), own)
        with self.assertRaises(AccessError):
            own.with_user(self.tech_user_1).write({"reject_note": "mine"})

    def test_inspector_reads_scores_and_decides(self):
        Score = self.env["aftersales.technician.score"].with_user(self.inspector)
        self.assertEqual(Score.search([("id", "in", self.scores.ids)]), self.scores)
        with self.assertRaises(AccessError):
            self.score_1.with_user(self.inspector).write({"score": 1.0})
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        with self.assertRaises(UserError):
            inspection.with_user(self.inspector).write({"state": "approved"})
        inspection.with_user(self.inspector).write({"reject_reason_id": self.reason.id})
        inspection.with_user(self.inspector).action_reject()
        self.assertEqual(inspection.state, "rejected")

    def test_technician_cannot_pass_own_checks(self):
        """The one-click "All Open Checks Passed" is the inspector's: the technician whose work is
        inspected is refused over RPC and no check changes; the inspector's click leaves the measured
        check open and decides nothing."""
        inspection = self._submit(self._order(self.tech_1)).qc_inspection_ids
        with self.assertRaises(UserError):
            inspection.with_user(self.tech_user_1).action_pass_open_checks()
        self.assertEqual(inspection.line_ids.mapped("result"), [False, False], "nothing passed")
        inspection.with_user(self.inspector).action_pass_open_checks()
        results = {line.kind: line.result for line in inspection.line_ids}
        self.assertEqual(results, {"pass_fail": "pass", "measure": False}, "the measure still needs its value")
        self.assertEqual(inspection.state, "to_do", "nothing decided")
        self.assertEqual(inspection.open_check_count, 0)
