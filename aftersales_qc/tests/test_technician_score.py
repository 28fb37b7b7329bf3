from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesQcCommon

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


@tagged("post_install", "-at_install")
class TestTechnicianScore(AftersalesQcCommon):
    """A crafted month (March 2025) for two technicians.

    Reza (tech_1): order A fixed first time (3 h); order B rejected once by QC, reworked (1 h + 1 h);
    order C fixed (2 h) but the same serial came back a week later (order D, tech_2, still open).
    Sara (tech_2): order E fixed first time (2 h). Standard time of the service type: 2 h.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["aftersales.score.rule"].create(
            {"name": "QC test rule", "company_id": cls.company.id, "sequence": -1, "amount_per_point": 10.0}
        )
        Repair = cls.env["repair.order"]
        cls.order_a = cls._order(cls.tech_1)
        cls._approve(cls._submit(cls.order_a, hours=3.0).qc_inspection_ids)
        cls.order_b = cls._order(cls.tech_1)
        first_b = cls._submit(cls.order_b, hours=1.0)
        cls._reject(first_b.qc_inspection_ids)
        rework = first_b.qc_inspection_ids.rework_worklog_id
        rework.write(
            {
                "date_start": first_b.date_start,
                "date_end": first_b.date_end,
                "result": "fixed",
                "lot_name_confirmed": cls.order_b.lot_id.name,
            }
        )
        rework.action_submit()
        cls._approve(rework.qc_inspection_ids)
        cls.order_c = cls._order(cls.tech_1)
        cls._approve(cls._submit(cls.order_c, hours=2.0).qc_inspection_ids)
        cls.order_e = cls._order(cls.tech_2)
        cls._approve(cls._submit(cls.order_e, hours=2.0).qc_inspection_ids)
        cls.done_orders = cls.order_a | cls.order_b | cls.order_c | cls.order_e
        for order in cls.done_orders:
            cls._close(order)
        cls.order_d = cls._order(cls.tech_2, lot=cls.order_c.lot_id)
        # move the facts into March 2025
        finished = {
            cls.order_a: datetime(2025, 3, 5, 10),
            cls.order_b: datetime(2025, 3, 12, 10),
            cls.order_c: datetime(2025, 3, 15, 10),
            cls.order_e: datetime(2025, 3, 18, 10),
        }
        for order, when in finished.items():
            order.date_finished = when
            order.qc_inspection_ids.write({"date_decision": when})
        cls._set_create_date(cls.order_d, datetime(2025, 3, 22, 9))
        for order in (cls.order_a, cls.order_b, cls.order_c, cls.order_e):
            cls._set_create_date(order, datetime(2025, 3, 1, 9))
        model_id = cls.env["ir.model"]._get_id("repair.order")
        cls.env["rating.rating"].create(
            [
                {"res_model_id": model_id, "res_id": cls.order_a.id, "rating": 5, "consumed": True},
                {"res_model_id": model_id, "res_id": cls.order_b.id, "rating": 3, "consumed": True},
            ]
        )
        cls.has_sla = "sla_status" in Repair._fields
        if cls.has_sla:
            (cls.order_a | cls.order_c).write({"sla_status": "met"})
            cls.order_b.write({"sla_status": "breached"})
        cls.env.invalidate_all()
        Score = cls.env["aftersales.technician.score"]
        cls.scores = Score._get_or_create(cls.tech_1 | cls.tech_2, *MARCH)
        cls.scores.action_recompute()
        cls.score_1 = cls.scores.filtered(lambda s: s.technician_id == cls.tech_1)
        cls.score_2 = cls.scores.filtered(lambda s: s.technician_id == cls.tech_2)

    @classmethod
    def _set_create_date(cls, record, when):
        cls.env.cr.execute(f"UPDATE {record._table} SET create_date = %s WHERE id = %s", (when, record.id))  # noqa: S608
        record.invalidate_recordset(["create_date"])

    def test_jobs_and_time(self):
        self.assertEqual(self.score_1.jobs_done, 3)
        self.assertEqual(self.score_1.order_ids, self.order_a | self.order_b | self.order_c)
        self.assertEqual(len(self.score_1.worklog_ids), 4)
        self.assertAlmostEqual(self.score_1.time_spent, 7.0, places=2)
        self.assertAlmostEqual(self.score_1.time_standard, 6.0, places=2)
        self.assertAlmostEqual(self.score_1.efficiency, 85.71, places=2)
        self.assertEqual(self.score_2.jobs_done, 1)
        self.assertEqual(self.score_2.order_ids, self.order_e)

    def test_qc_figures(self):
        self.assertEqual(len(self.score_1.inspection_ids), 4)
        self.assertEqual(self.score_1.first_round_count, 3)
        self.assertEqual(self.score_1.first_pass_count, 2)
        self.assertAlmostEqual(self.score_1.first_pass_rate, 66.67, places=2)
        self.assertEqual(self.score_1.rework_count, 1)
        self.assertEqual(self.score_2.first_pass_rate, 100.0)
        self.assertEqual(self.score_2.rework_count, 0)
        action = self.score_1.action_view_reworks()
        reworks = self.env["aftersales.qc.inspection"].search(action["domain"])
        self.assertEqual(reworks.repair_id, self.order_b)

    def test_first_time_fix(self):
        self.assertEqual(self.score_1.ftf_count, 1)
        self.assertAlmostEqual(self.score_1.ftf_rate, 33.33, places=2)
        self.assertEqual(self.score_1.ftf_failed_order_ids, self.order_b | self.order_c)
        self.assertEqual(self.score_2.ftf_rate, 100.0)

    def test_sla_and_rating(self):
        if self.has_sla:
            self.assertEqual(self.score_1.sla_order_count, 3)
            self.assertEqual(self.score_1.sla_met_count, 2)
            self.assertAlmostEqual(self.score_1.sla_compliance, 66.67, places=2)
        self.assertEqual(self.score_1.rating_count, 2)
        self.assertAlmostEqual(self.score_1.rating_avg, 4.0)
        self.assertEqual(len(self.score_1.rating_ids), 2)

    def test_score_and_bonus(self):
        self.assertEqual(self.score_1.rule_id, self.rule)
        self.assertEqual(self.score_1.score, self.rule._compute_score(self._facts()[self.tech_1.id]))
        self.assertGreater(self.score_1.score, 0)
        self.assertLess(self.score_1.score, self.score_2.score, "the reworked and repeated jobs cost points")
        self.assertAlmostEqual(self.score_1.bonus_amount, round(self.score_1.score * 10.0, 2), places=2)

    def _facts(self):
        return self.env["aftersales.technician.score"]._get_period_facts(
            self.company, *MARCH, self.tech_1 | self.tech_2
        )

    def test_late_facts_recomputed_until_locked(self):
        self.assertEqual(self.score_1.ftf_count, 1)
        late = self._order(self.tech_2, lot=self.order_a.lot_id)
        self._set_create_date(late, datetime(2025, 3, 25, 9))
        self.score_1.action_recompute()
        self.assertEqual(self.score_1.ftf_count, 0, "order A came back on the same serial")
        self.assertIn(self.order_a, self.score_1.ftf_failed_order_ids)
        self.score_1.action_lock()
        self.assertEqual(self.score_1.state, "locked")
        with self.assertRaises(UserError):
            self.score_1.action_recompute()
        bonus = self.score_1.bonus_amount
        self.rule.amount_per_point = 20.0
        self.scores._recompute_facts()
        self.assertEqual(self.score_1.bonus_amount, bonus, "a locked score is frozen")
        self.assertAlmostEqual(self.score_2.bonus_amount, round(self.score_2.score * 20.0, 2), places=2)

    def test_facts_in_fixed_number_of_queries(self):
        Score = self.env["aftersales.technician.score"]
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        Score._get_period_facts(self.company, *MARCH, self.tech_1)
        one = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        Score._get_period_facts(self.company, *MARCH, self.tech_1 | self.tech_2)
        two = self.env.cr.sql_log_count - start
        self.assertEqual(one, two)

    def test_cron_creates_monthly_scores(self):
        Score = self.env["aftersales.technician.score"]
        Score._cron_update_scores()
        month_start = date.today().replace(day=1)
        scores = Score.search(
            [("technician_id", "in", (self.tech_1 | self.tech_2).ids), ("date_start", "=", month_start)]
        )
        self.assertEqual(scores.technician_id, self.tech_1 | self.tech_2)
        self.assertTrue(all(score.date_computed for score in scores))
        self.assertFalse(Score.search([("technician_id", "=", self.clerk.id)]), "non-technicians get no score")
