from odoo import models
from odoo.tools import get_lang

from ..tools import currency_words, persian_amount_words


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def amount_to_text(self, amount):
        """Persian words for Persian readers (invoices' "amount in words", receipts).

        Odoo asks num2words, which has no Persian in the version Odoo 18 pins for Python < 3.12,
        and falls back to English; the rial is also labelled "Dinar" in Odoo's currency data.
        """
        self.ensure_one()
        if get_lang(self.env).iso_code != "fa":
            return super().amount_to_text(amount)
        return self._l10n_ir_amount_words(amount)

    def _l10n_ir_amount_words(self, amount):
        """``amount`` in Persian words with the Persian names of the currency, whatever the language."""
        self.ensure_one()
        unit, subunit = self._l10n_ir_persian_unit_names()
        return persian_amount_words(amount, unit, subunit, self.decimal_places)

    def _l10n_ir_persian_unit_names(self):
        """Persian ``(unit, subunit)`` of the currency: known names, else its (translated) labels."""
        self.ensure_one()
        return currency_words(self.name) or (
            self.currency_unit_label or self.name,
            self.currency_subunit_label or "",
        )
