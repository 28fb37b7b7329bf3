from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from ..tools.holidays import holidays_of_year, jalali_year

# Saturday-Wednesday 08:00-16:00, Thursday 08:00-12:00: the 44 hours a week of Iran's labour law
# (article 51); Friday is the weekly rest day. (dayofweek: 0 = Monday ... 5 = Saturday, 6 = Sunday)
IR_ATTENDANCES = [
    *(
        (day, period, hour_from, hour_to)
        for day in "56012"
        for period, hour_from, hour_to in (("morning", 8.0, 12.0), ("afternoon", 12.0, 16.0))
    ),
    ("3", "morning", 8.0, 12.0),
]


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    ir_public_holidays = fields.Boolean(
        string="Iranian Public Holidays",
        help="Keep Iran's public holidays (Nowruz, 12-13 Farvardin, 14-15 Khordad, 22 Bahman, 29 Esfand and "
        "the religious holidays of the lunar calendar) as public time off of this calendar, for the current "
        "and the next Iranian year. A monthly scheduled action adds the next year as it comes.",
    )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        calendars = super().create(vals_list)
        calendars.filtered("ir_public_holidays")._ir_generate_public_holidays()
        return calendars

    def write(self, vals):
        res = super().write(vals)
        if vals.get("ir_public_holidays"):
            self._ir_generate_public_holidays()
        return res

    # ------------------------------------------------------------------ actions

    def action_ir_generate_public_holidays(self):
        """Button: add the Iranian public holidays of the current and the next Iranian year."""
        self._ir_generate_public_holidays()
        return True

    # ------------------------------------------------------------------ business helpers

    @api.model
    def _ir_work_week_attendance_commands(self):
        """Attendance lines of the Iranian work week, as commands for ``attendance_ids``."""
        attendance_fields = self.env["resource.calendar.attendance"]._fields
        day_names = dict(attendance_fields["dayofweek"]._description_selection(self.env))
        period_names = dict(attendance_fields["day_period"]._description_selection(self.env))
        commands = [fields.Command.clear()]
        for sequence, (dayofweek, period, hour_from, hour_to) in enumerate(IR_ATTENDANCES):
            commands.append(
                fields.Command.create(
                    {
                        "name": f"{day_names[dayofweek]} {period_names[period]}",
                        "sequence": sequence,
                        "dayofweek": dayofweek,
                        "day_period": period,
                        "hour_from": hour_from,
                        "hour_to": hour_to,
                        "duration_days": 0.5,
                    }
                )
            )
        return commands

    @api.model
    def _ir_default_years(self):
        """The current Iranian year and the next one."""
        year = jalali_year(fields.Date.context_today(self.with_context(tz="Asia/Tehran")))
        return [year, year + 1]

    def _ir_generate_public_holidays(self, years=None):
        """Create the missing public holidays of the Jalali ``years`` (default: current and next) as
        public time off (``resource.calendar.leaves`` without resource) of each calendar.

        One leave per day, from midnight to midnight in the calendar's time zone, named in the
        language of the calendar's company; days that already have a public time off (of this calendar,
        or of the company for all calendars) are left alone, so the method can run again (scheduled
        action, button) without duplicates. Returns the leaves created.
        """
        years = years or self._ir_default_years()
        leaves_model = self.env["resource.calendar.leaves"].sudo()
        to_create = []
        for calendar in self:
            timezone = pytz.timezone(calendar.tz or "Asia/Tehran")
            lang = calendar.company_id.partner_id.lang or self.env.lang or "en_US"
            named = calendar.with_context(lang=lang)
            # the calendar's public time off and the company's time off for every calendar (which applies
            # to this one too, and which hr_holidays forbids to overlap)
            existing = leaves_model.search(
                [
                    ("resource_id", "=", False),
                    ("time_type", "=", "leave"),
                    "|",
                    ("calendar_id", "=", calendar.id),
                    "&",
                    ("calendar_id", "=", False),
                    ("company_id", "=", calendar.company_id.id or self.env.company.id),
                ]
            )
            taken = set()
            for leave in existing:
                # days whose local noon the leave covers
                day = pytz.utc.localize(leave.date_from).astimezone(timezone).date()
                while True:
                    noon = timezone.localize(datetime.combine(day, time(12))).astimezone(pytz.utc).replace(tzinfo=None)
                    if noon > leave.date_to:
                        break
                    if noon >= leave.date_from:
                        taken.add(day)
                    day += timedelta(days=1)
            for year in years:
                for day, names in holidays_of_year(year):
                    if day in taken:
                        continue
                    taken.add(day)
                    start = timezone.localize(datetime.combine(day, time.min))
                    stop = timezone.localize(datetime.combine(day + timedelta(days=1), time.min)) - timedelta(seconds=1)
                    to_create.append(
                        {
                            "name": named._ir_holiday_label(names),
                            "calendar_id": calendar.id,
                            "company_id": calendar.company_id.id or self.env.company.id,
                            "date_from": start.astimezone(pytz.utc).replace(tzinfo=None),
                            "date_to": stop.astimezone(pytz.utc).replace(tzinfo=None),
                            "time_type": "leave",
                        }
                    )
        return leaves_model.create(self._ir_compensate_public_holiday_shift(leaves_model, to_create))

    @api.model
    def _ir_compensate_public_holiday_shift(self, leaves_model, vals_list):
        """Undo in advance the time zone shift ``hr_holidays`` applies to public time off on creation.

        ``hr_holidays`` reads the dates of a new public time off as wall-clock times of the creating user's
        time zone and moves them to the calendar's time zone (``_prepare_public_holidays_values``), which
        is right for dates typed in a form but not for ours, already computed in the calendar's time zone.
        The shift it would apply is measured on a copy and subtracted, so the holidays run from midnight to
        midnight in the calendar's time zone whoever creates them.
        """
        prepare = getattr(leaves_model, "_prepare_public_holidays_values", None)
        if not prepare or not vals_list:
            return vals_list
        probes = prepare([dict(vals) for vals in vals_list])
        for vals, probe in zip(vals_list, probes, strict=True):
            for fname in ("date_from", "date_to"):
                vals[fname] = vals[fname] - (probe[fname] - vals[fname])
        return vals_list

    def _ir_holiday_label(self, names):
        """Name of a holiday leave in the language of the context (lazy names joined)."""
        labels = []
        for name in names:
            labels.append(str(name))  # translated in the language of self.env (this frame's self)
        return " / ".join(labels)

    @api.model
    def _cron_ir_public_holidays(self):
        """Keep the public holidays of the current and the next Iranian year on the flagged calendars."""
        self.search([("ir_public_holidays", "=", True)])._ir_generate_public_holidays()
