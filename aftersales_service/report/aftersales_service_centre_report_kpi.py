from odoo import fields, models, tools
from odoo.tools import SQL


class AftersalesServiceCentreReportKpi(models.Model):
    _name = "aftersales.service.centre.report.kpi"
    _description = "After-Sales KPI Card per Service Centre"
    _auto = False
    _order = "open_count desc, id"

    service_centre_id = fields.Many2one("aftersales.service.centre", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    open_count = fields.Integer(string="Open Orders", readonly=True)
    unassigned_count = fields.Integer(string="Unassigned", readonly=True, help="Open orders without a technician.")
    overdue_count = fields.Integer(string="Overdue", readonly=True, help="Open orders past their scheduled date.")
    due_soon_count = fields.Integer(
        string="Due in 7 Days", readonly=True, help="Open orders scheduled within the next seven days."
    )
    sla_breached_count = fields.Integer(
        string="SLA Breached", readonly=True, help="Open orders past their SLA deadline."
    )
    sla_at_risk_count = fields.Integer(
        string="SLA At Risk", readonly=True, help="Open orders close to their SLA deadline."
    )
    done_count = fields.Integer(string="Done (30 Days)", readonly=True)
    sla_compliance = fields.Float(string="SLA Compliance (%)", readonly=True, aggregator="avg")
    rating = fields.Float(string="Customer Rating", readonly=True, aggregator="avg")
    waiting_hours = fields.Float(string="Average Waiting (h)", readonly=True, aggregator="avg")
    response_hours = fields.Float(string="Average Response (h)", readonly=True, aggregator="avg")
    ftf_rate = fields.Float(string="First-Time-Fix Rate (%)", readonly=True, aggregator="avg")
    rework_rate = fields.Float(string="Rework Rate (%)", readonly=True, aggregator="avg")
    worked_hours = fields.Float(string="Time Spent (30 Days, h)", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT centre.id AS id,
                   centre.id AS service_centre_id,
                   centre.company_id AS company_id,
                   COALESCE(SUM(r.open_count), 0) AS open_count,
                   COUNT(*) FILTER (WHERE r.open_count = 1 AND r.technician_id IS NULL) AS unassigned_count,
                   COUNT(*) FILTER (WHERE r.open_count = 1 AND r.schedule_date < now()) AS overdue_count,
                   COUNT(*) FILTER (
                       WHERE r.open_count = 1 AND r.schedule_date >= now()
                         AND r.schedule_date < now() + INTERVAL '7 day'
                   ) AS due_soon_count,
                   COUNT(*) FILTER (WHERE r.open_count = 1 AND r.sla_status = 'breached') AS sla_breached_count,
                   COUNT(*) FILTER (WHERE r.open_count = 1 AND r.sla_status = 'at_risk') AS sla_at_risk_count,
                   COUNT(*) FILTER (WHERE r.recent) AS done_count,
                   AVG(r.sla_compliance) FILTER (WHERE r.recent) AS sla_compliance,
                   AVG(r.rating) FILTER (WHERE r.recent) AS rating,
                   AVG(r.waiting_hours) FILTER (WHERE r.recent) AS waiting_hours,
                   AVG(r.response_hours) FILTER (WHERE r.recent) AS response_hours,
                   AVG(r.ftf_rate) FILTER (WHERE r.recent) AS ftf_rate,
                   AVG(r.rework_rate) FILTER (WHERE r.recent) AS rework_rate,
                   COALESCE(SUM(r.worked_hours) FILTER (WHERE r.recent), 0.0) AS worked_hours
              FROM aftersales_service_centre centre
              LEFT JOIN (
                  SELECT rep.*,
                         (rep.state = 'done' AND rep.date_finished >= now() - INTERVAL '30 day') AS recent
                    FROM repair_order_report_aftersales rep
                   WHERE rep.state <> 'cancel'
                     AND (rep.open_count = 1 OR rep.date_finished >= now() - INTERVAL '30 day')
              ) r ON r.service_centre_id = centre.id
             WHERE centre.active
          GROUP BY centre.id, centre.company_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
