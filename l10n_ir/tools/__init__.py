"""Iranian helpers without an Odoo env: Persian number words, Jalali dates, Iranian identifiers."""

from .identifiers import (
    is_valid_economic_code,
    is_valid_legal_national_id,
    is_valid_national_code,
    is_valid_postal_code,
    normalize_digits,
)
from .jalali import format_jalali_date
from .words import TOMAN, currency_words, persian_amount_words, persian_number_words

__all__ = [
    "TOMAN",
    "currency_words",
    "format_jalali_date",
    "is_valid_economic_code",
    "is_valid_legal_national_id",
    "is_valid_national_code",
    "is_valid_postal_code",
    "normalize_digits",
    "persian_amount_words",
    "persian_number_words",
]
