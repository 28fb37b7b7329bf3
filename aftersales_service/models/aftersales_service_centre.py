from odoo import api, fields, models


class AftersalesServiceCentre(models.Model):
    _name = "aftersales.service.centre"
    _description = "After-Sales Service Centre"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        tracking=True,
        help="Warehouse of the branch: its repair operation type is used for the service orders of the centre, "
        "technicians' van locations are created under it.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        check_company=True,
        tracking=True,
        help="Address of the branch; its GPS position is the centre's position.",
    )
    partner_latitude = fields.Float(
        related="partner_id.partner_latitude", readonly=False, string="Latitude", digits=(10, 7)
    )
    partner_longitude = fields.Float(
        related="partner_id.partner_longitude", readonly=False, string="Longitude", digits=(10, 7)
    )
    manager_id = fields.Many2one("res.users", tracking=True, check_company=True)
    counter_ids = fields.One2many("aftersales.counter", "service_centre_id", string="Reception Counters")
    technician_ids = fields.One2many(
        "hr.employee",
        "service_centre_id",
        string="Technicians",
        domain=[("is_technician", "=", True)],
    )
    technician_count = fields.Integer(compute="_compute_technician_count")
    repair_type_id = fields.Many2one(
        "stock.picking.type",
        related="warehouse_id.repair_type_id",
        string="Repair Operation Type",
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code of a service centre must be unique per company."),
    ]

    @api.depends("technician_ids")
    def _compute_technician_count(self):
        rows = (
            self.env["hr.employee"]
            .sudo()
            ._read_group(
                [("service_centre_id", "in", self.ids), ("is_technician", "=", True)],
                ["service_centre_id"],
                ["__count"],
            )
        )
        counts = {centre.id: count for centre, count in rows}
        for centre in self:
            centre.technician_count = counts.get(centre.id, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for centre in self:
            centre.display_name = f"[{centre.code}] {centre.name}" if centre.code else centre.name
