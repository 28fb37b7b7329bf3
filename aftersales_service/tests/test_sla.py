from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_dispatch import DispatchCommon

# 2026-11-20 is a Friday; the SLA calendar works Monday-Friday 08:00-16:00 UTC


@tagged("post_install", "-at_install")
class TestSla(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.sla.policy"].search([]).active = False  # only the policies below
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "Office 8-16",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8.0,
                            "hour_to": 16.0,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        cls.policy_default = cls.env["aftersales.sla.policy"].create(
            {"name": "Standard", "response_hours": 4, "resolution_hours": 16, "calendar_id": cls.office.id}
        )
        cls.policy_vip = cls.env["aftersales.sla.policy"].create(
            {
                "name": "VIP washing machines",
                "customer_tier": "vip",
                "service_type_ids": [(6, 0, cls.service_type.ids)],
                "response_hours": 2,
                "resolution_hours": 8,
                "calendar_id": cls.office.id,
                "sequence": 20,
            }
        )
        cls.user_dispatch = cls.dispatcher
        cls.manager = cls.env["res.users"].create({"name": "Centre Manager", "login": "centre_manager_t"})
        cls.centre.manager_id = cls.manager

    def test_most_specific_policy_wins(self):
        order = self._order()
        self.assertEqual(order.sla_policy_id, self.policy_default)
        self.customer.aftersales_tier = "vip"
        self.assertEqual(order.sla_policy_id, self.policy_vip)
        other_type = self.env["aftersales.service.type"].create({"name": "Installation"})
        order.service_type_id = other_type
        self.assertEqual(order.sla_policy_id, self.policy_default)

    @freeze_time("2026-11-20 14:00:00")
    def test_deadlines_across_weekend(self):
        order = self._order()
        # Friday 14:00 + 4 working hours = Friday 14-16 + Monday 08-10
        self.assertEqual(order.sla_response_deadline, datetime(2026, 11, 23, 10, 0))
        # + 16 working hours = Fri 2h + Mon 8h + Tue 6h
        self.assertEqual(order.sla_resolution_deadline, datetime(2026, 11, 24, 14, 0))
        self.assertEqual(order.sla_status, "on_track")

    @freeze_time("2026-11-23 15:00:00")
    def test_deadline_across_night(self):
        order = self._order()
        # Monday 15:00 + 4h = Mon 15-16 + Tue 08-11
        self.assertEqual(order.sla_response_deadline, datetime(2026, 11, 24, 11, 0))

    def test_public_holiday_excluded(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.office.id,
                "date_from": datetime(2026, 11, 23, 0, 0),
                "date_to": datetime(2026, 11, 23, 23, 59),
            }
        )
        with freeze_time("2026-11-20 14:00:00"):
            order = self._order()
        # Monday is off: Friday 2h + Tuesday 2h
        self.assertEqual(order.sla_response_deadline, datetime(2026, 11, 24, 10, 0))

    def test_pause_waiting_for_parts_extends_deadlines(self):
        with freeze_time("2026-11-20 14:00:00"):
            order = self._order()
        with freeze_time("2026-11-23 09:00:00"):
            order.waiting_reason = "parts"
            self.assertTrue(order.sla_paused)
            self.assertEqual(order.sla_status, "paused")
            self.assertEqual(len(order.sla_pause_ids), 1)
        with freeze_time("2026-11-23 13:00:00"):
            order.action_sla_resume()
        pause = order.sla_pause_ids
        self.assertEqual(pause.date_end, datetime(2026, 11, 23, 13, 0))
        self.assertAlmostEqual(pause.duration_hours, 4.0)
        self.assertAlmostEqual(order.sla_paused_hours, 4.0)
        # both deadlines move by 4 working hours
        self.assertEqual(order.sla_response_deadline, datetime(2026, 11, 23, 14, 0))
        self.assertEqual(order.sla_resolution_deadline, datetime(2026, 11, 25, 10, 0))

    def test_pause_over_weekend_counts_working_hours_only(self):
        with freeze_time("2026-11-20 09:00:00"):
            order = self._order()
        with freeze_time("2026-11-20 15:00:00"):
            order.waiting_reason = "customer"
        with freeze_time("2026-11-23 09:00:00"):
            order.waiting_reason = False
        # Friday 15-16 + Monday 8-9
        self.assertAlmostEqual(order.sla_pause_ids.duration_hours, 2.0)

    def test_status_at_risk_then_breached(self):
        with freeze_time("2026-11-23 08:00:00"):
            order = self._order()
        with freeze_time("2026-11-23 11:00:00"):  # 3 of 4 response hours used = 75 %
            order._sla_update_status()
            self.assertEqual(order.sla_status, "at_risk")
        with freeze_time("2026-11-23 12:30:00"):
            order._sla_update_status()
            self.assertEqual(order.sla_status, "breached")

    def test_met_when_done_in_time(self):
        with freeze_time("2026-11-23 08:00:00"):
            order = self._order()
            order.date_accepted = datetime(2026, 11, 23, 9, 0)
            order.write({"state": "done", "date_finished": datetime(2026, 11, 23, 15, 0)})
        self.assertEqual(order.sla_status, "met")

    def test_escalation_once_per_level(self):
        with freeze_time("2026-11-23 08:00:00"):
            order = self._order(user_id=self.user_dispatch.id)
        repair = self.env["repair.order"]

        def activities(user):
            return order.activity_ids.filtered(lambda a: a.user_id == user and "SLA" in (a.summary or ""))

        with freeze_time("2026-11-23 11:10:00"):
            repair._cron_sla_escalate()
            repair._cron_sla_escalate()
        self.assertEqual(order.sla_escalation_level, 1)
        self.assertEqual(len(activities(self.user_dispatch)), 1)
        self.assertFalse(activities(self.manager))
        with freeze_time("2026-11-23 13:00:00"):
            repair._cron_sla_escalate()
            repair._cron_sla_escalate()
        self.assertEqual(order.sla_status, "breached")
        self.assertEqual(order.sla_escalation_level, 2)
        self.assertEqual(len(activities(self.manager)), 1)
        self.assertEqual(len(activities(self.user_dispatch)), 1)
        apologies = order.message_ids.filtered(lambda m: "apologise" in (m.body or ""))
        self.assertEqual(len(apologies), 1)
        self.assertIn(self.customer, apologies.partner_ids)

    def test_request_shows_earliest_deadline_and_worst_status(self):
        fridge = self.env["product.product"].create({"name": "Fridge FR-100", "type": "consu"})
        with freeze_time("2026-11-20 14:00:00"):
            request = self.env["aftersales.request"].create(
                {
                    "partner_id": self.customer.id,
                    "service_type_id": self.service_type.id,
                    "service_centre_id": self.centre.id,
                    "line_ids": [
                        (0, 0, {"product_id": self.product.id, "code": "WM-900"}),
                        (0, 0, {"product_id": fridge.id, "code": "FR-100"}),
                    ],
                }
            )
            request.action_receive()
        orders = request.repair_ids
        self.assertEqual(len(orders), 2)
        late = orders.filtered(lambda o: o.product_id == fridge)
        late.sla_start_date = datetime(2026, 11, 23, 8, 0)
        self.assertEqual(request.sla_response_deadline, datetime(2026, 11, 23, 10, 0))
        self.assertEqual(request.sla_resolution_deadline, datetime(2026, 11, 24, 14, 0))
        with freeze_time("2026-11-23 10:30:00"):
            orders._sla_update_status()
        self.assertEqual((orders - late).sla_status, "breached")
        self.assertEqual(late.sla_status, "on_track")
        request.invalidate_recordset(["sla_status"])
        self.assertEqual(request.sla_status, "breached")
