from odoo import models


class AftersalesQcInspectionReportQualityXlsx(models.AbstractModel):
    _name = "report.aftersales_qc.xlsx_qc_quality"
    _inherit = "report.aftersales_service.report_xlsx_base"
    _description = "QC First-Pass Excel Export"

    _aftersales_xlsx_fields = [
        "date_decision",
        "inspection_id",
        "repair_id",
        "technician_id",
        "service_centre_id",
        "service_type_id",
        "product_id",
        "state",
        "reject_reason_id",
        "inspection_count",
        "first_round_count",
        "first_pass_count",
        "first_pass_rate",
        "rework_count",
        "rework_rate",
    ]

    def _aftersales_xlsx_sheet_name(self, env):
        return env._("QC First Pass")
