from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDispatchConcurrency(TransactionCase):
    """Two transactions on real, committed data (each with its own registry cursor)."""

    def setUp(self):
        super().setUp()
        self.registry = self.env.registry
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            calendar = env["resource.calendar"].create(
                {
                    "name": "Concurrency 24/7",
                    "tz": "UTC",
                    "attendance_ids": [(5, 0, 0)]
                    + [(0, 0, {"name": f"D{d}", "dayofweek": str(d), "hour_from": 0, "hour_to": 24}) for d in range(7)],
                }
            )
            centre = env["aftersales.service.centre"].create({"name": "Concurrency Centre", "code": "CONC"})
            technician = env["hr.employee"].create(
                {
                    "name": "Concurrent Technician",
                    "is_technician": True,
                    "service_centre_id": centre.id,
                    "max_jobs_per_day": 1,
                    "resource_calendar_id": calendar.id,
                }
            )
            partner = env["res.partner"].create({"name": "Concurrent Customer"})
            product = env["product.product"].create({"name": "Concurrent Device", "type": "consu"})
            service_type = env["aftersales.service.type"].create({"name": "Concurrency type"})
            now = fields.Datetime.now()
            orders = env["repair.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "product_id": product.id,
                        "is_aftersales": True,
                        "service_type_id": service_type.id,
                        "service_centre_id": centre.id,
                        "schedule_date": now,
                    }
                    for _i in range(2)
                ]
            )
            self.ids = {
                "calendar": calendar.id,
                "centre": centre.id,
                "technician": technician.id,
                "partner": partner.id,
                "product": product.id,
                "service_type": service_type.id,
                "orders": orders.ids,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ids = self.ids
            env["repair.order"].browse(ids["orders"]).write({"technician_id": False})
            env["repair.order"].browse(ids["orders"]).unlink()
            env["hr.employee"].browse(ids["technician"]).unlink()
            env["aftersales.service.type"].browse(ids["service_type"]).unlink()
            env["aftersales.service.centre"].browse(ids["centre"]).unlink()
            env["resource.calendar"].browse(ids["calendar"]).unlink()
            env["product.product"].browse(ids["product"]).unlink()
            env["res.partner"].browse(ids["partner"]).unlink()

    def _envs(self):
        cr1, cr2 = self.registry.cursor(), self.registry.cursor()
        self.addCleanup(cr1.close)
        self.addCleanup(cr2.close)
        return api.Environment(cr1, SUPERUSER_ID, {}), api.Environment(cr2, SUPERUSER_ID, {})

    @mute_logger("odoo.sql_db")
    def test_no_double_assignment_no_overbooking(self):
        env1, env2 = self._envs()
        order_a, order_b = self.ids["orders"]
        technician = self.ids["technician"]
        # first dispatcher assigns order A, its transaction still open
        plan = env1["aftersales.dispatch"].dispatch_orders(env1["repair.order"].browse(order_a))
        self.assertEqual(plan, {order_a: technician})
        # second dispatcher: order A is locked, skipped
        self.assertEqual(env2["aftersales.dispatch"].dispatch_orders(env2["repair.order"].browse(order_a)), {})
        # order B: the technician is being assigned elsewhere, not counted twice
        self.assertEqual(env2["aftersales.dispatch"].dispatch_orders(env2["repair.order"].browse(order_b)), {})
        with self.assertRaises(UserError):
            env2["aftersales.dispatch"].assign(
                env2["repair.order"].browse(order_b), env2["hr.employee"].browse(technician)
            )
        env2.cr.rollback()
        # second transaction already holds a snapshot from before the first one commits
        env2.cr.execute("SELECT 1")
        env1.cr.commit()
        self.assertEqual(env2["aftersales.dispatch"].dispatch_orders(env2["repair.order"].browse(order_b)), {})
        env2.cr.rollback()
        # a fresh transaction sees the committed load: daily limit of one job reached
        env2.invalidate_all()
        self.assertEqual(env2["aftersales.dispatch"].dispatch_orders(env2["repair.order"].browse(order_b)), {})
        env2.cr.rollback()
        env2.invalidate_all()
        self.assertEqual(env2["repair.order"].browse(order_a).technician_id.id, technician)
        self.assertFalse(env2["repair.order"].browse(order_b).technician_id)

    @mute_logger("odoo.sql_db")
    def test_second_run_after_commit_does_not_reassign(self):
        env1, env2 = self._envs()
        order_a = self.ids["orders"][0]
        env2.cr.execute("SELECT 1")  # snapshot taken before the first run commits
        env1["aftersales.dispatch"].dispatch_orders(env1["repair.order"].browse(order_a))
        env1.cr.commit()
        # the stale snapshot still sees order A unassigned, but locking it fails: nothing is reassigned
        self.assertEqual(env2["aftersales.dispatch"].dispatch_orders(env2["repair.order"].browse(order_a)), {})
        env2.cr.rollback()
