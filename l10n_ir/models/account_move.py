from odoo import models
from odoo.tools import float_is_zero

from ..tools import TOMAN, format_jalali_date, persian_amount_words


class AccountMove(models.Model):
    _inherit = "account.move"

    def _l10n_ir_is_iranian(self):
        """Whether the invoice follows Iranian practice: its company's fiscal country is Iran."""
        self.ensure_one()
        return self.company_id.account_fiscal_country_id.code == "IR"

    def _l10n_ir_jalali_date(self, value):
        """A date of the invoice in the Jalali calendar, with Persian digits for a Persian reader."""
        return format_jalali_date(value, persian_digits=(self.env.lang or "").startswith("fa"))

    def _l10n_ir_amount_words(self):
        """The total in Persian words for an Iranian company or a customer who reads Persian, or ``{}``.

        ``{'amount': words with the currency, 'toman': the rial total in tomans}`` (``toman`` only
        for rial invoices whose total is a whole number of tomans). Shown under the invoice total.
        """
        self.ensure_one()
        reads_persian = (self.partner_id.lang or "").startswith("fa")
        if not (reads_persian or self._l10n_ir_is_iranian()) or not self.is_sale_document(include_receipts=True):
            return {}
        currency = self.currency_id
        words = {"amount": currency._l10n_ir_amount_words(self.amount_total)}
        if currency.name == "IRR" and float_is_zero(self.amount_total % 10, precision_digits=2):
            words["toman"] = persian_amount_words(self.amount_total / 10, TOMAN)
        return words
