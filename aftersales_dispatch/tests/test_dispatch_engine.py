import gc
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.aftersales_dispatch.models.aftersales_dispatch import haversine_km

from .common import DispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchEngine(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.near = cls._technician("Reza Ahmadi", 35.7050, 51.4000)  # ~0.6 km
        cls.far = cls._technician("Sara Hosseini", 35.7700, 51.4000)  # ~7.8 km
        cls.engine = cls.env["aftersales.dispatch"]

    def _ranked_ids(self, order):
        return [entry["employee_id"] for entry in self.engine.rank_technicians(order)]

    def test_haversine(self):
        # Tehran - Isfahan is about 340 km as the crow flies
        self.assertAlmostEqual(haversine_km(35.6892, 51.3890, 32.6539, 51.6660), 338, delta=5)
        self.assertEqual(haversine_km(35.7, 51.4, 35.7, 51.4), 0.0)

    def test_nearest_free_technician_first(self):
        order = self._order()
        ranking = self.engine.rank_technicians(order)
        self.assertEqual([r["employee_id"] for r in ranking], [self.near.id, self.far.id])
        best = ranking[0]
        self.assertAlmostEqual(best["distance_km"], 0.56, delta=0.05)
        self.assertEqual(set(best["breakdown"]), {"distance", "load", "preferred", "skill"})
        self.assertAlmostEqual(best["score"], sum(best["breakdown"].values()))

    def test_missing_skill_or_level_excluded(self):
        no_skill = self._technician("Nima Rahimi", 35.7001, 51.4001, skill_level=False)
        low_level = self._technician("Omid Jafari", 35.7002, 51.4001, skill_level=self.level_low)
        order = self._order()
        ranked = self._ranked_ids(order)
        self.assertNotIn(no_skill.id, ranked)
        self.assertNotIn(low_level.id, ranked)
        rejected = {
            r["employee_id"]: r["reason"]
            for r in self.engine.rank_technicians(order, include_rejected=True)
            if not r["eligible"]
        }
        self.assertIn("Washing machines", rejected[no_skill.id])
        self.assertIn(low_level.id, rejected)

    def test_on_leave_excluded(self):
        now = fields.Datetime.now()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Sick leave",
                "resource_id": self.near.resource_id.id,
                "calendar_id": self.calendar_always.id,
                "date_from": now - timedelta(hours=2),
                "date_to": now + timedelta(hours=6),
            }
        )
        self.assertEqual(self._ranked_ids(self._order()), [self.far.id])

    def test_off_duty_excluded(self):
        # a calendar without any attendance: never working
        idle = self.env["resource.calendar"].create({"name": "Never", "attendance_ids": [(5, 0, 0)], "tz": "UTC"})
        self.near.resource_calendar_id = idle
        self.assertEqual(self._ranked_ids(self._order()), [self.far.id])

    def test_daily_limit(self):
        self.near.max_jobs_per_day = 1
        self._order(technician_id=self.near.id, schedule_date=fields.Datetime.now())
        self.assertEqual(self._ranked_ids(self._order()), [self.far.id])

    def test_other_centre_excluded_unless_also_served(self):
        remote = self._technician("Hamid Moradi", 35.7001, 51.4000, centre=self.other_centre)
        order = self._order()
        self.assertNotIn(remote.id, self._ranked_ids(order))
        remote.aftersales_dispatch_centre_ids = self.centre
        self.assertEqual(self._ranked_ids(order)[0], remote.id)

    def test_nearer_but_busier_loses(self):
        tomorrow = fields.Datetime.now() + timedelta(days=1)
        for _i in range(5):
            self._order(technician_id=self.near.id, schedule_date=tomorrow)
        ranking = self.engine.rank_technicians(self._order())
        self.assertEqual(ranking[0]["employee_id"], self.far.id)
        self.assertEqual(ranking[1]["load"], 5)
        self.assertLess(ranking[1]["breakdown"]["load"], ranking[0]["breakdown"]["load"])
        self.assertGreater(ranking[1]["breakdown"]["distance"], ranking[0]["breakdown"]["distance"])

    def test_preferred_technician_bonus(self):
        self.customer.aftersales_preferred_technician_id = self.far
        ranking = self.engine.rank_technicians(self._order())
        self.assertEqual(ranking[0]["employee_id"], self.far.id)
        self.assertTrue(ranking[0]["preferred"])

    def test_urgent_vip_orders_prefer_skill(self):
        # same place and load; only the skill level differs
        expert = self._technician("Kian Rostami", 35.7050, 51.4000)
        self.near.employee_skill_ids.skill_level_id = self.env["hr.skill.level"].create(
            {"name": "Competent", "level_progress": 60, "skill_type_id": self.skill_type.id}
        )
        self.customer.aftersales_tier = "vip"
        ranking = self.engine.rank_technicians(self._order(service_priority_id=self.priority_urgent.id))
        self.assertEqual(ranking[0]["employee_id"], expert.id)
        self.assertGreater(ranking[0]["breakdown"]["skill"], ranking[1]["breakdown"]["skill"])

    def test_fixed_number_of_queries(self):
        order = self._order()
        self.env.invalidate_all()
        self.engine.rank_technicians(order)  # warm caches (ir.model, calendars)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40) as _counter:
            self.engine.rank_technicians(order)
        for i in range(15):
            self._technician(f"Extra Tech {i}", 35.71 + i / 1000, 51.41)
        self.env.invalidate_all()
        # 15 more technicians, still the same bound
        with self.assertQueryCount(__system__=40):
            ranking = self.engine.rank_technicians(order)
        self.assertEqual(len(ranking), 17)

    def test_ranking_data_left_to_reference_counting(self):
        """The rows the ranking keeps per technician hold plain values only: Python's garbage collector does
        not track them, so a ranking over 1,000 technicians does not fill the oldest generation and set off a
        full collection of the whole registry (130-240 ms) every few dozen rankings."""
        order = self._order()
        self.near.aftersales_dispatch_centre_ids = self.other_centre
        context = self.engine._prepare_context(order)
        gc.collect()  # a first pass untracks the tuples of plain values, as it does in a running server
        rows = list(context["technicians"].values())
        self.assertIn(self.near.id, context["technicians"])
        self.assertFalse([row["name"] for row in rows if gc.is_tracked(row)], "rows tracked by the collector")
        # what a row no longer holds, the context answers: the other centres served, for the orders' centres
        self.assertEqual(context["also_serves"], {})
        order.service_centre_id = self.other_centre
        context = self.engine._prepare_context(order)
        self.assertEqual(context["also_serves"], {self.near.id: frozenset(self.other_centre.ids)})
        self.assertIn(self.near.id, [tech["id"] for tech in context["by_centre"][self.other_centre.id]])

    def test_batch_dispatch_regret_beats_greedy(self):
        """Two orders, two technicians with capacity 1 each; greedy in creation order would give the only
        technician of the second order to the first one."""
        self.near.max_jobs_per_day = 1
        self.far.max_jobs_per_day = 1
        # order A can be served by both (near is a little better); order B only by near (far lacks fridge skill)
        fridge_type = self.env["aftersales.service.type"].create(
            {"name": "Fridge repair", "required_skill_ids": [(6, 0, self.skill_fridge.ids)]}
        )
        self.env["hr.employee.skill"].create(
            {
                "employee_id": self.near.id,
                "skill_id": self.skill_fridge.id,
                "skill_level_id": self.level_high.id,
                "skill_type_id": self.skill_type.id,
            }
        )
        now = fields.Datetime.now()
        order_a = self._order(schedule_date=now)
        order_b = self._order(schedule_date=now, service_type_id=fridge_type.id)
        plan = self.engine.dispatch_orders(order_a | order_b)
        self.assertEqual(plan, {order_a.id: self.far.id, order_b.id: self.near.id})
        self.assertEqual(order_a.technician_id, self.far)
        self.assertEqual(order_b.technician_id, self.near)
        self.assertEqual(order_a.dispatch_state, "offered")

    def test_batch_never_overbooks(self):
        self.near.max_jobs_per_day = 2
        self.far.max_jobs_per_day = 1
        now = fields.Datetime.now()
        orders = self.env["repair.order"]
        for _i in range(5):
            orders |= self._order(schedule_date=now)
        orders.with_user(self.dispatcher).action_dispatch_auto()
        self.assertEqual(len(orders.filtered(lambda o: o.technician_id == self.near)), 2)
        self.assertEqual(len(orders.filtered(lambda o: o.technician_id == self.far)), 1)
        self.assertEqual(len(orders.filtered(lambda o: not o.technician_id)), 2)

    def test_suggest_wizard_and_manual_override(self):
        order = self._order()
        action = order.with_user(self.dispatcher).action_dispatch_suggest()
        wizard = self.env["repair.order.dispatch.suggest"].browse(action["res_id"])
        eligible = wizard.line_ids.filtered("eligible").sorted("rank")
        self.assertEqual(eligible.employee_id, self.near | self.far)
        self.assertEqual(eligible[0].employee_id, self.near)
        self.assertGreater(eligible[0].score_distance, eligible[1].score_distance)
        # the dispatcher overrides the ranking and picks the second one
        eligible[1].with_user(self.dispatcher).action_assign()
        self.assertEqual(order.technician_id, self.far)
        # a technician who declined cannot be forced back
        order.with_user(self.dispatcher).action_dispatch_decline("too far")
        self.assertNotEqual(order.technician_id, self.far)
        with self.assertRaises(UserError):
            self.engine.assign(order, self.far)
