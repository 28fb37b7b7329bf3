from odoo import models
from odoo.tools import float_is_zero

from odoo.addons.aftersales_warranty.tools import persian_amount_words
from odoo.addons.aftersales_warranty.tools.words import TOMAN


class AccountMove(models.Model):
    _inherit = "account.move"

    def _aftersales_persian_amount_words(self):
        """The total in Persian words for a customer who reads Persian, or ``{}``.

        ``{'amount': words with the currency, 'toman': the rial total in tomans}`` (``toman`` only
        for rial invoices whose total is a whole number of tomans). Shown under the invoice total.
        """
        self.ensure_one()
        lang = self.partner_id.lang or ""
        if not lang.startswith("fa") or not self.is_sale_document(include_receipts=True):
            return {}
        currency = self.currency_id.with_context(lang=lang)
        words = {"amount": currency.amount_to_text(self.amount_total)}
        if currency.name == "IRR" and float_is_zero(self.amount_total % 10, precision_digits=2):
            words["toman"] = persian_amount_words(self.amount_total / 10, TOMAN)
        return words
