from odoo import models

from odoo.addons.account.models.chart_template import template


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template("ir")
    def _get_ir_template_data(self):
        """Iranian chart: group (گروه, 1 digit) / ledger (کل, 2) / subsidiary (معین, 4) as account groups,
        6-digit accounts under them; the default accounts of partners, products and stock."""
        return {
            "code_digits": "6",
            "property_account_receivable_id": "ir_110601",
            "property_account_payable_id": "ir_210101",
            "property_account_income_categ_id": "ir_410101",
            "property_account_expense_categ_id": "ir_510101",
            "property_stock_valuation_account_id": "ir_111001",
            "property_stock_account_input_categ_id": "ir_111101",
            "property_stock_account_output_categ_id": "ir_111102",
        }

    @template("ir", "res.company")
    def _get_ir_res_company(self):
        return {
            self.env.company.id: {
                "account_fiscal_country_id": "base.ir",
                "anglo_saxon_accounting": True,
                "cash_account_code_prefix": "1101",
                "bank_account_code_prefix": "1102",
                "transfer_account_code_prefix": "1103",
                "account_default_pos_receivable_account_id": "ir_110602",
                "income_currency_exchange_account_id": "ir_420102",
                "expense_currency_exchange_account_id": "ir_620102",
                "account_journal_early_pay_discount_gain_account_id": "ir_420103",
                "account_journal_early_pay_discount_loss_account_id": "ir_620103",
                "default_cash_difference_income_account_id": "ir_420201",
                "default_cash_difference_expense_account_id": "ir_620201",
                "account_sale_tax_id": "ir_vat_sale_10",
                "account_purchase_tax_id": "ir_vat_purchase_10",
            },
        }

    def _get_untranslatable_fields_target_language(self, template_code, company):
        """Journal codes stay Latin (INV, BILL, MISC) for an Iranian company whose language is Persian:
        they start the numbers of its invoices and bills (INV/2026/00001), like its other references."""
        if template_code == "ir":
            return "en_US"
        return super()._get_untranslatable_fields_target_language(template_code, company)
