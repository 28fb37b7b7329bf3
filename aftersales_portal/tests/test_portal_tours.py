from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AftersalesPortalCase


@tagged("post_install", "-at_install")
class TestPortalTours(AftersalesPortalCase):
    def test_customer_request_tour(self):
        before = self.env["aftersales.request"].search_count([("channel", "=", "portal")])
        self.start_tour("/aftersales/request/new", "aftersales_portal_request_tour", login="pt_cust_a")
        requests = self.env["aftersales.request"].search([("channel", "=", "portal")], order="id desc")
        self.assertEqual(len(requests), before + 1)
        self.assertEqual(requests[0].partner_id, self.user_a.partner_id)
        self.assertEqual(requests[0].line_ids.attachment_ids.name, "drum.png")

    def test_agent_batch_tour(self):
        self.start_tour("/my/aftersales/batch", "aftersales_portal_batch_tour", login="pt_agent")
        filed = self.env["aftersales.request"].search(
            [("agent_id", "=", self.agency.id), ("channel", "=", "agent"), ("id", "!=", self.request_agency.id)]
        )
        self.assertEqual(len(filed), 1, "only the corrected batch was filed")
        self.assertEqual(filed.line_ids.lot_id, self.lot_c | self.lot_d)

    def test_technician_job_tour(self):
        self.start_tour("/my/aftersales/jobs", "aftersales_portal_job_tour", login="pt_tech")
        order = self.order_a
        self.assertEqual(order.dispatch_state, "accepted")
        self.assertTrue(order.date_on_the_way)
        self.assertIn(order.state, ("under_repair", "done"), "started on check-in")
        self.assertTrue(order.date_started)
        worklog = self.env["aftersales.worklog"].search([("repair_id", "=", order.id)])
        self.assertIn(worklog.state, ("submitted", "approved"))
        self.assertEqual(worklog.part_ids.product_id, self.part)
        self.assertTrue(worklog.signature, "the drawn signature is stored")
        self.assertEqual(worklog.action_ids, self.worklog_action)
        self.assertTrue(worklog.date_end)

    def test_technician_worklog_error_tour(self):
        """Issue 15: Submit before Check out, with a mistake: the browser gets everything back."""
        worklog = self.order_a._portal_check_in()
        # the work took a while (check-in and check-out in the same second would be refused)
        worklog.date_start = fields.Datetime.now() - timedelta(hours=1)
        url = f"/my/aftersales/jobs/{self.order_a.id}"
        self.start_tour(url, "aftersales_portal_worklog_error_tour", login="pt_tech")
        self.env.invalidate_all()
        self.assertIn(worklog.state, ("submitted", "approved"))
        self.assertTrue(worklog.date_end, "Submit checked out")
        self.assertEqual(worklog.lot_name_confirmed, "WM-PT-0001")
        self.assertEqual(worklog.work_description, "Belt was cracked, replaced it")
        self.assertEqual(worklog.action_ids, self.worklog_action)
        self.assertEqual(worklog.part_ids.product_id, self.part)
        self.assertEqual(worklog.part_ids.quantity, 1.0, "the part is not counted twice")
        self.assertEqual(worklog.photo_before_ids.mapped("name"), ["before.png"])
        self.assertEqual(worklog.photo_after_ids.mapped("name"), ["after.png"])
        self.assertTrue(worklog.signature)
