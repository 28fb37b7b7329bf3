"""Day plan: the timeline's drag and drop goes through ``repair.order.action_plan_move``, which applies the
dispatch engine's checks (shift, skills, centre, daily limit, locks); technicians cannot move orders."""

from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DispatchCommon

# a Monday, 10:00 and 20:00 UTC
MONDAY_10 = datetime(2031, 1, 6, 10, 0)
MONDAY_20 = datetime(2031, 1, 6, 20, 0)


@tagged("post_install", "-at_install")
class TestDayPlanMove(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar_days = cls.env["resource.calendar"].create(
            {
                "name": "Weekdays 8-16 UTC",
                "tz": "UTC",
                "attendance_ids": [
                    (0, 0, {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 8.0, "hour_to": 16.0})
                    for day in range(5)
                ],
            }
        )
        cls.tech_a = cls._technician("Reza Ahmadi", 35.70, 51.40, login="plan_tech_a")
        cls.tech_b = cls._technician("Sara Bahrami", 35.72, 51.42, resource_calendar_id=cls.calendar_days.id)
        cls.tech_unskilled = cls._technician("Omid Unskilled", 35.71, 51.41, skill_level=False)
        cls.order = cls._order(schedule_date=MONDAY_10)
        cls.env["aftersales.dispatch"].assign(cls.order, cls.tech_a, at=MONDAY_10)

    def _assert_unchanged(self):
        self.order.invalidate_recordset()
        self.assertEqual(self.order.technician_id, self.tech_a, "the technician did not change")
        self.assertEqual(self.order.schedule_date, MONDAY_10, "the time did not change")

    def test_technician_cannot_move(self):
        """Attack: the assigned technician calls the drop's RPC method to give the job to a colleague."""
        order = self.order.with_user(self.tech_a.user_id)
        with self.assertRaises(AccessError):
            order.action_plan_move({"technician_id": self.tech_b.id, "schedule_date": "2031-01-06 11:00:00"})
        self._assert_unchanged()
        # nor move their own job to another time
        with self.assertRaises(AccessError):
            order.action_plan_move({"schedule_date": "2031-01-06 14:00:00"})
        self._assert_unchanged()
        # nor through the plain write the timeline would otherwise send
        with self.assertRaises(AccessError):
            order.write({"technician_id": self.tech_b.id})
        self._assert_unchanged()

    def test_technician_reads_own_plan(self):
        """My Day Plan as the technician's web client loads it: the timeline's fields, grouped by technician."""
        action = self.env.ref("aftersales_dispatch.repair_order_action_my_day_plan")
        orders = self.env["repair.order"].with_user(self.tech_a.user_id)
        domain = [("is_aftersales", "=", True), ("technician_user_id", "=", self.tech_a.user_id.id)]
        self.assertIn("technician_user_id", action.domain)
        rows = orders.search_read(
            domain,
            ["name", "schedule_date", "aftersales_planned_hours", "technician_id", "partner_id", "sla_status"]
            + ["aftersales_customer_tier", "aftersales_travel_minutes", "aftersales_travel_short"],
        )
        self.assertEqual([row["id"] for row in rows], self.order.ids)
        self.assertEqual(rows[0]["technician_id"][0], self.tech_a.id)
        self.assertEqual(rows[0]["aftersales_planned_hours"], 1.0)
        arch = self.env.ref("aftersales_dispatch.repair_order_view_timeline_my_day_plan").get_combined_arch()
        self.assertIn('edit="0"', arch, "the technician's plan is read-only")

    def test_dispatcher_plain_write_refused(self):
        """The timeline's native drop (a plain write of the technician) is refused for dispatchers too."""
        with self.assertRaises(AccessError):
            self.order.with_user(self.dispatcher).write({"technician_id": self.tech_b.id})
        self._assert_unchanged()

    def test_move_within_shift_and_skills(self):
        self.order.with_user(self.dispatcher).action_plan_move(
            {"technician_id": self.tech_b.id, "schedule_date": "2031-01-06 13:30:00", "aftersales_planned_hours": 2}
        )
        self.assertEqual(self.order.technician_id, self.tech_b)
        self.assertEqual(self.order.schedule_date, datetime(2031, 1, 6, 13, 30))
        self.assertEqual(self.order.dispatch_state, "offered", "the new technician is offered the job")

    def test_unassigned_order_dropped_on_technician(self):
        """An unassigned order on the plan's first line is assigned by dropping it on a technician."""
        order = self._order(schedule_date=MONDAY_10)
        order.with_user(self.dispatcher).action_plan_move({"technician_id": self.tech_b.id})
        self.assertEqual(order.technician_id, self.tech_b)
        self.assertEqual(order.dispatch_state, "offered")
        with self.assertRaisesRegex(UserError, "on an existing technician"):
            self._order(schedule_date=MONDAY_10).with_user(self.dispatcher).action_plan_move({"technician_id": False})

    def test_move_off_shift_refused(self):
        with self.assertRaisesRegex(UserError, r"Sara Bahrami does not work at .* \(outside their working hours\)"):
            self.order.with_user(self.dispatcher).action_plan_move(
                {"technician_id": self.tech_b.id, "schedule_date": MONDAY_20.strftime("%Y-%m-%d %H:%M:%S")}
            )
        self._assert_unchanged()

    def test_move_without_skill_refused(self):
        with self.assertRaisesRegex(UserError, "Omid Unskilled lacks the skills"):
            self.order.with_user(self.dispatcher).action_plan_move({"technician_id": self.tech_unskilled.id})
        self._assert_unchanged()

    def test_move_other_centre_refused(self):
        far = self._technician("Kaveh Isfahani", 32.65, 51.67, centre=self.other_centre)
        with self.assertRaisesRegex(UserError, "does not serve the centre"):
            self.order.with_user(self.dispatcher).action_plan_move({"technician_id": far.id})
        self._assert_unchanged()

    def test_move_started_order_refused(self):
        self.order.sudo().write({"state": "under_repair"})
        with self.assertRaisesRegex(UserError, "started or closed"):
            self.order.with_user(self.dispatcher).action_plan_move({"schedule_date": "2031-01-06 12:00:00"})
        self.order.invalidate_recordset()
        self.assertEqual(self.order.schedule_date, MONDAY_10)

    def test_bad_input_refused(self):
        for vals in ({"schedule_date": "not a date"}, {"technician_id": "abc"}, {"technician_id": 0}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.order.with_user(self.dispatcher).action_plan_move(vals)
        self._assert_unchanged()

    def test_travel_gap(self):
        """The second visit of the day shows the drive from the first one, flagged when the gap is short."""
        far_customer = self.customer.copy({"partner_latitude": 35.80, "partner_longitude": 51.50})
        second = self._order(partner=far_customer, schedule_date=datetime(2031, 1, 6, 11, 10))
        self.env["aftersales.dispatch"].assign(second, self.tech_a, at=MONDAY_10)
        self.assertEqual(self.order.aftersales_travel_minutes, 0)
        # about 14 km at 30 km/h: 28 minutes, after a one-hour visit ending 11:00
        self.assertAlmostEqual(second.aftersales_travel_minutes, 28, delta=2)
        self.assertTrue(second.aftersales_travel_short)
