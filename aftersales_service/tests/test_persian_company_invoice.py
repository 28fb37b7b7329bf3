import unittest

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.l10n_ir.tools import format_jalali_date


@tagged("post_install", "-at_install")
class TestPersianCompanyInvoice(TransactionCase):
    """The demo Persian company, on the Iranian chart of l10n_ir and in rials, invoices an out-of-warranty
    repair from the start: parts at their price, VAT 10%, the Iranian accounts, a Persian PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("aftersales_service.demo_company_pars", raise_if_not_found=False)
        if not cls.company:
            raise unittest.SkipTest("needs the demo data (the Persian company)")
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, allowed_company_ids=[cls.company.id]))
        cls.company = cls.company.with_env(cls.env)
        cls.chart_ref = cls.env["account.chart.template"].with_company(cls.company).ref
        cls.customer = cls.env.ref("aftersales_service.demo_partner_pars_fatemeh_nouri")
        washing_machine = cls.env.ref("aftersales_warranty.demo_product_washing_machine")
        cls.lot = cls.env["stock.lot"].create(
            {"name": "WM8-PRS-T001", "product_id": washing_machine.id, "company_id": cls.company.id}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        vat = cls.company.account_sale_tax_id
        Product = cls.env["product.product"]
        part_vals = {"is_storable": True, "company_id": cls.company.id, "taxes_id": [Command.set(vat.ids)]}
        cls.pump = Product.create(dict(part_vals, name="پمپ تخلیه", list_price=8_500_000, standard_price=5_000_000))
        cls.seal = Product.create(dict(part_vals, name="لاستیک درب", list_price=1_200_000, standard_price=600_000))
        Quant = cls.env["stock.quant"]
        for product in (cls.pump, cls.seal):
            Quant._update_available_quantity(product, cls.warehouse.lot_stock_id, 10)
        # the customer's machine is in the workshop
        Quant._update_available_quantity(cls.lot.product_id, cls.warehouse.lot_stock_id, 1, lot_id=cls.lot)

    def test_chart_of_the_persian_company(self):
        self.assertEqual(self.company.chart_template, "ir", "the demo Persian company is on the Iranian chart")
        self.assertEqual(self.company.currency_id.name, "IRR", "and stays in rials")
        self.assertEqual(self.company.account_fiscal_country_id.code, "IR")
        self.assertEqual(self.company.account_sale_tax_id.amount, 10.0)
        self.assertEqual(
            self.company.aftersales_warranty_expense_account_id,
            self.chart_ref("ir_610501"),
            "parts used under warranty are expensed to the chart's warranty expense account",
        )
        default_company = self.env.ref("base.main_company")
        self.assertNotEqual(default_company.chart_template, "ir", "the default company keeps its own chart")

    def test_out_of_warranty_repair_invoiced(self):
        order = self.env["repair.order"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.customer.id,
                "product_id": self.lot.product_id.id,
                "lot_id": self.lot.id,
                "under_warranty": False,
                "move_ids": [
                    Command.create({"product_id": self.pump.id, "product_uom_qty": 1, "repair_line_type": "add"}),
                    Command.create({"product_id": self.seal.id, "product_uom_qty": 2, "repair_line_type": "add"}),
                ],
            }
        )
        order.action_validate()
        order.action_repair_start()
        order.action_repair_end()
        self.assertEqual(order.state, "done")

        order.action_invoice_parts()
        invoice = order.aftersales_invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.company_id, self.company)
        self.assertEqual(invoice.currency_id.name, "IRR")
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.company.account_sale_tax_id, "VAT 10% on every line")
        # 8,500,000 + 2 x 1,200,000 = 10,900,000 rials, VAT 1,090,000
        self.assertEqual(invoice.amount_untaxed, 10_900_000)
        self.assertEqual(invoice.amount_tax, 1_090_000)
        self.assertEqual(invoice.amount_total, 11_990_000)
        lines = invoice.line_ids
        receivable = lines.filtered(lambda line: line.account_id == self.chart_ref("ir_110601"))
        self.assertEqual(receivable.debit, 11_990_000, "the customer owes the total on Trade Receivables")
        income = lines.filtered(lambda line: line.account_id == self.chart_ref("ir_410101"))
        self.assertEqual(sum(income.mapped("credit")), 10_900_000, "parts sold on Sales of Goods")
        output_vat = lines.filtered(lambda line: line.account_id == self.chart_ref("ir_210401"))
        self.assertEqual(output_vat.credit, 1_090_000, "VAT on Output VAT")

        html = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0].decode()
        self.assertIn(format_jalali_date(invoice.invoice_date), html, "the invoice date in the Jalali calendar")
        self.assertIn("یازده میلیون و نهصد و نود هزار ریال", html, "the total in Persian words")
        self.assertIn("یک میلیون و صد و نود و نه هزار تومان", html, "and in tomans")
