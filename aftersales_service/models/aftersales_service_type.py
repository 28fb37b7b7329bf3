from odoo import fields, models


class AftersalesServiceType(models.Model):
    _name = "aftersales.service.type"
    _description = "After-Sales Service Type"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(index=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Text(translate=True)
    applies_to = fields.Selection(
        [
            ("product", "Products"),
            ("part", "Spare Parts"),
            ("both", "Products and Spare Parts"),
        ],
        default="product",
        required=True,
        tracking=True,
        help="Whether this service is offered for finished products, for spare parts, or both.",
    )
    default_order_type_id = fields.Many2one(
        "aftersales.order.type",
        string="Default Work Type",
        tracking=True,
        help="How service orders of this type are carried out unless the request says otherwise.",
    )
    default_priority_id = fields.Many2one(
        "aftersales.priority",
        tracking=True,
    )
    order_creation = fields.Selection(
        [
            ("on_receipt", "Automatically on receipt"),
            ("manual", "By a button on the request line"),
        ],
        default="on_receipt",
        required=True,
        tracking=True,
        help="When a request is received, service orders are created for its lines of this type "
        "at once, or later by the 'Create Service Order' button of each line.",
    )
    photos_required = fields.Boolean(
        help="Technician worklogs of this type need before/after photos.",
        tracking=True,
    )
    standard_duration = fields.Float(
        string="Standard Duration (hours)",
        default=1.0,
        tracking=True,
        help="Expected hands-on time; technician scores compare the real time with it.",
    )
    labour_product_id = fields.Many2one(
        "product.product",
        domain="[('type', '=', 'service')]",
        tracking=True,
        help="Service product invoiced for the labour of orders of this type.",
    )
    required_skill_ids = fields.Many2many(
        "hr.skill",
        string="Required Skills",
        help="A technician must hold every one of these skills (native employee skills) "
        "to be proposed for orders of this type.",
    )
    min_skill_level = fields.Integer(
        string="Minimum Skill Level (%)",
        default=0,
        help="Lowest skill level progress (0-100) accepted for each required skill.",
    )
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share between companies.")

    _sql_constraints = [
        (
            "min_skill_level_range",
            "CHECK(min_skill_level >= 0 AND min_skill_level <= 100)",
            "The minimum skill level is a percentage between 0 and 100.",
        ),
    ]

    def _filter_qualified_technicians(self, employees):
        """Return the employees holding every required skill at the minimum level.

        One query for all employees and skills; a type without required skills accepts everyone.
        """
        self.ensure_one()
        if not self.required_skill_ids or not employees:
            return employees
        rows = (
            self.env["hr.employee.skill"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("skill_id", "in", self.required_skill_ids.ids),
                    ("skill_level_id.level_progress", ">=", self.min_skill_level),
                ],
                ["employee_id"],
                ["skill_id:count_distinct"],
            )
        )
        needed = len(self.required_skill_ids)
        qualified_ids = {employee.id for employee, count in rows if count >= needed}
        return employees.filtered(lambda employee: employee.id in qualified_ids)
