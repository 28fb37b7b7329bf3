from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    web_jalali_calendar = fields.Selection(
        [
            ("auto", "By language"),
            ("gregorian", "Gregorian"),
            ("jalali", "Persian (Jalali)"),
        ],
        string="Calendar",
        default="auto",
        required=True,
        help="Calendar of the dates shown in the back office. By language: the Persian (Jalali) "
        "calendar for a user whose language is Persian, the Gregorian calendar otherwise.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["web_jalali_calendar"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["web_jalali_calendar"]

    @api.model
    def _web_jalali_lang_is_persian(self, lang):
        return (lang or "").split("_")[0] == "fa"

    def _web_jalali_is_active(self):
        """Whether this user reads dates in the Jalali calendar in the back office."""
        self.ensure_one()
        if self.web_jalali_calendar == "auto":
            return self._web_jalali_lang_is_persian(self.lang)
        return self.web_jalali_calendar == "jalali"
