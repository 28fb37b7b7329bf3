import lxml.html

from odoo.tests import TransactionCase, tagged

from odoo.addons.report_wkhtmltopdf_compat.models import ir_actions_report as pdf_module


def _fixed(html, direction="rtl"):
    root = lxml.html.fromstring(f'<html><body dir="{direction}">{html}</body></html>')
    pdf_module.fix_bidi_tree(root.find("body"), direction)
    return lxml.html.tostring(root.find("body"), encoding="unicode")


@tagged("post_install", "-at_install")
class TestReportPdfText(TransactionCase):
    """The HTML given to Debian's wkhtmltopdf (old Qt WebKit): one bidi run per element."""

    def test_runs(self):
        runs = pdf_module.bidi_runs
        self.assertEqual(runs("مشتری: سارا"), [("R", "مشتری"), ("N", ": "), ("R", "سارا")])
        self.assertEqual(
            runs("تلفن: +98 912 345 6789 تماس"),
            [("R", "تلفن"), ("N", ": "), ("L", "+98 912 345 6789"), ("N", " "), ("R", "تماس")],
            "a phone number is one left-to-right run, its sign included",
        )
        self.assertEqual(
            runs("۱۴۰۴/۰۱/۰۱ ۰۰:۱۵ (2025-03-21 00:15)"),
            [("L", "۱۴۰۴/۰۱/۰۱"), ("N", " "), ("L", "۰۰:۱۵"), ("N", " "), ("L", "(2025-03-21 00:15)")],
            "date, time and the Gregorian date in brackets read right to left one after the other",
        )
        self.assertEqual(
            runs("[WM-8KG] Washing Machine 8 kg (ماشین لباسشویی)"),
            [("L", "[WM-8KG] Washing Machine 8 kg"), ("N", " ("), ("R", "ماشین لباسشویی"), ("N", ")")],
        )
        self.assertEqual(runs("صرف\u200cشده"), [("R", "صرف\u200cشده")], "a zero-width non-joiner stays in its word")

    def test_right_to_left_text_split(self):
        html = _fixed("<td><strong>تلفن:</strong> <span>+98 912 345 6789</span></td>")
        self.assertIn("<strong><span>تلفن</span><span>:</span></strong>", html, "the colon is its own run")
        self.assertIn('<bdo dir="ltr" style="white-space: nowrap">+98 912 345 6789</bdo>', html)
        html = _fixed("<p>یخچال خنک نمی‌کند</p>")
        self.assertIn("<p><span>یخچال </span><span>خنک </span><span>نمی\u200cکند</span></p>", html, "one word each")
        html = _fixed("<p>کد \u2066SN-1\u2069 ثبت شد</p>")
        self.assertNotIn("\u2066", html, "isolates this WebKit ignores are replaced by an override")
        self.assertIn('<bdo dir="ltr" style="white-space: nowrap">SN-1</bdo>', html)

    def test_left_to_right_text(self):
        self.assertEqual(_fixed("<p>Serial WM-1</p>", "ltr"), '<body dir="ltr"><p>Serial WM-1</p></body>', "untouched")
        html = _fixed("<p>Abnormal noise (صدای غیرعادی)</p>", "ltr")
        self.assertIn('<span dir="rtl"><span>صدای </span><span>غیرعادی</span></span>', html)
        html = _fixed('<p><span dir="ltr">۱۴۰۴/۰۱/۰۱</span></p>', "ltr")
        self.assertIn('<bdo dir="ltr" style="white-space: nowrap">۱۴۰۴/۰۱/۰۱</bdo>', html, "Persian digits in order")
        html = _fixed("<style>p:after { content: 'مشتری: ۱' }</style><svg><text>مشتری: ۱</text></svg>", "rtl")
        self.assertNotIn("<span", html, "styles and drawings are left alone")
