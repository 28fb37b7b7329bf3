import base64
import io
from datetime import timedelta

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common_reports import AftersalesReportCommon

# a 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestAftersalesReportExports(AftersalesReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="report_manager", groups="base.group_user,aftersales_warranty.group_aftersales_manager"
        )
        cls.reception = new_test_user(
            cls.env, login="report_reception", groups="base.group_user,aftersales_warranty.group_aftersales_user"
        )
        cls.technician_user = new_test_user(
            cls.env, login="report_technician", groups="base.group_user,aftersales_service.group_aftersales_technician"
        )

    def _xlsx(self, report_xmlid, records, user=None, lang=None):
        env = self.env(user=user or self.manager, context=dict(self.env.context, lang=lang or "en_US"))
        content, report_type = env["ir.actions.report"]._render_xlsx(report_xmlid, records.ids, data=None)
        self.assertEqual(report_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content)).active

    def _tech_1_rows(self):
        return self.Report.search([*self.january, ("technician_id", "=", self.tech_1.id)], order="date_received")

    # ------------------------------------------------------------ Excel
    def test_xlsx_headers_rows_and_totals(self):
        sheet = self._xlsx("aftersales_service.action_report_repair_order_report_aftersales_xlsx", self._tech_1_rows())
        headers = [cell.value for cell in sheet[1]]
        self.assertEqual(headers[:3], ["Service Order", "Received On", "Customer"])
        col = {header: index for index, header in enumerate(headers)}
        self.assertEqual(sheet.max_row, 4, "header, two orders, totals")
        self.assertEqual(sheet.cell(2, col["Service Order"] + 1).value, self.orders["O1"].name)
        self.assertEqual(sheet.cell(2, col["Technician"] + 1).value, "Tech One")
        totals = [cell.value for cell in sheet[4]]
        self.assertEqual(totals[0], "Total")
        self.assertEqual(totals[col["Orders"]], 2)
        self.assertAlmostEqual(totals[col["Waiting Time (h)"]], 39.0, msg="average of 66 h and 12 h")
        self.assertAlmostEqual(totals[col["Time Spent (h)"]], 4.5)
        self.assertAlmostEqual(totals[col["First-Time-Fix Rate (%)"]], 50.0)

    def test_xlsx_persian_headers_and_jalali_dates(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.model.fields"]._get("repair.order.report.aftersales", "waiting_hours").with_context(
            lang="fa_IR"
        ).field_description = "زمان انتظار (ساعت)"
        self.manager.lang = "fa_IR"
        rows = self._tech_1_rows()
        sheet = self._xlsx("aftersales_service.action_report_repair_order_report_aftersales_xlsx", rows, lang="fa_IR")
        headers = [cell.value for cell in sheet[1]]
        self.assertIn("زمان انتظار (ساعت)", headers)
        self.assertNotIn("Waiting Time (h)", headers)
        self.assertTrue(sheet.sheet_view.rightToLeft)
        # received Friday 2 January 2026 16:00 UTC = 12 Dey 1404
        received = sheet.cell(
            2, headers.index(rows._fields["date_received"]._description_string(self.env(context={"lang": "fa_IR"}))) + 1
        ).value
        self.assertTrue(received.startswith("۱۴۰۴/۱۰/۱۲"), received)

    def test_xlsx_parts_cost_column_for_managers_only(self):
        moves = self.env["stock.move.report.aftersales.parts"].search([("part_id", "=", self.part_x.id)])
        report = "aftersales_service.action_report_stock_move_report_aftersales_parts_xlsx"
        manager_headers = [cell.value for cell in self._xlsx(report, moves)[1]]
        self.assertIn("Cost", manager_headers)
        sheet = self._xlsx(report, moves.with_user(self.reception), user=self.reception)
        self.assertNotIn("Cost", [cell.value for cell in sheet[1]])
        self.assertEqual(sheet.cell(sheet.max_row, 1).value, "Total")

    # ------------------------------------------------------------ access
    def test_reception_cannot_read_costs(self):
        Parts = self.env["stock.move.report.aftersales.parts"]
        move = Parts.search([("repair_id", "=", self.orders["O1"].id)])
        self.assertEqual(move.with_user(self.reception).quantity, 2.0)
        with self.assertRaises(AccessError):
            move.with_user(self.reception).read(["cost"])
        self.assertAlmostEqual(move.with_user(self.manager).cost, 100.0, msg="2 pumps at 50")

    def test_technicians_cannot_read_reports(self):
        for model in ("repair.order.report.aftersales", "stock.move.report.aftersales.parts"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.technician_user).search([])

    # ------------------------------------------------------------ PDF (HTML render: no wkhtmltopdf here)
    def test_service_report_with_signature_and_photos(self):
        worklog = self.worklogs[0]
        photo = self.env["ir.attachment"].create({"name": "before.png", "datas": base64.b64encode(PNG)})
        worklog.write({"signature": base64.b64encode(PNG), "signed_by": "Reza Ahmadi"})
        worklog.photo_before_ids = photo
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.action_report_repair_order_service", self.orders["O1"].ids
        )
        html = html.decode()
        self.assertIn(self.orders["O1"].name, html)
        self.assertIn(worklog.name, html)
        self.assertIn("Report Pump", html)
        self.assertIn("Reza Ahmadi", html)
        self.assertIn("before.png", html)
        self.assertGreaterEqual(html.count("data:image/png;base64"), 2, "the photo and the signature")

    def test_service_report_persian_customer(self):
        """The customer's copy in Persian: right to left, Jalali dates with the Gregorian date alongside."""
        self.env["res.lang"]._activate_lang("fa_IR")
        order = self.orders["O1"]
        order.partner_id.lang = "fa_IR"
        html, _type = (
            self.env["ir.actions.report"]
            .with_context(tz="Asia/Tehran")
            ._render_qweb_html("aftersales_service.action_report_repair_order_service", order.ids)
        )
        html = html.decode()
        self.assertRegex(html, r'<div class="page[^"]*" dir="rtl">')
        # finished 5 January 2026 10:00 UTC: 13:30 in Tehran, 15 Dey 1404
        self.assertIn("۱۴۰۴/۱۰/۱۵ ۱۳:۳۰ (۲۰۲۶-۰۱-۰۵ ۱۳:۳۰)", html)

    def test_technician_monthly_report_in_persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        html, _type = (
            self.env["ir.actions.report"]
            .with_context(lang="fa_IR", tz="Asia/Tehran")
            ._render_qweb_html(
                "aftersales_service.action_report_technician_monthly",
                self.tech_1.ids,
                data={"date_from": "2026-01-01", "date_to": "2026-01-31"},
            )
        )
        html = html.decode()
        self.assertIn("۱۴۰۴/۱۰/۱۱", html, "1 January 2026 in Jalali")
        self.assertIn("۱۴۰۴/۱۱/۱۱", html, "31 January 2026 in Jalali")
        self.assertIn("۱۴۰۴/۱۰/۱۵ ۱۳:۳۰", html, "O1 finished on 15 Dey 1404")

    def test_technician_monthly_report(self):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.action_report_technician_monthly",
            self.tech_1.ids,
            data={"date_from": "2026-01-01", "date_to": "2026-01-31"},
        )
        html = html.decode()
        self.assertIn("Tech One", html)
        self.assertIn(self.orders["O1"].name, html)
        self.assertIn(self.orders["O2"].name, html)
        self.assertIn("4.50", html, "time spent from the worklogs")
        self.assertIn("50.0", html, "first-time-fix rate")

    def test_monthly_report_wizard(self):
        # a company without a document layout gets the layout configurator instead of the report
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        wizard = self.env["hr.employee.monthly.report"].create({"employee_ids": [(6, 0, self.tech_1.ids)]})
        self.assertEqual(wizard.date_from.day, 1)
        self.assertEqual((wizard.date_to + timedelta(days=1)).day, 1, "the period is one whole month")
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "aftersales_service.report_technician_monthly")
        self.assertEqual(action["data"]["employee_ids"], self.tech_1.ids)
        with self.assertRaises(UserError):
            self.env["hr.employee.monthly.report"].create({}).action_print()
        with self.assertRaises(ValidationError):
            wizard.date_to = wizard.date_from - timedelta(days=1)

    def test_heatmap_page_renders_svg(self):
        cells = self.env["repair.order.report.heatmap"].search(
            [("region_id", "in", (self.state_tehran | self.state_isfahan).ids)]
        )
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.action_report_repair_order_heatmap", cells.ids
        )
        html = html.decode()
        self.assertIn("<svg", html)
        self.assertEqual(html.count('fill="#d62728"'), 2, "one square per cell")
