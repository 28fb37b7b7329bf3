from odoo import fields, models
from odoo.tools import SQL

from .stock_move_report_aftersales_abnormal import consumed_parts_triggers


class StockMoveReportAftersalesForecast(models.Model):
    _name = "stock.move.report.aftersales.forecast"
    _inherit = ["aftersales.report.month.store.mixin"]
    _description = "After-Sales Parts Need Forecast"
    _auto = False
    _order = "forecast_qty desc, id"

    company_id = fields.Many2one("res.company", readonly=True)
    part_id = fields.Many2one("product.product", readonly=True)
    part_categ_id = fields.Many2one("product.category", string="Part Category", readonly=True)
    qty_month_3 = fields.Float(string="3 Months Ago", readonly=True)
    qty_month_2 = fields.Float(string="2 Months Ago", readonly=True)
    qty_month_1 = fields.Float(string="Last Month", readonly=True)
    avg_qty = fields.Float(string="3-Month Average", readonly=True)
    trend_qty = fields.Float(
        string="Trend per Month",
        readonly=True,
        help="Slope of the least-squares line through the last three months.",
    )
    forecast_qty = fields.Float(
        string="Forecast Next Month",
        readonly=True,
        help="The least-squares line through the last three complete months, extended to the current month "
        "(average + 2 x trend), never below zero.",
    )

    def _store_horizon(self):
        # the three complete months before the current one
        return SQL("date_trunc('month', now() AT TIME ZONE 'UTC') - interval '3 month'")

    def _store_query(self, date_from, date_to):
        """Quantity of each part consumed per company and UTC month (in the part's unit)."""
        return SQL(
            """
            SELECT m.company_id,
                   m.product_id AS part_id,
                   date_trunc('month', m.date) AS month,
                   SUM(m.quantity / move_uom.factor * part_uom.factor) AS quantity
              FROM stock_move m
              JOIN repair_order ro ON ro.id = m.repair_id
              JOIN product_product part ON part.id = m.product_id
              JOIN product_template part_tmpl ON part_tmpl.id = part.product_tmpl_id
              JOIN uom_uom move_uom ON move_uom.id = m.product_uom
              JOIN uom_uom part_uom ON part_uom.id = part_tmpl.uom_id
             WHERE m.repair_id IS NOT NULL
               AND m.state = 'done'
               AND m.repair_line_type = 'add'
               AND ro.is_aftersales
               AND m.date >= %s
               AND m.date < %s
          GROUP BY m.company_id, m.product_id, date_trunc('month', m.date)
            """,
            date_from,
            date_to,
        )

    def _rollup_triggers(self):
        return consumed_parts_triggers(self, ("is_aftersales",))

    def _query(self, live_only=False):
        """The forecast of each part from its monthly quantities: those of the stored months and the others
        computed from the moves (``live_only``: all computed from the moves)."""
        this_month = SQL("date_trunc('month', now() AT TIME ZONE 'UTC')")
        return SQL(
            """
            WITH monthly AS (
                SELECT company_id,
                       part_id,
                       SUM(quantity) FILTER (WHERE month = %(this_month)s - INTERVAL '3 month') AS q3,
                       SUM(quantity) FILTER (WHERE month = %(this_month)s - INTERVAL '2 month') AS q2,
                       SUM(quantity) FILTER (WHERE month = %(this_month)s - INTERVAL '1 month') AS q1
                  FROM (%(rows)s) stored_and_live
                 WHERE month < %(this_month)s
              GROUP BY company_id, part_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY monthly.company_id, monthly.part_id) AS id,
                   monthly.company_id,
                   monthly.part_id,
                   tmpl.categ_id AS part_categ_id,
                   COALESCE(q3, 0.0) AS qty_month_3,
                   COALESCE(q2, 0.0) AS qty_month_2,
                   COALESCE(q1, 0.0) AS qty_month_1,
                   (COALESCE(q1, 0.0) + COALESCE(q2, 0.0) + COALESCE(q3, 0.0)) / 3.0 AS avg_qty,
                   (COALESCE(q1, 0.0) - COALESCE(q3, 0.0)) / 2.0 AS trend_qty,
                   GREATEST(
                       0.0,
                       (COALESCE(q1, 0.0) + COALESCE(q2, 0.0) + COALESCE(q3, 0.0)) / 3.0
                       + (COALESCE(q1, 0.0) - COALESCE(q3, 0.0))
                   ) AS forecast_qty
              FROM monthly
              JOIN product_product prod ON prod.id = monthly.part_id
              JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
            """,
            this_month=this_month,
            # the current month is not part of the forecast: not read
            rows=self._store_rows(live_only=live_only, until=this_month),
        )

    def init(self):
        self._store_init()
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
