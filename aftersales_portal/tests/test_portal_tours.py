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
