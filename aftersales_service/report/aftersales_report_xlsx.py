from odoo import fields, models

from odoo.addons.web_jalali.tools import format_jalali


class AftersalesReportXlsx(models.AbstractModel):
    """Excel export shared by the after-sales reports.

    Each concrete report (``report.aftersales_service.<model>_xlsx``) lists the columns in
    ``_aftersales_xlsx_fields``; the sheet gets the field labels in the user's language as headers,
    one row per selected record, Jalali dates for Persian users and a totals row (sums, and
    averages for the fields aggregated by average).
    """

    _name = "report.aftersales_service.report_xlsx_base"
    _inherit = "report.report_xlsx.abstract"
    _description = "After-Sales Excel Export"

    _aftersales_xlsx_fields = []

    def _get_objs_for_report(self, docids, data):
        records = super()._get_objs_for_report(docids, data)
        if not records and data and data.get("domain") is not None:
            records = records.search(data["domain"])
        return records

    def _aftersales_xlsx_env(self):
        lang = self.env.context.get("lang") or self.env.user.lang
        return self.env(context=dict(self.env.context, lang=lang))

    def _aftersales_xlsx_columns(self, model):
        return [model._fields[name] for name in self._aftersales_xlsx_fields if name in model._fields]

    def _aftersales_xlsx_sheet_name(self, env):
        """Sheet title in the reader's language: short (Excel cuts names at 31 characters)."""
        return env._("Report")

    def _aftersales_xlsx_is_persian(self, env):
        return (env.lang or "").startswith("fa")

    def _aftersales_xlsx_value(self, record, field, env):
        value = record[field.name]
        if field.type == "many2one":
            return value.display_name or ""
        if field.type in ("many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(env)).get(value, "") if value else ""
        if field.type == "boolean":
            return env._("Yes") if value else env._("No")
        if field.type in ("date", "datetime"):
            if not value:
                return ""
            if field.type == "datetime":
                value = fields.Datetime.context_timestamp(record, value).replace(tzinfo=None)
            if self._aftersales_xlsx_is_persian(env):
                # Excel has no Jalali calendar: a Persian reader gets the Jalali date as text
                return format_jalali(value)
            return value  # a real Excel date, written with a date format
        if field.type in ("float", "monetary"):
            return round(value or 0.0, 2)
        if field.type == "integer":
            return value or 0
        return value or ""

    def _aftersales_xlsx_totals(self, records, columns):
        """Totals row: one grouped read, so averages skip empty values exactly as the pivot does."""
        measured = [
            field
            for field in columns
            if field.type in ("integer", "float", "monetary") and field.aggregator in ("sum", "avg")
        ]
        if not records or not measured:
            return {}
        aggregates = [f"{field.name}:{field.aggregator}" for field in measured]
        values = records._read_group([("id", "in", records.ids)], [], aggregates)[0]
        return {field.name: value for field, value in zip(measured, values, strict=True) if value is not None}

    def generate_xlsx_report(self, workbook, data, objs):
        env = self._aftersales_xlsx_env()
        records = objs.with_env(env)
        columns = self._aftersales_xlsx_columns(records)
        persian = self._aftersales_xlsx_is_persian(env)
        sheet = workbook.add_worksheet(self._aftersales_xlsx_sheet_name(env)[:31])
        if persian:
            sheet.right_to_left()
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        number = workbook.add_format({"num_format": "#,##0.00"})
        date_formats = {
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        total_format = workbook.add_format({"bold": True, "top": 2, "num_format": "#,##0.00"})
        for col, field in enumerate(columns):
            sheet.write(0, col, field._description_string(env), bold)
            sheet.set_column(col, col, 18)
        row = 0
        for row, record in enumerate(records, start=1):
            for col, field in enumerate(columns):
                value = self._aftersales_xlsx_value(record, field, env)
                if field.type == "float":
                    sheet.write_number(row, col, value, number)
                elif field.type in date_formats and value and not persian:
                    sheet.write_datetime(row, col, value, date_formats[field.type])
                else:
                    sheet.write(row, col, value)
        total_row = row + 1
        totals = self._aftersales_xlsx_totals(records, columns)
        sheet.write(total_row, 0, env._("Total"), total_format)
        for col, field in enumerate(columns):
            if col and field.name in totals:
                sheet.write_number(total_row, col, round(totals[field.name], 2), total_format)
        sheet.freeze_panes(1, 0)


class RepairOrderReportAftersalesXlsx(models.AbstractModel):
    _name = "report.aftersales_service.xlsx_orders"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "After-Sales Service Order Analysis Excel Export"

    _aftersales_xlsx_fields = [
        "name",
        "date_received",
        "partner_id",
        "region_id",
        "service_centre_id",
        "technician_id",
        "service_type_id",
        "product_id",
        "lot_id",
        "state",
        "unit_status",
        "date_finished",
        "order_count",
        "waiting_hours",
        "response_hours",
        "worked_hours",
        "worklog_count",
        "ftf_count",
        "ftf_rate",
        "rework_count",
        "rework_rate",
        "sla_policy_id",
        "sla_status",
        "sla_compliance",
        "rating",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("Service Orders")


class AftersalesWorklogReportDurationXlsx(models.AbstractModel):
    _name = "report.aftersales_service.xlsx_duration"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "After-Sales Service Duration Excel Export"

    _aftersales_xlsx_fields = [
        "name",
        "repair_id",
        "date_start",
        "date_end",
        "technician_id",
        "service_centre_id",
        "service_type_id",
        "product_id",
        "state",
        "worklog_count",
        "duration_hours",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("Service Duration")


class StockMoveReportAftersalesPartsXlsx(models.AbstractModel):
    _name = "report.aftersales_service.xlsx_parts"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "After-Sales Parts Consumption Excel Export"

    _aftersales_xlsx_fields = [
        "date",
        "repair_id",
        "part_id",
        "product_id",
        "technician_id",
        "service_centre_id",
        "region_id",
        "line_type",
        "quantity",
        "cost",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("Parts Consumption")

    def _aftersales_xlsx_columns(self, model):
        columns = super()._aftersales_xlsx_columns(model)
        # the cost column is for the users allowed to read it (after-sales managers)
        return [field for field in columns if not field.groups or self.env.user.has_groups(field.groups)]


class StockMoveReportAftersalesAbnormalXlsx(models.AbstractModel):
    _name = "report.aftersales_service.xlsx_abnormal"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "After-Sales Abnormal Consumption Excel Export"

    _aftersales_xlsx_fields = [
        "month",
        "kind",
        "technician_id",
        "product_id",
        "part_id",
        "quantity",
        "job_count",
        "qty_per_job",
        "peer_count",
        "peer_median",
        "ratio",
        "z_score",
        "is_abnormal",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("Abnormal Consumption")


class StockMoveReportAftersalesForecastXlsx(models.AbstractModel):
    _name = "report.aftersales_service.xlsx_forecast"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "After-Sales Parts Forecast Excel Export"

    _aftersales_xlsx_fields = [
        "part_id",
        "part_categ_id",
        "qty_month_3",
        "qty_month_2",
        "qty_month_1",
        "avg_qty",
        "trend_qty",
        "forecast_qty",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("Parts Forecast")


class AftersalesServiceCentreReportKpiXlsx(models.AbstractModel):
    _name = "report.aftersales_service.xlsx_kpi"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "After-Sales Service Centre KPI Excel Export"

    _aftersales_xlsx_fields = [
        "service_centre_id",
        "open_count",
        "unassigned_count",
        "overdue_count",
        "due_soon_count",
        "sla_breached_count",
        "sla_at_risk_count",
        "done_count",
        "sla_compliance",
        "rating",
        "waiting_hours",
        "response_hours",
        "ftf_rate",
        "rework_rate",
        "worked_hours",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("Service Centre KPIs")


class RepairOrderReportHeatmapXlsx(models.AbstractModel):
    _name = "report.aftersales_service.xlsx_heatmap"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "After-Sales Failure Heat Map Excel Export"

    _aftersales_xlsx_fields = [
        "month",
        "cell_name",
        "region_id",
        "failure_mode_id",
        "service_type_id",
        "product_categ_id",
        "failure_count",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("Failure Heat Map")
