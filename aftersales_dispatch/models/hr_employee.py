from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    aftersales_dispatch_centre_ids = fields.Many2many(
        "aftersales.service.centre",
        "hr_employee_aftersales_dispatch_centre_rel",
        "employee_id",
        "centre_id",
        string="Also Serves Centres",
        groups="hr.group_hr_user",
        help="Other service centres (regions) this technician can be dispatched to, besides their own.",
    )
    aftersales_last_dispatch_date = fields.Datetime(
        string="Last Dispatched On",
        readonly=True,
        copy=False,
        help="Written by every assignment; it also serialises concurrent dispatches of this technician.",
    )
    aftersales_rating_avg = fields.Float(
        string="Average Rating", compute="_compute_aftersales_rating", digits=(3, 2), compute_sudo=True
    )
    aftersales_rating_count = fields.Integer(
        string="Number of Ratings", compute="_compute_aftersales_rating", compute_sudo=True
    )
    aftersales_current_order_id = fields.Many2one(
        "repair.order", string="Current Job", compute="_compute_aftersales_current_order_id", compute_sudo=True
    )
    aftersales_map_url = fields.Char(string="Map", compute="_compute_aftersales_map_url")

    def _aftersales_rating_partners(self):
        return {employee.id: employee.work_contact_id or employee.user_id.partner_id for employee in self}

    def _compute_aftersales_rating(self):
        partners = self._aftersales_rating_partners()
        partner_ids = [partner.id for partner in partners.values() if partner]
        stats = {}
        if partner_ids:
            rows = self.env["rating.rating"]._read_group(
                [
                    ("res_model", "=", "repair.order"),
                    ("rated_partner_id", "in", partner_ids),
                    ("consumed", "=", True),
                    ("rating", ">", 0),
                ],
                ["rated_partner_id"],
                ["rating:avg", "__count"],
            )
            stats = {partner.id: (avg, count) for partner, avg, count in rows}
        for employee in self:
            avg, count = stats.get(partners[employee.id].id, (0.0, 0))
            employee.aftersales_rating_avg = avg
            employee.aftersales_rating_count = count

    def _compute_aftersales_current_order_id(self):
        orders = self.env["repair.order"].search(
            [
                ("technician_id", "in", self.ids),
                ("state", "in", ("confirmed", "under_repair")),
                ("dispatch_state", "=", "accepted"),
            ],
            order="date_started desc, schedule_date, id",
        )
        current = {}
        # under repair first, then the next accepted job
        for order in orders.sorted(lambda o: (o.state != "under_repair", o.schedule_date or o.create_date)):
            current.setdefault(order.technician_id.id, order)
        for employee in self:
            employee.aftersales_current_order_id = current.get(employee.id, False)

    @api.depends("last_latitude", "last_longitude", "home_latitude", "home_longitude")
    def _compute_aftersales_map_url(self):
        for employee in self:
            lat, lon = employee.last_latitude, employee.last_longitude
            if not (lat or lon):
                lat, lon = employee.home_latitude, employee.home_longitude
            employee.aftersales_map_url = (
                f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}" if (lat or lon) else False
            )
