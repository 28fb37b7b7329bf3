"""Dates (and the writing direction) as a reader of a language reads them on documents, pages and
messages (needs an Odoo env)."""

import datetime

from odoo import fields
from odoo.tools.misc import format_date, format_datetime

from .text import format_jalali


def format_reader_date(env, value, with_gregorian=False, tz=False):
    """Format a date or datetime for a reader of ``env.lang``.

    Persian: Jalali with Persian digits (and the Gregorian date alongside with ``with_gregorian``,
    for documents that leave the company); other languages: the language's own format. Datetimes are
    shown in ``tz``, else the time zone of the context or of the user. Returns ``''`` for an empty value.
    """
    if not value:
        return ""
    if (env.lang or "").startswith("fa"):
        if isinstance(value, datetime.datetime):
            user = env.user.with_context(tz=tz) if tz else env.user
            value = fields.Datetime.context_timestamp(user, value)
        return format_jalali(value, with_gregorian=with_gregorian)
    if isinstance(value, datetime.datetime):
        return format_datetime(env, value, tz=tz)
    return format_date(env, value)


def reader_direction(env, lang=None):
    """Writing direction (``'rtl'`` or ``'ltr'``) of ``lang``, else of ``env.lang``, else English."""
    return env["res.lang"]._get_data(code=lang or env.lang or "en_US").direction or "ltr"
