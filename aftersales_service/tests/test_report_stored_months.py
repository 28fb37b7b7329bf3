from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common_reports import AftersalesReportCommon


@tagged("post_install", "-at_install")
class TestReportStoredMonths(AftersalesReportCommon):
    """The abnormal consumption and the parts forecast read their past months from stored rows, the KPI cards
    the open and recent orders through their indexes: the same rows as computed from the moves and orders
    (the plain computation), after every insert, move, change and delete, before and after the refresh."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Abnormal = cls.env["stock.move.report.aftersales.abnormal"]
        cls.Forecast = cls.env["stock.move.report.aftersales.forecast"]
        cls.Kpi = cls.env["aftersales.service.centre.report.kpi"]
        cls.this_month = fields.Datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        cls.last_month = cls.this_month - relativedelta(months=1)

    # ------------------------------------------------------------ helpers
    def _rows(self, query):
        """Rows of a SELECT, by id, without the time of their computation, floats rounded."""
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT * FROM (%s) q ORDER BY id", query))
        rows = []
        for row in self.env.cr.dictfetchall():
            row.pop("computed_on", None)
            rows.append({key: round(value, 6) if isinstance(value, float) else value for key, value in row.items()})
        return rows

    def _view(self, report):
        return self._rows(SQL("SELECT * FROM %s", SQL.identifier(report._table)))

    def _assert_exact(self, msg):
        self.assertEqual(
            self._view(self.Abnormal), self._rows(self.Abnormal._store_rows(live_only=True)), f"abnormal: {msg}"
        )
        self.assertEqual(
            self._view(self.Forecast), self._rows(self.Forecast._query(live_only=True)), f"forecast: {msg}"
        )
        self.assertEqual(self._view(self.Kpi), self._rows(self.Kpi._query(plain=True)), f"KPI cards: {msg}")

    def _since(self, report):
        self.env.cr.execute(SQL("SELECT %s", report._store_since()))
        return self.env.cr.fetchone()[0]

    def _refresh(self):
        return self.Abnormal._rollup_refresh() + self.Forecast._rollup_refresh()

    def _new_move(self, order, part, quantity, date):
        template = self.moves[0]
        move = self.env["stock.move"].create(
            {
                "name": part.name,
                "product_id": part.id,
                "product_uom_qty": quantity,
                "product_uom": part.uom_id.id,
                "location_id": template.location_id.id,
                "location_dest_id": template.location_dest_id.id,
                "repair_id": order.id,
                "repair_line_type": "add",
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_move SET state = 'done', quantity = %s, date = %s WHERE id = %s", [quantity, date, move.id]
        )
        self.env.invalidate_all()
        return move

    # ------------------------------------------------------------ tests
    def test_stored_months_give_the_same_rows(self):
        for report in (self.Abnormal, self.Forecast):
            # as after an update of the module: nothing stored
            for table in (report._store_table, report._store_month_table):
                self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
            self.assertLessEqual(self._since(report), self.this_month - relativedelta(months=3), report._name)
        self._assert_exact("nothing stored: all months live")
        self.assertGreaterEqual(self.Abnormal._rollup_refresh(), 11, "January 2026 to last month")
        self.assertEqual(self.Forecast._rollup_refresh(), 3, "the three months of the forecast")
        self.assertEqual(self._since(self.Abnormal), self.this_month, "every past month read from the store")
        self.assertEqual(self._since(self.Forecast), self.this_month)
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(self.Abnormal._store_table)))
        self.assertGreater(self.env.cr.fetchone()[0], 0)
        self._assert_exact("past months stored")
        self.assertEqual(self._refresh(), 0, "nothing changed: nothing computed again")
        # the figures the business tests check, from the stored months
        row = self.Forecast.search([("part_id", "=", self.part_y.id)])
        self.assertEqual(
            (row.qty_month_3, row.qty_month_2, row.qty_month_1, row.forecast_qty), (10.0, 12.0, 14.0, 16.0)
        )
        outlier = self.Abnormal.search([("is_abnormal", "=", True), ("part_id", "=", self.part_x.id)])
        self.assertEqual((outlier.technician_id, outlier.ratio), (self.tech_4, 4.0))

    def test_inserted_moved_changed_and_deleted_moves(self):
        self._refresh()
        january = datetime(2026, 1, 1)
        # a part consumed in January (stored month), written straight to the table
        self._new_move(self.orders["O2"], self.part_x, 9.0, datetime(2026, 1, 15, 10))
        self.assertEqual(self._since(self.Abnormal), january, "January changed: read live from there")
        self._assert_exact("a move inserted in a stored month")
        # a move of the forecast's months: from two months ago to last month; a quantity changed
        self.env.cr.execute(
            "UPDATE stock_move SET date = %s WHERE id = %s", [self.last_month + relativedelta(days=3), self.moves[6].id]
        )
        self.env.cr.execute("UPDATE stock_move SET quantity = 20 WHERE id = %s", [self.moves[7].id])
        self.assertEqual(self._since(self.Forecast), self.this_month - relativedelta(months=2))
        self._assert_exact("moves moved to another month and changed")
        # a move deleted; a move no longer done; a technician changed on an order of January
        self.env.cr.execute("DELETE FROM stock_move WHERE id = %s", [self.moves[1].id])
        self.env.cr.execute("UPDATE stock_move SET state = 'cancel' WHERE id = %s", [self.moves[5].id])
        self.orders["O7"].technician_id = self.tech_1
        self.env.flush_all()
        self.env.invalidate_all()
        self._assert_exact("deleted, cancelled, order reassigned")
        self.assertGreater(self._refresh(), 0)
        self.assertEqual(self._since(self.Abnormal), self.this_month, "refreshed: stored again")
        self.assertEqual(self._since(self.Forecast), self.this_month)
        self._assert_exact("after the refresh")
        # the part's unit changes (its moves' quantities are converted to it): every month of its moves
        dozen = self.env.ref("uom.product_uom_dozen")
        self.env.cr.execute(
            "UPDATE product_template SET uom_id = %s WHERE id = %s", [dozen.id, self.part_y.product_tmpl_id.id]
        )
        self.env.invalidate_all()
        self.assertLess(self._since(self.Forecast), self.this_month)
        self._assert_exact("unit factor changed")

    def test_month_before_the_stored_ones_and_order_no_longer_aftersales(self):
        self._refresh()
        # a consumption older than every stored month
        self._new_move(self.orders["O6"], self.part_x, 4.0, datetime(2025, 6, 10, 10))
        self.assertEqual(self._since(self.Abnormal), datetime(2025, 6, 1))
        self._assert_exact("a move older than the stored months")
        self.env.cr.execute("UPDATE repair_order SET is_aftersales = FALSE WHERE id = %s", [self.orders["O7"].id])
        self.env.invalidate_all()
        self._assert_exact("an order no longer after-sales")
        self._refresh()
        self.assertEqual(self._since(self.Abnormal), self.this_month)
        self._assert_exact("refreshed")

    def test_company_rules(self):
        """A user of one company reads only its rows, from the stored months as from the live ones."""
        other = self.env["res.company"].create({"name": "Stored Months Second Company"})
        # the outlier of January (O6) belongs to the other company, with a pump consumed last month
        self._new_move(self.orders["O6"], self.part_x, 5.0, self.last_month + relativedelta(days=2))
        self.env.cr.execute(
            "UPDATE stock_move SET company_id = %s WHERE repair_id = %s", [other.id, self.orders["O6"].id]
        )
        self.env.invalidate_all()
        user = self.env["res.users"].create(
            {
                "name": "Stored Months Reader",
                "login": "stored_months_reader",
                "company_id": self.env.company.id,
                "company_ids": [(6, 0, self.env.company.ids)],
                "groups_id": [(6, 0, self.env.ref("aftersales_warranty.group_aftersales_user").ids)],
            }
        )
        self._refresh()
        for report, fields_ in ((self.Abnormal, ["part_id", "quantity", "is_abnormal"]), (self.Forecast, ["part_id"])):
            mine = report.with_user(user).search_read([], ["company_id", *fields_])
            everything = report.search_read([], ["company_id", *fields_])
            self.assertTrue(mine)
            self.assertEqual({row["company_id"][0] for row in mine}, {self.env.company.id}, report._name)
            self.assertIn(other.id, {row["company_id"][0] for row in everything}, report._name)
            self.assertEqual(mine, [row for row in everything if row["company_id"][0] == self.env.company.id])
        self.assertTrue(self.Forecast.with_user(user).search([("part_id", "=", self.part_y.id)]))
        self.assertFalse(
            self.Forecast.with_user(user).search([("part_id", "=", self.part_x.id)]), "the other company's part"
        )
        self.assertFalse(
            self.Abnormal.with_user(user).search([("is_abnormal", "=", True)]), "its outlier is the other's"
        )

    def test_kpi_cards_after_changes(self):
        self._assert_exact("as set up")
        # an order done this week, one done long ago, an open one cancelled, one reopened
        self.env.cr.execute(
            "UPDATE repair_order SET date_finished = (now() AT TIME ZONE 'UTC') - interval '2 days' WHERE id = %s",
            [self.orders["O1"].id],
        )
        self.env.cr.execute("UPDATE repair_order SET state = 'cancel' WHERE id = %s", [self.orders["O5"].id])
        self.env.cr.execute("UPDATE repair_order SET state = 'confirmed' WHERE id = %s", [self.orders["O2"].id])
        self.env.invalidate_all()
        north = self.Kpi.search([("service_centre_id", "=", self.centre_1.id)])
        self.assertEqual((north.open_count, north.done_count), (1, 1))
        self._assert_exact("orders finished, cancelled and reopened")

    def test_order_reassigned(self):
        """The technician and the serviced product of an order are read by the abnormal consumption: the
        months of the order's part lines are read live once it changes."""
        self._refresh()
        self.orders["O6"].technician_id = self.tech_1
        self.env.flush_all()
        self.assertEqual(self._since(self.Abnormal), datetime(2026, 1, 1))
        self._assert_exact("the outlier's order reassigned")
        self.assertFalse(self.Abnormal.search([("is_abnormal", "=", True), ("technician_id", "=", self.tech_4.id)]))
        self._refresh()
        self.assertEqual(self._since(self.Abnormal), self.this_month)
        self._assert_exact("refreshed")
