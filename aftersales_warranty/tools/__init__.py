"""Small helpers shared by the after-sales addons (import from ``odoo.addons.aftersales_warranty.tools``)."""

from .text import format_jalali, normalize_code, to_ascii_digits, to_persian_digits

__all__ = ["format_jalali", "normalize_code", "to_ascii_digits", "to_persian_digits"]
