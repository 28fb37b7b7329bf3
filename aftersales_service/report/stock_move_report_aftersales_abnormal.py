from odoo import api, fields, models
from odoo.tools import SQL

# Columns of stock_move the consumption reports (abnormal consumption, forecast) read.
MOVE_COLUMNS = ("repair_id", "company_id", "date", "product_id", "repair_line_type", "quantity", "product_uom", "state")
COUNTED_MOVE = "{0}.repair_id IS NOT NULL AND {0}.state = 'done' AND {0}.repair_line_type = 'add'"


def consumed_parts_triggers(report, order_columns):
    """Change-logging triggers of a report on the done part lines of after-sales orders: the moves, the
    order's ``order_columns``, the part's unit and the units' factors (see the rollup mixin)."""
    move = report._rollup_month("m", "date")
    counted = COUNTED_MOVE.format("m")
    return {
        **report._rollup_source_triggers(MOVE_COLUMNS, COUNTED_MOVE),
        ("repair_order", "UPDATE"): f"""
            SELECT {move}
              FROM rollup_new n JOIN rollup_old o ON o.id = n.id
              JOIN stock_move m ON m.repair_id = n.id AND {counted}
             WHERE ({", ".join(f"n.{c}" for c in order_columns)})
                   IS DISTINCT FROM ({", ".join(f"o.{c}" for c in order_columns)})""",
        ("product_template", "UPDATE"): f"""
            SELECT {move}
              FROM rollup_new n JOIN rollup_old o ON o.id = n.id
              JOIN product_product pp ON pp.product_tmpl_id = n.id
              JOIN stock_move m ON m.product_id = pp.id AND {counted}
             WHERE n.uom_id IS DISTINCT FROM o.uom_id""",
        ("uom_uom", "UPDATE"): f"""
            SELECT {move}
              FROM rollup_new n JOIN rollup_old o ON o.id = n.id
              JOIN stock_move m ON m.product_uom = n.id AND {counted}
             WHERE n.factor IS DISTINCT FROM o.factor
            UNION ALL
            SELECT {move}
              FROM rollup_new n JOIN rollup_old o ON o.id = n.id
              JOIN product_template pt ON pt.uom_id = n.id
              JOIN product_product pp ON pp.product_tmpl_id = pt.id
              JOIN stock_move m ON m.product_id = pp.id AND {counted}
             WHERE n.factor IS DISTINCT FROM o.factor""",
    }


# A technician (or serviced product) is flagged when it consumed a part at least this many times
# the peer median, per job, in the same month, among at least MIN_PEERS consumers of that part.
ABNORMAL_RATIO = 2.0
MIN_PEERS = 3


class StockMoveReportAftersalesAbnormal(models.Model):
    _name = "stock.move.report.aftersales.abnormal"
    _inherit = ["aftersales.report.month.store.mixin"]
    _description = "After-Sales Abnormal Parts Consumption"
    _auto = False
    _order = "month desc, ratio desc, id"

    computed_on = fields.Datetime(
        readonly=True,
        aggregator="min",
        help="When the figures of the row were computed: at this read for the live months (the current one, and "
        "any month changed since the last refresh), at the last refresh for the stored months (never stale: a "
        "stored month changed since is read live).",
    )
    kind = fields.Selection(
        [("technician", "Technician"), ("product", "Serviced Product")],
        string="Compared By",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    product_id = fields.Many2one("product.product", string="Serviced Product", readonly=True)
    part_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(readonly=True, help="Quantity of the part consumed in the month.")
    job_count = fields.Integer(string="Jobs", readonly=True, help="Service orders with parts consumed in the month.")
    qty_per_job = fields.Float(string="Quantity per Job", readonly=True, aggregator="avg")
    peer_count = fields.Integer(string="Peers", readonly=True, aggregator="max")
    peer_median = fields.Float(string="Peer Median per Job", readonly=True, aggregator="avg")
    ratio = fields.Float(string="Ratio to Median", readonly=True, aggregator="max")
    z_score = fields.Float(string="Z-Score", readonly=True, aggregator="max")
    is_abnormal = fields.Boolean(
        string="Abnormal",
        readonly=True,
        help="The quantity per job is at least twice the median of the peers (three peers or more).",
    )

    def init(self):
        self._store_init()
        # the materialized view of the past months before the stored months (nightly refresh, stale in between)
        self.env.cr.execute(SQL("DROP MATERIALIZED VIEW IF EXISTS %s", SQL.identifier(f"{self._table}_past")))
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._store_rows()))

    def _store_indexes(self):
        # the list of abnormal rows (newest months first) reads the stored months through this index
        return {"abnormal": "(month DESC, ratio DESC, id) WHERE is_abnormal"}

    def _rollup_triggers(self):
        return consumed_parts_triggers(self, ("is_aftersales", "technician_id", "product_id"))

    def _store_query(self, date_from, date_to):
        return self._query_period(date_from, date_to)

    @api.model
    def _refresh_past_months(self):
        """Scheduled action of the former nightly refresh: the refresh of the stored months."""
        return self._rollup_refresh()

    def _query_period(self, date_from, date_to):
        # months are independent (peers are compared within a month): the past ones are stored (see the mixin)
        return SQL(
            """
            WITH mv AS (
                SELECT m.id AS move_id,
                       m.company_id,
                       date_trunc('month', m.date)::date AS month,
                       ro.technician_id,
                       ro.product_id,
                       m.product_id AS part_id,
                       m.repair_id,
                       m.quantity / move_uom.factor * part_uom.factor AS qty
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
                   AND m.date >= %(date_from)s
                   AND m.date < %(date_to)s
            ),
            subject AS (
                SELECT 'technician' AS kind, company_id, month, technician_id AS subject_id, part_id, repair_id,
                       move_id, qty
                  FROM mv WHERE technician_id IS NOT NULL
                UNION ALL
                SELECT 'product', company_id, month, product_id, part_id, repair_id, move_id, qty
                  FROM mv WHERE product_id IS NOT NULL
            ),
            jobs AS (
                SELECT kind, company_id, month, subject_id, COUNT(DISTINCT repair_id) AS job_count
                  FROM subject
              GROUP BY kind, company_id, month, subject_id
            ),
            usage AS (
                SELECT s.kind, s.company_id, s.month, s.subject_id, s.part_id,
                       MIN(s.move_id) AS first_move_id,
                       SUM(s.qty) AS quantity, j.job_count, SUM(s.qty) / j.job_count AS qty_per_job
                  FROM subject s
                  JOIN jobs j ON j.kind = s.kind AND j.company_id = s.company_id AND j.month = s.month
                             AND j.subject_id = s.subject_id
              GROUP BY s.kind, s.company_id, s.month, s.subject_id, s.part_id, j.job_count
            ),
            ranked AS (
                -- peers by window functions (no self-join): rank, count, mean and spread per part and month
                SELECT u.*,
                       ROW_NUMBER() OVER (PARTITION BY kind, company_id, month, part_id ORDER BY qty_per_job) AS rn,
                       COUNT(*) OVER peer AS peer_count,
                       AVG(qty_per_job) OVER peer AS peer_mean,
                       STDDEV_POP(qty_per_job) OVER peer AS peer_stddev
                  FROM usage u
                WINDOW peer AS (PARTITION BY kind, company_id, month, part_id)
            ),
            peers AS (
                SELECT r.*,
                       AVG(qty_per_job) FILTER (WHERE rn IN ((peer_count + 1) / 2, (peer_count + 2) / 2))
                           OVER (PARTITION BY kind, company_id, month, part_id) AS peer_median
                  FROM ranked r
            )
            -- a move is in one row per kind: its id, doubled, plus the kind, is a stable unique id
            SELECT 2 * p.first_move_id + CASE WHEN p.kind = 'product' THEN 1 ELSE 0 END AS id,
                   p.kind, p.company_id, p.month,
                   CASE WHEN p.kind = 'technician' THEN p.subject_id END AS technician_id,
                   CASE WHEN p.kind = 'product' THEN p.subject_id END AS product_id,
                   p.part_id, p.quantity, p.job_count, p.qty_per_job, p.peer_count, p.peer_median,
                   CASE WHEN p.peer_median > 0 THEN p.qty_per_job / p.peer_median END AS ratio,
                   CASE WHEN p.peer_stddev > 0 THEN (p.qty_per_job - p.peer_mean) / p.peer_stddev ELSE 0.0 END
                       AS z_score,
                   (p.peer_count >= %(min_peers)s AND p.peer_median > 0
                    AND p.qty_per_job >= %(ratio)s * p.peer_median) AS is_abnormal,
                   now() AT TIME ZONE 'UTC' AS computed_on
              FROM peers p
            """,
            min_peers=MIN_PEERS,
            ratio=ABNORMAL_RATIO,
            date_from=date_from,
            date_to=date_to,
        )
