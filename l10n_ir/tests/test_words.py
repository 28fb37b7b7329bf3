from odoo.tests import TransactionCase, tagged

from odoo.addons.l10n_ir.tools import format_jalali_date, persian_amount_words, persian_number_words


@tagged("post_install", "-at_install")
class TestWords(TransactionCase):
    """Numbers, amounts and dates as Iranian invoices write them."""

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

    def test_jalali_date(self):
        self.assertEqual(format_jalali_date("2025-03-21"), "۱۴۰۴/۰۱/۰۱", "Nowruz 1404")
        self.assertEqual(format_jalali_date("2025-03-20", persian_digits=False), "1403/12/30", "1403 is a leap year")
        self.assertEqual(format_jalali_date(False), "")
