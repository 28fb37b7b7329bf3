from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_warranty.tools import (
    normalize_code,
    to_ascii_digits,
    to_persian_digits,
)


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

