"""Iranian identifiers printed on invoices: national code (کد ملی, people), national ID (شناسه ملی,
legal entities), economic code (کد اقتصادی) and postal code (کد پستی).

Every check takes the value as typed: Persian or Arabic-Indic digits, spaces and dashes are accepted
and removed by :func:`normalize_digits` first.
"""

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_SEPARATORS = str.maketrans("", "", " -\u200c\u200f\u200e\u2066\u2067\u2068\u2069")

# شناسه ملی: weights of the first ten digits (each increased by the tenth digit plus two)
_LEGAL_ID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def normalize_digits(value):
    """ASCII digits, without spaces, dashes and direction marks: ``'۱۲۳۴۵-۶۷۸۹۰'`` gives ``'1234567890'``."""
    return (value or "").translate(_DIGITS).translate(_SEPARATORS)


def is_valid_national_code(value):
    """A person's national code (کد ملی): ten digits, the last a check digit (modulo 11)."""
    code = normalize_digits(value)
    if len(code) != 10 or not code.isdigit() or len(set(code)) == 1:
        return False
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder


def is_valid_legal_national_id(value):
    """A legal entity's national ID (شناسه ملی): eleven digits, the last a check digit (modulo 11)."""
    code = normalize_digits(value)
    if len(code) != 11 or not code.isdigit() or len(set(code)) == 1:
        return False
    shift = int(code[9]) + 2
    remainder = sum((int(code[i]) + shift) * weight for i, weight in enumerate(_LEGAL_ID_WEIGHTS)) % 11
    return int(code[10]) == (0 if remainder == 10 else remainder)


def is_valid_economic_code(value):
    """An economic code (کد اقتصادی): 10 to 14 digits (old 12-digit codes, and the national code or
    national ID that serve as economic code since the new tax procedures)."""
    code = normalize_digits(value)
    return code.isdigit() and 10 <= len(code) <= 14


def is_valid_postal_code(value):
    """An Iranian postal code (کد پستی): exactly ten digits."""
    code = normalize_digits(value)
    return len(code) == 10 and code.isdigit()
