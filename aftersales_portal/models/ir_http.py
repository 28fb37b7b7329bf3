from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """Serve this addon's JavaScript terms to the website, as ``portal`` does for its own.

        The website loads the translations of the listed modules only
        (``/website/translations``): without this, the request form, the signature pad and the
        terms of ``i18n_extra/fa.po`` (the portal chatter's) stay English for a Persian visitor.
        """
        return [*super()._get_translation_frontend_modules_name(), "aftersales_portal"]
