from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# SLA status of a service order (stored) and of a request and a report row (the worst of their orders)
SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("paused", "Paused"),
    ("met", "Met"),
]


class AftersalesSlaPolicy(models.Model):
    _name = "aftersales.sla.policy"
    _description = "After-Sales SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Among equally specific policies the lowest sequence wins.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    service_type_ids = fields.Many2many(
        "aftersales.service.type",
        "aftersales_sla_policy_service_type_rel",
        "policy_id",
        "service_type_id",
        string="Service Types",
        help="Empty means every service type.",
    )
    priority_ids = fields.Many2many(
        "aftersales.priority",
        "aftersales_sla_policy_priority_rel",
        "policy_id",
        "priority_id",
        string="Priorities",
        help="Empty means every priority.",
    )
    customer_tier = fields.Selection(
        [("standard", "Standard"), ("vip", "VIP")],
        help="Empty means every customer.",
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        "aftersales_sla_policy_product_categ_rel",
        "policy_id",
        "categ_id",
        string="Product Categories",
        help="Products of these categories or their sub-categories; empty means every product.",
    )
    response_hours = fields.Float(
        string="Response Time (hours)",
        required=True,
        default=4.0,
        help="Working hours between receipt and the technician's acceptance.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (hours)",
        required=True,
        default=24.0,
        help="Working hours between receipt and the end of the repair.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Calendar counting the SLA hours (nights, weekends and public holidays excluded). "
        "Empty: the company's working hours.",
    )

    _sql_constraints = [
        (
            "hours_positive",
            "CHECK(response_hours > 0 AND resolution_hours > 0)",
            "Response and resolution times must be positive.",
        ),
    ]

    @api.constrains("response_hours", "resolution_hours")
    def _check_response_before_resolution(self):
        for policy in self:
            if policy.response_hours > policy.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: the response time cannot exceed the resolution time.", name=policy.name
                    )
                )

    # ------------------------------------------------------------------ matching

    def _specificity(self):
        self.ensure_one()
        return sum(
            bool(criterion)
            for criterion in (self.service_type_ids, self.priority_ids, self.customer_tier, self.product_categ_ids)
        )

    def _matches(self, order):
        self.ensure_one()
        if self.company_id != order.company_id:
            return False
        if self.service_type_ids and order.service_type_id not in self.service_type_ids:
            return False
        if self.priority_ids and order.service_priority_id not in self.priority_ids:
            return False
        if self.customer_tier and self.customer_tier != order.aftersales_customer_tier:
            return False
        if self.product_categ_ids:
            path = order.product_id.categ_id.parent_path or ""
            if not any(path.startswith(categ.parent_path) for categ in self.product_categ_ids):
                return False
        return True

    @api.model
    def _match_orders(self, orders):
        """``{order_id: policy}``: the most specific matching policy, then the lowest sequence."""
        policies = self.search([("company_id", "in", orders.company_id.ids)])
        ranked = policies.sorted(lambda p: (-p._specificity(), p.sequence, p.id))
        result = {}
        for order in orders:
            result[order.id] = next((policy for policy in ranked if policy._matches(order)), self.browse())
        return result

    # ------------------------------------------------------------------ working time

    def _get_calendar(self):
        self.ensure_one()
        return self.calendar_id or self.company_id.resource_calendar_id

    def _add_working_hours(self, start, hours):
        """``start`` plus ``hours`` of working time of the policy's calendar (public holidays excluded)."""
        self.ensure_one()
        calendar = self._get_calendar()
        if not calendar:
            return start + timedelta(hours=hours)
        # plan_hours is exclusive of a zero-length plan; make sure the result is a naive UTC datetime
        result = calendar.plan_hours(hours, start, compute_leaves=True)
        return result or start + timedelta(hours=hours)

    def _working_hours_between(self, start, stop):
        """Working hours of the policy's calendar between two naive UTC datetimes."""
        self.ensure_one()
        if not start or not stop or stop <= start:
            return 0.0
        calendar = self._get_calendar()
        if not calendar:
            return (stop - start).total_seconds() / 3600.0
        return calendar.get_work_hours_count(start, stop, compute_leaves=True)
