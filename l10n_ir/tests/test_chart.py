from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChart(TransactionCase):
    """The Iranian chart on a new company in Iran, and an invoice in rials with VAT 10%."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.company = cls.env["res.company"].create(
            {"name": "شرکت آزمون ایران", "country_id": cls.env.ref("base.ir").id, "zip": "1968913311"}
        )
        cls.env.user.company_ids |= cls.company
        cls.env["account.chart.template"].try_loading("ir", cls.company, install_demo=False)
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.ref = cls.env["account.chart.template"].with_company(cls.company).ref

    def test_chart_contents(self):
        company = self.company
        self.assertEqual(company.chart_template, "ir")
        self.assertEqual(company.currency_id, self.env.ref("base.IRR"), "the company works in rials")
        self.assertEqual(company.account_fiscal_country_id.code, "IR")
        accounts = self.env["account.account"].search([("company_ids", "in", company.id)])
        self.assertGreaterEqual(len(accounts), 70)
        self.assertTrue(all(len(code) == 6 and code.isdigit() for code in accounts.mapped("code")))
        groups = self.env["account.group"].search([("company_id", "=", company.id)])
        self.assertEqual(len(groups.filtered(lambda g: len(g.code_prefix_start) == 1)), 6, "six groups (گروه)")
        self.assertEqual(self.ref("ir_610501").group_id.code_prefix_start, "6105", "subsidiary (معین)")
        self.assertEqual(self.ref("ir_610501").group_id.parent_id.code_prefix_start, "61", "ledger (کل)")
        warranty = self.ref("ir_610501")
        self.assertEqual(warranty.name, "Warranty Expense")
        self.assertEqual(warranty.with_context(lang="fa_IR").name, "هزینه خدمات گارانتی", "names in Persian too")
        receivable = self.env["ir.default"]._get("res.partner", "property_account_receivable_id", company_id=company.id)
        self.assertEqual(receivable, self.ref("ir_110601").id)
        self.assertEqual(self.ref("ir_110601").account_type, "asset_receivable")
        self.assertEqual(self.ref("ir_210101").account_type, "liability_payable")
        self.assertEqual(self.ref("ir_310302").account_type, "equity_unaffected")
        bank = self.env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
        self.assertTrue(bank.default_account_id.code.startswith("1102"), "bank accounts under Banks (بانک‌ها)")
        sale = self.env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
        self.assertEqual(sale.code, "INV", "journal codes stay Latin: they start invoice numbers")

    def test_vat_taxes(self):
        sale_tax, purchase_tax = self.company.account_sale_tax_id, self.company.account_purchase_tax_id
        self.assertEqual((sale_tax.amount, sale_tax.type_tax_use), (10.0, "sale"))
        self.assertEqual((purchase_tax.amount, purchase_tax.type_tax_use), (10.0, "purchase"))
        self.assertIn("Value Added Tax Law", str(sale_tax.description), "the legal source is named")
        self.assertEqual(sale_tax.tax_group_id.tax_payable_account_id, self.ref("ir_210402"))
        tax_accounts = sale_tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "tax").account_id
        self.assertEqual(tax_accounts, self.ref("ir_210401"), "output VAT")
        self.assertEqual(
            purchase_tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "tax").account_id,
            self.ref("ir_110901"),
            "input VAT",
        )
        exempt = self.ref("ir_vat_sale_exempt")
        self.assertEqual(exempt.amount, 0.0)
        self.assertEqual(self.ref("ir_fiscal_position_export").map_tax(sale_tax), exempt, "exports are exempt")

    def test_invoice_in_rials_with_vat(self):
        """8,500,000 + 2 x 1,500,000 rials, VAT 10%: 12,650,000 rials, booked on the Iranian accounts."""
        customer = self.env["res.partner"].create(
            {"name": "علی رضایی", "country_id": self.env.ref("base.ir").id, "zip": "1939613451"}
        )
        pump, labour = self.env["product.product"].create(
            [
                {"name": "پمپ تخلیه", "list_price": 8_500_000, "company_id": self.company.id},
                {"name": "دستمزد تعمیر", "type": "service", "list_price": 1_500_000, "company_id": self.company.id},
            ]
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2025-12-05",
                "invoice_line_ids": [
                    Command.create({"product_id": pump.id, "quantity": 1}),
                    Command.create({"product_id": labour.id, "quantity": 2}),
                ],
            }
        )
        self.assertEqual(invoice.currency_id.name, "IRR")
        self.assertEqual(
            invoice.invoice_line_ids.tax_ids, self.company.account_sale_tax_id, "the company's VAT 10% by default"
        )
        invoice.action_post()
        self.assertEqual(invoice.amount_untaxed, 11_500_000)
        self.assertEqual(invoice.amount_tax, 1_150_000)
        self.assertEqual(invoice.amount_total, 12_650_000)
        lines = invoice.line_ids
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.ref("ir_110601")).debit, 12_650_000)
        self.assertEqual(
            sum(lines.filtered(lambda line: line.account_id == self.ref("ir_410101")).mapped("credit")), 11_500_000
        )
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.ref("ir_210401")).credit, 1_150_000)
        self.assertEqual(
            invoice._l10n_ir_amount_words(),
            {"amount": "دوازده میلیون و ششصد و پنجاه هزار ریال", "toman": "یک میلیون و دویست و شصت و پنج هزار تومان"},
        )

    def test_invoice_pdf_of_an_iranian_company(self):
        """Seller and buyer identifiers, Jalali dates, the total in Persian words and in tomans."""
        self.env["ir.module.module"]._load_module_terms(["l10n_ir"], ["fa_IR"])
        self.company.write({"l10n_ir_national_id": "10100834460", "l10n_ir_economic_code": "411111111111"})
        customer = self.env["res.partner"].create(
            {
                "name": "فاطمه نوری",
                "lang": "fa_IR",
                "country_id": self.env.ref("base.ir").id,
                "zip": "1939613451",
                "l10n_ir_national_id": "0499370899",
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2025-03-21",
                "invoice_date_due": "2025-04-20",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "تعمیر یخچال",
                            "price_unit": 1_000_000,
                            "tax_ids": self.company.account_sale_tax_id.ids,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        html = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0].decode()
        self.assertIn("۱۴۰۴/۰۱/۰۱", html, "invoice date in the Jalali calendar (Nowruz 1404)")
        self.assertIn("۱۴۰۴/۰۱/۳۱", html, "due date too")
        self.assertNotIn("03/21/2025", html, "no Gregorian invoice date")
        self.assertIn("یک میلیون و صد هزار ریال", html, "1,100,000 rials with VAT, in words")
        self.assertIn("صد و ده هزار تومان", html, "and in tomans")
        self.assertIn("10100834460", html, "the seller's national ID")
        self.assertIn("411111111111", html, "the seller's economic code")
        self.assertIn("0499370899", html, "the buyer's national code")
        self.assertIn("1939613451", html, "the buyer's postal code")
        self.assertIn("شناسه ملی", html, "labels in the customer's language")
