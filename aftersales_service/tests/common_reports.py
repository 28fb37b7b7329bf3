from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase
from odoo.tools import SQL


class AftersalesReportCommon(TransactionCase):
    """A small crafted data set whose report figures are computed by hand in the tests.

    January 2026 (UTC):
    - O1 (T1, Tehran): received Friday 2 Jan 16:00, started Saturday 3 Jan 09:00, done Monday 5 Jan
      10:00 -> waiting 66 h, response 17 h; one approved worklog of 2 h; 2 x part X -> first-time fix.
    - O2 (T1, Tehran): created 6 Jan 08:00, done 6 Jan 20:00 -> waiting 12 h; a rejected worklog (1 h)
      and its approved rework (1.5 h) -> rework, not a first-time fix.
    - O3 (T2, Isfahan): created 7 Jan 08:00, done 8 Jan 08:00 -> 24 h; one worklog of 3 h; 2 x part X;
      a new order (O4) on the same serial on 20 Jan -> not a first-time fix.
    - O4 (T2, Isfahan): same serial as O3, under repair, one submitted worklog (0.5 h) -> in QC.
    - O5 (T3, Tehran): confirmed, part X reserved but not available -> waiting for parts; scheduled in the past.
    - O6 (T4, Isfahan): done 10 Jan, 10 x part X -> abnormal (4 x the median of 2, 2, 3, 10 = 2.5).
    - O7 (T3, Tehran): done 12 Jan, 3 x part X; part Y consumed 10, 12, 14 in the last three months.
    - SLA: O1 and O3 met, O2 breached, O4 breached (open), O5 at risk; ratings O1 5, O2 3 (O3 asked, not rated).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        iran = cls.env.ref("base.ir")
        cls.state_tehran, cls.state_isfahan = cls.env["res.country.state"].create(
            [
                {"name": "Tehran Test", "code": "THT", "country_id": iran.id},
                {"name": "Isfahan Test", "code": "IST", "country_id": iran.id},
            ]
        )
        cls.customer_a, cls.customer_b = cls.env["res.partner"].create(
            [
                {
                    "name": "Reza Ahmadi",
                    "state_id": cls.state_tehran.id,
                    "country_id": iran.id,
                    "partner_latitude": 35.7,
                    "partner_longitude": 51.4,
                },
                {
                    "name": "Maryam Karimi",
                    "state_id": cls.state_isfahan.id,
                    "country_id": iran.id,
                    "partner_latitude": 32.65,
                    "partner_longitude": 51.67,
                },
            ]
        )
        cls.centre_1, cls.centre_2 = cls.env["aftersales.service.centre"].create(
            [{"name": "Report Centre North", "code": "RCN"}, {"name": "Report Centre South", "code": "RCS"}]
        )
        cls.service_type = cls.env["aftersales.service.type"].create({"name": "Report Repair", "code": "RREP"})
        cls.service_type_install = cls.env["aftersales.service.type"].create(
            {"name": "Report Installation", "code": "RINS"}
        )
        cls.tech_1, cls.tech_2, cls.tech_3, cls.tech_4 = cls.env["hr.employee"].create(
            [
                {"name": "Tech One", "is_technician": True, "service_centre_id": cls.centre_1.id},
                {"name": "Tech Two", "is_technician": True, "service_centre_id": cls.centre_2.id},
                {"name": "Tech Three", "is_technician": True, "service_centre_id": cls.centre_1.id},
                {"name": "Tech Four", "is_technician": True, "service_centre_id": cls.centre_2.id},
            ]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Report Washing Machine", "is_storable": True, "tracking": "serial"}
        )
        cls.part_x, cls.part_y = cls.env["product.product"].create(
            [
                {"name": "Report Pump", "is_storable": True, "standard_price": 50.0},
                {"name": "Report Belt", "is_storable": True, "standard_price": 8.0},
            ]
        )
        lots = cls.env["stock.lot"].create(
            [{"name": f"RPT-WM-{index:04d}", "product_id": cls.product.id} for index in range(1, 7)]
        )
        cls.request = cls.env["aftersales.request"].create(
            {
                "partner_id": cls.customer_a.id,
                "service_type_id": cls.service_type.id,
                "service_centre_id": cls.centre_1.id,
            }
        )
        cls.request_line = cls.env["aftersales.request.line"].create(
            {"request_id": cls.request.id, "product_id": cls.product.id, "lot_id": lots[0].id}
        )
        specs = [
            # name, technician, customer, lot, service type, centre
            ("O1", cls.tech_1, cls.customer_a, lots[0], cls.service_type, cls.centre_1),
            ("O2", cls.tech_1, cls.customer_a, lots[1], cls.service_type_install, cls.centre_1),
            ("O3", cls.tech_2, cls.customer_b, lots[2], cls.service_type, cls.centre_2),
            ("O4", cls.tech_2, cls.customer_b, lots[2], cls.service_type, cls.centre_2),
            ("O5", cls.tech_3, cls.customer_a, lots[3], cls.service_type, cls.centre_1),
            ("O6", cls.tech_4, cls.customer_b, lots[4], cls.service_type, cls.centre_2),
            ("O7", cls.tech_3, cls.customer_a, lots[5], cls.service_type, cls.centre_1),
        ]
        orders = cls.env["repair.order"].create(
            [
                {
                    "is_aftersales": True,
                    "partner_id": customer.id,
                    "product_id": cls.product.id,
                    "lot_id": lot.id,
                    "technician_id": tech.id,
                    "service_type_id": service_type.id,
                    "service_centre_id": centre.id,
                }
                for _name, tech, customer, lot, service_type, centre in specs
            ]
        )
        cls.orders = dict(zip([spec[0] for spec in specs], orders, strict=True))
        o = cls.orders
        o["O1"].aftersales_request_line_id = cls.request_line
        dt = datetime
        cls._set(
            "repair_order",
            o["O1"],
            state="done",
            create_date=dt(2026, 1, 2, 16, 30),
            date_started=dt(2026, 1, 3, 9),
            date_finished=dt(2026, 1, 5, 10),
            schedule_date=dt(2026, 1, 3, 9),
        )
        cls._set(
            "aftersales_request",
            cls.request,
            state="done",
            date_received=dt(2026, 1, 2, 16),
            date_done=dt(2026, 1, 5, 10),
        )
        cls._set(
            "repair_order",
            o["O2"],
            state="done",
            create_date=dt(2026, 1, 6, 8),
            date_accepted=dt(2026, 1, 6, 9),
            date_finished=dt(2026, 1, 6, 20),
        )
        cls._set(
            "repair_order",
            o["O3"],
            state="done",
            create_date=dt(2026, 1, 7, 8),
            date_accepted=dt(2026, 1, 7, 10),
            date_finished=dt(2026, 1, 8, 8),
        )
        cls._set(
            "repair_order",
            o["O4"],
            state="under_repair",
            create_date=dt(2026, 1, 20, 8),
            schedule_date=fields.Datetime.now() + relativedelta(days=3),
        )
        cls._set(
            "repair_order",
            o["O5"],
            state="confirmed",
            create_date=dt(2026, 1, 21, 8),
            schedule_date=fields.Datetime.now() - relativedelta(days=2),
        )
        cls._set("repair_order", o["O6"], state="done", create_date=dt(2026, 1, 9, 8), date_finished=dt(2026, 1, 10, 8))
        cls._set(
            "repair_order", o["O7"], state="done", create_date=dt(2026, 1, 11, 8), date_finished=dt(2026, 1, 12, 8)
        )
        # SLA (dispatch stamps the status): O1 and O3 met, O2 breached; open O4 breached, O5 at risk
        cls.sla_policy = cls.env["aftersales.sla.policy"].create(
            {"name": "Report Standard", "response_hours": 4, "resolution_hours": 48}
        )
        for name, status in (("O1", "met"), ("O2", "breached"), ("O3", "met"), ("O4", "breached"), ("O5", "at_risk")):
            cls._set("repair_order", o[name], sla_status=status, sla_policy_id=cls.sla_policy.id)
        for name in ("O6", "O7"):
            cls._set("repair_order", o[name], sla_status=None, sla_policy_id=None)
        # customer ratings: O1 5 stars, O2 3 stars
        repair_model = cls.env["ir.model"]._get_id("repair.order")
        cls.env["rating.rating"].create(
            [
                {"res_model_id": repair_model, "res_id": o["O1"].id, "rating": 5, "consumed": True},
                {"res_model_id": repair_model, "res_id": o["O2"].id, "rating": 3, "consumed": True},
                {"res_model_id": repair_model, "res_id": o["O3"].id, "rating": 0, "consumed": False},
            ]
        )
        # worklogs: (order, technician, start, hours, state)
        worklog_specs = [
            (o["O1"], cls.tech_1, dt(2026, 1, 3, 9), 2.0, "approved"),
            (o["O2"], cls.tech_1, dt(2026, 1, 6, 9), 1.0, "rejected"),
            (o["O2"], cls.tech_1, dt(2026, 1, 6, 14), 1.5, "approved"),
            (o["O3"], cls.tech_2, dt(2026, 1, 7, 10), 3.0, "approved"),
            (o["O4"], cls.tech_2, dt(2026, 1, 20, 10), 0.5, "submitted"),
            (o["O6"], cls.tech_4, dt(2026, 1, 9, 10), 1.0, "approved"),
            (o["O7"], cls.tech_3, dt(2026, 1, 11, 10), 1.0, "approved"),
        ]
        cls.worklogs = cls.env["aftersales.worklog"].create(
            [
                {
                    "repair_id": order.id,
                    "technician_id": tech.id,
                    "date_start": start,
                    "date_end": start + relativedelta(minutes=int(hours * 60)),
                }
                for order, tech, start, hours, _state in worklog_specs
            ]
        )
        for worklog, spec in zip(cls.worklogs, worklog_specs, strict=True):
            cls._set("aftersales_worklog", worklog, state=spec[4], duration_hours=spec[3])
        # parts: (order, part, quantity, date, state)
        now = fields.Datetime.now()
        month_start = now.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
        move_specs = [
            (o["O1"], cls.part_x, 2.0, dt(2026, 1, 4, 10), "done"),
            (o["O3"], cls.part_x, 2.0, dt(2026, 1, 7, 12), "done"),
            (o["O6"], cls.part_x, 10.0, dt(2026, 1, 9, 12), "done"),
            (o["O7"], cls.part_x, 3.0, dt(2026, 1, 11, 12), "done"),
            (o["O5"], cls.part_x, 1.0, dt(2026, 1, 21, 12), "confirmed"),
            (o["O7"], cls.part_y, 10.0, month_start - relativedelta(months=3), "done"),
            (o["O7"], cls.part_y, 12.0, month_start - relativedelta(months=2), "done"),
            (o["O7"], cls.part_y, 14.0, month_start - relativedelta(months=1), "done"),
        ]
        stock = cls.env.ref("stock.stock_location_stock")
        production = cls.env["stock.location"].search(
            [("usage", "=", "production"), ("company_id", "in", (cls.company.id, False))], limit=1
        )
        # one create per move: the order of the returned moves must follow the specs
        cls.moves = cls.env["stock.move"]
        for order, part, qty, _date, _state in move_specs:
            cls.moves |= cls.env["stock.move"].create(
                {
                    "name": part.name,
                    "product_id": part.id,
                    "product_uom_qty": qty,
                    "product_uom": part.uom_id.id,
                    "location_id": stock.id,
                    "location_dest_id": production.id,
                    "repair_id": order.id,
                    "repair_line_type": "add",
                    "company_id": cls.company.id,
                }
            )
        for move, spec in zip(cls.moves, move_specs, strict=True):
            cls._set("stock_move", move, state=spec[4], quantity=spec[2] if spec[4] == "done" else 0.0, date=spec[3])
        cls.env.invalidate_all()
        cls.Report = cls.env["repair.order.report.aftersales"]
        cls.january = [("date_received", ">=", "2026-01-01"), ("date_received", "<", "2026-02-01")]

    @classmethod
    def _set(cls, table, record, **values):
        """Write report inputs straight to the table: dates and states the workflows stamp with 'now'.

        SQL bypasses the ORM, so the facts stored on the orders for the reports are then refreshed as
        after a bulk update (``test_report_facts`` checks that the ORM keeps them the same way), and so
        are the stored past months of the heat map and the abnormal consumption (January 2026 is past).
        """
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = %s",
                SQL.identifier(table),
                SQL(", ").join(SQL("%s = %s", SQL.identifier(column), value) for column, value in values.items()),
                record.id,
            )
        )
        cls.env.invalidate_all()
        cls.env["repair.order"]._aftersales_refresh_report_facts()
        cls.env["repair.order.report.heatmap"]._refresh_past_months()
        cls.env["stock.move.report.aftersales.abnormal"]._refresh_past_months()

    def _by(self, model, domain, groupby, aggregates):
        """{group value: [aggregates]} of a grouped read, as the pivot view does it."""
        return {row[0]: list(row[1:]) for row in self.env[model]._read_group(domain, [groupby], aggregates)}
