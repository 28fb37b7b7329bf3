from datetime import date, datetime

from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_warranty.tools import format_jalali, normalize_code, to_persian_digits
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

    def test_format_jalali_nowruz(self):
        # Nowruz 1404 is 21 March 2025; the day before is the 30th of Esfand of the leap year 1403
        self.assertEqual(format_jalali(date(2025, 3, 21)), "۱۴۰۴/۰۱/۰۱")
        self.assertEqual(format_jalali(date(2025, 3, 20)), "۱۴۰۳/۱۲/۳۰")
        # 1404 is not leap: Esfand has 29 days and Nowruz 1405 is 21 March 2026
        self.assertEqual(format_jalali(date(2026, 3, 20)), "۱۴۰۴/۱۲/۲۹")
        self.assertEqual(format_jalali(date(2026, 3, 21)), "۱۴۰۵/۰۱/۰۱")
        self.assertEqual(format_jalali(date(2026, 11, 22)), "۱۴۰۵/۰۹/۰۱")

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
