import datetime

import jdatetime
import pytz

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.dates import jalali_month_name

JALALI_GRANULARITIES = ("month", "quarter", "year")
JALALI_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}


def jalali_period_end(value, granularity):
    """First day (date) of the Jalali month/quarter/year after the one starting on ``value``."""
    start = jdatetime.date.fromgregorian(date=value)
    index = start.year * 12 + start.month - 1 + JALALI_MONTHS_PER[granularity]
    return jdatetime.date(index // 12, index % 12 + 1, 1).togregorian()


def jalali_period_label(value, granularity, lang):
    """``آذر 1405``, ``Q3 1405`` or ``1405`` for the Jalali period starting on ``value``."""
    start = jdatetime.date.fromgregorian(date=value)
    if granularity == "month":
        return f"{jalali_month_name(start.month, lang)} {start.year}"
    if granularity == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _web_jalali_group(self, groupby_spec):
        """(field, granularity) when ``groupby_spec`` groups a date(time) field by Jalali periods."""
        if not self.env.context.get("web_jalali_read_group"):
            return None
        fname, _, granularity = groupby_spec.partition(":")
        field = self._fields.get(fname)
        if not field or field.type not in ("date", "datetime"):
            return None
        granularity = granularity or "month"
        if granularity not in JALALI_GRANULARITIES:
            return None
        return field, granularity

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        # The public read_group is what the pivot, graph and grouped lists call: for a user who
        # reads the Jalali calendar, months, quarters and years are Jalali ones there. Internal
        # code (_read_group) keeps Gregorian periods whoever runs it.
        if not self.env.context.get("web_jalali_read_group") and self.env.user._web_jalali_is_active():
            return self.with_context(web_jalali_read_group=True).read_group(
                domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
            )
        return super().read_group(domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)

    def _read_group_groupby(self, groupby_spec, query):
        jalali = self._web_jalali_group(groupby_spec)
        if not jalali:
            return super()._read_group_groupby(groupby_spec, query)
        field, granularity = jalali
        day = super()._read_group_groupby(f"{field.name}:day", query)
        if field.type == "date":
            return SQL("web_jalali_trunc(%s, %s)", granularity, day)
        return SQL("web_jalali_trunc(%s, %s::date)::timestamp", granularity, day)

    def _read_group_fill_temporal(
        self, data, groupby, annoted_aggregates, fill_from=False, fill_to=False, min_groups=False
    ):
        if groupby and self._web_jalali_group(groupby[0]):
            return data  # the empty Gregorian periods would not fit between Jalali ones
        return super()._read_group_fill_temporal(
            data, groupby, annoted_aggregates, fill_from=fill_from, fill_to=fill_to, min_groups=min_groups
        )

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        jalali_groups = [group for group in lazy_groupby if self._web_jalali_group(group)]
        result = super()._read_group_format_result(rows_dict, [g for g in lazy_groupby if g not in jalali_groups])
        lang = self.env.lang or "en_US"
        tz = self.env.context.get("tz")
        tzinfo = pytz.timezone(tz) if tz in pytz.all_timezones_set else None
        for group in jalali_groups:
            field, granularity = self._web_jalali_group(group)
            fname = field.name
            for row in rows_dict:
                value = row[group]
                if not value:
                    row.setdefault("__range", {})[group] = False
                    additional_domain = [(fname, "=", value)]
                else:
                    start_day = value.date() if isinstance(value, datetime.datetime) else value
                    end_day = jalali_period_end(start_day, granularity)
                    if field.type == "datetime":
                        start = datetime.datetime.combine(start_day, datetime.time())
                        end = datetime.datetime.combine(end_day, datetime.time())
                        if tzinfo:
                            start = tzinfo.localize(start).astimezone(pytz.utc).replace(tzinfo=None)
                            end = tzinfo.localize(end).astimezone(pytz.utc).replace(tzinfo=None)
                        range_start, range_end = (str(d.replace(microsecond=0)) for d in (start, end))
                    else:
                        range_start, range_end = start_day.isoformat(), end_day.isoformat()
                    row[group] = jalali_period_label(start_day, granularity, lang)
                    row.setdefault("__range", {})[group] = {"from": range_start, "to": range_end}
                    additional_domain = ["&", (fname, ">=", range_start), (fname, "<", range_end)]
                row["__domain"] = expression.AND([row["__domain"], additional_domain])
        return result
