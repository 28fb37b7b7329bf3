"""Jalali (Solar Hijri) dates as a Persian reader reads them on documents, pages and messages."""

import datetime
import re

import jdatetime

from odoo import fields
from odoo.tools.misc import format_date, format_datetime

JALALI_MONTHS_FA = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]
JALALI_MONTHS_EN = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
]

# ASCII digits to Persian (U+06F0..U+06F9); Persian and Arabic-Indic digits to ASCII
_TO_PERSIAN = {ord(str(i)): c for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_TO_ASCII = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_TO_ASCII.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
# zero-width and directional marks that come with copy/paste from Persian text
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"))
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def to_persian_digits(text):
    """Return ``text`` (any value, converted with ``str``) with ASCII digits written as Persian digits."""
    if text is None or text is False:
        return ""
    return str(text).translate(_TO_PERSIAN)


def jalali_month_name(month, lang="fa_IR"):
    """Name of the Jalali ``month`` (1-12): in Persian for a Persian ``lang``, transliterated otherwise."""
    names = JALALI_MONTHS_FA if (lang or "").split("_")[0] == "fa" else JALALI_MONTHS_EN
    return names[month - 1]


def format_jalali(value, with_gregorian=False):
    """Format a date or datetime in the Jalali (Solar Hijri) calendar with Persian digits.

    ``format_jalali(date(2026, 11, 22))`` returns ``'۱۴۰۵/۰۹/۰۱'``; with ``with_gregorian=True``
    the ISO Gregorian date follows in parentheses. A datetime keeps its time (``HH:MM``).
    Returns ``''`` for an empty value.
    """
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        jvalue = jdatetime.datetime.fromgregorian(datetime=value)
        text = jvalue.strftime("%Y/%m/%d %H:%M")
        gregorian = value.strftime("%Y-%m-%d %H:%M")
    else:
        jvalue = jdatetime.date.fromgregorian(date=value)
        text = jvalue.strftime("%Y/%m/%d")
        gregorian = value.isoformat()
    text = to_persian_digits(text)
    if with_gregorian:
        text = f"{text} ({gregorian})"
    return text


def parse_date(text):
    """Parse an ISO (``2025-03-21``, ``2025/03/21``) or Jalali (``1404/01/01``) date; ``None`` when invalid.

    Years below 1700 are read as Jalali years. Persian digits are accepted.
    """
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    if text is None or text is False:
        return None
    text = str(text).translate(_INVISIBLE).translate(_TO_ASCII).strip()
    match = _DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        if year < 1700:
            return jdatetime.date(year, month, day).togregorian()
        return datetime.date(year, month, day)
    except ValueError:
        return None


def format_reader_date(env, value, with_gregorian=False, tz=False):
    """Format a date or datetime for a reader of ``env.lang``.

    Persian: Jalali with Persian digits (and the Gregorian date alongside with ``with_gregorian``,
    for documents that leave the company); other languages: the language's own format. Datetimes are
    shown in ``tz``, else the time zone of the context or of the user. Returns ``''`` for an empty value.
    """
    if not value:
        return ""
    if (env.lang or "").startswith("fa"):
        if isinstance(value, datetime.datetime):
            user = env.user.with_context(tz=tz) if tz else env.user
            value = fields.Datetime.context_timestamp(user, value)
        return format_jalali(value, with_gregorian=with_gregorian)
    if isinstance(value, datetime.datetime):
        return format_datetime(env, value, tz=tz)
    return format_date(env, value)
