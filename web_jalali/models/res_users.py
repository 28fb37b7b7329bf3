import jdatetime

from odoo import api, fields, models

# Jalali years of the month table behind the SQL grouping by Jalali periods (Gregorian 1921-2321)
JALALI_TABLE_YEARS = range(1300, 1700)


class ResUsers(models.Model):
    _inherit = "res.users"

    web_jalali_calendar = fields.Selection(
        [
            ("auto", "By language"),
            ("gregorian", "Gregorian"),
            ("jalali", "Persian (Jalali)"),
        ],
        string="Calendar",
        default="auto",
        required=True,
        help="Calendar of the dates shown in the back office. By language: the Persian (Jalali) "
        "calendar for a user whose language is Persian, the Gregorian calendar otherwise.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["web_jalali_calendar"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["web_jalali_calendar"]

    @api.model
    def _web_jalali_lang_is_persian(self, lang):
        return (lang or "").split("_")[0] == "fa"

    def _web_jalali_is_active(self):
        """Whether this user reads dates in the Jalali calendar in the back office."""
        self.ensure_one()
        if self.web_jalali_calendar == "auto":
            return self._web_jalali_lang_is_persian(self.lang)
        return self.web_jalali_calendar == "jalali"

    def init(self):
        result = super().init()
        self._web_jalali_init_sql()
        return result

    @api.model
    def _web_jalali_init_sql(self):
        """Create the SQL function ``web_jalali_trunc(granularity, date)``: the first day of the Jalali
        month, quarter or year of a date, from a table of the first days of the Jalali months."""
        cr = self.env.cr
        cr.execute(
            """CREATE TABLE IF NOT EXISTS web_jalali_month (
                   date_start date PRIMARY KEY,
                   jalali_year integer NOT NULL,
                   jalali_month integer NOT NULL
               )"""
        )
        cr.execute("SELECT count(*) FROM web_jalali_month")
        if cr.fetchone()[0] != len(JALALI_TABLE_YEARS) * 12:
            months = [(year, month) for year in JALALI_TABLE_YEARS for month in range(1, 13)]
            cr.execute("DELETE FROM web_jalali_month")
            cr.execute(
                "INSERT INTO web_jalali_month SELECT * FROM unnest(%s::date[], %s::int[], %s::int[])",
                (
                    [jdatetime.date(year, month, 1).togregorian() for year, month in months],
                    [year for year, _month in months],
                    [month for _year, month in months],
                ),
            )
        cr.execute(
            """CREATE OR REPLACE FUNCTION web_jalali_trunc(granularity text, value date) RETURNS date
               LANGUAGE sql STABLE PARALLEL SAFE AS $$
                   SELECT date_start FROM web_jalali_month
                    WHERE date_start <= value
                      AND (granularity = 'month'
                           OR (granularity = 'quarter' AND jalali_month % 3 = 1)
                           OR (granularity = 'year' AND jalali_month = 1))
                    ORDER BY date_start DESC LIMIT 1
               $$"""
        )
