from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_warranty.tools import (
    normalize_code,
    persian_amount_words,
    persian_number_words,
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

    def test_persian_number_words(self):
        self.assertEqual(persian_number_words(0), "صفر")
        self.assertEqual(persian_number_words(7), "هفت")
        self.assertEqual(persian_number_words(15), "پانزده")
        self.assertEqual(persian_number_words(105), "صد و پنج")
        self.assertEqual(persian_number_words(1000), "هزار")
        self.assertEqual(persian_number_words(1001), "هزار و یک")
        self.assertEqual(persian_number_words(21500), "بیست و یک هزار و پانصد")
        self.assertEqual(persian_number_words(2000000), "دو میلیون")
        self.assertEqual(persian_number_words(1250000000), "یک میلیارد و دویست و پنجاه میلیون")
        self.assertEqual(persian_number_words(125000000), "صد و بیست و پنج میلیون")
        self.assertEqual(
            persian_number_words(68_000_000_000_000),
            "شصت و هشت تریلیون",
        )
        self.assertEqual(
            persian_number_words(1_000_001_001_000),
            "یک تریلیون و یک میلیون و هزار",
        )
        self.assertEqual(persian_number_words(-4500), "منفی چهار هزار و پانصد")
        with self.assertRaises(ValueError):
            persian_number_words(10**18)

    def test_persian_amount_words(self):
        self.assertEqual(persian_amount_words(1250000000), "یک میلیارد و دویست و پنجاه میلیون ریال")
        self.assertEqual(persian_amount_words(125000000, "تومان"), "صد و بیست و پنج میلیون تومان")
        self.assertEqual(persian_amount_words(12.5, "دلار", "سنت", 2), "دوازده دلار و پنجاه سنت")
        self.assertEqual(persian_amount_words(12.0, "دلار", "سنت", 2), "دوازده دلار")

    def test_currency_amount_to_text_in_persian(self):
        """Odoo's amount in words (invoices) is Persian for Persian readers, in rials for the rial."""
        self.env["res.lang"]._activate_lang("fa_IR")
        rial = self.env.ref("base.IRR")
        self.assertEqual(
            rial.with_context(lang="fa_IR").amount_to_text(1250000000), "یک میلیارد و دویست و پنجاه میلیون ریال"
        )
        dollar = self.env.ref("base.USD").with_context(lang="fa_IR")
        self.assertEqual(dollar.amount_to_text(1250.25), "هزار و دویست و پنجاه دلار و بیست و پنج سنت")
        english = rial.with_context(lang="en_US").amount_to_text(1250)
        self.assertIn("Thousand", english, "other languages keep Odoo's words")
