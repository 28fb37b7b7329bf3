from datetime import datetime

from odoo.tests import tagged

from .common_reports import AftersalesReportCommon


@tagged("post_install", "-at_install")
class TestReportRollup(AftersalesReportCommon):
    """Grouped reads of the service order analysis answered from stored months are the same as from the view."""

    GROUPINGS = [
        (["technician_id", "state"], ["__count", "order_count:sum", "done_count:sum"]),
        (["service_type_id"], ["__count", "waiting_hours:avg", "response_hours:avg", "order_count:sum"]),
        (["service_centre_id", "date_received:month"], ["ftf_rate:avg", "rework_rate:avg", "order_count:sum"]),
        (["region_id"], ["__count", "sla_compliance:avg", "rating:avg", "worked_hours:sum"]),
        (["unit_status"], ["order_count:sum", "date_finished:max"]),
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = [("technician_id", "in", (cls.tech_1 | cls.tech_2 | cls.tech_3 | cls.tech_4).ids)]
        # spread the orders over three past months and this one
        months = {
            "O1": datetime(2025, 11, 3, 10),
            "O2": datetime(2025, 11, 20, 10),
            "O3": datetime(2025, 12, 5, 10),
            "O4": datetime(2026, 1, 7, 10),
            "O5": datetime(2026, 1, 9, 10),
        }
        for name, received in months.items():
            cls.env.cr.execute(
                "UPDATE repair_order SET aftersales_date_received = %s WHERE id = %s", [received, cls.orders[name].id]
            )
        cls.env.invalidate_all()

    def _plain(self, report, groupby, aggregates):
        self.env["ir.config_parameter"].sudo().set_param("aftersales_service.report_rollup", "0")
        try:
            return report._read_group(self.mine, groupby, aggregates)
        finally:
            self.env["ir.config_parameter"].sudo().set_param("aftersales_service.report_rollup", "1")

    def _stored_partitions(self, report, groupby, aggregates):
        spec = report._rollup_spec(self.mine, groupby, aggregates)
        self.env.cr.execute("SELECT id FROM aftersales_report_rollup WHERE key = %s", [report._rollup_key(spec)])
        row = self.env.cr.fetchone()
        return report._rollup_valid_partitions(row[0]) if row else []

    def _assert_same(self, report=None, msg=None):
        report = report or self.Report
        for groupby, aggregates in self.GROUPINGS:
            expected = self._plain(report, groupby, aggregates)
            got = report._read_group(self.mine, groupby, aggregates)
            self.assertEqual(len(got), len(expected), msg)
            for got_row, expected_row in zip(sorted(got, key=str), sorted(expected, key=str), strict=True):
                for got_value, expected_value in zip(got_row, expected_row, strict=True):
                    if isinstance(expected_value, float):
                        self.assertAlmostEqual(got_value, expected_value, places=6, msg=msg)
                    else:
                        self.assertEqual(got_value, expected_value, msg)

    def test_stored_months_give_the_same_figures(self):
        self._assert_same(msg="first read: registered, computed from the view")
        stored = self.Report._rollup_refresh()
        self.assertGreaterEqual(stored, 3 * len(self.GROUPINGS), "three past months per grouping at least")
        for groupby, aggregates in self.GROUPINGS:
            self.assertGreaterEqual(len(self._stored_partitions(self.Report, groupby, aggregates)), 3)
        self._assert_same(msg="stored months added to the live ones")

    def test_changed_month_is_read_live_until_refreshed(self):
        self.Report._read_group(self.mine, ["technician_id", "state"], ["__count"])
        self.Report._rollup_refresh()
        groupby, aggregates = ["technician_id", "state"], ["__count"]
        november = datetime(2025, 11, 1)
        self.assertIn(november, self._stored_partitions(self.Report, groupby, aggregates))
        # an order of November changes technician and state through the ORM
        self.orders["O2"].write({"technician_id": self.tech_4.id})
        self.env.cr.execute("UPDATE repair_order SET state = 'cancel' WHERE id = %s", [self.orders["O1"].id])
        self.env.invalidate_all()
        self.assertNotIn(november, self._stored_partitions(self.Report, groupby, aggregates))
        self._assert_same(msg="the changed month is computed from the view")
        self.Report._rollup_refresh()
        self.assertIn(november, self._stored_partitions(self.Report, groupby, aggregates))
        self._assert_same(msg="stored again after the refresh")

    def test_moved_and_deleted_orders(self):
        for groupby, aggregates in self.GROUPINGS:
            self.Report._read_group(self.mine, groupby, aggregates)
        self.Report._rollup_refresh()
        # received moved from December to November; a new order in October; an order deleted
        self.env.cr.execute(
            "UPDATE repair_order SET aftersales_date_received = '2025-11-28 10:00' WHERE id = %s",
            [self.orders["O3"].id],
        )
        new = self.orders["O6"].copy({"lot_id": False})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE repair_order SET aftersales_date_received = '2025-10-02 10:00' WHERE id = %s", [new.id]
        )
        self.env.cr.execute("DELETE FROM repair_order WHERE id = %s", [self.orders["O5"].id])
        self.env.invalidate_all()
        self._assert_same(msg="moved, new and deleted orders")
        self.Report._rollup_refresh()
        self._assert_same(msg="after the refresh")

    def test_customer_region_and_product_category_changes(self):
        groupby, aggregates = ["region_id"], ["__count", "sla_compliance:avg", "rating:avg", "worked_hours:sum"]
        self.Report._read_group(self.mine, groupby, aggregates)
        self.Report._read_group(self.mine, ["product_categ_id"], ["__count"])
        self.Report._rollup_refresh()
        self.customer_b.state_id = self.state_tehran
        self.product.categ_id = self.env["product.category"].create({"name": "Report Rollup Category"})
        self.env.flush_all()
        self._assert_same(msg="a customer moved to another province")
        self.assertEqual(
            self.Report._read_group(self.mine, ["product_categ_id"], ["__count"]),
            self._plain(self.Report, ["product_categ_id"], ["__count"]),
        )

    def test_jalali_months_and_user_rules(self):
        """Groups by Jalali month in Tehran time add up across the UTC months stored; a user of another company
        has a grouping of their own, with their rules."""
        self.Report._read_group(self.mine, ["date_received:month"], ["__count"])
        report_fa = self.Report.with_context(tz="Asia/Tehran", lang="fa_IR", web_jalali_read_group=True)
        for report in (self.Report, report_fa):
            report._read_group(self.mine, ["date_received:month", "technician_id"], ["__count", "waiting_hours:avg"])
        self.Report._rollup_refresh()
        for report in (self.Report, report_fa):
            expected = self._plain(report, ["date_received:month", "technician_id"], ["__count", "waiting_hours:avg"])
            self.assertEqual(
                report._read_group(
                    self.mine, ["date_received:month", "technician_id"], ["__count", "waiting_hours:avg"]
                ),
                expected,
            )
        other_company = self.env["res.company"].create({"name": "Rollup Other Company"})
        manager = self.env["res.users"].create(
            {
                "name": "Rollup Manager",
                "login": "rollup_manager",
                "company_id": other_company.id,
                "company_ids": [(6, 0, other_company.ids)],
                "groups_id": [(6, 0, self.env.ref("aftersales_warranty.group_aftersales_manager").ids)],
            }
        )
        report = self.Report.with_user(manager)
        self.assertEqual(report._read_group(self.mine, ["technician_id"], ["__count"]), [])
        self.Report._read_group(self.mine, ["technician_id"], ["__count"])
        self.Report._rollup_refresh()
        self.assertEqual(report._read_group(self.mine, ["technician_id"], ["__count"]), [], "not the admin's figures")

    def test_forged_context_is_ignored(self):
        """A client can send any context value: a forged plan is plain data, never used as SQL."""
        self.Report._read_group(self.mine, ["technician_id"], ["__count"])
        self.Report._rollup_refresh()
        expected = self._plain(self.Report, ["technician_id"], ["__count"])
        for forged in ("(SELECT 1) x; DROP TABLE res_users --", {"table": "res_users"}, ["x"]):
            report = self.Report.with_context(aftersales_rollup_plan=forged)
            self.assertEqual(report._read_group(self.mine, ["technician_id"], ["__count"]), expected)
            self.assertEqual(report.search_count(self.mine), 7)

    def test_read_group_of_the_pivot(self):
        """The public read_group (pivot, graph) with ordering, limit and lazy groups."""
        for order in ("__count desc", "technician_id", None):
            kwargs = {"orderby": order} if order else {}
            self.Report.read_group(self.mine, ["order_count", "waiting_hours"], ["technician_id"], lazy=False, **kwargs)
        self.Report._rollup_refresh()
        for order in ("__count desc", "technician_id", None):
            kwargs = {"orderby": order} if order else {}
            got = self.Report.read_group(
                self.mine, ["order_count", "waiting_hours"], ["technician_id"], lazy=False, **kwargs
            )
            self.env["ir.config_parameter"].sudo().set_param("aftersales_service.report_rollup", "0")
            expected = self.Report.read_group(
                self.mine, ["order_count", "waiting_hours"], ["technician_id"], lazy=False, **kwargs
            )
            self.env["ir.config_parameter"].sudo().set_param("aftersales_service.report_rollup", "1")
            rows = [(g["technician_id"], g["__count"], g["order_count"], g["waiting_hours"]) for g in got]
            self.assertEqual(
                sorted(rows, key=str),
                sorted(
                    [(g["technician_id"], g["__count"], g["order_count"], g["waiting_hours"]) for g in expected],
                    key=str,
                ),
            )
            if order == "__count desc":
                self.assertEqual([row[1] for row in rows], sorted((row[1] for row in rows), reverse=True))
            else:
                # ties are impossible: technicians ordered by name (given order) or by id
                self.assertEqual([row[0] for row in rows], [g["technician_id"] for g in expected], order)

    def _assert_report_same(self, model, groupings, msg=None):
        report = self.env[model]
        for groupby, aggregates in groupings:
            expected = self._plain(report, groupby, aggregates)
            got = report._read_group(self.mine, groupby, aggregates)
            self.assertEqual(sorted(got, key=str), sorted(expected, key=str), f"{model} {groupby}: {msg}")

    def test_duration_and_parts_reports(self):
        """The service duration and parts consumption reports: same figures after the changes they read from
        the order, the customer and the part."""
        groupings = {
            "aftersales.worklog.report.duration": [
                (["technician_id"], ["duration_hours:sum", "avg_duration_hours:avg", "__count"]),
                (["service_centre_id", "region_id"], ["worklog_count:sum"]),
            ],
            "stock.move.report.aftersales.parts": [
                (["part_id"], ["quantity:sum", "cost:sum", "__count"]),
                (["service_type_id", "technician_id"], ["quantity:sum"]),
            ],
        }
        self.env.cr.execute(
            "UPDATE aftersales_worklog SET date_start = date_start - interval '2 months' WHERE repair_id = %s",
            [self.orders["O1"].id],
        )
        self.env.cr.execute(
            "UPDATE stock_move SET date = date - interval '2 months' WHERE repair_id = %s", [self.orders["O3"].id]
        )
        self.env.invalidate_all()
        for model, model_groupings in groupings.items():
            self._assert_report_same(model, model_groupings, "registered")
            self.assertGreater(self.env[model]._rollup_refresh(), 0, model)
            self._assert_report_same(model, model_groupings, "stored")
        self.orders["O1"].service_centre_id = self.centre_2
        self.orders["O3"].technician_id = self.tech_4
        self.customer_a.state_id = self.state_isfahan
        self.part_x.standard_price = 75.0
        self.env.flush_all()
        for model, model_groupings in groupings.items():
            self._assert_report_same(model, model_groupings, "after the changes")
            self.env[model]._rollup_refresh()
            self._assert_report_same(model, model_groupings, "refreshed")

    def test_groupings_of_gone_rights_and_unread_ones_are_dropped(self):
        other_company = self.env["res.company"].create({"name": "Rollup Second Company"})
        manager = self.env["res.users"].create(
            {
                "name": "Rollup Two Companies",
                "login": "rollup_two_companies",
                "company_id": self.env.company.id,
                "company_ids": [(6, 0, (self.env.company | other_company).ids)],
                "groups_id": [(6, 0, self.env.ref("aftersales_warranty.group_aftersales_manager").ids)],
            }
        )
        both = self.Report.with_user(manager).with_context(allowed_company_ids=(self.env.company | other_company).ids)
        both._read_group(self.mine, ["technician_id"], ["__count"])
        self.Report._read_group(self.mine, ["state"], ["__count"])
        self.env.cr.execute("SELECT count(*) FROM aftersales_report_rollup WHERE model = %s", [self.Report._name])
        self.assertEqual(self.env.cr.fetchone()[0], 2)
        manager.company_ids = [(3, other_company.id)]
        # the manager lost the second company: the refresh drops the grouping instead of failing
        self.Report._rollup_refresh()
        self.env.cr.execute("SELECT spec->>'uid' FROM aftersales_report_rollup WHERE model = %s", [self.Report._name])
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], [str(self.env.uid)])
        self.env.cr.execute(
            "UPDATE aftersales_report_rollup SET read_date = now() - interval '31 days', "
            "create_date = now() - interval '40 days'"
        )
        self.Report._rollup_refresh()
        self.env.cr.execute("SELECT count(*) FROM aftersales_report_rollup WHERE model = %s", [self.Report._name])
        self.assertEqual(self.env.cr.fetchone()[0], 0, "nobody read it for a month")
        # read again: registered again
        self.Report._read_group(self.mine, ["state"], ["__count"])
        self.env.cr.execute("SELECT count(*) FROM aftersales_report_rollup WHERE model = %s", [self.Report._name])
        self.assertEqual(self.env.cr.fetchone()[0], 1)
