"""Text helpers for codes typed, scanned or texted by people: digits, spaces, case.

Jalali dates: ``odoo.addons.web_jalali.tools``."""

import re

# Persian (U+06F0..U+06F9) and Arabic-Indic (U+0660..U+0669) digits to ASCII
_TO_ASCII = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_TO_ASCII.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_TO_PERSIAN = {ord(str(i)): c for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
# zero-width and directional marks that come with copy/paste from Persian text
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"))
_SPACES = re.compile(r"\s+")


def to_ascii_digits(text):
    """Return ``text`` with Persian and Arabic-Indic digits replaced by ASCII digits."""
    if not text:
        return text
    return str(text).translate(_TO_ASCII)


def to_persian_digits(text):
    """Return ``text`` (any value, converted with ``str``) with ASCII digits written as Persian digits."""
    if text is None or text is False:
        return ""
    return str(text).translate(_TO_PERSIAN)


# a word with a Latin letter is a code (PRS/SR/00004, SN-0001, AC-24K): printed as on the unit
_WORD = re.compile(r"\S+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def to_persian_number_digits(text):
    """Return ``text`` with the ASCII digits of its numbers (amounts, quantities, dates, phone numbers,
    postal codes) written as Persian digits; words with a Latin letter (codes, serials, references,
    e-mail addresses) keep their digits."""
    if not text:
        return text

    def convert(match):
        word = match.group(0)
        return word if _LATIN_LETTER.search(word) else word.translate(_TO_PERSIAN)

    return _WORD.sub(convert, text)


def normalize_code(text):
    """Normalize a warranty serial, product serial or product code as typed or texted by a person.

    Strips, removes invisible marks, collapses inner runs of spaces to one space, converts
    Persian/Arabic-Indic digits to ASCII and upper-cases. Returns ``''`` for empty input.
    """
    if text is None or text is False:
        return ""
    text = str(text).translate(_INVISIBLE).translate(_TO_ASCII)
    return _SPACES.sub(" ", text).strip().upper()
