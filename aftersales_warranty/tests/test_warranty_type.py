from datetime import date

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyType(WarrantyCommon):
    def _type(self, duration, unit, **vals):
        return self.env["aftersales.warranty.type"].create(
            dict({"name": f"{duration} {unit}", "duration": duration, "duration_unit": unit}, **vals)
        )

    def test_days(self):
        wtype = self._type(30, "day")
        self.assertEqual(wtype.compute_date_end(date(2025, 1, 1)), date(2025, 1, 30))
        self.assertEqual(wtype.compute_date_end(date(2024, 2, 15)), date(2024, 3, 15), "29 February counted")

    def test_months_regular(self):
        self.assertEqual(self.type_18m.compute_date_end(date(2025, 1, 15)), date(2026, 7, 14))
        self.assertEqual(self._type(12, "month").compute_date_end(date(2025, 1, 1)), date(2025, 12, 31))

    def test_months_month_end(self):
        one_month = self._type(1, "month")
        # 31 January + 1 month has no 31 February: covered to the end of February
        self.assertEqual(one_month.compute_date_end(date(2025, 1, 31)), date(2025, 2, 28))
        self.assertEqual(one_month.compute_date_end(date(2024, 1, 31)), date(2024, 2, 29))
        self.assertEqual(one_month.compute_date_end(date(2024, 1, 29)), date(2024, 2, 28))
        self.assertEqual(one_month.compute_date_end(date(2025, 2, 28)), date(2025, 3, 27))

    def test_years_leap_day(self):
        one_year = self._type(1, "year")
        self.assertEqual(one_year.compute_date_end(date(2024, 2, 29)), date(2025, 2, 28))
        self.assertEqual(one_year.compute_date_end(date(2023, 3, 1)), date(2024, 2, 29))
        self.assertEqual(self._type(4, "year").compute_date_end(date(2024, 2, 29)), date(2028, 2, 28))

    def test_card_dates_follow_type_and_override(self):
        card = self._card("T-DATES", date_start=date(2025, 1, 31), warranty_type_id=self.type_18m.id)
        self.assertEqual(card.date_end, date(2026, 7, 30))
        self.assertEqual(card.date_grace_end, date(2026, 8, 6))
        card.date_end_override = date(2027, 1, 1)
        self.assertEqual(card.date_end, date(2027, 1, 1))
        card.date_start = date(2025, 6, 1)
        self.assertEqual(card.date_end, date(2027, 1, 1), "the manual end date is kept")
        card.date_end_override = False
        self.assertEqual(card.date_end, date(2026, 11, 30))
        self.type_18m.duration = 24
        self.assertEqual(card.date_end, date(2027, 5, 31))

    def test_duration_positive_and_archive(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._type(0, "month")
        wtype = self._type(6, "month")
        wtype.action_archive()
        self.assertNotIn(wtype, self.env["aftersales.warranty.type"].search([]))
