from odoo import fields, models


class AftersalesScoreRuleTier(models.Model):
    _name = "aftersales.score.rule.tier"
    _description = "Technician Bonus Tier"
    _order = "rule_id, min_score, id"

    rule_id = fields.Many2one("aftersales.score.rule", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True, precompute=True)
    currency_id = fields.Many2one(related="rule_id.currency_id")
    min_score = fields.Float(string="From Score", required=True, help="Lowest score (0-100) of this tier.")
    amount_per_point = fields.Monetary(required=True, help="Bonus per score point for scores in this tier.")

    _sql_constraints = [
        ("min_score_range", "CHECK(min_score >= 0 AND min_score <= 100)", "A tier starts between 0 and 100."),
        ("rule_min_score_uniq", "unique(rule_id, min_score)", "Two tiers of a rule cannot start at the same score."),
    ]
