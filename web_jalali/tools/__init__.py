"""Jalali (Solar Hijri) dates on the server side (import from ``odoo.addons.web_jalali.tools``)."""

from .dates import (
    format_jalali,
    format_reader_date,
    jalali_month_name,
    parse_date,
    to_persian_digits,
)

__all__ = [
    "format_jalali",
    "format_reader_date",
    "jalali_month_name",
    "parse_date",
    "to_persian_digits",
]
