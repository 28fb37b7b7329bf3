from odoo import fields, models

from .hr_employee import TECHNICIAN_LEVELS


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # shown to dispatchers and reception users, who read employees through the public model
    is_technician = fields.Boolean(readonly=True)
    service_centre_id = fields.Many2one("aftersales.service.centre", readonly=True)
    technician_level = fields.Selection(TECHNICIAN_LEVELS, readonly=True)
    max_jobs_per_day = fields.Integer(readonly=True)
    last_latitude = fields.Float(readonly=True, digits=(10, 7))
    last_longitude = fields.Float(readonly=True, digits=(10, 7))
    last_position_date = fields.Datetime(readonly=True)
    van_location_id = fields.Many2one("stock.location", readonly=True)
