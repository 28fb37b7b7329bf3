from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoRegions(TransactionCase):
    """The demo makes "Failures by Region" meaningful: every demo customer with a service order lies in
    an Iranian province (l10n_ir's provinces), so the report has no "None" bar."""

    def test_demo_customers_have_provinces(self):
        if not self.env.ref("aftersales_warranty.demo_partner_ali_rezaei", raise_if_not_found=False):
            self.skipTest("without demo data")
        self.assertEqual(
            self.env.ref("l10n_ir.state_ir_23").name,
            "تهران",
            "Iranian provinces are named as Iranian addresses write them",
        )
        orders = self.env["repair.order"].search([("is_aftersales", "=", True)])
        missing = orders.partner_id.commercial_partner_id.filtered(lambda partner: not partner.state_id)
        self.assertFalse(missing, f"demo customers without a province: {missing.mapped('name')}")
        cells = self.env["repair.order.report.heatmap"].search([])
        self.assertTrue(cells)
        self.assertFalse(cells.filtered(lambda cell: not cell.region_id), 'no "None" bar in Failures by Region')
