"""Small helpers shared by the after-sales addons (import from ``odoo.addons.aftersales_warranty.tools``)."""

from .dates import format_reader_date, reader_direction
from .spreadsheet import read_xlsx_rows, xlsx_limits
from .text import format_jalali, normalize_code, to_ascii_digits, to_persian_digits, to_persian_number_digits
from .words import currency_words, persian_amount_words, persian_number_words

__all__ = [
    "currency_words",
    "format_jalali",
    "format_reader_date",
    "normalize_code",
    "persian_amount_words",
    "persian_number_words",
    "read_xlsx_rows",
    "reader_direction",
    "to_ascii_digits",
    "to_persian_digits",
    "to_persian_number_digits",
    "xlsx_limits",
]
