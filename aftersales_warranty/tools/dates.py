"""The writing direction of a reader's language (Jalali dates: ``odoo.addons.web_jalali.tools``)."""


def reader_direction(env, lang=None):
    """Writing direction (``'rtl'`` or ``'ltr'``) of ``lang``, else of ``env.lang``, else English."""
    return env["res.lang"]._get_data(code=lang or env.lang or "en_US").direction or "ltr"
