"""The manager's check in Chromium, in English (admin) and in Persian (pars_manager), on the demo data:
KPI cards, Failures by Region, Technician Ranking, SLA Compliance and its Excel export. The demo's months
of history make each report meaningful: the test checks that first (several regions, several months,
several technicians, SLA met and breached).

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a PNG of each report.
"""

import io
import json

import openpyxl

from odoo.tests import HttpCase, tagged

from .screenshots import DESKTOP, open_page, run_js, save_shot, screenshot_folder

NO_SAMPLE = "!document.querySelector('.o_view_sample_data') && "


@tagged("post_install", "-at_install")
class TestManagerJourneyTour(HttpCase):
    def _report_data(self, user):
        """What the manager's reports show, read as the manager in the manager's company."""
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=user.company_id.ids))
        cells = env["repair.order.report.heatmap"]._read_group([], ["region_id"], ["failure_count:sum"])
        regions = [region for region, count in cells if region and count]
        Report = env["repair.order.report.aftersales"]
        months = Report._read_group([("date_finished", "!=", False)], ["date_received:month"], ["__count"])
        technicians = Report._read_group([("technician_id", "!=", False)], ["technician_id"], ["__count"])
        sla = dict(Report._read_group([("sla_status", "!=", False)], ["sla_status"], ["__count"]))
        kpis = env["aftersales.service.centre.report.kpi"].search([])
        return regions, months, technicians, sla, kpis

    def _journey(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest("without demo data")
        regions, months, technicians, sla, kpis = self._report_data(user)
        self.assertGreater(len(regions), 1, "Failures by Region has more than one region bar")
        self.assertGreaterEqual(len(months), 3, "the reports cover several months of history")
        self.assertGreater(len(technicians), 1, "Technician Ranking ranks several technicians")
        self.assertTrue(sla.get("met") and sla.get("breached"), f"SLA met and breached both show: {sla}")
        self.assertTrue(kpis, "a KPI card per service centre")
        lang = user.lang or "en_US"

        def name(xmlid):
            return self.env.ref(xmlid).with_context(lang=lang).name

        names = {
            "kpi": name("aftersales_service.aftersales_service_centre_report_kpi_action"),
            "heatmap": name("aftersales_service.repair_order_report_heatmap_action"),
            "ranking": name("aftersales_service.repair_order_report_aftersales_action_ranking"),
            "sla": name("aftersales_service.repair_order_report_aftersales_action_sla"),
            "excel": name("aftersales_service.action_report_repair_order_report_aftersales_xlsx"),
        }
        tour = "aftersales_manager_journey_tour"
        self.start_tour(
            "/odoo",
            tour,
            login=login,
            code=(
                f"sessionStorage.setItem('aftersales_tour_names', {json.dumps(json.dumps(names))}); "
                f"odoo.startTour({tour!r}, {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})"
            ),
        )
        self._check_excel(user, len(months))
        self._screenshots(login, "fa" if lang.startswith("fa") else "en")

    def _check_excel(self, user, months):
        """The dashboard's Excel button gives the manager's orders of the last twelve months, one row each."""
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=user.company_id.ids))
        action = env["aftersales.service.centre.report.kpi"].action_export_orders_xlsx()
        self.assertEqual(action["context"]["active_model"], "repair.order.report.aftersales")
        reports = env["ir.actions.report"].with_context(**action["context"])
        content, kind = reports._render_xlsx(action["report_name"], None, action["data"])
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        orders = env["repair.order.report.aftersales"].search(action["data"]["domain"])
        self.assertGreater(len(orders), 10 * months, "months of history")
        self.assertEqual(sheet.max_row, len(orders) + 2, "a header, one row per order and the totals")

    def _screenshots(self, login, lang):
        """The dashboard, then each report as its button opens it."""
        folder = screenshot_folder()
        if not folder:
            return
        dashboard = "/odoo/action-aftersales_service.aftersales_service_centre_report_kpi_action"
        cards = NO_SAMPLE + "!!document.querySelector('.o_aftersales_kpi_kanban .o_kanban_record')"
        graph = NO_SAMPLE + "!!document.querySelector('.o_graph_renderer canvas')"
        pivot = NO_SAMPLE + "!!document.querySelector('.o_pivot table')"
        for shot, button, ready in (
            ("1_kpi_cards", None, None),
            ("2_failures_by_region", "o_aftersales_kpi_heatmap", graph),
            ("3_technician_ranking", "o_aftersales_kpi_ranking", graph),
            ("4_sla_compliance", "o_aftersales_kpi_sla", pivot),
        ):
            with open_page(self, login, dashboard, cards, DESKTOP) as browser:
                if button:
                    run_js(browser, f"document.querySelector('.o_control_panel button.{button}').click()", ready)
                save_shot(browser, folder, f"manager_journey_{lang}_{shot}")

    def test_manager_journey_english(self):
        self._journey("admin")

    def test_manager_journey_persian(self):
        self._journey("pars_manager")
