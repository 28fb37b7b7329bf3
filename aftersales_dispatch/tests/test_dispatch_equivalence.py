"""The optimised ranking and batch solver give the results of the straightforward versions they replaced.

The references below are the engine's code before it was optimised for 10,000 technicians (one
``_rejection_code`` + ``_score`` call per technician for a ranking; a scan of every candidate at every
evaluation of the batch solver), kept here only to compare with."""

import heapq
import math
import random
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.aftersales_dispatch.models import aftersales_dispatch as dispatch_module
from odoo.addons.aftersales_dispatch.models.aftersales_dispatch import haversine_km

from .common import DispatchCommon


def reference_ranking(engine, context, order):
    """``_rank_order`` as it was: the hard filters and the score of each technician by their own methods."""
    info = context["order_data"][order.id]
    pool = context["by_centre"].get(info["centre_id"], []) if info["centre_id"] else context["technicians"].values()
    ranking, rejected = [], []
    for tech in pool:
        reason = engine._check_hard_filters(context, info, tech)
        if reason:
            rejected.append((tech["id"], reason))
            continue
        ranking.append(engine._score(context, info, tech))
    ranking.sort(key=lambda r: (-r["score"], r["employee_id"]))
    return ranking, rejected


def reference_static_scores(engine, context, info):
    weights = context["weights"][info["company_id"]]
    scale, w_distance, w_preferred = weights["scale"], weights["distance"], weights["preferred"]
    order_weight = engine._order_weight(context, info)
    skill_ids = info["skill_ids"]
    position = info["position"]
    pool = context["by_centre"].get(info["centre_id"], []) if info["centre_id"] else context["technicians"].values()
    result = []
    for tech in pool:
        tid = tech["id"]
        if (
            tech["company_id"] != info["company_id"]
            or tid in info["declined"]
            or tid not in context["available"]
            or tid in context["locked_out"]
        ):
            continue
        max_jobs = tech["max_jobs_per_day"]
        if max_jobs and context["jobs_today"].get(tid, 0) >= max_jobs:
            continue
        skills = context["skills"].get(tid, {})
        if any(skills.get(sid, -1) < info["min_level"] for sid in skill_ids):
            continue
        skill = sum(skills[sid] for sid in skill_ids) / (100.0 * len(skill_ids)) if skill_ids else 1.0
        static = order_weight * skill
        origin = engine._technician_origin(tech) if position else None
        distance_km = haversine_km(*origin, *position) if origin else None
        if distance_km is not None:
            static += w_distance * scale / (scale + distance_km)
        if info["preferred_id"] == tid:
            static += w_preferred
        result.append([tid, static, 0.0, max_jobs])
    return result


def reference_solve(engine, context, orders):
    """``_solve_assignment`` as it was: every candidate scanned at every evaluation."""
    load = dict(context["load"])
    capacity = {}
    for tid, tech in context["technicians"].items():
        limit = tech["max_jobs_per_day"]
        capacity[tid] = limit - context["jobs_today"].get(tid, 0) if limit else math.inf
    candidates, tiers = {}, {}
    for order in orders:
        info = context["order_data"][order.id]
        w_load = context["weights"][info["company_id"]]["load"]
        tiers[order.id] = round(engine._order_weight(context, info), 1)
        candidates[order.id] = reference_static_scores(engine, context, info)
        for entry in candidates[order.id]:
            entry[2] = w_load

    def evaluate(order_id):
        best = second = None
        for tid, static, w_load, max_jobs in candidates[order_id]:
            if capacity[tid] <= 0:
                continue
            current = load.get(tid, 0)
            free = max(0.0, 1.0 - current / max_jobs) if max_jobs else 1.0 / (1.0 + current)
            score = static + w_load * free
            if best is None or score > best[0]:
                best, second = (score, tid), best
            elif second is None or score > second[0]:
                second = (score, tid)
        if best is None:
            return None
        regret = best[0] - second[0] if second else best[0] + 1000.0
        return (-tiers[order_id], -regret, -best[0], order_id), best[1]

    heap = []
    for order_id in candidates:
        evaluated = evaluate(order_id)
        if evaluated:
            heapq.heappush(heap, evaluated[0] + (evaluated[1],))
    plan = {}
    while heap:
        key0, key1, key2, order_id, tid = heapq.heappop(heap)
        if order_id in plan:
            continue
        fresh = evaluate(order_id)
        if fresh is None:
            continue
        fresh_key, fresh_tid = fresh
        if fresh_tid != tid or fresh_key != (key0, key1, key2, order_id):
            heapq.heappush(heap, fresh_key + (fresh_tid,))
            continue
        plan[order_id] = tid
        capacity[tid] -= 1
        load[tid] = load.get(tid, 0) + 1
    return plan


@tagged("post_install", "-at_install")
class TestDispatchEquivalence(DispatchCommon):
    """Random technicians (positions, some at the same place for ties, skill levels, daily limits, loads,
    another centre served, one declined order, preferred technicians) and orders (customers, priorities,
    VIP, SLA); the optimised ranking and solver against the references above."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rnd = random.Random(22)
        cls.engine = cls.env["aftersales.dispatch"]
        now = fields.Datetime.now()
        cls.technicians = cls.env["hr.employee"]
        for i in range(16):
            # every fourth technician stands where the previous one stands: equal scores, ties to break
            if i % 4 != 3:
                lat, lon = 35.65 + rnd.random() * 0.1, 51.35 + rnd.random() * 0.1
            level = [cls.level_high, cls.level_low, False, cls.level_high][i % 4] if i % 5 else cls.level_high
            cls.technicians |= cls._technician(
                f"Equivalence Tech {i}",
                lat,
                lon,
                skill_level=level,
                centre=cls.other_centre if i == 5 else None,
                max_jobs=[1, 2, 3, 0][i % 4],
            )
        cls.technicians[5].aftersales_dispatch_centre_ids = cls.centre
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Equivalence customer {i}",
                    "partner_latitude": 35.65 + rnd.random() * 0.1 if i else 0.0,
                    "partner_longitude": 51.35 + rnd.random() * 0.1 if i else 0.0,
                    "aftersales_tier": "vip" if i % 3 == 0 else "standard",
                    "aftersales_preferred_technician_id": cls.technicians[i].id if i % 4 == 1 else False,
                }
                for i in range(8)
            ]
        )
        # loads: assigned orders, some of them planned today
        for i in range(12):
            cls._order(
                partner=cls.customers[i % 8],
                technician_id=cls.technicians[rnd.randrange(16)].id,
                schedule_date=now + timedelta(days=i % 2),
            )
        cls.orders = cls.env["repair.order"]
        for i in range(30):
            cls.orders |= cls._order(
                partner=cls.customers[rnd.randrange(8)],
                service_priority_id=(cls.priority_urgent if i % 3 == 0 else cls.priority_normal).id,
                sla_start_date=now - timedelta(minutes=rnd.randrange(600)),
                sla_response_deadline=now + timedelta(minutes=rnd.randrange(1, 600)),
                schedule_date=now,
            )
        cls.orders[0].dispatch_declined_technician_ids = cls.technicians[:3]

    def test_ranking_same_as_per_technician_scoring(self):
        compared = 0
        at = fields.Datetime.now()  # one instant for both: the urgency of an order grows with its SLA time used
        for order in self.orders:
            context = self.engine._prepare_context(order, at=at, keep_rejected=True)
            expected, expected_rejected = reference_ranking(self.engine, context, order)
            self.assertTrue(expected, "each order has candidates")
            ranking = self.engine.rank_technicians(order, at=at, include_rejected=True)
            eligible = [entry for entry in ranking if entry["eligible"]]
            rejected = [(entry["employee_id"], entry["reason"]) for entry in ranking if not entry["eligible"]]
            self.assertEqual(eligible, expected, f"ranking of {order.name}")
            self.assertEqual(rejected, expected_rejected, f"rejected technicians of {order.name}")
            compared += len(eligible)
        self.assertGreater(compared, 100)

    def test_batch_plan_same_as_full_scan(self):
        at = fields.Datetime.now()
        context = self.engine._prepare_context(self.orders, at=at)
        expected = reference_solve(self.engine, context, self.orders)
        self.assertGreater(len(expected), 10)
        assigned = {tid: list(expected.values()).count(tid) for tid in set(expected.values())}
        limited = self.technicians.filtered(lambda tech: tech.max_jobs_per_day and assigned.get(tech.id))
        at_limit = limited.filtered(
            lambda tech: assigned[tech.id] + context["jobs_today"].get(tech.id, 0) >= tech.max_jobs_per_day
        )
        self.assertTrue(at_limit, "capacities matter: technicians reach their daily limit")
        self.assertTrue(
            any(assigned.get(tech.id, 0) > 3 for tech in self.technicians if not tech.max_jobs_per_day),
            "and technicians without a limit take more",
        )
        self.assertEqual(self.engine._solve_assignment(context, self.orders), expected)
        # the same when the window of best candidates kept per order is small (recomputed when exhausted)
        with patch.object(dispatch_module, "CANDIDATE_WINDOW", 2):
            self.assertEqual(self.engine._solve_assignment(context, self.orders), expected)
        # and the same through the public method, which writes the plan
        self.assertEqual(self.engine.dispatch_orders(self.orders, at=at), expected)
