"""Small helpers shared by the after-sales addons (import from ``odoo.addons.aftersales_warranty.tools``)."""

from odoo.addons.web_jalali.tools import format_jalali, format_reader_date

from .dates import reader_direction
from .spreadsheet import iter_csv_rows, read_csv_rows, read_xlsx_rows, xlsx_limits
from .text import normalize_code, to_ascii_digits, to_persian_digits, to_persian_number_digits

__all__ = [
    "format_jalali",
    "format_reader_date",
    "iter_csv_rows",
    "normalize_code",
    "read_csv_rows",
    "read_xlsx_rows",
    "reader_direction",
    "to_ascii_digits",
    "to_persian_digits",
    "to_persian_number_digits",
    "xlsx_limits",
]
