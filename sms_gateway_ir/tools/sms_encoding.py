"""SMS text helpers: GSM-7 / UCS-2 segmentation and Iranian mobile numbers.

Pure functions, no ORM: used by ``sms.sms`` (parts shown on the SMS log), by the
gateway providers and by the inbound SMS processing.
"""

import re

# GSM 03.38 basic character set (one septet each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# GSM 03.38 extension table: escape + character, two septets each.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_IR_MOBILE = re.compile(r"^(?:\+98|0098|98|0)?(9\d{9})$")


def is_gsm7(text):
    """True when every character of ``text`` fits the GSM-7 alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text or "")


def _split(units, single, multi):
    """Split a list of (text, weight) units into parts without cutting a unit."""
    total = sum(weight for _char, weight in units)
    if total <= single:
        return ["".join(char for char, _weight in units)] if units else []
    parts, current, size = [], [], 0
    for char, weight in units:
        if size + weight > multi:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += weight
    if current:
        parts.append("".join(current))
    return parts


def sms_parts(text):
    """Encoding and segmentation of an SMS body.

    GSM-7 texts hold 160 septets in one SMS, 153 per part when concatenated;
    extension characters (``€ [ ] { } ^ ~ | \\``) take two septets and are never
    split from their escape. Any other character (Persian, emoji...) switches the
    whole message to UCS-2: 70 UTF-16 code units in one SMS, 67 per part; a
    character outside the BMP (emoji) is a surrogate pair of two code units that
    is never split across parts.

    :param str text: the message body
    :return: ``(encoding, count, parts)`` with encoding ``'gsm7'`` or ``'ucs2'``
    """
    text = text or ""
    if is_gsm7(text):
        units = [(char, 2 if char in GSM7_EXTENDED else 1) for char in text]
        parts = _split(units, GSM7_SINGLE, GSM7_MULTI)
        return "gsm7", len(parts), parts
    units = [(char, 2 if ord(char) > 0xFFFF else 1) for char in text]
    parts = _split(units, UCS2_SINGLE, UCS2_MULTI)
    return "ucs2", len(parts), parts


def to_ascii_digits(text):
    """Replace Persian and Arabic-Indic digits by ASCII digits."""
    return (text or "").translate(_DIGITS)


def normalize_mobile(number):
    """Normalize a phone number as a gateway sends it, Iranian formats first.

    ``09121234567``, ``9121234567``, ``+98 912 123 4567``, ``98912...``,
    ``0098912...`` and the same with Persian digits all give ``+989121234567``.
    Other numbers keep their digits (with ``+`` when given in international
    form). Returns ``''`` when there is no digit at all.
    """
    raw = to_ascii_digits(number).strip()
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return ""
    match = _IR_MOBILE.match(("+" if raw.startswith("+") else "") + digits)
    if match:
        return "+98" + match.group(1)
    if raw.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits


def format_mobile(number, style="e164"):
    """Format a number for a gateway: ``e164`` (+98912...), ``intl`` (98912...)
    or ``local`` (0912...); non-Iranian numbers are only normalized."""
    normalized = normalize_mobile(number)
    if not normalized.startswith("+989") or style == "e164":
        return normalized
    if style == "intl":
        return normalized[1:]
    return "0" + normalized[3:]
