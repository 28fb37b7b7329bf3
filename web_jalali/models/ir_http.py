from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        user = self.env.user
        info["web_jalali_calendar"] = bool(user and not user._is_public() and user._web_jalali_is_active())
        return info
