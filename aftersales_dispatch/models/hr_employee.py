from odoo import fields, models

from .aftersales_ops_map import MAP_TECHNICIAN_FIELDS


def _map_action(employee):
    """Client action of the operations map centred on ``employee`` (``hr.employee`` or its public model)."""
    action = employee.env["ir.actions.actions"]._for_xml_id("aftersales_dispatch.aftersales_ops_map_action")
    action["params"] = {"technician_id": employee.id}
    return action


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

    def write(self, vals):
        res = super().write(vals)
        if self.filtered("is_technician") and MAP_TECHNICIAN_FIELDS & set(vals):
            # open operations maps move or recolour these technicians' markers
            self.env["aftersales.ops.map"]._notify_map(technician_ids=self.ids)
        return res

    def action_aftersales_show_on_map(self):
        """The operations map, centred on this technician."""
        self.ensure_one()
        return _map_action(self)
