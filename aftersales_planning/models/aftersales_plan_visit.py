from odoo import fields, models


class AftersalesPlanVisit(models.Model):
    """One service order in a route plan: who visits it, in which position of their day, and when."""

    _name = "aftersales.plan.visit"
    _description = "After-Sales Route Plan Visit"
    _order = "plan_id, technician_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one("aftersales.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    order_id = fields.Many2one("repair.order", string="Service Order", required=True, index=True, check_company=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    service_type_id = fields.Many2one(related="order_id.service_type_id")
    deadline = fields.Datetime(related="order_id.sla_response_deadline", string="SLA Deadline")
    technician_id = fields.Many2one("hr.employee", index="btree_not_null", check_company=True)
    sequence = fields.Integer(help="Position of the visit in the technician's day (0: under way or not planned).")
    planned_start = fields.Datetime(string="ETA", help="Planned arrival at the customer.")
    planned_end = fields.Datetime()
    travel_km = fields.Float(string="Travel (km)", digits=(10, 1))
    travel_minutes = fields.Float(string="Travel (min)", digits=(10, 0))
    is_late = fields.Boolean(string="Late", help="The planned arrival is after the SLA response deadline.")
    is_fixed = fields.Boolean(
        string="Fixed", help="Accepted by its technician or under way: the planner does not move it to someone else."
    )
    note = fields.Char(help="Why the order could not be planned, or why the visit is fixed.")
