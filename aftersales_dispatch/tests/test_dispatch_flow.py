from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchFlow(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._technician("Reza Ahmadi", 35.7050, 51.4000, login="reza_t")
        cls.second = cls._technician("Sara Hosseini", 35.7300, 51.4000, login="sara_t")
        cls.third = cls._technician("Mina Akbari", 35.7700, 51.4000, login="mina_t")
        cls.service_type.auto_dispatch = True

    def test_auto_dispatch_on_receipt(self):
        order = self._order()
        self.assertEqual(order.technician_id, self.first)
        self.assertEqual(order.dispatch_state, "offered")
        self.assertTrue(order.dispatch_offer_date)
        # the technician got a to-do activity
        self.assertIn(self.first.user_id, order.activity_ids.user_id)

    def test_no_auto_dispatch_when_disabled(self):
        self.service_type.auto_dispatch = False
        order = self._order()
        self.assertFalse(order.technician_id)
        self.assertEqual(order.dispatch_state, "unassigned")

    def test_accept_one_click(self):
        order = self._order()
        order.with_user(self.first.user_id).action_dispatch_accept()
        self.assertEqual(order.dispatch_state, "accepted")
        self.assertTrue(order.date_accepted)

    def test_only_offered_technician_answers(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.with_user(self.second.user_id).action_dispatch_accept()
        with self.assertRaises(UserError):
            order.with_user(self.second.user_id).action_dispatch_decline("not mine")
        order.with_user(self.first.user_id).action_dispatch_accept()
        with self.assertRaises(UserError):
            order.with_user(self.first.user_id).action_dispatch_decline("changed my mind")

    def test_decline_redispatches_to_next_best_never_back(self):
        order = self._order()
        order.with_user(self.first.user_id).action_dispatch_decline("Van broke down")
        self.assertEqual(order.technician_id, self.second)
        self.assertEqual(order.dispatch_declined_technician_ids, self.first)
        self.assertTrue(any("Van broke down" in body for body in order.message_ids.mapped("body")))
        wizard = self.env["repair.order.dispatch.decline"].create({"order_id": order.id, "reason": "Too far"})
        wizard.with_user(self.second.user_id).action_confirm()
        self.assertEqual(order.technician_id, self.third)
        order.with_user(self.third.user_id).action_dispatch_decline("Off sick")
        # nobody left: stays unassigned, never back to who declined
        self.assertFalse(order.technician_id)
        self.assertEqual(order.dispatch_state, "unassigned")
        self.assertEqual(order.dispatch_declined_technician_ids, self.first | self.second | self.third)

    def test_timeout_cron_redispatches(self):
        order = self._order()
        self.assertEqual(order.technician_id, self.first)
        later = fields.Datetime.now() + timedelta(minutes=31)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.env["repair.order"]._cron_dispatch()
        self.assertEqual(order.technician_id, self.second)
        self.assertIn(self.first, order.dispatch_declined_technician_ids)

    def test_timeout_not_reached(self):
        order = self._order()
        later = fields.Datetime.now() + timedelta(minutes=10)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.env["repair.order"]._cron_dispatch()
        self.assertEqual(order.technician_id, self.first)

    def test_cron_dispatches_pending_orders(self):
        self.first.active = self.second.active = self.third.active = False
        order = self._order()
        self.assertFalse(order.technician_id)
        self.second.active = True
        self.env["repair.order"]._cron_dispatch()
        self.assertEqual(order.technician_id, self.second)

    def test_manual_reassign_tells_previous_technician(self):
        order = self._order()
        self.env["aftersales.dispatch"].with_user(self.dispatcher).assign(order, self.third)
        self.assertEqual(order.technician_id, self.third)
        activities = order.activity_ids.filtered(lambda a: a.user_id == self.first.user_id)
        self.assertTrue(any("withdrawn" in (a.summary or "") for a in activities))

    def test_dispatch_closed_order_refused(self):
        self.service_type.auto_dispatch = False
        order = self._order()
        order.action_repair_cancel()
        with self.assertRaises(UserError):
            order.with_user(self.dispatcher).action_dispatch_auto()
        with self.assertRaises(UserError):
            order.with_user(self.dispatcher).action_dispatch_suggest()
