from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models


class AftersalesWarrantyType(models.Model):
    """Duration, start trigger and coverage of a warranty."""

    _name = "aftersales.warranty.type"
    _description = "Warranty Type"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    duration = fields.Integer(required=True, default=12, help="Length of the warranty, in the chosen unit.")
    duration_unit = fields.Selection(
        [("day", "Days"), ("month", "Months"), ("year", "Years")],
        required=True,
        default="month",
    )
    start_trigger = fields.Selection(
        [
            ("delivery", "Delivery to the customer"),
            ("sale", "Sale confirmation"),
            ("registration", "Registration by the customer"),
            ("manual", "Manual"),
        ],
        string="Starts on",
        required=True,
        default="delivery",
        help="Delivery: the card starts when the serial leaves the warehouse to the customer.\n"
        "Sale confirmation: it starts on the date the sale order was confirmed.\n"
        "Registration: it starts when the customer registers the card (portal, SMS, reception).\n"
        "Manual: a user activates it.",
    )
    coverage = fields.Selection(
        [("parts", "Parts"), ("labour", "Labour"), ("both", "Parts and labour")],
        required=True,
        default="both",
    )
    grace_days = fields.Integer(
        "Grace period (days)",
        default=0,
        help="Days after the end date during which the product is still served as under warranty.",
    )
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the type between companies.")
    description = fields.Text(translate=True)
    warranty_count = fields.Integer(compute="_compute_warranty_count", string="Warranty cards")

    _sql_constraints = [
        ("duration_positive", "CHECK(duration > 0)", "The warranty duration must be positive."),
        ("grace_positive", "CHECK(grace_days >= 0)", "The grace period cannot be negative."),
    ]

    def _compute_warranty_count(self):
        groups = self.env["aftersales.warranty"]._read_group(
            [("warranty_type_id", "in", self.ids)], ["warranty_type_id"], ["__count"]
        )
        counts = {wtype.id: count for wtype, count in groups}
        for wtype in self:
            wtype.warranty_count = counts.get(wtype.id, 0)

    def compute_date_end(self, date_start):
        """Return the last covered day of a warranty of this type starting on ``date_start``.

        The warranty covers ``duration`` units counted from the start day included: 12 months from
        2025-01-15 cover up to 2026-01-14. When the anniversary falls on a day that does not exist
        (31 January + 1 month, 29 February + 1 year) the warranty covers up to the end of that month.
        """
        self.ensure_one()
        if not date_start:
            return False
        if self.duration_unit == "day":
            return date_start + timedelta(days=self.duration - 1)
        if self.duration_unit == "month":
            anniversary = date_start + relativedelta(months=self.duration)
        else:
            anniversary = date_start + relativedelta(years=self.duration)
        if anniversary.day < date_start.day:
            # day clamped to the month end by relativedelta: cover that whole month
            return anniversary
        return anniversary - timedelta(days=1)

    def action_view_warranties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_warranty.aftersales_warranty_action")
        action["domain"] = [("warranty_type_id", "=", self.id)]
        action["context"] = {"default_warranty_type_id": self.id}
        return action
