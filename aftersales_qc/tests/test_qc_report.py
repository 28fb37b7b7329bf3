import io

import openpyxl

from odoo.tests import tagged

from .common import AftersalesQcCommon


@tagged("post_install", "-at_install")
class TestQcReport(AftersalesQcCommon):
    """First-pass and rework figures of the QC analysis against a hand-made history:
    tech 1: order A rejected then approved on rework, order B approved first time;
    tech 2: order C approved first time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_worklog_signature_required = False
        order_a, order_b, order_c = cls._order(cls.tech_1), cls._order(cls.tech_1), cls._order(cls.tech_2)
        worklog_a = cls._submit(order_a)
        first = worklog_a.qc_inspection_ids
        cls._reject(first)
        rework = first.rework_worklog_id
        rework.write(
            {
                "date_start": worklog_a.date_start,
                "date_end": worklog_a.date_end,
                "result": "fixed",
                "lot_name_confirmed": order_a.lot_id.name,
            }
        )
        rework.action_submit()
        cls._approve(rework.qc_inspection_ids)
        cls._approve(cls._submit(order_b).qc_inspection_ids)
        cls._approve(cls._submit(order_c).qc_inspection_ids)
        cls.domain = [("technician_id", "in", (cls.tech_1 | cls.tech_2).ids)]

    def test_first_pass_and_rework_rates(self):
        Report = self.env["aftersales.qc.inspection.report.quality"]
        rows = Report._read_group(
            self.domain,
            ["technician_id"],
            [
                "inspection_count:sum",
                "first_round_count:sum",
                "first_pass_count:sum",
                "first_pass_rate:avg",
                "rework_count:sum",
                "rework_rate:avg",
            ],
        )
        figures = {tech: values for tech, *values in rows}
        inspections, first_rounds, first_passes, first_pass_rate, reworks, rework_rate = figures[self.tech_1]
        self.assertEqual((inspections, first_rounds, first_passes, reworks), (3, 2, 1, 1))
        self.assertAlmostEqual(first_pass_rate, 50.0)
        self.assertAlmostEqual(rework_rate, 100 / 3)
        self.assertEqual(figures[self.tech_2], [1, 1, 1, 100.0, 0, 0.0])

    def test_excel_export(self):
        records = self.env["aftersales.qc.inspection.report.quality"].search(self.domain)
        content, _type = self.env["ir.actions.report"]._render_xlsx(
            "aftersales_qc.action_report_aftersales_qc_inspection_report_quality_xlsx", records.ids, data=None
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        headers = [cell.value for cell in sheet[1]]
        self.assertIn("First-Pass Rate (%)", headers)
        totals = [cell.value for cell in sheet[sheet.max_row]]
        self.assertEqual(totals[0], "Total")
        self.assertEqual(totals[headers.index("Inspections")], 4)
        self.assertAlmostEqual(totals[headers.index("First-Pass Rate (%)")], 200 / 3, places=2)  # rounded to 2 decimals
