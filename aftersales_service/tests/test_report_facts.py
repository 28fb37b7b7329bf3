from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..models.repair_order import REPORT_FACT_COLUMNS
from .common_flows import AftersalesFlowsCommon


@tagged("post_install", "-at_install")
class TestReportFacts(AftersalesFlowsCommon):
    """The per-order facts the reports read are kept up to date by the worklog, parts, rating and order
    flows, and agree with the SQL that fills them on installation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["repair.order.report.aftersales"]

    def _assert_facts(self, order, **expected):
        """Check the facts kept by the ORM, then that the SQL refresh computes the same ones."""
        self.env.flush_all()
        kept = order.read(list(REPORT_FACT_COLUMNS))[0]
        for name, value in expected.items():
            self.assertEqual(kept[f"aftersales_{name}"], value, name)
        self.env["repair.order"]._aftersales_refresh_report_facts(order.ids)
        self.assertEqual(order.read(list(REPORT_FACT_COLUMNS))[0], kept, "SQL and ORM facts differ")

    def _row(self, order):
        # the report is an SQL view: the ORM does not know it changes with the orders
        self.env.flush_all()
        self.env.invalidate_all()
        return self.Report.search([("repair_id", "=", order.id)])

    def _finish(self, order, days_ago=0):
        """Finish the order with an approved worklog, ``days_ago`` days ago."""
        self._make_worklog(order).action_submit()
        order.action_repair_end()
        self.assertEqual(order.state, "done")
        if days_ago:
            order.date_finished = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    # ------------------------------------------------------------ worklogs
    def test_worklog_rejected_is_rework(self):
        self.company.aftersales_worklog_auto_approve = False
        order = self._make_order()
        self._assert_facts(order, visit_count=0, worked_hours=0.0, rework=False, unit_status="in_repair")
        worklog = self._make_worklog(order, hours=1.5)
        self._assert_facts(order, visit_count=0, unit_status="in_repair")
        worklog.action_submit()
        self._assert_facts(order, visit_count=1, worked_hours=1.5, worklog_to_approve=True, unit_status="qc")
        worklog.with_user(self.dispatcher).action_reject()
        self._assert_facts(order, visit_count=1, rework=True, worklog_to_approve=False, unit_status="in_repair")
        rework = self._make_worklog(order, hours=2.0)
        rework.action_submit()
        rework.with_user(self.dispatcher).action_approve()
        self._assert_facts(order, visit_count=2, worked_hours=3.5, rework=True, worklog_to_approve=False)
        order.action_repair_end()
        self._assert_facts(order, visit_count=2, rework=True, unit_status="delivered")
        row = self._row(order)
        self.assertEqual((row.worklog_count, row.rework_count, row.rework_rate), (2, 1, 100.0))
        self.assertEqual((row.ftf_count, row.ftf_rate), (0, 0.0), "two visits: not a first-time fix")
        self.assertAlmostEqual(row.worked_hours, 3.5)

    def test_draft_worklog_is_no_visit(self):
        order = self._make_order()
        self._make_worklog(order)
        self._assert_facts(order, visit_count=0, worked_hours=0.0)
        self._row(order)
        [(rework_rate,)] = self.Report._read_group([("repair_id", "=", order.id)], [], ["rework_rate:avg"])
        self.assertIs(rework_rate, False, "no submitted work: no rework figure")

    # ------------------------------------------------------------ first-time fix
    def test_new_order_on_serial_within_30_days_ends_first_time_fix(self):
        first = self._finish(self._make_order(lot=self.lot2), days_ago=5)
        self._assert_facts(first, repeat_order=False)
        self.assertEqual(self._row(first).ftf_rate, 100.0)
        second = self.env["repair.order"].create(
            {
                "product_id": self.device.id,
                "lot_id": self.lot2.id,
                "partner_id": self.customer.id,
                "service_type_id": self.service_type.id,
            }
        )
        self._assert_facts(first, repeat_order=True)
        self.assertEqual((self._row(first).ftf_count, self._row(first).ftf_rate), (0, 0.0))
        second.lot_id = self.lot3
        self._assert_facts(first, repeat_order=False)
        second.lot_id = self.lot2
        self._assert_facts(first, repeat_order=True)
        second.unlink()
        self._assert_facts(first, repeat_order=False)
        self.assertEqual(self._row(first).ftf_rate, 100.0)

    def test_new_order_after_30_days_keeps_first_time_fix(self):
        first = self._finish(self._make_order(lot=self.lot2), days_ago=31)
        self.env["repair.order"].create(
            {
                "product_id": self.device.id,
                "lot_id": self.lot2.id,
                "partner_id": self.customer.id,
                "service_type_id": self.service_type.id,
            }
        )
        self._assert_facts(first, repeat_order=False)

    def test_order_finished_before_a_new_order_was_opened(self):
        """The flag is also computed when the order finishes after the next one was created."""
        first = self._make_order(lot=self.lot2)
        second = self.env["repair.order"].create(
            {
                "product_id": self.device.id,
                "lot_id": self.lot2.id,
                "partner_id": self.customer.id,
                "service_type_id": self.service_type.id,
            }
        )
        self._finish(first)
        self._assert_facts(first, repeat_order=False)
        first.date_finished = second.create_date - timedelta(days=2)
        self._assert_facts(first, repeat_order=True)

    # ------------------------------------------------------------ parts, rating, reception
    def test_part_not_available_is_waiting_for_parts(self):
        order = self._make_order()
        move = self.env["stock.move"].create(
            {
                "name": self.backlight.name,
                "product_id": self.backlight.id,
                "product_uom_qty": 1,
                "product_uom": self.backlight.uom_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": order.location_dest_id.id,
                "repair_id": order.id,
                "repair_line_type": "add",
            }
        )
        # added to an order under repair, the part is confirmed at once; there is none in stock
        self.assertEqual(move.state, "confirmed")
        self._assert_facts(order, waiting_parts=True, unit_status="waiting_parts")
        self.assertEqual(self._row(order).unit_status, "waiting_parts")
        move._action_cancel()
        self._assert_facts(order, waiting_parts=False, unit_status="in_repair")

    def test_customer_rating(self):
        self.customer.email = "sara.ahmadi@example.com"
        order = self._finish(self._make_order())
        token = order._rating_get_access_token()
        self._assert_facts(order, rating=0.0, rating_count=0)
        self.assertFalse(self._row(order).rating, "asked, not answered: no rating")
        order.rating_apply(4, token=token)
        self._assert_facts(order, rating=4.0, rating_count=1)
        self.assertEqual((self._row(order).rating, self._row(order).rating_count), (4.0, 1))
        self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("repair.order"),
                "res_id": order.id,
                "rating": 2,
                "consumed": True,
            }
        )
        self._assert_facts(order, rating=3.0, rating_count=2)

    def test_date_received_and_status_follow_the_request(self):
        order = self._finish(self._make_order())
        self._assert_facts(order, date_received=order.create_date, unit_status="delivered")
        request = self.env["aftersales.request"].create(
            {"partner_id": self.customer.id, "service_type_id": self.service_type.id}
        )
        line = self.env["aftersales.request.line"].create(
            {"request_id": request.id, "product_id": self.device.id, "lot_id": self.lot1.id}
        )
        received = fields.Datetime.now() - timedelta(days=3)
        request.date_received = received
        order.aftersales_request_line_id = line
        self._assert_facts(order, date_received=received, unit_status="ready")
        self.assertEqual(self._row(order).date_received, received)
        request.date_received = received - timedelta(hours=5)
        self._assert_facts(order, date_received=received - timedelta(hours=5))
        request.state = "done"
        self._assert_facts(order, unit_status="delivered")
