from odoo.tests import tagged

from odoo.addons.aftersales_service.tests.common import AftersalesServiceCase


@tagged("post_install", "-at_install")
class TestServiceOrderDispatch(AftersalesServiceCase):
    """Service orders with dispatch: the technician is told of the assignment, the customer hears of
    the offer taken and of the technician on the way (moved from aftersales_service's ``TestServiceOrder``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._create_request_cls(["WC-TEST-001", "KET10"], receive=True)

    def test_assign_technician_stamps_and_notifies(self):
        order = self.request.repair_ids[0]
        wizard = (
            self.env["repair.order.assign.technician"]
            .with_user(self.user_dispatcher)
            .with_context(active_model="repair.order", active_ids=order.ids)
            .create({"technician_id": self.tech1.id})
        )
        self.assertEqual(wizard.repair_ids, order)
        wizard.action_assign()
        self.assertEqual(order.technician_id, self.tech1)
        self.assertEqual(order.technician_user_id, self.user_tech1)
        self.assertTrue(order.date_assigned)
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.user_tech1)
        self.assertEqual(len(activity), 1, "the technician gets a to-do activity")
        self.assertIn(order.name, activity.summary)
        mail = self.env["mail.mail"].search([("model", "=", "repair.order"), ("res_id", "=", order.id)])
        self.assertTrue(mail, "an email is queued for the technician")
        self.assertIn("ali@example.com", mail[0].email_to)
        self.assertIn(self.tech1.work_contact_id, order.message_partner_ids)

    def test_customer_status_follows_the_orders(self):
        """The customer reads where the unit is, not the request's internal state."""
        request = self.request
        order = request.repair_ids.filtered(lambda o: o.product_id == self.product_untracked)
        other = request.repair_ids - order
        self.assertEqual(request.customer_status, "received")
        order.technician_id = self.tech1
        self.assertEqual(request.customer_status, "received", "an offer not yet taken is no news")
        as_tech = order.with_user(self.user_tech1)
        as_tech.action_accept()
        self.assertEqual(request.customer_status, "assigned")
        as_tech.action_on_my_way()
        self.assertEqual(request.customer_status, "on_the_way")
        as_tech.action_start()
        self.assertEqual(request.customer_status, "in_repair")
        order.sudo().waiting_reason = "parts"
        self.assertEqual(request.customer_status, "waiting_parts")
        order.sudo().waiting_reason = False
        as_tech.action_finish()
        self.assertEqual(request.customer_status, "ready", "one unit repaired, the other still open")
        other.action_repair_cancel()
        self.assertEqual(request.customer_status, "done")

    def test_reassign_resets_acceptance(self):
        """Moved from aftersales_service: the new technician is told of the job (dispatch notification)."""
        order = self.request.repair_ids[0]
        order.technician_id = self.tech1
        order.with_user(self.user_tech1).action_accept()
        self.assertTrue(order.date_accepted)
        order.technician_id = self.tech2
        self.assertFalse(order.date_accepted)
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.user_tech2))

    def test_sms_isolates_references_for_persian_customers_only(self):
        """A Persian SMS reads the order reference and the technician's phone in their own order (isolated
        left to right); an English SMS gets no isolate, which would make it UCS-2 (70 characters a part)."""
        order = self.request.repair_ids[0]
        order.technician_id = self.tech1
        self.tech1.mobile_phone = "+98 912 000 0000"
        template = self.env.ref("aftersales_dispatch.sms_template_repair_assigned")
        self.customer.lang = "en_US"
        body = template._render_field("body", order.ids)[order.id]
        self.assertIn(f": {order.name}.", body)
        self.assertNotIn("\u2066", body)
        self.env["res.lang"]._activate_lang("fa_IR")
        self.customer.lang = "fa_IR"
        body = template._render_field("body", order.ids)[order.id]
        self.assertIn(f"\u2066{order.name}\u2069", body)
        self.assertIn("\u2066+98 912 000 0000\u2069", body)
