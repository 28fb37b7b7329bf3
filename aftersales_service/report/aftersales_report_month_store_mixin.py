from odoo import api, models, tools
from odoo.tools import SQL

from .aftersales_report_rollup_mixin import NULL_PARTITION, SEEN, _month_blocks


class AftersalesReportMonthStoreMixin(models.AbstractModel):
    """SQL-view report whose rows are computed month by month, the past months stored in a table.

    ``<table>_store`` holds the report rows of the stored months (a ``month`` column says which) and
    ``<table>_store_month`` when each month was computed (the transaction's snapshot). The change-logging
    triggers of the rollup mixin log every month whose rows a statement may have changed. The view reads the
    stored rows of the months before the first month that is not stored or whose computation missed a logged
    change ("since"), and computes the months from there on at each read: exact at every read, whatever the
    refresh does; the read costs the stored rows it reads (through an index) plus the live months, usually
    the current one. The refresh (the rollup mixin's scheduled action, every 10 minutes) stores the months
    before the current one that are missing or out of date.

    The report model defines ``_store_query`` (the rows of a period, with a ``month`` column), may set
    ``_store_horizon`` (the first month kept), ``_store_indexes`` and ``_rollup_triggers``, and builds its
    view in ``init`` from ``_store_rows()`` after ``_store_init()``.
    """

    _name = "aftersales.report.month.store.mixin"
    _inherit = ["aftersales.report.rollup.mixin"]
    _description = "After-Sales Report with Stored Months"
    _rollup_source = ("stock_move", "date")

    # ------------------------------------------------------------ to define
    def _store_query(self, date_from, date_to):
        """SELECT of the report rows of the months from ``date_from`` (included) to ``date_to`` (excluded),
        SQL or Python UTC timestamps, with a column ``month`` (the first day of the row's UTC month)."""
        raise NotImplementedError

    def _store_horizon(self):
        """SQL of the first month the report reads (older months are neither stored nor read)."""
        return SQL("'-infinity'::timestamp")

    def _store_indexes(self):
        """{name suffix: SQL text of the indexed columns and predicate} on the stored rows."""
        return {}

    # ------------------------------------------------------------ schema
    @property
    def _store_table(self):
        return f"{self._table}_store"

    @property
    def _store_month_table(self):
        return f"{self._table}_store_month"

    def _rollup_eligible(self, groupby, aggregates, having, order):
        # the grouped reads read the view, whose past months are stored already
        return False

    def _store_init(self):
        """(Re)create the tables of the stored months, empty (read live until the next refresh: a module
        update may change the columns), and the change-logging triggers. Drops the report's view first."""
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        store, store_month = SQL.identifier(self._store_table), SQL.identifier(self._store_month_table)
        cr.execute(SQL("DROP TABLE IF EXISTS %s, %s", store, store_month))
        never = SQL("'infinity'::timestamp")
        cr.execute(SQL("CREATE TABLE %s AS SELECT * FROM (%s) q WITH NO DATA", store, self._store_query(never, never)))
        cr.execute(
            SQL(
                """
                CREATE TABLE %s (
                    month timestamp PRIMARY KEY,
                    snapshot pg_snapshot NOT NULL,
                    xid xid8 NOT NULL,
                    seq bigint NOT NULL,
                    computed_on timestamp NOT NULL
                )
                """,
                store_month,
            )
        )
        indexes = {"month": "(month)", **self._store_indexes()}
        for suffix, definition in indexes.items():
            # no parameters: the definitions are SQL written in this module
            cr.execute(
                SQL(f"CREATE INDEX %s ON %s {definition}", SQL.identifier(f"{self._store_table}_{suffix}_idx"), store)
            )
        self._rollup_init()

    # ------------------------------------------------------------ reads
    def _store_since(self):
        """SQL of the first month read live: the end of the stored months, or the first month (from the
        horizon on) with a logged change that its stored computation did not see, whichever comes first."""
        horizon = self._store_horizon()
        return SQL(
            """
            (SELECT LEAST(
                GREATEST(%(horizon)s, COALESCE((SELECT MAX(month) FROM %(store_month)s) + interval '1 month',
                                               %(horizon)s)),
                (SELECT MIN(change.partition) FROM aftersales_report_change change
                  WHERE change.source = %(source)s AND change.partition >= %(horizon)s
                    AND change.partition > %(null)s::timestamp
                    AND NOT EXISTS (SELECT 1 FROM %(store_month)s part
                                     WHERE part.month = change.partition AND %(seen)s))))
            """,
            horizon=horizon,
            store_month=SQL.identifier(self._store_month_table),
            source=self._table,
            null=NULL_PARTITION,
            seen=SEEN,
        )

    def _store_rows(self, live_only=False, until=None):
        """SELECT of the report rows from the horizon on (to the month ``until``, SQL, excluded): the stored
        months before ``_store_since`` and the months from there on computed from the source (``live_only``:
        every month from the source)."""
        horizon = self._store_horizon()
        until = until or SQL("'infinity'::timestamp")
        if live_only:
            return self._store_query(horizon, until)
        since = self._store_since()
        return SQL(
            "(SELECT * FROM %s WHERE month >= %s AND month < %s AND month < %s) UNION ALL (%s)",
            SQL.identifier(self._store_table),
            horizon,
            since,
            until,
            self._store_query(since, until),
        )

    # ------------------------------------------------------------ refresh
    @api.model
    def _rollup_refresh(self):
        """Store the rows of the months from the first one with data (or the horizon) to the last one before
        the current month that are missing or missed a logged change; drop the months before the horizon and
        the changes every stored month has seen. Returns the number of months computed."""
        cr = self.env.cr
        self.env.flush_all()
        store, store_month = SQL.identifier(self._store_table), SQL.identifier(self._store_month_table)
        table, column = self._rollup_source
        horizon = self._store_horizon()
        cr.execute(
            SQL(
                """
                SELECT CASE WHEN isfinite(%(horizon)s) THEN %(horizon)s END,
                       date_trunc('month', now() AT TIME ZONE 'UTC'),
                       (SELECT date_trunc('month', MIN(%(column)s)) FROM %(table)s),
                       (SELECT MIN(partition) FROM aftersales_report_change
                         WHERE source = %(source)s AND partition > %(null)s::timestamp)
                """,
                horizon=horizon,
                column=SQL.identifier(column),
                table=SQL.identifier(table),
                source=self._table,
                null=NULL_PARTITION,
            )
        )
        first_month, current, first_data, first_change = cr.fetchone()
        starts = [month for month in (first_data, first_change) if month is not None]
        months = []
        if starts:
            month = max(min(starts), first_month) if first_month else min(starts)
            while month < current:
                months.append(month)
                month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
        cr.execute(
            SQL(
                """
                SELECT part.month FROM %s part
                 WHERE NOT EXISTS (SELECT 1 FROM aftersales_report_change change
                                    WHERE change.source = %s AND change.partition = part.month AND NOT %s)
                """,
                store_month,
                self._table,
                SEEN,
            )
        )
        valid = {row[0] for row in cr.fetchall()}
        todo = [month for month in months if month not in valid]
        for start, end in _month_blocks(todo)[0]:
            cr.execute(SQL("DELETE FROM %s WHERE month >= %s AND month < %s", store, start, end))
            cr.execute(SQL("INSERT INTO %s SELECT * FROM (%s) q", store, self._store_query(start, end)))
        if todo:
            cr.execute(
                SQL(
                    """
                    INSERT INTO %s (month, snapshot, xid, seq, computed_on)
                    SELECT month, pg_current_snapshot(), pg_current_xact_id(), nextval('aftersales_report_change_seq'),
                           now() AT TIME ZONE 'UTC'
                      FROM unnest(%s::timestamp[]) month
                    ON CONFLICT (month) DO UPDATE
                       SET snapshot = EXCLUDED.snapshot, xid = EXCLUDED.xid, seq = EXCLUDED.seq,
                           computed_on = EXCLUDED.computed_on
                    """,
                    store_month,
                    todo,
                )
            )
        cr.execute(SQL("DELETE FROM %s WHERE month < %s", store, horizon))
        cr.execute(SQL("DELETE FROM %s WHERE month < %s", store_month, horizon))
        # changes of no more use: seen by the stored computation of their month, or before the horizon
        cr.execute(
            SQL(
                """
                DELETE FROM aftersales_report_change change
                 WHERE change.source = %(source)s
                   AND pg_visible_in_snapshot(change.xid, pg_current_snapshot())
                   AND (change.partition < %(horizon)s OR change.partition <= %(null)s::timestamp
                        OR EXISTS (SELECT 1 FROM %(store_month)s part
                                    WHERE part.month = change.partition AND %(seen)s))
                """,
                source=self._table,
                horizon=horizon,
                null=NULL_PARTITION,
                store_month=store_month,
                seen=SEEN,
            )
        )
        if todo:
            # the planner reads the stored rows by month: with the statistics of what was just stored
            cr.execute(SQL("ANALYZE %s, %s", store, store_month))
        self.invalidate_model()
        return len(todo)
