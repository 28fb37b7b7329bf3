from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

TECHNICIAN_LEVELS = [
    ("1", "Junior"),
    ("2", "Intermediate"),
    ("3", "Senior"),
    ("4", "Expert"),
]


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    is_technician = fields.Boolean(
        string="Technician", index=True, tracking=True, help="Can be assigned after-sales service orders."
    )
    service_centre_id = fields.Many2one(
        "aftersales.service.centre",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    technician_level = fields.Selection(TECHNICIAN_LEVELS, default="1", tracking=True)
    max_jobs_per_day = fields.Integer(
        string="Max Jobs per Day", default=6, help="Dispatch does not give more open jobs than this in one day."
    )
    # private to HR officers; the other technician fields are also on hr.employee.public
    home_latitude = fields.Float(digits=(10, 7), groups="hr.group_hr_user")
    home_longitude = fields.Float(digits=(10, 7), groups="hr.group_hr_user")
    last_latitude = fields.Float(digits=(10, 7), string="Last Known Latitude")
    last_longitude = fields.Float(digits=(10, 7), string="Last Known Longitude")
    last_position_date = fields.Datetime(string="Last Position On")
    van_location_id = fields.Many2one(
        "stock.location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Internal stock location of the technician's van, under the service centre's warehouse.",
    )
    aftersales_order_ids = fields.One2many("repair.order", "technician_id", string="Service Orders")
    aftersales_order_count = fields.Integer(compute="_compute_aftersales_order_counts", string="Service Orders Count")
    aftersales_open_order_count = fields.Integer(compute="_compute_aftersales_order_counts", string="Open Orders")

    _sql_constraints = [
        ("max_jobs_per_day_positive", "CHECK(max_jobs_per_day >= 0)", "Max jobs per day cannot be negative."),
    ]

    @api.depends("aftersales_order_ids.state")
    def _compute_aftersales_order_counts(self):
        rows = (
            self.env["repair.order"]
            .sudo()
            ._read_group([("technician_id", "in", self.ids)], ["technician_id", "state"], ["__count"])
        )
        total = {}
        open_count = {}
        for employee, state, count in rows:
            total[employee.id] = total.get(employee.id, 0) + count
            if state not in ("done", "cancel"):
                open_count[employee.id] = open_count.get(employee.id, 0) + count
        for employee in self:
            employee.aftersales_order_count = total.get(employee.id, 0)
            employee.aftersales_open_order_count = open_count.get(employee.id, 0)

    @api.constrains("van_location_id")
    def _check_van_location_id(self):
        for employee in self.filtered("van_location_id"):
            if employee.van_location_id.usage != "internal":
                raise ValidationError(
                    self.env._("The van location of %(name)s must be an internal location.", name=employee.name)
                )

    def action_create_van_location(self):
        missing_centre = self.filtered(lambda employee: not employee.service_centre_id.warehouse_id)
        if missing_centre:
            raise UserError(
                self.env._(
                    "Set a service centre with a warehouse first for: %(names)s",
                    names=", ".join(missing_centre.mapped("name")),
                )
            )
        has_van = self.filtered("van_location_id")
        if has_van:
            raise UserError(
                self.env._(
                    "These technicians already have a van location: %(names)s",
                    names=", ".join(has_van.mapped("name")),
                )
            )
        locations = self.env["stock.location"].create(
            [
                {
                    "name": self.env._("Van %(name)s", name=employee.name),
                    "usage": "internal",
                    "location_id": employee.service_centre_id.warehouse_id.view_location_id.id,
                    "company_id": employee.service_centre_id.company_id.id,
                }
                for employee in self
            ]
        )
        for employee, location in zip(self, locations, strict=True):
            employee.van_location_id = location
        return True

    def action_view_aftersales_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.repair_order_action_aftersales")
        action["domain"] = [("technician_id", "=", self.id)]
        action["context"] = {"default_technician_id": self.id, "default_is_aftersales": True}
        return action
