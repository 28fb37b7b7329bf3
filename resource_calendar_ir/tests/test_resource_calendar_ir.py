from datetime import datetime

import pytz

from odoo.tests import TransactionCase, new_test_user, tagged

from ..tools.holidays import NOWRUZ, holidays_of_year


@tagged("post_install", "-at_install")
class TestIranianWorkWeek(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Tehran Works (test)"})
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Iranian week (test)",
                "company_id": cls.company.id,
                "tz": "Asia/Tehran",
                "attendance_ids": cls.env["resource.calendar"]._ir_work_week_attendance_commands(),
            }
        )
        cls.tehran = pytz.timezone("Asia/Tehran")

    def _work_hours_by_day(self, first, last):
        start = self.tehran.localize(datetime(*first))
        stop = self.tehran.localize(datetime(*last))
        hours = {}
        for begin, end, _meta in self.calendar._work_intervals_batch(start, stop)[False]:
            day = begin.astimezone(self.tehran).strftime("%a")
            hours[day] = hours.get(day, 0) + (end - begin).total_seconds() / 3600
        return hours

    def test_work_week(self):
        """Saturday-Wednesday 8 hours, Thursday 4 hours, Friday off: 44 hours."""
        hours = self._work_hours_by_day((2026, 12, 5), (2026, 12, 12))  # Saturday to Saturday
        self.assertEqual(hours, {"Sat": 8, "Sun": 8, "Mon": 8, "Tue": 8, "Wed": 8, "Thu": 4})

    def test_solar_and_lunar_holidays_of_1405(self):
        days = dict(holidays_of_year(1405))
        # Nowruz 1405 starts on Saturday 21 March 2026, together with Eid al-Fitr
        nowruz = days[datetime(2026, 3, 21).date()]
        self.assertEqual([name._source for name in nowruz], ["Nowruz", "Eid al-Fitr"])
        self.assertIn(datetime(2027, 2, 11).date(), days, "22 Bahman")
        self.assertIn(datetime(2027, 3, 20).date(), days, "29 Esfand")
        self.assertIn(datetime(2026, 6, 25).date(), days, "Ashura 1448: 4 Tir 1405")
        # 10 solar days + 19 lunar days, three of them on the same day as a solar holiday
        self.assertEqual(len(days), 26)

    def test_generate_leaves(self):
        # created by a user in New York: the holidays still run from midnight to midnight in Tehran
        # (hr_holidays, when installed, would otherwise move them by the difference of time zones)
        user = new_test_user(
            self.env,
            login="ny_user",
            groups="base.group_user",
            tz="America/New_York",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        created = self.calendar.with_user(user)._ir_generate_public_holidays([1405, 1406])
        self.assertEqual(len(created), len(holidays_of_year(1405)) + len(holidays_of_year(1406)))
        self.assertEqual(created.company_id, self.company)
        self.assertFalse(created.resource_id)
        nowruz = created.filtered(lambda leave: leave.date_from == datetime(2027, 3, 20, 20, 30))
        self.assertEqual(nowruz.name, "Nowruz", "1 Farvardin 1406 from midnight in Tehran")
        self.assertEqual(nowruz.date_to, datetime(2027, 3, 21, 20, 29, 59))
        # idempotent: the scheduled action and the button add only what is missing
        self.assertFalse(self.calendar._ir_generate_public_holidays([1405, 1406]))
        # the holidays are time off: Nowruz week 1406 leaves Thursday 5 Farvardin only
        hours = self._work_hours_by_day((2027, 3, 20), (2027, 3, 27))
        self.assertEqual(hours, {"Thu": 4})

    def test_flag_generates_current_and_next_year(self):
        self.calendar.ir_public_holidays = True
        years = self.calendar._ir_default_years()
        leaves = self.env["resource.calendar.leaves"].search([("calendar_id", "=", self.calendar.id)])
        self.assertEqual(len(leaves), sum(len(holidays_of_year(year)) for year in years))

    def test_names_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.assertEqual(self.calendar.with_context(lang="fa_IR")._ir_holiday_label([NOWRUZ]), "نوروز")

    def test_main_company_calendar(self):
        calendar = self.env.ref("resource_calendar_ir.resource_calendar_ir_work_week")
        self.assertEqual(calendar.tz, "Asia/Tehran")
        self.assertEqual(sorted(set(calendar.attendance_ids.mapped("dayofweek"))), ["0", "1", "2", "3", "5", "6"])
        self.assertTrue(calendar.leave_ids.filtered(lambda leave: not leave.resource_id))

    def test_company_wide_holiday_kept(self):
        """A company time off for all calendars on a holiday is kept, not doubled (hr_holidays forbids it)."""
        bahman_22 = (
            self.env["resource.calendar.leaves"]
            .with_company(self.company)
            .create(
                {
                    "name": "Revolution Day (company)",
                    "date_from": datetime(2027, 2, 10, 20, 30),
                    "date_to": datetime(2027, 2, 11, 20, 29, 59),
                }
            )
        )
        self.assertEqual((bahman_22.calendar_id, bahman_22.company_id), (self.env["resource.calendar"], self.company))
        created = self.calendar._ir_generate_public_holidays([1405])
        self.assertEqual(len(created), len(holidays_of_year(1405)) - 1)
        self.assertFalse(created.filtered(lambda leave: leave.date_from.date() == datetime(2027, 2, 10).date()))

    def test_lunar_holidays_of_1404(self):
        """Last year's official days off, so that SLA clocks and reports over its orders count them."""
        days = dict(holidays_of_year(1404))
        self.assertIn(datetime(2025, 3, 31).date(), days, "Eid al-Fitr 1446: 11 Farvardin 1404")
        self.assertIn(datetime(2025, 7, 6).date(), days, "Ashura 1447: 15 Tir 1404")
        self.assertIn(datetime(2026, 3, 11).date(), days, "Martyrdom of Imam Ali: 20 Esfand 1404")
        # 10 solar days + 17 lunar days, one of them (12 Farvardin) on a solar holiday
        self.assertEqual(len(days), 26)
