import hashlib
import json
import logging

from psycopg2 import Error as PsycopgError

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, UserError
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Partial aggregates that add up across months: the grouped reads made of them are answered from the stored
# months. count_distinct, array_agg and recordset do not add up: those reads scan the view as before.
MERGEABLE = {"sum", "avg", "min", "max", "count", "bool_and", "bool_or"}
SQL_TYPES = {
    "many2one": "int4",
    "integer": "int8",
    "float": "float8",
    "monetary": "numeric",
    "boolean": "bool",
    "selection": "varchar",
    "char": "varchar",
    "date": "date",
    "datetime": "timestamp",
}
# Context keys that change the SQL of a grouped read (record rules, time zone of the date groups, Jalali
# periods, translated names): kept with each stored grouping, to recompute it as its user would read it.
SPEC_CONTEXT_KEYS = ("lang", "tz", "allowed_company_ids", "active_test", "web_jalali_read_group")
# A stored month saw a logged change when the change's transaction had committed before the month was
# computed, or when it is the same transaction and the change came first.
SEEN = SQL("(pg_visible_in_snapshot(change.xid, part.snapshot) OR (change.xid = part.xid AND change.seq < part.seq))")
MAX_ROLLUPS = 200  # groupings kept per report; the least recently read beyond that are dropped
UNREAD_DAYS = 30  # a grouping nobody read for that long is dropped
NULL_PARTITION = "0001-01-01 00:00:00"  # the month of the rows without a value


class _RollupPlan:
    """How one grouped read is answered from the stored months. Passed in the context of the outer read:
    a Python object, which no client can send (a context from JSON holds only plain values)."""

    __slots__ = ("selects", "table")

    def __init__(self, table, selects):
        self.table = table
        self.selects = selects


class AftersalesReportRollupMixin(models.AbstractModel):
    """SQL-view report whose grouped reads are answered from partial aggregates stored per month.

    A grouped read (pivot, graph, dashboard) is the sum of its parts: one per month of the report's
    partition column. The first time a grouping (domain, groups, measures, the user's rules) is read it is
    computed from the view as before and registered; the refresh (scheduled action every 10 minutes)
    stores its partial aggregates for every month but the current one. Later reads add up the stored
    months whose rows have not changed since (triggers on the source tables log each changed month with
    the writing transaction; a stored month is used only if its computation saw every logged change) and
    compute the other months from the view. Exact at every read: never stale, whatever the refresh does.

    The report model sets ``_rollup_source`` (table, partition column on that table) and
    ``_rollup_partition`` (the same column on the view), and defines ``_rollup_triggers``.
    """

    _name = "aftersales.report.rollup.mixin"
    _description = "After-Sales Report with Stored Monthly Aggregates"
    _rollup_source = None  # (table, column): the partition column on the source table
    _rollup_partition = None  # the partition column on the view

    # ------------------------------------------------------------ schema
    def _rollup_init(self):
        """Create the shared tables and the change-logging triggers (called from the report's ``init``)."""
        cr = self.env.cr
        cr.execute(
            """
            CREATE TABLE IF NOT EXISTS aftersales_report_rollup (
                id serial PRIMARY KEY,
                model varchar NOT NULL,
                key varchar(64) NOT NULL UNIQUE,
                spec jsonb NOT NULL,
                create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                refresh_date timestamp,
                read_date timestamp
            );
            CREATE TABLE IF NOT EXISTS aftersales_report_rollup_part (
                rollup_id int NOT NULL REFERENCES aftersales_report_rollup (id) ON DELETE CASCADE,
                partition timestamp NOT NULL,
                snapshot pg_snapshot NOT NULL,
                xid xid8 NOT NULL,
                seq bigint NOT NULL,
                computed_on timestamp NOT NULL,
                rows jsonb NOT NULL,
                PRIMARY KEY (rollup_id, partition)
            );
            ALTER TABLE aftersales_report_rollup ADD COLUMN IF NOT EXISTS read_date timestamp;
            CREATE SEQUENCE IF NOT EXISTS aftersales_report_change_seq;
            CREATE TABLE IF NOT EXISTS aftersales_report_change (
                source varchar NOT NULL,
                partition timestamp NOT NULL,
                xid xid8 NOT NULL,
                seq bigint NOT NULL DEFAULT nextval('aftersales_report_change_seq')
            );
            CREATE INDEX IF NOT EXISTS aftersales_report_change_partition_idx
                ON aftersales_report_change (source, partition);
            """
        )
        # the live months are read through an index on the partition column (unless one exists already)
        table, column = self._rollup_source
        cr.execute(
            """
            SELECT 1 FROM pg_index i
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indrelid = %s::regclass AND a.attname = %s AND i.indpred IS NULL
            """,
            [table, column],
        )
        if not cr.fetchone():
            cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (%s)",
                    SQL.identifier(f"{table}_{column}_rollup_idx"),
                    SQL.identifier(table),
                    SQL.identifier(column),
                )
            )
        transitions = {
            "INSERT": "NEW TABLE AS rollup_new",
            "DELETE": "OLD TABLE AS rollup_old",
            "UPDATE": "OLD TABLE AS rollup_old NEW TABLE AS rollup_new",
        }
        # names within PostgreSQL's 63 characters: the report's digest, the table and the event
        prefix = f"aftersales_rollup_{hashlib.sha256(self._table.encode()).hexdigest()[:8]}_"
        cr.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal AND starts_with(tgname, %s)",
            [prefix],
        )
        for name, table in cr.fetchall():
            cr.execute(SQL("DROP TRIGGER %s ON %s", SQL.identifier(name), SQL.identifier(table)))
        for (table, event), months in self._rollup_triggers().items():
            name = f"{prefix}{table[:30]}_{event[0].lower()}"
            # no parameters: the body is SQL written in this module, with no value from outside. EXECUTE: the
            # query is planned at each statement for the sizes of its transition tables; a plan cached by the
            # connection (made for a statement of one row) joined a statement's 80,000 rows to the part lines
            # by a nested loop: minutes instead of milliseconds
            cr.execute(
                SQL(
                    f"""
                    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$
                    BEGIN
                        EXECUTE $query$
                        INSERT INTO aftersales_report_change (source, partition, xid)
                        SELECT DISTINCT '{self._table}', month, pg_current_xact_id() FROM ({months}) changed(month)
                        $query$;
                        RETURN NULL;
                    END $body$;
                    CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transitions[event]}
                        FOR EACH STATEMENT EXECUTE FUNCTION {name}();
                    """
                )
            )

    def _rollup_triggers(self):
        """{(table, INSERT|UPDATE|DELETE): SELECT of the months (see ``_rollup_month``) whose report rows a
        statement may have changed, from its transition tables ``rollup_old`` and ``rollup_new``}."""
        raise NotImplementedError

    @api.model
    def _rollup_source_triggers(self, columns, counted):
        """Triggers of the source table itself: the months of the rows a statement inserts, deletes or changes
        (before and after) among ``columns``, for rows where ``counted`` (a condition on ``{0}``, the row's
        alias) holds before or after."""
        table, column = self._rollup_source
        new, old = self._rollup_month("n", column), self._rollup_month("o", column)
        new_columns = ", ".join(f"n.{name}" for name in columns)
        old_columns = ", ".join(f"o.{name}" for name in columns)
        return {
            (table, "INSERT"): f"SELECT {new} FROM rollup_new n WHERE {counted.format('n')}",
            (table, "DELETE"): f"SELECT {old} FROM rollup_old o WHERE {counted.format('o')}",
            (table, "UPDATE"): f"""
                SELECT unnest(ARRAY[{new}, {old}])
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                 WHERE ({counted.format("n")} OR {counted.format("o")})
                   AND ({new_columns}) IS DISTINCT FROM ({old_columns})""",
        }

    @api.model
    def _rollup_month(self, alias, column):
        """SQL text of the month of ``alias.column`` in a trigger body (same as ``_rollup_partition_sql``)."""
        return f"COALESCE(date_trunc('month', {alias}.{column}), '{NULL_PARTITION}'::timestamp)"

    @api.model
    def _rollup_partition_sql(self, expression):
        """SQL of the month (partition) of a value of the partition column."""
        return SQL("COALESCE(date_trunc('month', %s), %s::timestamp)", expression, NULL_PARTITION)

    # ------------------------------------------------------------ grouped reads
    def _rollup_enabled(self):
        return self.env["ir.config_parameter"].sudo().get_param("aftersales_service.report_rollup", "1") != "0"

    def _rollup_eligible(self, groupby, aggregates, having, order):
        if self._rollup_source is None or not self._rollup_enabled():
            return False
        for spec in groupby:
            fname, prop, granularity = parse_read_group_spec(spec)
            field = self._fields.get(fname)
            if not field or prop or field.type not in SQL_TYPES or not field.store:
                return False
            if granularity and field.type not in ("date", "datetime"):
                return False
        for spec in aggregates:
            if spec == "__count":
                continue
            fname, prop, func = parse_read_group_spec(spec)
            field = self._fields.get(fname)
            if not field or prop or func not in MERGEABLE or field.type not in SQL_TYPES or not field.store:
                return False
        for term in (order or "").split(","):
            term = term.strip().split(" ")[0]
            if term and term not in groupby and term not in aggregates:
                return False
        # a having clause reads the aggregates: fine, the outer read computes them
        return True

    def _rollup_partials(self, domain, groupby, aggregates, live_where=None):
        """The partial aggregates of a grouped read, per month: (SELECT, [(column, SQL type)] of the groups
        and measures). ``live_where`` restricts the rows (a function of the partition column's SQL)."""
        query = self._search(domain)
        partition_column = self._field_to_sql(self._table, self._rollup_partition, query)
        partition = self._rollup_partition_sql(partition_column)
        if live_where is not None:
            query.add_where(live_where(partition_column))
        terms, selects, columns = [partition], [SQL("%s AS p", partition)], []
        for index, spec in enumerate(groupby):
            fname, _prop, granularity = parse_read_group_spec(spec)
            field = self._fields[fname]
            term = self._read_group_groupby(spec, query)
            terms.append(term)
            # a date group keeps its earliest value: grouped again by the same period, it falls in the same one
            value = SQL("MIN(%s)", self._field_to_sql(self._table, fname, query)) if granularity else term
            sql_type = SQL_TYPES[field.type]
            selects.append(SQL("(%s)::%s AS %s", value, SQL(sql_type), SQL.identifier(f"g{index}")))
            columns.append((f"g{index}", sql_type))
        for index, spec in enumerate(aggregates):
            for column, sql_type, expression in self._rollup_measure_parts(spec, query):
                name = f"m{index}{column}"
                selects.append(SQL("(%s)::%s AS %s", expression, SQL(sql_type), SQL.identifier(name)))
                columns.append((name, sql_type))
        query.groupby = SQL(", ").join(terms)
        return query.select(*selects), columns

    def _rollup_measure_parts(self, spec, query):
        """[(column suffix, SQL type, partial aggregate SQL)] stored for one aggregate ``spec``."""
        if spec == "__count":
            return [("", "int8", SQL("COUNT(*)"))]
        fname, _prop, func = parse_read_group_spec(spec)
        field = self._fields[fname]
        column = self._field_to_sql(self._table, fname, query)
        value_type = {"integer": "int8", "many2one": "int8"}.get(field.type, SQL_TYPES[field.type])
        if func == "count":
            return [("", "int8", SQL("COUNT(%s)", column))]
        if func == "avg":
            return [("s", "float8", SQL("SUM(%s)", column)), ("n", "int8", SQL("COUNT(%s)", column))]
        if func in ("min", "max"):
            return [("", SQL_TYPES[field.type], SQL(f"{func.upper()}(%s)", column))]
        if func in ("bool_and", "bool_or"):
            return [("", "bool", SQL(f"{func.upper()}(%s)", column))]
        return [("", value_type, SQL("SUM(%s)", column))]

    def _rollup_merge_select(self, index, spec, alias):
        """Outer aggregate of the partial columns of aggregate number ``index``."""
        if spec == "__count":
            return SQL("SUM(%s)::int8", SQL.identifier(alias, f"m{index}"))
        fname, _prop, func = parse_read_group_spec(spec)
        field = self._fields[fname]
        column = SQL.identifier(alias, f"m{index}")
        if func == "avg":
            return SQL(
                "SUM(%s) / NULLIF(SUM(%s), 0)",
                SQL.identifier(alias, f"m{index}s"),
                SQL.identifier(alias, f"m{index}n"),
            )
        if func in ("min", "max", "bool_and", "bool_or"):
            return SQL(f"{func.upper()}(%s)", column)
        if func == "count" or field.type in ("integer", "many2one"):
            return SQL("SUM(%s)::int8", column)
        return SQL("SUM(%s)::%s", column, SQL(SQL_TYPES[field.type]))

    @api.model
    def _rollup_spec(self, domain, groupby, aggregates):
        context = {key: self.env.context[key] for key in SPEC_CONTEXT_KEYS if key in self.env.context}
        return json.loads(
            json.dumps(
                {"domain": list(domain), "groupby": list(groupby), "aggregates": list(aggregates), "context": context},
                default=str,
            )
        )

    @api.model
    def _rollup_key(self, spec):
        select, _columns = self.with_context(**spec["context"])._rollup_partials(
            spec["domain"], spec["groupby"], spec["aggregates"]
        )
        payload = json.dumps([self._name, select.code, select.params], default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _rollup_register(self, key, spec):
        """Register a grouping for the refresh; a read-only request does it in a transaction of its own."""
        values = (self._name, key, json.dumps({**spec, "uid": self.env.uid, "su": self.env.su}))
        query = "INSERT INTO aftersales_report_rollup (model, key, spec) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
        self._rollup_write(query, values)

    def _rollup_write(self, query, params):
        """Bookkeeping of the groupings (register one, note a read): in the request's transaction, or in one of
        its own when the request is read-only (a grouped read is, in Odoo 18). Only an optimisation: a
        failure is logged, the read itself is answered from the view."""
        if not self.env.cr.readonly:
            self.env.cr.execute(query, params)
            return
        if self.env.registry.in_test_mode():
            # tests share one transaction: a read/write cursor cannot be opened from a read-only request
            return
        try:
            with self.env.registry.cursor() as cr:
                cr.execute(query, params)
        except PsycopgError:
            _logger.info("could not write the bookkeeping of %s", self._name, exc_info=True)

    def _rollup_mark_read(self, rollup_id):
        """Note that a grouping is read (at most once a day): the refresh keeps the groupings people read."""
        query = (
            "UPDATE aftersales_report_rollup SET read_date = now() AT TIME ZONE 'UTC' WHERE id = %s "
            "AND (read_date IS NULL OR read_date < now() AT TIME ZONE 'UTC' - interval '1 day')"
        )
        self._rollup_write(query, [rollup_id])

    def _rollup_valid_partitions(self, rollup_id):
        """Stored months of a grouping that saw every change visible to this transaction."""
        self.env.cr.execute(
            SQL(
                """
            SELECT part.partition
              FROM aftersales_report_rollup_part part
             WHERE part.rollup_id = %s
               AND NOT EXISTS (
                    SELECT 1 FROM aftersales_report_change change
                     WHERE change.source = %s AND change.partition = part.partition
                       AND NOT %s)
          ORDER BY part.partition
            """,
                rollup_id,
                self._table,
                SEEN,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _rollup_outside(self, partitions):
        """Function of the partition column: the rows outside the given months, as index ranges."""
        blocks, null_month = _month_blocks(partitions)

        def where(column):
            ranges, start = [], None
            for block_start, block_end in blocks:
                ranges.append(
                    SQL("%s < %s", column, block_start)
                    if start is None
                    else SQL("(%s >= %s AND %s < %s)", column, start, column, block_start)
                )
                start = block_end
            ranges.append(SQL("%s >= %s", column, start) if start is not None else SQL("%s IS NOT NULL", column))
            if not null_month:
                ranges.append(SQL("%s IS NULL", column))
            return SQL("(%s)", SQL(" OR ").join(ranges))

        return where

    @api.model
    def _rollup_inside(self, partitions):
        """Function of the partition column: the rows of the given months, as index ranges."""
        blocks, null_month = _month_blocks(partitions)

        def where(column):
            ranges = [SQL("(%s >= %s AND %s < %s)", column, start, column, end) for start, end in blocks]
            if null_month:
                ranges.append(SQL("%s IS NULL", column))
            return SQL("(%s)", SQL(" OR ").join(ranges) if ranges else SQL("FALSE"))

        return where

    def _rollup_plan(self, domain, groupby, aggregates):
        # the change log is written by triggers: pending writes first
        self.env.flush_all()
        spec = self._rollup_spec(domain, groupby, aggregates)
        key = self._rollup_key(spec)
        self.env.cr.execute("SELECT id, read_date FROM aftersales_report_rollup WHERE key = %s", [key])
        row = self.env.cr.fetchone()
        if not row:
            self._rollup_register(key, spec)
            return None
        self._rollup_mark_read(row[0])
        partitions = self._rollup_valid_partitions(row[0])
        if not partitions:
            return None
        live, columns = self._rollup_partials(
            spec["domain"], spec["groupby"], spec["aggregates"], live_where=self._rollup_outside(partitions)
        )
        names = [name for name, _type in columns]
        alias = self._table
        stored = SQL(
            "SELECT %s FROM aftersales_report_rollup_part part, jsonb_to_recordset(part.rows) AS x(%s) "
            "WHERE part.rollup_id = %s AND part.partition = ANY(%s)",
            SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(SQL("%s %s", SQL.identifier(name), SQL(sql_type)) for name, sql_type in columns),
            row[0],
            partitions,
        )
        live_rows = SQL("SELECT %s FROM (%s) live", SQL(", ").join(SQL.identifier(name) for name in names), live)
        # the groups take the names of their fields, for the outer read to group, order and join them
        renamed = [
            SQL("%s AS %s", SQL.identifier(f"g{index}"), SQL.identifier(parse_read_group_spec(spec)[0]))
            for index, spec in enumerate(groupby)
            if parse_read_group_spec(spec)[0] not in {parse_read_group_spec(s)[0] for s in groupby[:index]}
        ]
        measures = [SQL.identifier(name) for name in names if name.startswith("m")]
        table = SQL(
            "(SELECT %s FROM (%s UNION ALL %s) parts)",
            SQL(", ").join([*renamed, *measures]) if renamed or measures else SQL("1"),
            stored,
            live_rows,
        )
        selects = {spec: self._rollup_merge_select(index, spec, alias) for index, spec in enumerate(aggregates)}
        return _RollupPlan(table, selects)

    @property
    def _table_sql(self):
        plan = self.env.context.get("aftersales_rollup_plan")
        if isinstance(plan, _RollupPlan):
            return plan.table
        return super()._table_sql

    def _read_group_select(self, aggregate_spec, query):
        plan = self.env.context.get("aftersales_rollup_plan")
        if isinstance(plan, _RollupPlan):
            if aggregate_spec not in plan.selects:
                raise ValueError(f"Aggregate {aggregate_spec!r} was not stored")
            return plan.selects[aggregate_spec]
        return super()._read_group_select(aggregate_spec, query)

    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        plan = self.env.context.get("aftersales_rollup_plan")
        groupby, aggregates = list(groupby), list(aggregates)
        if isinstance(plan, _RollupPlan) or not self._rollup_eligible(groupby, aggregates, having, order):
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        self.browse().check_access("read")
        plan = self._rollup_plan(domain, groupby, aggregates)
        if plan is None:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        # sudo: the user's access and record rules were applied to every row of the parts above (the
        # stored ones were computed with the same rules: they are part of the grouping's key); the outer
        # read only adds them up. Its groups are given back in the user's environment.
        outer = self.sudo().with_context(aftersales_rollup_plan=plan)
        rows = super(AftersalesReportRollupMixin, outer)._read_group(
            [], groupby, aggregates, having, offset, limit, order
        )
        return [
            tuple(value.with_env(self.env) if isinstance(value, models.BaseModel) else value for value in row)
            for row in rows
        ]

    # ------------------------------------------------------------ refresh
    def _rollup_source_partitions(self):
        """Months of the partition column present in the source table: a loose index scan."""
        table, column = self._rollup_source
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE months(month) AS (
                    SELECT date_trunc('month', MIN(%(column)s)) FROM %(table)s
                UNION ALL
                    SELECT (SELECT date_trunc('month', MIN(%(column)s)) FROM %(table)s
                             WHERE %(column)s >= months.month + interval '1 month')
                      FROM months WHERE months.month IS NOT NULL
                )
                SELECT month FROM months WHERE month IS NOT NULL
                UNION ALL
                SELECT %(partition)s FROM (SELECT 1 FROM %(table)s WHERE %(column)s IS NULL LIMIT 1) n(x)
                """,
                column=SQL.identifier(column),
                table=SQL.identifier(table),
                partition=SQL("%s::timestamp", NULL_PARTITION),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _rollup_refresh(self):
        """Store the partial aggregates of every registered grouping of this report for the months whose
        stored figures are missing or out of date, but the current month (it changes all day: read live)."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            """
            DELETE FROM aftersales_report_rollup WHERE id IN (
                SELECT id FROM aftersales_report_rollup WHERE model = %s
                 ORDER BY COALESCE(read_date, create_date) DESC OFFSET %s)
                OR (model = %s AND COALESCE(read_date, create_date) < now() AT TIME ZONE 'UTC' - %s * interval '1 day')
            """,
            [self._name, MAX_ROLLUPS, self._name, UNREAD_DAYS],
        )
        cr.execute("SELECT id, key, spec FROM aftersales_report_rollup WHERE model = %s ORDER BY id", [self._name])
        rollups = cr.fetchall()
        source_partitions = self._rollup_source_partitions()
        cr.execute("SELECT date_trunc('month', now() AT TIME ZONE 'UTC')")
        current = cr.fetchone()[0]
        stored_months = 0
        for rollup_id, key, spec in rollups:
            user = self.env["res.users"].sudo().browse(spec.get("uid")).exists()
            report = None
            if user and (user.active or user.id == SUPERUSER_ID):
                report = self.with_user(user).with_context(**spec["context"])
                report = report.sudo() if spec.get("su") else report
            try:
                # the user may have lost a company or a right since: their grouping is then dropped
                valid_key = report is not None and report._rollup_key(spec) == key
            except (AccessError, UserError, ValueError):
                valid_key = False
            if not valid_key:
                # the user is gone, or their rules changed: the grouping would be registered anew
                cr.execute("DELETE FROM aftersales_report_rollup WHERE id = %s", [rollup_id])
                continue
            valid = set(report._rollup_valid_partitions(rollup_id))
            todo = [p for p in source_partitions if p not in valid and p != current]
            cr.execute(
                "DELETE FROM aftersales_report_rollup_part WHERE rollup_id = %s AND NOT (partition = ANY(%s))",
                [rollup_id, source_partitions],
            )
            if not todo:
                continue
            select, _columns = report._rollup_partials(
                spec["domain"], spec["groupby"], spec["aggregates"], live_where=report._rollup_inside(todo)
            )
            cr.execute(
                SQL(
                    """
                    WITH partials AS MATERIALIZED (%s)
                    INSERT INTO aftersales_report_rollup_part
                           (rollup_id, partition, snapshot, xid, seq, computed_on, rows)
                    SELECT %s, month, pg_current_snapshot(), pg_current_xact_id(),
                           nextval('aftersales_report_change_seq'), now() AT TIME ZONE 'UTC',
                           COALESCE((SELECT jsonb_agg(to_jsonb(partial) - 'p') FROM partials partial
                                      WHERE partial.p = month), '[]'::jsonb)
                      FROM unnest(%s::timestamp[]) month
                    ON CONFLICT (rollup_id, partition) DO UPDATE
                       SET snapshot = EXCLUDED.snapshot, xid = EXCLUDED.xid, seq = EXCLUDED.seq,
                           computed_on = EXCLUDED.computed_on, rows = EXCLUDED.rows
                    """,
                    select,
                    rollup_id,
                    todo,
                )
            )
            cr.execute(
                "UPDATE aftersales_report_rollup SET refresh_date = now() AT TIME ZONE 'UTC' WHERE id = %s",
                [rollup_id],
            )
            stored_months += len(todo)
        # changes every stored month has seen are of no more use
        cr.execute(
            SQL(
                """
            DELETE FROM aftersales_report_change change
             WHERE change.source = %s
               AND pg_visible_in_snapshot(change.xid, pg_current_snapshot())
               AND NOT EXISTS (
                    SELECT 1 FROM aftersales_report_rollup_part part
                      JOIN aftersales_report_rollup rollup ON rollup.id = part.rollup_id
                     WHERE rollup.model = %s AND part.partition = change.partition
                       AND NOT %s)
            """,
                self._table,
                self._name,
                SEEN,
            )
        )
        return stored_months

    @api.model
    def _cron_rollup_refresh(self):
        """Scheduled action: refresh the stored months of every report with stored monthly aggregates."""
        for model in self.env.registry.descendants(["aftersales.report.rollup.mixin"], "_inherit"):
            if not self.env[model]._abstract:
                self.env[model]._rollup_refresh()


def _month_blocks(partitions):
    """([start, end) of each run of consecutive months, whether the month of empty values is among them)."""
    blocks = []
    for month in sorted(p for p in partitions if p.year > 1):
        following = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
        if blocks and blocks[-1][1] == month:
            blocks[-1][1] = following
        else:
            blocks.append([month, following])
    return blocks, any(p.year <= 1 for p in partitions)
