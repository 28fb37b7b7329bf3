from odoo import fields, models, tools
from odoo.tools import SQL


class AftersalesQcInspectionReportQuality(models.Model):
    _name = "aftersales.qc.inspection.report.quality"
    _description = "QC First-Pass Analysis"
    _auto = False
    _order = "date_decision desc, id desc"

    inspection_id = fields.Many2one("aftersales.qc.inspection", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Service Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    service_centre_id = fields.Many2one("aftersales.service.centre", readonly=True)
    service_type_id = fields.Many2one("aftersales.service.type", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    reject_reason_id = fields.Many2one("aftersales.qc.reject.reason", string="Rejection Reason", readonly=True)
    state = fields.Selection([("approved", "Approved"), ("rejected", "Rejected")], string="Decision", readonly=True)
    rework_round = fields.Integer(readonly=True, aggregator="max")
    date_decision = fields.Datetime(string="Decided On", readonly=True)
    inspection_count = fields.Integer(string="Inspections", readonly=True)
    first_round_count = fields.Integer(string="First Inspections", readonly=True)
    first_pass_count = fields.Integer(string="Approved First Time", readonly=True)
    first_pass_rate = fields.Float(
        string="First-Pass Rate (%)",
        readonly=True,
        aggregator="avg",
        help="First inspections of an order: 100 when approved, 0 when rejected (empty for rework rounds).",
    )
    rework_count = fields.Integer(string="Reworks", readonly=True, help="Rejected inspections: work sent back.")
    rework_rate = fields.Float(
        string="Rework Rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a rejected inspection, 0 for an approved one.",
    )

    def _query(self):
        return SQL(
            """
            SELECT insp.id AS id,
                   insp.id AS inspection_id,
                   insp.repair_id AS repair_id,
                   insp.company_id AS company_id,
                   insp.technician_id AS technician_id,
                   ro.service_centre_id AS service_centre_id,
                   insp.service_type_id AS service_type_id,
                   ro.product_id AS product_id,
                   partner.state_id AS region_id,
                   insp.reject_reason_id AS reject_reason_id,
                   insp.state AS state,
                   insp.rework_round AS rework_round,
                   insp.date_decision AS date_decision,
                   1 AS inspection_count,
                   CASE WHEN COALESCE(insp.rework_round, 0) = 0 THEN 1 ELSE 0 END AS first_round_count,
                   CASE WHEN COALESCE(insp.rework_round, 0) = 0 AND insp.state = 'approved' THEN 1 ELSE 0 END
                       AS first_pass_count,
                   CASE
                       WHEN COALESCE(insp.rework_round, 0) <> 0 THEN NULL
                       WHEN insp.state = 'approved' THEN 100.0
                       ELSE 0.0
                   END AS first_pass_rate,
                   CASE WHEN insp.state = 'rejected' THEN 1 ELSE 0 END AS rework_count,
                   CASE WHEN insp.state = 'rejected' THEN 100.0 ELSE 0.0 END AS rework_rate
              FROM aftersales_qc_inspection insp
              JOIN repair_order ro ON ro.id = insp.repair_id
              JOIN res_partner partner ON partner.id = ro.partner_id
             WHERE insp.state IN ('approved', 'rejected')
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
