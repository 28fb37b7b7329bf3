from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesScoreRule(models.Model):
    _name = "aftersales.score.rule"
    _description = "Technician Score and Bonus Rule"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to apply to every company.")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id", help="Currency of the bonus amounts.")
    weight_first_pass = fields.Float(string="QC First-Pass Weight", default=30.0)
    weight_sla = fields.Float(string="SLA Compliance Weight", default=20.0)
    weight_ftf = fields.Float(string="First-Time-Fix Weight", default=20.0)
    weight_rating = fields.Float(string="Customer Rating Weight", default=15.0)
    weight_efficiency = fields.Float(string="Time Efficiency Weight", default=10.0)
    weight_volume = fields.Float(string="Jobs Done Weight", default=5.0)
    jobs_target = fields.Integer(
        string="Monthly Jobs Target",
        default=40,
        help="Jobs done in the month that give the full volume points.",
    )
    rework_penalty = fields.Float(
        string="Points Lost per Rework", default=2.0, help="Subtracted from the score for every QC rejection."
    )
    amount_per_point = fields.Monetary(
        default=0.0,
        help="Bonus per score point when the rule has no tiers.",
    )
    bonus_cap = fields.Monetary(help="Highest bonus of a month; 0 means no cap.")
    tier_ids = fields.One2many(
        "aftersales.score.rule.tier",
        "rule_id",
        string="Tiers",
        copy=True,
        help="With tiers, the bonus per point is the one of the highest tier the score reaches; "
        "a score below the lowest tier earns no bonus.",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for rule in self:
            rule.currency_id = (rule.company_id or self.env.company).currency_id

    @api.constrains(
        "weight_first_pass", "weight_sla", "weight_ftf", "weight_rating", "weight_efficiency", "weight_volume"
    )
    def _check_weights(self):
        for rule in self:
            weights = rule._get_weights()
            if any(weight < 0 for weight in weights.values()) or not sum(weights.values()):
                raise ValidationError(
                    self.env._("Rule %(rule)s: weights must be positive and not all zero.", rule=rule.name)
                )

    @api.model
    def _get_for_company(self, company):
        return self.search([("company_id", "in", [company.id, False])], order="company_id, sequence, id", limit=1)

    def _get_weights(self):
        self.ensure_one()
        return {
            "first_pass": self.weight_first_pass,
            "sla": self.weight_sla,
            "ftf": self.weight_ftf,
            "rating": self.weight_rating,
            "efficiency": self.weight_efficiency,
            "volume": self.weight_volume,
        }

    def _compute_score(self, facts):
        """Score in [0, 100] from the facts of one technician and month.

        Each figure is turned into 0-100; figures without data (no inspection, no rating...)
        are left out and the weights of the others share the total.
        """
        self.ensure_one()
        if not facts["jobs_done"]:
            return 0.0
        components = {
            "first_pass": facts["first_pass_rate"] if facts["first_round_count"] else None,
            "sla": facts["sla_compliance"] if facts["sla_order_count"] else None,
            "ftf": facts["ftf_rate"],
            "rating": facts["rating_avg"] / 5.0 * 100.0 if facts["rating_count"] else None,
            "efficiency": (
                min(facts["time_standard"] / facts["time_spent"], 1.0) * 100.0
                if facts["time_spent"] and facts["time_standard"]
                else None
            ),
            "volume": min(facts["jobs_done"] / self.jobs_target, 1.0) * 100.0 if self.jobs_target else None,
        }
        weights = self._get_weights()
        total_weight = sum(weights[key] for key, value in components.items() if value is not None)
        if not total_weight:
            return 0.0
        score = sum(weights[key] * value for key, value in components.items() if value is not None) / total_weight
        score -= self.rework_penalty * facts["rework_count"]
        return round(max(0.0, min(100.0, score)), 2)

    def _compute_bonus(self, score):
        self.ensure_one()
        if self.tier_ids:
            reached = self.tier_ids.filtered(lambda t: t.min_score <= score).sorted("min_score")
            rate = reached[-1:].amount_per_point if reached else 0.0
        else:
            rate = self.amount_per_point
        bonus = score * rate
        if self.bonus_cap:
            bonus = min(bonus, self.bonus_cap)
        return self.currency_id.round(bonus)
