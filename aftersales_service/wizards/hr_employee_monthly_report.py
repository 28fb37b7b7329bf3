from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class HrEmployeeMonthlyReport(models.TransientModel):
    _name = "hr.employee.monthly.report"
    _description = "Print the Technician Monthly Report"

    @api.model
    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    @api.model
    def _default_employee_ids(self):
        if self.env.context.get("active_model") == "hr.employee":
            return self.env["hr.employee"].browse(self.env.context.get("active_ids", [])).filtered("is_technician")
        return self.env["hr.employee"]

    employee_ids = fields.Many2many(
        "hr.employee",
        string="Technicians",
        default=_default_employee_ids,
        domain=[("is_technician", "=", True)],
    )
    date_from = fields.Date(required=True, default=_default_date_from)
    date_to = fields.Date(required=True, compute="_compute_date_to", store=True, readonly=False, precompute=True)

    @api.depends("date_from")
    def _compute_date_to(self):
        for wizard in self:
            wizard.date_to = wizard.date_from and wizard.date_from + relativedelta(day=31)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(self.env._("The period must end after it starts."))

    def action_print(self):
        self.ensure_one()
        if not self.employee_ids:
            raise UserError(self.env._("Choose at least one technician to print the monthly report for."))
        return self.env.ref("aftersales_service.action_report_technician_monthly").report_action(
            self.employee_ids,
            data={
                "employee_ids": self.employee_ids.ids,
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )
