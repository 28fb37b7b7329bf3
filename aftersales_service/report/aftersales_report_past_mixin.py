from odoo import api, fields, models, tools
from odoo.tools import SQL


class AftersalesReportPastMixin(models.AbstractModel):
    """SQL-view report computed month by month, whose past months are kept in a materialized view.

    The view reads the months before the current one from ``<table>_past``, a materialized view refreshed
    every night by a scheduled action (``_refresh_past_months``), and computes the current month (and any
    month after the last refresh) at each read. Every row says when it was computed (``computed_on``).
    The report model defines ``_query_period``.
    """

    _name = "aftersales.report.past.mixin"
    _description = "After-Sales Report with Stored Past Months"

    computed_on = fields.Datetime(
        readonly=True,
        aggregator="min",
        help="When the figures of the row were computed: at each read for the current month, at the last "
        "nightly refresh for the months before.",
    )

    def _query_period(self, date_from, date_to):
        """SELECT of the report rows of the months from ``date_from`` (included) to ``date_to`` (excluded),
        two SQL expressions of UTC timestamps. The last column is ``computed_on``, the time of the query
        (``now() AT TIME ZONE 'UTC'``); ids are unique across months."""
        raise NotImplementedError

    @property
    def _past_table(self):
        return f"{self._table}_past"

    def init(self):
        if self._abstract:
            return
        cr = self.env.cr
        past = SQL.identifier(self._past_table)
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(SQL("DROP MATERIALIZED VIEW IF EXISTS %s", past))
        this_month = SQL("date_trunc('month', now() AT TIME ZONE 'UTC')")
        cr.execute(
            SQL(
                "CREATE MATERIALIZED VIEW %s AS (%s)",
                past,
                self._query_period(SQL("'-infinity'::timestamp"), this_month),
            )
        )
        # unique index: refreshed concurrently, without blocking the readers
        cr.execute(SQL("CREATE UNIQUE INDEX %s ON %s (id)", SQL.identifier(f"{self._past_table}_id_idx"), past))
        # the live months start where the stored ones end: the month of their refresh (all of them when empty)
        since = SQL("COALESCE((SELECT date_trunc('month', computed_on) FROM %s LIMIT 1), '-infinity'::timestamp)", past)
        cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT * FROM %s UNION ALL (%s))",
                SQL.identifier(self._table),
                past,
                self._query_period(since, SQL("'infinity'::timestamp")),
            )
        )

    @api.model
    def _refresh_past_months(self):
        """Recompute the stored past months (scheduled action, every night)."""
        self.env.flush_all()
        self.env.cr.execute(SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(self._past_table)))
        self.invalidate_model()
