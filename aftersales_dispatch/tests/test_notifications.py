import pytz

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.aftersales_warranty.tools import to_persian_digits
from odoo.addons.web_jalali.tools import format_jalali

from .common import DispatchCommon


@tagged("post_install", "-at_install")
class TestNotifications(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = cls._technician("Reza Ahmadi", 35.7300, 51.4000, login="reza_n")  # ~3.3 km north
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.customer_fa = cls.env["res.partner"].create(
            {
                "name": "مریم رضایی",
                "email": "maryam.rezaei@example.com",
                "mobile": "+989127654321",
                "lang": "fa_IR",
                "partner_latitude": 35.7000,
                "partner_longitude": 51.4000,
            }
        )

    def _customer_messages(self, order):
        subtype = self.env.ref("aftersales_dispatch.mt_repair_customer_update")
        return order.message_ids.filtered(lambda m: m.subtype_id == subtype)

    def _sms(self, order, partner):
        return self.env["sms.sms"].search([("partner_id", "=", partner.id), ("body", "ilike", order.name)])

    def test_received_email_and_sms(self):
        order = self._order()
        messages = self._customer_messages(order)
        self.assertEqual(len(messages), 1)
        self.assertIn("Your service request has been registered", messages.body)
        self.assertIn(self.customer, messages.partner_ids)
        sms = self._sms(order, self.customer)
        self.assertEqual(len(sms), 1)
        self.assertIn("Your service request has been registered", sms.body)
        self.assertEqual(sms.number, "+989121234567")

    def test_persian_customer_gets_persian_sms_and_mail(self):
        order = self._order(partner=self.customer_fa)
        sms = self._sms(order, self.customer_fa)
        self.assertEqual(len(sms), 1)
        self.assertIn("درخواست خدمات شما ثبت شد", sms.body)
        self.assertIn("درخواست خدمات شما ثبت شد", self._customer_messages(order).body)

    def test_on_my_way_contains_technician_and_eta(self):
        order = self._order(technician_id=self.technician.id)
        order.with_user(self.technician.user_id).action_dispatch_accept()
        order.with_user(self.technician.user_id).action_on_my_way()
        self.assertAlmostEqual(order.travel_distance_km, 3.34, delta=0.1)
        # 3.3 km at 30 km/h: about 7 minutes
        minutes = (order.eta_date - order.date_on_the_way).total_seconds() / 60
        self.assertAlmostEqual(minutes, 6.7, delta=0.3)
        message = self._customer_messages(order)[0]
        self.assertIn("Your technician is on the way", message.body)
        self.assertIn("Reza Ahmadi", message.body)
        self.assertIn("Estimated arrival", message.body)
        self.assertIn("+989351112233", message.body)
        self.assertIn(f"/web/image/hr.employee.public/{self.technician.id}/avatar_128", message.body)
        sms = self._sms(order, self.customer).filtered(lambda s: "on the way" in s.body)
        self.assertIn("Reza Ahmadi", sms.body)
        self.assertIn("ETA", sms.body)

    def test_on_my_way_eta_in_persian(self):
        """A Persian reader gets the arrival time in Persian digits (SMS) and a Jalali date (email)."""
        self.customer_fa.tz = "Asia/Tehran"
        order = self._order(partner=self.customer_fa, technician_id=self.technician.id)
        order.with_user(self.technician.user_id).action_dispatch_accept()
        order.with_user(self.technician.user_id).action_on_my_way()
        eta = pytz.utc.localize(order.eta_date).astimezone(pytz.timezone("Asia/Tehran")).replace(tzinfo=None)
        sms = self._sms(order, self.customer_fa).filtered(lambda s: "در راه" in s.body)
        self.assertIn(f"زمان رسیدن {to_persian_digits(eta.strftime('%H:%M'))}", sms.body)
        body = self._customer_messages(order)[0].body
        self.assertIn("زمان تقریبی رسیدن", body)
        self.assertIn(format_jalali(eta), body)
        self.assertRegex(format_jalali(eta), r"^۱۴[۰-۹]{2}/", "a Jalali year in Persian digits")

    def test_on_my_way_requires_assignment(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.action_on_my_way()

    def test_status_changes_notify_customer(self):
        order = self._order(technician_id=self.technician.id)
        order.with_user(self.technician.user_id).action_dispatch_accept()
        order.waiting_reason = "parts"
        order.action_sla_resume()
        order.write({"state": "under_repair"})
        order.write({"state": "cancel"})
        bodies = " ".join(self._customer_messages(order).mapped("body"))
        for text in (
            "registered",
            "A technician has been assigned",
            "waiting for spare parts",
            "Work on your device has started",
            "was cancelled",
        ):
            self.assertIn(text, bodies)
        # the technician is told the job is withdrawn
        activities = order.activity_ids.filtered(lambda a: a.user_id == self.technician.user_id)
        self.assertTrue(any("withdrawn" in (a.summary or "") for a in activities))

    def test_schedule_change_tells_technician(self):
        order = self._order(technician_id=self.technician.id)
        order.schedule_date = order.schedule_date.replace(year=order.schedule_date.year + 1)
        activities = order.activity_ids.filtered(lambda a: a.user_id == self.technician.user_id)
        self.assertTrue(any("changed" in (a.summary or "") for a in activities))

    def test_rating_request_and_technician_average(self):
        orders = self._order(technician_id=self.technician.id) | self._order(technician_id=self.technician.id)
        orders.write({"state": "done"})
        for order in orders:
            request = order.message_ids.filtered(lambda m: "/rate/" in (m.body or ""))
            self.assertEqual(len(request), 1)
            self.assertIn("Reza Ahmadi", request.body)
        ratings = self.env["rating.rating"].search([("res_model", "=", "repair.order"), ("res_id", "in", orders.ids)])
        self.assertEqual(len(ratings), 2)
        self.assertEqual(ratings.rated_partner_id, self.technician.work_contact_id)
        orders[0].rating_apply(5, token=ratings.filtered(lambda r: r.res_id == orders[0].id).access_token)
        orders[1].rating_apply(2, token=ratings.filtered(lambda r: r.res_id == orders[1].id).access_token)
        self.technician.invalidate_recordset()
        self.assertAlmostEqual(self.technician.aftersales_rating_avg, 3.5)
        self.assertEqual(self.technician.aftersales_rating_count, 2)

    def test_tracking_subtypes(self):
        order = self._order(technician_id=self.technician.id)
        self.assertEqual(
            order._track_subtype({"technician_id": False}), self.env.ref("aftersales_dispatch.mt_repair_assigned")
        )
        order.write({"state": "done"})
        self.assertEqual(
            order._track_subtype({"state": "confirmed"}), self.env.ref("aftersales_dispatch.mt_repair_done")
        )
        order.write({"state": "cancel"})
        self.assertEqual(
            order._track_subtype({"state": "done"}), self.env.ref("aftersales_dispatch.mt_repair_cancelled")
        )
