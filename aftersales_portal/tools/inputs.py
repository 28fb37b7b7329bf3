"""Checks of values typed in portal forms, before they reach the database.

PostgreSQL refuses text holding a NUL character and Python refuses to read integers of more than
4,300 digits: both would end in a server error. These helpers turn such input into a clear answer.
"""

import math
import unicodedata

MAX_ID = 2**31 - 1


def text_problem(value, max_length, multiline=False):
    """Why a typed text cannot be stored: ``'type'``, ``'length'``, ``'characters'``, or ``None`` when fine.

    Control characters are refused (tabs are accepted, line breaks only when ``multiline``);
    letters, digits and the direction marks of Persian text are all accepted.
    """
    if value is None or value is False:
        return None
    if not isinstance(value, str):
        return "type"
    if len(value) > max_length:
        return "length"
    allowed = "\t\n\r" if multiline else "\t"
    if any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in value):
        return "characters"
    return None


def text_error(env, label, problem, max_length):
    """The translated message for a ``text_problem`` of the field named ``label``."""
    if problem == "length":
        return env._("%(field)s is too long: at most %(max)s characters.", field=label, max=max_length)
    if problem == "characters":
        return env._("%(field)s contains characters that are not allowed.", field=label)
    return env._("%(field)s is not valid.", field=label)


def parse_id(value):
    """A record id sent by a form (ASCII digits only), or ``False``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else False
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 10:
        return False
    number = int(value)
    return number if 0 < number <= MAX_ID else False


def parse_coordinate(value, bound):
    """A latitude (``bound`` 90) or longitude (``bound`` 180) sent by the browser, ``0.0`` when unusable."""
    if not isinstance(value, str | int | float) or isinstance(value, bool) or len(str(value)) > 32:
        return 0.0
    try:
        number = float(value)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) and -bound <= number <= bound else 0.0
