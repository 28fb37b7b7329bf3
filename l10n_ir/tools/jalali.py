"""Jalali (Solar Hijri) dates for printed documents.

Kept here, on ``jdatetime`` alone, so that the accounting localisation does not depend on the
after-sales addons (their Jalali helpers live in ``aftersales_warranty.tools``).
"""

import datetime

import jdatetime

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def format_jalali_date(value, persian_digits=True):
    """``date(2025, 3, 21)`` gives ``'۱۴۰۴/۰۱/۰۱'`` (``'1404/01/01'`` without Persian digits); ``''`` when empty."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = value.date()
    text = jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
    return text.translate(_PERSIAN_DIGITS) if persian_digits else text
