from odoo.tests import BaseCase, tagged

from odoo.addons.sms_gateway_ir.tools.sms_encoding import format_mobile, normalize_mobile, sms_parts


def _ucs2_units(text):
    return len(text.encode("utf-16-le")) // 2


def _gsm_septets(text):
    return sum(2 if char in "^{}\\[~]|€\f" else 1 for char in text)


@tagged("post_install", "-at_install")
class TestSmsEncoding(BaseCase):
    def test_gsm7_single_and_concatenated(self):
        self.assertEqual(sms_parts(""), ("gsm7", 0, []))
        self.assertEqual(sms_parts("a" * 160)[:2], ("gsm7", 1))
        encoding, count, parts = sms_parts("a" * 161)
        self.assertEqual((encoding, count), ("gsm7", 2))
        self.assertEqual([len(part) for part in parts], [153, 8])
        self.assertEqual(sms_parts("b" * 306)[1], 2)
        self.assertEqual(sms_parts("b" * 307)[1], 3)

    def test_gsm7_extension_characters_count_double_and_stay_whole(self):
        self.assertEqual(sms_parts("€" * 80)[:2], ("gsm7", 1))
        text = "a" + "€" * 80  # 161 septets
        encoding, count, parts = sms_parts(text)
        self.assertEqual((encoding, count), ("gsm7", 2))
        self.assertEqual("".join(parts), text)
        self.assertTrue(all(_gsm_septets(part) <= 153 for part in parts))
        # 'a' + 76 euros = 153 septets; the 77th euro would be cut in two: it goes to the next part
        self.assertEqual(_gsm_septets(parts[0]), 153)
        self.assertEqual(parts[1], "€" * 4)

    def test_persian_is_ucs2(self):
        persian = "سلام، گارانتی دستگاه شما تا ۱۴۰۶/۱۲/۲۹ معتبر است."
        self.assertEqual(sms_parts(persian)[:2], ("ucs2", 1))
        self.assertEqual(sms_parts("ب" * 70)[:2], ("ucs2", 1))
        encoding, count, parts = sms_parts("ب" * 71)
        self.assertEqual((encoding, count), ("ucs2", 2))
        self.assertEqual([len(part) for part in parts], [67, 4])
        self.assertEqual(sms_parts("ب" * 134)[1], 2)
        self.assertEqual(sms_parts("ب" * 135)[1], 3)

    def test_one_non_gsm_character_switches_the_whole_message(self):
        self.assertEqual(sms_parts("Serial SN-1234 OK")[0], "gsm7")
        self.assertEqual(sms_parts("Serial SN-1234 OK ✓")[0], "ucs2")
        self.assertEqual(sms_parts("a" * 100 + "س")[:2], ("ucs2", 2))

    def test_surrogate_pairs_are_never_split(self):
        self.assertEqual(sms_parts("😀" * 35)[:2], ("ucs2", 1))  # 70 code units
        text = "a" + "😀" * 40  # 81 code units
        _encoding, count, parts = sms_parts(text)
        self.assertEqual(count, 2)
        self.assertEqual("".join(parts), text)
        self.assertEqual([_ucs2_units(part) for part in parts], [67, 14])
        for part in parts:
            part.encode("utf-16-le").decode("utf-16-le")  # no lone surrogate at a boundary

    def test_normalize_iranian_mobile_formats(self):
        for number in (
            "09121234567",
            "9121234567",
            "+989121234567",
            "+98 912 123 4567",
            "989121234567",
            "00989121234567",
            "۰۹۱۲۱۲۳۴۵۶۷",
            "٠٩١٢١٢٣٤٥٦٧",
            "0912-123-4567",
        ):
            self.assertEqual(normalize_mobile(number), "+989121234567", number)
        self.assertEqual(normalize_mobile("+44 20 7946 0958"), "+442079460958")
        self.assertEqual(normalize_mobile("02191001234"), "02191001234")
        self.assertEqual(normalize_mobile("no digits"), "")

    def test_format_mobile_for_gateways(self):
        self.assertEqual(format_mobile("+989121234567", "local"), "09121234567")
        self.assertEqual(format_mobile("0912 123 4567", "intl"), "989121234567")
        self.assertEqual(format_mobile("۰۹۱۲۱۲۳۴۵۶۷", "e164"), "+989121234567")
        self.assertEqual(format_mobile("+442079460958", "local"), "+442079460958")
