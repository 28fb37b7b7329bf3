from dateutil.relativedelta import relativedelta

from odoo import fields, models, tools
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval


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

    def _orders(self, plain=False):
        """The rows of the service order analysis the cards read: the open orders and those done in the last
        30 days (``recent``). Two branches, each read through a partial index of its own (open orders; done
        orders by finish date): the read costs the open orders and the last 30 days, not the history.
        ``plain``: one filter over all the orders (the former query, for the tests)."""
        report = self.env["repair.order.report.aftersales"]
        since = SQL("(now() AT TIME ZONE 'UTC') - INTERVAL '30 day'")
        if plain:
            return SQL(
                """
                SELECT rep.*, (rep.state = 'done' AND rep.date_finished >= %s) AS recent
                  FROM repair_order_report_aftersales rep
                 WHERE rep.state <> 'cancel'
                   AND (rep.state IN ('draft', 'confirmed', 'under_repair') OR rep.date_finished >= %s)
                """,
                since,
                since,
            )
        return SQL(
            """
            SELECT %(select)s, FALSE AS recent FROM %(from)s
             WHERE %(where)s AND ro.state IN ('draft', 'confirmed', 'under_repair')
            UNION ALL
            SELECT %(select)s, TRUE AS recent FROM %(from)s
             WHERE %(where)s AND ro.state = 'done' AND ro.date_finished >= %(since)s
            """,
            select=report._select(),
            where=report._where(),
            since=since,
            **{"from": report._from()},
        )

    def _query(self, plain=False):
        # open orders and orders done in the last 30 days, aggregated per centre before the join with the
        # centres; the filter is on the order's own columns so that PostgreSQL estimates it well
        return SQL(
            """
            SELECT centre.id AS id,
                   centre.id AS service_centre_id,
                   centre.company_id AS company_id,
                   COALESCE(r.open_count, 0) AS open_count,
                   COALESCE(r.unassigned_count, 0) AS unassigned_count,
                   COALESCE(r.overdue_count, 0) AS overdue_count,
                   COALESCE(r.due_soon_count, 0) AS due_soon_count,
                   COALESCE(r.sla_breached_count, 0) AS sla_breached_count,
                   COALESCE(r.sla_at_risk_count, 0) AS sla_at_risk_count,
                   COALESCE(r.done_count, 0) AS done_count,
                   r.sla_compliance,
                   r.rating,
                   r.waiting_hours,
                   r.response_hours,
                   r.ftf_rate,
                   r.rework_rate,
                   COALESCE(r.worked_hours, 0.0) AS worked_hours
              FROM aftersales_service_centre centre
              LEFT JOIN (
                  SELECT rep.service_centre_id,
                         SUM(rep.open_count) AS open_count,
                         COUNT(*) FILTER (WHERE rep.open_count = 1 AND rep.technician_id IS NULL) AS unassigned_count,
                         COUNT(*) FILTER (WHERE rep.open_count = 1 AND rep.schedule_date < now()) AS overdue_count,
                         COUNT(*) FILTER (
                             WHERE rep.open_count = 1 AND rep.schedule_date >= now()
                               AND rep.schedule_date < now() + INTERVAL '7 day'
                         ) AS due_soon_count,
                         COUNT(*) FILTER (WHERE rep.open_count = 1 AND rep.sla_status = 'breached')
                             AS sla_breached_count,
                         COUNT(*) FILTER (WHERE rep.open_count = 1 AND rep.sla_status = 'at_risk') AS sla_at_risk_count,
                         COUNT(*) FILTER (WHERE rep.recent) AS done_count,
                         AVG(rep.sla_compliance) FILTER (WHERE rep.recent) AS sla_compliance,
                         AVG(rep.rating) FILTER (WHERE rep.recent) AS rating,
                         AVG(rep.waiting_hours) FILTER (WHERE rep.recent) AS waiting_hours,
                         AVG(rep.response_hours) FILTER (WHERE rep.recent) AS response_hours,
                         AVG(rep.ftf_rate) FILTER (WHERE rep.recent) AS ftf_rate,
                         AVG(rep.rework_rate) FILTER (WHERE rep.recent) AS rework_rate,
                         SUM(rep.worked_hours) FILTER (WHERE rep.recent) AS worked_hours
                    FROM (%s) rep
                GROUP BY rep.service_centre_id
              ) r ON r.service_centre_id = centre.id
             WHERE centre.active
            """,
            self._orders(plain=plain),
        )

    def _action_report_over_months(self, xmlid, **context):
        """The report action ``xmlid`` opened from the dashboard: over every month instead of the current
        one only (its default filter off), with ``context`` on top (e.g. one column per month)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        base = safe_eval(action.get("context") or "{}", {"uid": self.env.uid})
        action["context"] = {
            key: value for key, value in base.items() if not key.startswith("search_default_filter_date")
        }
        action["context"].update(context)
        return action

    def action_open_ranking(self):
        """Technician Ranking from the dashboard: the technicians over the months (last twelve)."""
        return self._action_report_over_months(
            "aftersales_service.repair_order_report_aftersales_action_ranking",
            search_default_filter_last_12_months=1,
        )

    def action_open_sla(self):
        """SLA Compliance from the dashboard: one column per month of reception."""
        return self._action_report_over_months(
            "aftersales_service.repair_order_report_aftersales_action_sla",
            search_default_filter_last_12_months=1,
            pivot_column_groupby=["date_received:month"],
            pivot_measures=["order_count", "sla_compliance"],
        )

    def action_export_orders_xlsx(self):
        """The Excel file of the after-sales orders received in the last twelve months (as the Service
        Orders analysis exports them), straight from the dashboard (whichever cards are selected, if any);
        the reader's record rules apply."""
        since = fields.Date.context_today(self) - relativedelta(months=12)
        report = self.env.ref("aftersales_service.action_report_repair_order_report_aftersales_xlsx")
        # the records are the report's, found by the domain: not the dashboard cards the button sits on
        report = report.with_context(active_model=report.model, active_ids=[], active_id=False)
        # config=False: a spreadsheet has no document layout to set up first
        return report.report_action(
            None, data={"domain": [("date_received", ">=", fields.Date.to_string(since))]}, config=False
        )

    def init(self):
        # the open orders and the done ones by finish date (see _orders)
        tools.create_index(
            self.env.cr,
            "repair_order_aftersales_open_idx",
            "repair_order",
            ["service_centre_id"],
            where="is_aftersales AND state IN ('draft', 'confirmed', 'under_repair')",
        )
        tools.create_index(
            self.env.cr,
            "repair_order_aftersales_finished_idx",
            "repair_order",
            ["date_finished"],
            where="is_aftersales AND state = 'done'",
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
