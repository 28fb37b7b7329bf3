from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.aftersales_warranty.tools import reader_direction, to_persian_digits
from odoo.addons.web_jalali.tools import format_reader_date


class ReportTechnicianMonthly(models.AbstractModel):
    _name = "report.aftersales_service.report_technician_monthly"
    _description = "Technician Monthly Service Report"

    @api.model
    def _get_period(self, data):
        """Period from the print wizard, else the current month."""
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date((data or {}).get("date_from")) or today.replace(day=1)
        date_to = fields.Date.to_date((data or {}).get("date_to")) or date_from + relativedelta(day=31)
        return date_from, date_to

    @api.model
    def _get_technician_figures(self, employees, date_from, date_to):
        """Per technician: orders finished in the period, their KPIs, time spent and parts consumed.

        Reads the report models with one grouped read each, whatever the number of technicians.
        """
        dt_from = datetime.combine(date_from, time.min)
        dt_to = datetime.combine(date_to + relativedelta(days=1), time.min)
        orders = self.env["repair.order.report.aftersales"]
        figures = {employee.id: {"orders": orders, "parts": [], "hours": 0.0, "worklogs": 0} for employee in employees}
        domain = [
            ("technician_id", "in", employees.ids),
            ("date_finished", ">=", dt_from),
            ("date_finished", "<", dt_to),
        ]
        for technician, records in orders._read_group(domain, ["technician_id"], ["id:recordset"]):
            figures[technician.id]["orders"] = records
        for technician, *values in orders._read_group(
            domain,
            ["technician_id"],
            ["done_count:sum", "waiting_hours:avg", "response_hours:avg", "ftf_rate:avg", "rework_rate:avg"],
        ):
            figures[technician.id].update(
                dict(
                    zip(
                        ("done_count", "waiting_hours", "response_hours", "ftf_rate", "rework_rate"),
                        values,
                        strict=True,
                    )
                )
            )
        for technician, count, hours in self.env["aftersales.worklog.report.duration"]._read_group(
            [("technician_id", "in", employees.ids), ("date_start", ">=", dt_from), ("date_start", "<", dt_to)],
            ["technician_id"],
            ["worklog_count:sum", "duration_hours:sum"],
        ):
            figures[technician.id].update(worklogs=count, hours=hours)
        for technician, part, quantity in self.env["stock.move.report.aftersales.parts"]._read_group(
            [
                ("technician_id", "in", employees.ids),
                ("line_type", "=", "add"),
                ("date", ">=", dt_from),
                ("date", "<", dt_to),
            ],
            ["technician_id", "part_id"],
            ["quantity:sum"],
            order="quantity:sum desc",
        ):
            figures[technician.id]["parts"].append((part, quantity))
        return figures

    @api.model
    def _format_number(self, value, pattern):
        """``pattern % value``, in Persian digits for a Persian reader (language of the context)."""
        text = pattern % value
        return to_persian_digits(text) if (self.env.lang or "").startswith("fa") else text

    @api.model
    def _get_report_values(self, docids, data=None):
        employees = self.env["hr.employee"].browse(docids or (data or {}).get("employee_ids") or [])
        date_from, date_to = self._get_period(data)
        return {
            "doc_ids": employees.ids,
            "doc_model": "hr.employee",
            "docs": employees,
            "date_from": date_from,
            "date_to": date_to,
            "figures": self._get_technician_figures(employees, date_from, date_to),
            # Jalali dates, Persian digits and right-to-left pages for a Persian reader
            "report_date": lambda value: format_reader_date(self.env, value),
            "report_number": self._format_number,
            "report_direction": reader_direction(self.env),
        }
