"""Numbers and amounts written out in Persian words, as on invoices, receipts and cheques.

``num2words`` knows Persian (``lang='fa'``) from version 0.5.11; Odoo 18 pins 0.5.10 for Python
below 3.12, which has no Persian and makes ``res.currency.amount_to_text`` fall back to English.
``persian_number_words`` therefore uses ``num2words`` when it speaks Persian and otherwise writes
the same words itself (hundreds joined by "و", scales هزار / میلیون / میلیارد / تریلیون / تریلیارد).
"""

try:
    from num2words import CONVERTER_CLASSES as _NUM2WORDS_LANGS
    from num2words import num2words
except ImportError:  # pragma: no cover - num2words is an external dependency of the addon
    num2words = None
    _NUM2WORDS_LANGS = {}

_ONES = (
    "",
    "یک",
    "دو",
    "سه",
    "چهار",
    "پنج",
    "شش",
    "هفت",
    "هشت",
    "نه",
    "ده",
    "یازده",
    "دوازده",
    "سیزده",
    "چهارده",
    "پانزده",
    "شانزده",
    "هفده",
    "هجده",
    "نوزده",
)
_TENS = ("", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود")
_HUNDREDS = ("", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد")
_SCALES = ("", "هزار", "میلیون", "میلیارد", "تریلیون", "تریلیارد")
_AND = " و "
ZERO = "صفر"
MINUS = "منفی"
TOMAN = "تومان"

# Persian names of the currencies Iranian businesses invoice in: (unit, subunit).
# Odoo's own data names the rial's unit "Dinar", so the labels of res.currency are not used for these.
CURRENCY_WORDS = {
    "IRR": ("ریال", "دینار"),
    "USD": ("دلار", "سنت"),
    "EUR": ("یورو", "سنت"),
    "AED": ("درهم", "فلس"),
    "GBP": ("پوند", "پنی"),
    "TRY": ("لیر", "کوروش"),
    "CNY": ("یوان", "فن"),
}


def _below_thousand(number):
    parts = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        parts.append(_HUNDREDS[hundreds])
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_TENS[tens])
        if ones:
            parts.append(_ONES[ones])
    elif rest:
        parts.append(_ONES[rest])
    return _AND.join(parts)


def _integer_words(number):
    groups = []
    scale = 0
    while number:
        number, group = divmod(number, 1000)
        if group:
            if scale >= len(_SCALES):
                raise ValueError("Number too large to write in words")
            if scale == 1 and group == 1:
                words = _SCALES[1]  # "هزار", not "یک هزار"
            else:
                words = " ".join(filter(None, (_below_thousand(group), _SCALES[scale])))
            groups.append(words)
        scale += 1
    return _AND.join(reversed(groups))


def persian_number_words(number):
    """Write a whole number in Persian words: ``1250000000`` gives ``'یک میلیارد و دویست و پنجاه میلیون'``.

    Floats are truncated to their whole part; up to 10**18 - 1 (hundreds of trilliards).
    """
    number = int(number)
    if number < 0:
        return f"{MINUS} {persian_number_words(-number)}"
    if number == 0:
        return ZERO
    if number >= 1000 ** len(_SCALES):
        raise ValueError("Number too large to write in words")
    if "fa" in _NUM2WORDS_LANGS:
        return num2words(number, lang="fa")
    return _integer_words(number)


def persian_amount_words(amount, unit="ریال", subunit="", decimal_places=0):
    """Write an amount with its currency in Persian words.

    ``persian_amount_words(1250000000)`` gives ``'یک میلیارد و دویست و پنجاه میلیون ریال'``;
    a fractional part follows as ``'... دلار و پنجاه سنت'`` when ``decimal_places`` allows one.
    """
    sign = MINUS + " " if amount < 0 else ""
    integral, _sep, fractional = f"{abs(amount):.{max(decimal_places, 0)}f}".partition(".")
    text = f"{sign}{persian_number_words(int(integral))} {unit}".strip()
    if fractional and int(fractional):
        text += f"{_AND}{persian_number_words(int(fractional))} {subunit}".rstrip()
    return text


def currency_words(currency_code):
    """Persian ``(unit, subunit)`` names of a currency by ISO code, or ``None`` when not known."""
    return CURRENCY_WORDS.get((currency_code or "").upper())
