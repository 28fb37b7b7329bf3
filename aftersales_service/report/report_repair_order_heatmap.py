from odoo import api, models


class ReportRepairOrderHeatmap(models.AbstractModel):
    _name = "report.aftersales_service.report_repair_order_heatmap"
    _description = "After-Sales Failure Heat Map Page"

    @api.model
    def _get_report_values(self, docids, data=None):
        domain = (data or {}).get("domain")
        if domain is None:
            domain = [("id", "in", docids)] if docids else []
        Heatmap = self.env["repair.order.report.heatmap"]
        return {
            "doc_ids": docids,
            "doc_model": "repair.order.report.heatmap",
            "docs": Heatmap.browse(docids),
            "heatmap": Heatmap._get_heatmap_svg_data(domain),
            # the page has no document to take the company from: the reader's current company, not the
            # website's (the report routes are website routes, whose pages render with the website company)
            "company_id": self.env.company,
        }
