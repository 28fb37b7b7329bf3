from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestScoreRule(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["aftersales.score.rule"].create(
            {
                "name": "QC test tiers",
                "weight_first_pass": 50.0,
                "weight_sla": 0.0,
                "weight_ftf": 50.0,
                "weight_rating": 0.0,
                "weight_efficiency": 0.0,
                "weight_volume": 0.0,
                "rework_penalty": 5.0,
                "amount_per_point": 2.0,
                "bonus_cap": 0.0,
            }
        )

    def _facts(self, **values):
        facts = {
            "jobs_done": 10,
            "first_round_count": 10,
            "first_pass_rate": 100.0,
            "sla_order_count": 0,
            "sla_compliance": 0.0,
            "ftf_rate": 100.0,
            "rating_count": 0,
            "rating_avg": 0.0,
            "time_spent": 0.0,
            "time_standard": 0.0,
            "rework_count": 0,
        }
        facts.update(values)
        return facts

    def test_weighted_score_and_rework_penalty(self):
        self.assertEqual(self.rule._compute_score(self._facts()), 100.0)
        self.assertEqual(self.rule._compute_score(self._facts(ftf_rate=60.0)), 80.0)
        self.assertEqual(self.rule._compute_score(self._facts(ftf_rate=60.0, rework_count=2)), 70.0)
        self.assertEqual(self.rule._compute_score(self._facts(jobs_done=0)), 0.0, "no job, no score")
        self.assertEqual(self.rule._compute_score(self._facts(rework_count=50)), 0.0, "never below zero")

    def test_figures_without_data_are_left_out(self):
        # no inspection: the first-pass weight is not counted against the technician
        self.assertEqual(self.rule._compute_score(self._facts(first_round_count=0, first_pass_rate=0.0)), 100.0)
        self.rule.weight_rating = 100.0
        score = self.rule._compute_score(self._facts(rating_count=2, rating_avg=4.0))
        self.assertAlmostEqual(score, (50 * 100 + 50 * 100 + 100 * 80) / 200.0)

    def test_bonus_without_tiers_and_cap(self):
        self.assertEqual(self.rule._compute_bonus(80.0), 160.0)
        self.rule.bonus_cap = 150.0
        self.assertEqual(self.rule._compute_bonus(80.0), 150.0)
        self.assertEqual(self.rule._compute_bonus(50.0), 100.0)

    def test_bonus_tiers(self):
        self.rule.write(
            {
                "bonus_cap": 700.0,
                "tier_ids": [
                    (0, 0, {"min_score": 60.0, "amount_per_point": 5.0}),
                    (0, 0, {"min_score": 80.0, "amount_per_point": 8.0}),
                ],
            }
        )
        self.assertEqual(self.rule._compute_bonus(59.99), 0.0, "below the lowest tier: no bonus")
        self.assertEqual(self.rule._compute_bonus(60.0), 300.0)
        self.assertEqual(self.rule._compute_bonus(79.0), 395.0)
        self.assertEqual(self.rule._compute_bonus(80.0), 640.0)
        self.assertEqual(self.rule._compute_bonus(95.0), 700.0, "capped")

    def test_weights_guard(self):
        with self.assertRaises(ValidationError):
            self.rule.weight_ftf = -1.0
        with self.assertRaises(ValidationError):
            self.rule.write({"weight_first_pass": 0.0, "weight_ftf": 0.0})
