from datetime import date, datetime

from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_warranty.tools import (
    format_jalali,
    normalize_code,
    to_ascii_digits,
    to_persian_digits,
)
from odoo.addons.aftersales_warranty.tools.text import parse_date


@tagged("post_install", "-at_install")
class TestTools(TransactionCase):
    def test_normalize_code(self):
        self.assertEqual(normalize_code("  wc-۱۲۳۴  "), "WC-1234")
        self.assertEqual(normalize_code("sn ٤٥٦\u200c   ab"), "SN 456 AB")
        self.assertEqual(normalize_code("\ufeffabc\t\n"), "ABC")
        self.assertEqual(normalize_code(None), "")
        self.assertEqual(normalize_code(False), "")

    def test_persian_digits(self):
        self.assertEqual(to_persian_digits("1404/01/01"), "۱۴۰۴/۰۱/۰۱")
        self.assertEqual(to_persian_digits(12), "۱۲")
        self.assertEqual(to_persian_digits(None), "")
        self.assertEqual(to_persian_digits("WC-1403-0001"), "WC-۱۴۰۳-۰۰۰۱")
        self.assertEqual(to_ascii_digits("۰۹۱۲ ٣٤٥ ۶۷۸۹"), "0912 345 6789")
        self.assertEqual(to_ascii_digits(to_persian_digits("1234567890")), "1234567890")

    def test_format_jalali_nowruz(self):
        # Nowruz 1404 is 21 March 2025; the day before is the 30th of Esfand of the leap year 1403
        self.assertEqual(format_jalali(date(2025, 3, 21)), "۱۴۰۴/۰۱/۰۱")
        self.assertEqual(format_jalali(date(2025, 3, 20)), "۱۴۰۳/۱۲/۳۰")
        # 1404 is not leap: Esfand has 29 days and Nowruz 1405 is 21 March 2026
        self.assertEqual(format_jalali(date(2026, 3, 20)), "۱۴۰۴/۱۲/۲۹")
        self.assertEqual(format_jalali(date(2026, 3, 21)), "۱۴۰۵/۰۱/۰۱")
        self.assertEqual(format_jalali(date(2026, 11, 22)), "۱۴۰۵/۰۹/۰۱")

    def test_format_jalali_year_boundaries(self):
        # the last day of a leap year (1403/12/30) and of a common year (1404/12/29), then Nowruz
        self.assertEqual(format_jalali(date(2025, 3, 20), with_gregorian=True), "۱۴۰۳/۱۲/۳۰ (2025-03-20)")
        self.assertEqual(format_jalali(date(2026, 3, 20), with_gregorian=True), "۱۴۰۴/۱۲/۲۹ (2026-03-20)")
        # 1402 was not leap either: Nowruz 1403 fell on 20 March 2024 (a Gregorian leap year)
        self.assertEqual(format_jalali(date(2024, 3, 19)), "۱۴۰۲/۱۲/۲۹")
        self.assertEqual(format_jalali(date(2024, 3, 20)), "۱۴۰۳/۰۱/۰۱")
        # Gregorian New Year falls in Dey
        self.assertEqual(format_jalali(date(2025, 1, 1)), "۱۴۰۳/۱۰/۱۲")
        self.assertEqual(format_jalali(date(2024, 12, 31)), "۱۴۰۳/۱۰/۱۱")
        # a datetime just after midnight on Nowruz keeps its day
        self.assertEqual(format_jalali(datetime(2025, 3, 21, 0, 15)), "۱۴۰۴/۰۱/۰۱ ۰۰:۱۵")
        self.assertEqual(format_jalali(datetime(2025, 3, 20, 23, 59)), "۱۴۰۳/۱۲/۳۰ ۲۳:۵۹")

    def test_parse_date_leap_years(self):
        self.assertEqual(parse_date("1403/12/30"), date(2025, 3, 20), "1403 is a leap year")
        self.assertEqual(parse_date("1404/01/01"), date(2025, 3, 21))
        self.assertEqual(parse_date("1404/12/29"), date(2026, 3, 20))
        self.assertIsNone(parse_date("1402/12/30"), "1402 is not a leap year")

    def test_format_jalali_variants(self):
        self.assertEqual(format_jalali(date(2024, 2, 29), with_gregorian=True), "۱۴۰۲/۱۲/۱۰ (2024-02-29)")
        self.assertEqual(format_jalali(datetime(2025, 3, 21, 8, 30)), "۱۴۰۴/۰۱/۰۱ ۰۸:۳۰")
        self.assertEqual(format_jalali("2025-03-21"), "۱۴۰۴/۰۱/۰۱")
        self.assertEqual(format_jalali(False), "")

    def test_parse_date(self):
        self.assertEqual(parse_date("2024-02-29"), date(2024, 2, 29))
        self.assertEqual(parse_date("۱۴۰۳/۱۲/۳۰"), date(2025, 3, 20))
        self.assertIsNone(parse_date("1404/12/30"), "1404 is not a leap year")
        self.assertIsNone(parse_date("2023-02-29"))
        self.assertIsNone(parse_date("21/03/2025"))
        self.assertIsNone(parse_date("tomorrow"))
