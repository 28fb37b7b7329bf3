import ast
from datetime import date, datetime

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common_reports import AftersalesReportCommon


@tagged("post_install", "-at_install")
class TestAftersalesReports(AftersalesReportCommon):
    def _row(self, order):
        return self.Report.search([("repair_id", "=", order.id)])

    # ------------------------------------------------------------ waiting and response times
    def test_waiting_time_across_weekend(self):
        """Received Friday 16:00 from the request, started Saturday 09:00, done Monday 10:00."""
        row = self._row(self.orders["O1"])
        self.assertEqual(row.date_received, datetime(2026, 1, 2, 16))
        self.assertAlmostEqual(row.waiting_hours, 66.0)
        self.assertAlmostEqual(row.response_hours, 17.0)
        self.assertEqual(row.request_id, self.request)

    def test_waiting_average_per_service_type(self):
        figures = self._by(
            "repair.order.report.aftersales",
            [*self.january, ("state", "=", "done")],
            "service_type_id",
            ["waiting_hours:avg", "response_hours:avg", "order_count:sum"],
        )
        # repair: O1 66 h, O3 24 h, O6 24 h, O7 24 h; responses O1 17 h and O3 2 h (O6, O7 never accepted)
        self.assertAlmostEqual(figures[self.service_type][0], 34.5)
        self.assertAlmostEqual(figures[self.service_type][1], 9.5)
        self.assertEqual(figures[self.service_type][2], 4)
        self.assertAlmostEqual(figures[self.service_type_install][0], 12.0)
        self.assertAlmostEqual(figures[self.service_type_install][1], 1.0)

    def test_waiting_average_per_product(self):
        figures = self._by(
            "repair.order.report.aftersales",
            [*self.january, ("state", "=", "done")],
            "product_id",
            ["waiting_hours:avg"],
        )
        self.assertAlmostEqual(figures[self.product][0], (66 + 12 + 24 + 24 + 24) / 5)

    # ------------------------------------------------------------ orders per technician
    def test_orders_per_technician_by_state(self):
        rows = self.Report._read_group(self.january, ["technician_id", "state"], ["order_count:sum"])
        counts = {(tech, state): count for tech, state, count in rows}
        self.assertEqual(counts[self.tech_1, "done"], 2)
        self.assertEqual(counts[self.tech_2, "done"], 1)
        self.assertEqual(counts[self.tech_2, "under_repair"], 1)
        self.assertEqual(counts[self.tech_3, "confirmed"], 1)
        self.assertEqual(counts[self.tech_3, "done"], 1)
        self.assertNotIn((self.tech_1, "confirmed"), counts)

    # ------------------------------------------------------------ first-time fix and rework
    def test_first_time_fix_rate_per_technician(self):
        figures = self._by(
            "repair.order.report.aftersales",
            self.january,
            "technician_id",
            ["ftf_count:sum", "done_count:sum", "ftf_rate:avg"],
        )
        # T1: O1 fixed in one visit, O2 needed a rework -> 1 of 2
        self.assertEqual(figures[self.tech_1], [1, 2, 50.0])
        # T2: O3 was followed by O4 on the same serial within 30 days; O4 is still open (no rate)
        self.assertEqual(figures[self.tech_2], [0, 1, 0.0])
        self.assertEqual(figures[self.tech_4], [1, 1, 100.0])
        total = self.Report._read_group(self.january, [], ["ftf_count:sum", "done_count:sum", "ftf_rate:avg"])[0]
        self.assertEqual(list(total), [3, 5, 60.0])

    def test_rework_rate_per_technician(self):
        figures = self._by(
            "repair.order.report.aftersales", self.january, "technician_id", ["rework_count:sum", "rework_rate:avg"]
        )
        self.assertEqual(figures[self.tech_1], [1, 50.0])
        self.assertEqual(figures[self.tech_2], [0, 0.0])
        self.assertEqual(self._row(self.orders["O2"]).worklog_count, 2)

    def test_rates_per_service_centre_and_region(self):
        by_centre = self._by("repair.order.report.aftersales", self.january, "service_centre_id", ["ftf_rate:avg"])
        # north: O1 yes, O2 no, O7 yes; south: O3 no, O6 yes
        self.assertAlmostEqual(by_centre[self.centre_1][0], 200 / 3)
        self.assertAlmostEqual(by_centre[self.centre_2][0], 50.0)
        by_region = self._by("repair.order.report.aftersales", self.january, "region_id", ["order_count:sum"])
        self.assertEqual(by_region[self.state_tehran][0], 4)
        self.assertEqual(by_region[self.state_isfahan][0], 3)

    # ------------------------------------------------------------ SLA and rating
    def test_sla_compliance_per_technician_and_policy(self):
        figures = self._by(
            "repair.order.report.aftersales",
            self.january,
            "technician_id",
            ["sla_met_count:sum", "sla_breached_count:sum", "sla_compliance:avg"],
        )
        self.assertEqual(figures[self.tech_1], [1, 1, 50.0])
        # T2: O3 met, O4 already breached while open
        self.assertEqual(figures[self.tech_2], [1, 1, 50.0])
        self.assertEqual(figures[self.tech_4], [0, 0, False], "no SLA on O6: no compliance figure")
        by_policy = self._by(
            "repair.order.report.aftersales", self.january, "sla_policy_id", ["order_count:sum", "sla_compliance:avg"]
        )
        self.assertEqual(by_policy[self.sla_policy], [5, 50.0])

    def test_sla_alerts_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.repair_order_action_sla_alerts")
        alerts = self.env["repair.order"].search(ast.literal_eval(action["domain"]))
        mine = self.orders["O1"] | self.orders["O2"] | self.orders["O4"] | self.orders["O5"]
        self.assertEqual(alerts & mine, self.orders["O4"] | self.orders["O5"], "open orders at risk or breached")

    def test_customer_rating(self):
        figures = self._by(
            "repair.order.report.aftersales", self.january, "technician_id", ["rating:avg", "rating_count:sum"]
        )
        self.assertEqual(figures[self.tech_1], [4.0, 2])
        self.assertEqual(figures[self.tech_2], [False, 0], "a request not answered is no rating")

    # ------------------------------------------------------------ product status
    def test_product_status(self):
        status = {name: self._row(order).unit_status for name, order in self.orders.items()}
        self.assertEqual(status["O1"], "delivered", "request closed: the unit went back to the customer")
        self.assertEqual(status["O4"], "qc", "a submitted worklog waits for approval")
        self.assertEqual(status["O5"], "waiting_parts", "its part is not available")
        self._set("aftersales_request", self.request, state="in_service")
        self.assertEqual(self._row(self.orders["O1"]).unit_status, "ready")

    # ------------------------------------------------------------ service duration
    def test_service_duration_per_technician_and_type(self):
        jan = [("date_start", ">=", "2026-01-01"), ("date_start", "<", "2026-02-01")]
        by_tech = self._by(
            "aftersales.worklog.report.duration", jan, "technician_id", ["duration_hours:sum", "worklog_count:sum"]
        )
        self.assertEqual(by_tech[self.tech_1], [4.5, 3])
        self.assertEqual(by_tech[self.tech_2], [3.5, 2])
        by_type = self._by("aftersales.worklog.report.duration", jan, "service_type_id", ["duration_hours:sum"])
        self.assertAlmostEqual(by_type[self.service_type_install][0], 2.5)
        self.assertAlmostEqual(by_type[self.service_type][0], 7.5)
        self.assertAlmostEqual(self._row(self.orders["O2"]).worked_hours, 2.5)

    # ------------------------------------------------------------ parts
    def test_most_consumed_parts(self):
        parts = self.env["stock.move.report.aftersales.parts"]
        mine = [("part_id", "in", (self.part_x | self.part_y).ids), ("line_type", "=", "add")]
        rows = parts._read_group(mine, ["part_id"], ["quantity:sum"], order="quantity:sum desc")
        self.assertEqual([(part, qty) for part, qty in rows], [(self.part_y, 36.0), (self.part_x, 17.0)])
        by_region = self._by(
            "stock.move.report.aftersales.parts", [("part_id", "=", self.part_x.id)], "region_id", ["quantity:sum"]
        )
        self.assertEqual(by_region[self.state_tehran], [5.0])
        self.assertEqual(by_region[self.state_isfahan], [12.0])
        self.assertFalse(parts.search([("repair_id", "=", self.orders["O5"].id)]), "a part not consumed yet")

    def test_abnormal_consumption(self):
        rows = self.env["stock.move.report.aftersales.abnormal"].search(
            [("kind", "=", "technician"), ("part_id", "=", self.part_x.id), ("month", "=", date(2026, 1, 1))]
        )
        by_tech = {row.technician_id: row for row in rows}
        self.assertEqual(len(by_tech), 4)
        outlier = by_tech[self.tech_4]
        self.assertEqual(outlier.peer_count, 4)
        self.assertAlmostEqual(outlier.peer_median, 2.5)
        self.assertAlmostEqual(outlier.ratio, 4.0)
        self.assertGreater(outlier.z_score, 1.5)
        self.assertTrue(outlier.is_abnormal)
        self.assertFalse(any(by_tech[tech].is_abnormal for tech in (self.tech_1, self.tech_2, self.tech_3)))
        flagged = self.env["stock.move.report.aftersales.abnormal"].search(
            [("is_abnormal", "=", True), ("part_id", "=", self.part_x.id)]
        )
        self.assertEqual(flagged.technician_id, self.tech_4)

    def test_parts_forecast(self):
        row = self.env["stock.move.report.aftersales.forecast"].search([("part_id", "=", self.part_y.id)])
        self.assertEqual(
            (row.qty_month_3, row.qty_month_2, row.qty_month_1, row.avg_qty, row.trend_qty, row.forecast_qty),
            (10.0, 12.0, 14.0, 12.0, 2.0, 16.0),
        )
        self.assertFalse(
            self.env["stock.move.report.aftersales.forecast"].search([("part_id", "=", self.part_x.id)]),
            "no consumption of the pump in the last three months",
        )

    # ------------------------------------------------------------ dashboard
    def test_failure_heatmap_cells(self):
        Heatmap = self.env["repair.order.report.heatmap"]
        mine = [("region_id", "in", (self.state_tehran | self.state_isfahan).ids)]
        cells = {
            (lat, lon): count
            for lat, lon, count in Heatmap._read_group(mine, ["cell_latitude", "cell_longitude"], ["failure_count:sum"])
        }
        self.assertEqual(cells, {(35.5, 51.0): 4, (32.5, 51.5): 3})
        svg = Heatmap._get_heatmap_svg_data(mine)
        self.assertEqual((svg["total"], svg["max_count"], svg["outside"]), (7, 4, 0))
        self.assertEqual(sorted(cell["count"] for cell in svg["cells"]), [3, 4])
        self.assertEqual(max(cell["opacity"] for cell in svg["cells"]), 1.0)

    def test_past_months_stored_current_month_live(self):
        """Past months of the heat map and the abnormal consumption are stored and refreshed every night;
        the current month is computed at each read."""
        Heatmap = self.env["repair.order.report.heatmap"]
        mine = [("region_id", "in", (self.state_tehran | self.state_isfahan).ids)]

        def cells():
            rows = Heatmap._read_group(mine, ["cell_latitude", "cell_longitude"], ["failure_count:sum"])
            return {(lat, lon): count for lat, lon, count in rows}

        self.env["repair.order"].create(
            {
                "is_aftersales": True,
                "partner_id": self.customer_b.id,
                "product_id": self.product.id,
                "service_type_id": self.service_type.id,
            }
        )
        self.assertEqual(cells(), {(35.5, 51.0): 4, (32.5, 51.5): 4}, "an order of this month counts at once")
        self.orders["O7"].partner_id = self.customer_b
        self.assertEqual(cells()[(35.5, 51.0)], 4, "January is stored: it changes at the nightly refresh")
        Heatmap._refresh_past_months()
        self.assertEqual(cells(), {(35.5, 51.0): 3, (32.5, 51.5): 5})
        self.assertTrue(all(Heatmap.search(mine).mapped("computed_on")))
        self.assertTrue(Heatmap._get_heatmap_svg_data(mine)["computed_on"])

        # a part consumed this month, written straight to the table: no refresh needed
        template = self.moves[5]
        move = self.env["stock.move"].create(
            {
                "name": self.part_y.name,
                "product_id": self.part_y.id,
                "product_uom_qty": 4,
                "product_uom": self.part_y.uom_id.id,
                "location_id": template.location_id.id,
                "location_dest_id": template.location_dest_id.id,
                "repair_id": self.orders["O7"].id,
                "repair_line_type": "add",
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_move SET state = 'done', quantity = 4, date = now() AT TIME ZONE 'UTC' WHERE id = %s",
                move.id,
            )
        )
        self.env.invalidate_all()
        this_month = fields.Datetime.now().date().replace(day=1)
        row = self.env["stock.move.report.aftersales.abnormal"].search(
            [("kind", "=", "technician"), ("part_id", "=", self.part_y.id), ("month", "=", this_month)]
        )
        self.assertEqual((row.technician_id, row.quantity, row.job_count), (self.tech_3, 4.0, 1))

    def test_kpi_cards(self):
        Kpi = self.env["aftersales.service.centre.report.kpi"]
        north = Kpi.search([("service_centre_id", "=", self.centre_1.id)])
        south = Kpi.search([("service_centre_id", "=", self.centre_2.id)])
        self.assertEqual((north.open_count, north.overdue_count, north.due_soon_count), (1, 1, 0))
        self.assertEqual((south.open_count, south.overdue_count, south.due_soon_count), (1, 0, 1))
        self.assertEqual((north.sla_at_risk_count, north.sla_breached_count), (1, 0))
        self.assertEqual((south.sla_at_risk_count, south.sla_breached_count), (0, 1))
        self._set("repair_order", self.orders["O5"], technician_id=None)
        self.assertEqual(Kpi.search([("service_centre_id", "=", self.centre_1.id)]).unassigned_count, 1)

    # ------------------------------------------------------------ history lists
    def test_history_actions(self):
        Action = self.env["ir.actions.act_window"]
        worklogs = Action._for_xml_id("aftersales_service.aftersales_worklog_action_history")
        draft = self.env["aftersales.worklog"].create(
            {"repair_id": self.orders["O5"].id, "technician_id": self.tech_3.id}
        )
        found = self.env["aftersales.worklog"].search(ast.literal_eval(worklogs["domain"]))
        self.assertIn(self.worklogs[0], found)
        self.assertNotIn(draft, found, "drafts are not history yet")
        orders = Action._for_xml_id("aftersales_service.repair_order_action_history")
        found = self.env["repair.order"].search(ast.literal_eval(orders["domain"]))
        mine = self.env["repair.order"].browse([order.id for order in self.orders.values()])
        self.assertEqual(found & mine, mine, "closed and open orders alike")
