"""The PDF documents as a customer receives them: real PDFs from the running server's wkhtmltopdf.

Each report is printed over HTTP the way the web client prints it, in English (admin, English-language
customers) and in Persian (the Persian demo company's manager, Persian-language customers). The text
is read back with ``pdftotext``: record reference, customer, product, serial, the company header
(which an unpatched wkhtmltopdf would drop), the date in the reader's calendar; and the word boxes
(``pdftotext -bbox``) show that no text overlaps, none runs off the page and a phone number inside
Persian text keeps the order of its digit groups.
"""

import datetime
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zoneinfo

import pytest

from .client import OdooClient
from .fixtures import unique

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed to read the PDFs back"
)

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


# ---------------------------------------------------------------- helpers


def _run_pdftotext(pdf, *args):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        return subprocess.run(
            ["pdftotext", *args, tmp.name, "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout


def _same_line(first, second):
    """Word boxes on one line (their vertical centres agree; a sign may come from another font)."""
    return abs((first[1] + first[3]) - (second[1] + second[3])) < 4


class PrintedPdf:
    """A printed PDF: its text (Arabic presentation forms folded, bidi marks dropped) and word boxes."""

    def __init__(self, pdf):
        self.pdf = pdf
        raw = unicodedata.normalize("NFKC", _run_pdftotext(pdf, "-layout"))
        self.text = re.sub(r"[ \t]+", " ", BIDI_CONTROLS.sub("", raw))
        bbox = _run_pdftotext(pdf, "-bbox")
        self.page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
        self.words = [
            (float(x0), float(y0), float(x1), float(y1), unicodedata.normalize("NFKC", word))
            for x0, y0, x1, y1, word in WORD_RE.findall(bbox)
        ]

    def overlapping_words(self):
        """Pairs of words of one line whose boxes overlap (the old WebKit bidi bug)."""
        pairs = []
        for index, first in enumerate(self.words):
            for second in self.words[index + 1 :]:
                if _same_line(first, second) and min(first[2], second[2]) - max(first[0], second[0]) > 1.0:
                    pairs.append((first[4], second[4]))
        return pairs

    def words_off_page(self):
        return [word[4] for word in self.words if word[0] < 2 or word[2] > self.page_width - 2]

    def assert_laid_out(self):
        assert not self.overlapping_words(), f"overlapping text: {self.overlapping_words()[:5]}"
        assert not self.words_off_page(), f"text off the page: {self.words_off_page()[:5]}"

    def assert_reads_left_to_right(self, value):
        """The groups of ``value`` (a phone number) print left to right in their written order."""
        groups = [group.strip("+") for group in value.split()]
        for first in self.words:
            line = sorted((word for word in self.words if _same_line(first, word)), key=lambda word: word[0])
            texts = [word[4].strip("+") for word in line]
            for start in range(len(texts) - len(groups) + 1):
                if texts[start : start + len(groups)] == groups:
                    return
        raise AssertionError(f"{value!r} is not printed left to right; text was:\n{self.text}")


def print_pdf(client, session, base_url, report, ids, options=None):
    """Print as the web client does: the user's language in the context, the wizard's options."""
    lang = client.execute("res.users", "read", [client.uid], fields=["lang"])[0]["lang"]
    params = {"context": json.dumps({"lang": lang})}
    if options:
        params["options"] = json.dumps(options)
    response = session.get(f"{base_url}/report/pdf/{report}/{','.join(map(str, ids))}", params=params, timeout=600)
    assert response.status_code == 200, response.text[:2000]
    assert response.content[:4] == b"%PDF", response.text[:2000]
    fonts = subprocess.run(["pdffonts", "-"], input=response.content, capture_output=True, check=False).stdout
    assert b"NotoSans" in fonts, "the report's stylesheet did not load (no Noto Sans font in the PDF)"
    return PrintedPdf(response.content)


def xmlid(admin, name):
    module, name = name.split(".")
    rows = admin.execute(
        "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"]
    )
    assert rows, f"demo record {module}.{name} missing"
    return rows[0]["res_id"]


def jalali(value):
    """Jalali date of a date, in Persian digits (as the reports print it)."""
    import jdatetime  # noqa: PLC0415 (only where Persian dates are checked)

    return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d").translate(PERSIAN_DIGITS)


def local_date(client, user_id, utc_text):
    """The date of a UTC datetime string in a user's time zone."""
    tz = client.execute("res.users", "read", [user_id], fields=["tz"])[0]["tz"] or "UTC"
    moment = datetime.datetime.fromisoformat(utc_text).replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(zoneinfo.ZoneInfo(tz)).date()


def english_medium_date(value):
    return f"{value.strftime('%b')} {value.day}, {value.year}"


def has_words(text, value):
    """Every word of ``value`` is in ``text`` (in right-to-left lines pdftotext may move brackets)."""
    return all(word in text for word in re.findall(r"[^\s()\[\]]+", value))


def persian_digits(text):
    return re.findall("[۰-۹]", text)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", autouse=True)
def report_url(admin, base_url):
    """wkhtmltopdf fetches the report's stylesheets from ``report.url`` (else ``web.base.url``, which follows the
    last administrator's web sign-in): point it at the server under test, whichever test signs in first."""
    previous = admin.execute("ir.config_parameter", "get_param", "report.url")
    admin.execute("ir.config_parameter", "set_param", "report.url", base_url)
    yield base_url
    admin.execute("ir.config_parameter", "set_param", "report.url", previous or False)


@pytest.fixture(scope="module")
def pars(base_url, db_name):
    return OdooClient(base_url, db_name, "pars_manager", "pars_manager")


@pytest.fixture(scope="module")
def admin_web(admin):
    return admin.web_session()


@pytest.fixture(scope="module")
def pars_web(pars):
    return pars.web_session()


@pytest.fixture(scope="module")
def pars_company_name(pars):
    return pars.execute("res.users", "read", [pars.uid], fields=["company_id"])[0]["company_id"][1]


@pytest.fixture(scope="module")
def admin_company_name(admin):
    return admin.execute("res.users", "read", [admin.uid], fields=["company_id"])[0]["company_id"][1]


# ---------------------------------------------------------------- reception receipt


def _request_facts(client, request_id):
    request = client.execute(
        "aftersales.request", "read", [request_id], fields=["name", "partner_id", "date_received", "line_ids"]
    )[0]
    partner = client.execute("res.partner", "read", [request["partner_id"][0]], fields=["name", "phone", "mobile"])[0]
    lines = client.execute("aftersales.request.line", "read", request["line_ids"], fields=["lot_id", "product_id"])
    return request, partner, lines


def test_reception_receipt_persian(base_url, admin, pars, pars_web, pars_company_name):
    request_id = xmlid(admin, "aftersales_service.demo_request_pars_received")
    request, partner, lines = _request_facts(pars, request_id)
    printed = print_pdf(pars, pars_web, base_url, "aftersales_service.report_aftersales_request_receipt", [request_id])
    text = printed.text
    assert request["name"] in text
    assert partner["name"] in text
    assert has_words(text, pars_company_name), "company header missing"
    for line in lines:
        assert line["lot_id"][1] in text
    # Jalali date, the Gregorian date alongside, both in Persian digits as every number of a Persian document
    received = local_date(pars, pars.uid, request["date_received"])
    assert jalali(received) in text
    assert received.isoformat().translate(PERSIAN_DIGITS) in text
    assert not re.search(r"(?<![A-Za-z0-9/-])[0-9]{4}-[0-9]{2}-[0-9]{2}", text), "a date in Latin digits"
    phone = partner["phone"] or partner["mobile"]
    assert phone, "the demo customer has a phone number"
    printed.assert_reads_left_to_right(phone.translate(PERSIAN_DIGITS))
    printed.assert_laid_out()


def test_reception_receipt_english(base_url, admin, admin_web, admin_company_name):
    request_id = xmlid(admin, "aftersales_service.demo_request_done")
    request, partner, lines = _request_facts(admin, request_id)
    printed = print_pdf(
        admin, admin_web, base_url, "aftersales_service.report_aftersales_request_receipt", [request_id]
    )
    text = printed.text
    assert "Reception Receipt" in text
    assert request["name"] in text
    assert partner["name"] in text
    assert admin_company_name in text, "company header missing"
    for line in lines:
        assert line["lot_id"][1] in text
    # the Gregorian date, no Jalali date, for an English-speaking customer
    assert english_medium_date(local_date(admin, admin.uid, request["date_received"])) in text
    assert not persian_digits(text)
    printed.assert_laid_out()


# ---------------------------------------------------------------- service report


def _order_facts(client, order_id):
    return client.execute(
        "repair.order",
        "read",
        [order_id],
        fields=["name", "partner_id", "product_id", "lot_id", "technician_id", "date_finished", "company_id"],
    )[0]


def test_service_report_persian(base_url, admin, pars, pars_web, pars_company_name):
    order_id = xmlid(admin, "aftersales_service.demo_order_pars_done")
    order = _order_facts(pars, order_id)
    printed = print_pdf(pars, pars_web, base_url, "aftersales_service.report_repair_order_service", [order_id])
    text = printed.text
    assert order["name"] in text
    assert order["partner_id"][1] in text
    assert order["lot_id"][1] in text
    assert order["technician_id"][1] in text
    assert has_words(text, pars_company_name), "company header missing"
    finished = local_date(pars, pars.uid, order["date_finished"])
    assert jalali(finished) in text
    assert finished.isoformat().translate(PERSIAN_DIGITS) in text
    printed.assert_laid_out()


def test_service_report_english(base_url, admin, admin_web, admin_company_name):
    order_id = xmlid(admin, "aftersales_service.demo_order_done")
    order = _order_facts(admin, order_id)
    printed = print_pdf(admin, admin_web, base_url, "aftersales_service.report_repair_order_service", [order_id])
    text = printed.text
    assert "Service Report" in text
    assert order["name"] in text
    assert order["partner_id"][1] in text
    assert order["lot_id"][1] in text
    assert order["product_id"][1].split(" (")[0] in text
    assert admin_company_name in text, "company header missing"
    assert english_medium_date(local_date(admin, admin.uid, order["date_finished"])) in text
    assert not persian_digits(text)
    printed.assert_laid_out()


# ---------------------------------------------------------------- technician monthly report


def _month_of(client, user_id, utc_text):
    day = local_date(client, user_id, utc_text)
    first = day.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def test_technician_monthly_persian(base_url, admin, pars, pars_web, pars_company_name):
    order = _order_facts(pars, xmlid(admin, "aftersales_service.demo_order_pars_done"))
    employee_id = order["technician_id"][0]
    first, last = _month_of(pars, pars.uid, order["date_finished"])
    printed = print_pdf(
        pars,
        pars_web,
        base_url,
        "aftersales_service.report_technician_monthly",
        [employee_id],
        {"date_from": first.isoformat(), "date_to": last.isoformat()},
    )
    text = printed.text
    assert order["technician_id"][1] in text
    assert order["name"] in text
    assert has_words(text, pars_company_name), "company header missing (the technician's company)"
    assert jalali(first) in text and jalali(last) in text
    printed.assert_laid_out()


def test_technician_monthly_english(base_url, admin, admin_web, admin_company_name):
    order = _order_facts(admin, xmlid(admin, "aftersales_service.demo_order_done"))
    first, last = _month_of(admin, admin.uid, order["date_finished"])
    printed = print_pdf(
        admin,
        admin_web,
        base_url,
        "aftersales_service.report_technician_monthly",
        [order["technician_id"][0]],
        {"date_from": first.isoformat(), "date_to": last.isoformat()},
    )
    text = printed.text
    assert "Technician Report" in text
    assert order["name"] in text
    assert admin_company_name in text, "company header missing"
    assert first.strftime("%m/%d/%Y") in text and last.strftime("%m/%d/%Y") in text
    assert not persian_digits(text)
    printed.assert_laid_out()


# ---------------------------------------------------------------- invoice, total in Persian words


def _posted_invoice(admin, partner_vals, price):
    partner = admin.execute("res.partner", "create", partner_vals)
    product = admin.execute(
        "product.product", "create", {"name": unique("Service visit "), "type": "service", "taxes_id": [(6, 0, [])]}
    )
    invoice = admin.execute(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": partner,
            "invoice_line_ids": [
                (0, 0, {"product_id": product, "quantity": 1, "price_unit": price, "tax_ids": [(6, 0, [])]})
            ],
        },
    )
    admin.execute("account.move", "action_post", [invoice])
    return admin.execute("account.move", "read", [invoice], fields=["name"])[0]


def test_invoice_persian_words(base_url, admin, admin_web, admin_company_name):
    customer = "سارا " + unique("احمدی")
    invoice = _posted_invoice(admin, {"name": customer, "lang": "fa_IR", "mobile": "+98 912 345 6789"}, 2500)
    printed = print_pdf(admin, admin_web, base_url, "account.report_invoice", [invoice["id"]])
    text = printed.text
    assert invoice["name"] in text
    assert customer.split()[0] in text
    assert has_words(text, admin_company_name), "company header missing"
    # 2,500 dollars in Persian words
    assert "پانصد" in text and "دلار" in text
    printed.assert_laid_out()


def test_invoice_english_no_words(base_url, admin, admin_web, admin_company_name):
    invoice = _posted_invoice(admin, {"name": unique("Jane Reader "), "lang": "en_US"}, 2500)
    printed = print_pdf(admin, admin_web, base_url, "account.report_invoice", [invoice["id"]])
    assert invoice["name"] in printed.text
    assert admin_company_name in printed.text
    assert "دلار" not in printed.text
    printed.assert_laid_out()
