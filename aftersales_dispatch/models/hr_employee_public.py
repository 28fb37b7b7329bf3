from odoo import fields, models

from .hr_employee import _map_action


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # dispatchers are not HR officers: they read technicians through the public model
    aftersales_last_dispatch_date = fields.Datetime(readonly=True)
    aftersales_rating_avg = fields.Float(related="employee_id.aftersales_rating_avg", compute_sudo=True)
    aftersales_rating_count = fields.Integer(related="employee_id.aftersales_rating_count", compute_sudo=True)
    aftersales_current_order_id = fields.Many2one(
        "repair.order", related="employee_id.aftersales_current_order_id", compute_sudo=True
    )
    aftersales_open_jobs = fields.Integer(
        related="employee_id.aftersales_open_order_count", compute_sudo=True, string="Open Jobs"
    )

    def action_aftersales_show_on_map(self):
        """The operations map, centred on this technician."""
        self.ensure_one()
        return _map_action(self)
