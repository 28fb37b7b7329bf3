import re

from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInvoiceReport(TransactionCase):
    """The total in Persian words under the invoice total, for a customer who reads Persian (any company)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["l10n_ir"], ["fa_IR"])
        cls.customer = cls.env["res.partner"].create({"name": "Reza Ahmadi"})

    def _render(self, invoice):
        return self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0].decode()

    def _invoice(self, partner, amount, currency):
        currency.active = True
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.env.company.id)], limit=1
        )
        income = self.env["account.account"].create(
            {"name": "Repairs (test)", "code": "IRT4101", "account_type": "income"}
        )
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "journal_id": journal.id,
                "currency_id": currency.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Repair of a side-by-side refrigerator",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": income.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def test_invoice_total_in_persian_words(self):
        self.customer.lang = "fa_IR"
        self.env.company.display_invoice_amount_total_words = False
        invoice = self._invoice(self.customer, 1_250_000_000, self.env.ref("base.IRR"))
        self.assertEqual(invoice.amount_total, 1_250_000_000)
        html = self._render(invoice)
        block = re.search(r'<div id="l10n_ir_amount_in_words".*?</div>\s*</div>', html, re.S)
        self.assertTrue(block, "the Persian words sit under the total")
        self.assertIn('dir="rtl"', block.group(0))
        self.assertIn("یک میلیارد و دویست و پنجاه میلیون ریال", block.group(0))
        self.assertIn("صد و بیست و پنج میلیون تومان", block.group(0), "and the same in tomans")
        self.assertIn("مبلغ به حروف", block.group(0), "the label is Persian too")
        self.assertNotIn("l10n_ir_parties", html, "a company outside Iran prints no Iranian identifiers")

    def test_invoice_native_words_are_persian(self):
        """With the company option "amount in words", Odoo's own line is Persian, not ours twice."""
        self.customer.lang = "fa_IR"
        self.env.company.display_invoice_amount_total_words = True
        invoice = self._invoice(self.customer, 2_000_000, self.env.ref("base.IRR"))
        self.assertEqual(invoice.with_context(lang="fa_IR").amount_total_words, "دو میلیون ریال")
        html = self._render(invoice)
        self.assertIn("دو میلیون ریال", html)
        self.assertNotIn("l10n_ir_amount_in_words", html)

    def test_invoice_english_customer_has_no_persian_words(self):
        self.customer.lang = "en_US"
        self.env.company.display_invoice_amount_total_words = False
        invoice = self._invoice(self.customer, 1_250_000, self.env.ref("base.USD"))
        html = self._render(invoice)
        self.assertNotIn("l10n_ir_amount_in_words", html)
        self.assertEqual(invoice._l10n_ir_amount_words(), {})
