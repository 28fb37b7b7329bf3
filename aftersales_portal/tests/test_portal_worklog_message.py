from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from odoo import fields
from odoo.tests import tagged

from .common import AftersalesPortalCase


@tagged("post_install", "-at_install")
class TestPortalWorklogSubmitMessage(AftersalesPortalCase):
    """Issue 15, item 1: after Submit the technician reads what became of the report: approved
    automatically (no review step) or sent for approval, never "sent for approval" for approved work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # QC off: the company's auto-approval decides alone
        cls.env.company.write({"aftersales_worklog_signature_required": False, "aftersales_qc_enabled": False})
        now = fields.Datetime.now()
        cls.worklog = cls.env["aftersales.worklog"].create(
            {
                "repair_id": cls.order_a.id,
                "date_start": now - timedelta(hours=1),
                "date_end": now,
                "result": "fixed",
                "lot_name_confirmed": cls.lot.name,
            }
        )

    def _submit(self):
        self.authenticate("pt_tech", "pt_tech")
        response = self.url_open(
            f"/my/aftersales/jobs/{self.order_a.id}/worklog",
            data={
                "csrf_token": self._csrf(f"/my/aftersales/jobs/{self.order_a.id}"),
                "result": "fixed",
                "lot_name_confirmed": self.lot.name,
                "submit": "1",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        return parse_qs(urlsplit(response.headers["Location"]).query)["message"][0]

    def test_auto_approved_report_says_approved(self):
        self.env.company.aftersales_worklog_auto_approve = True
        message = self._submit()
        self.assertEqual(self.worklog.state, "approved")
        self.assertEqual(self.worklog.approval_mode, "automatic")
        self.assertFalse(self.worklog.approved_by_id, "the portal technician is not the approver")
        self.assertIn("approved automatically", message)
        self.assertNotIn("sent for approval", message)

    def test_report_waiting_for_approval_says_sent(self):
        self.env.company.aftersales_worklog_auto_approve = False
        message = self._submit()
        self.assertEqual(self.worklog.state, "submitted")
        self.assertIn("sent for approval", message)
        self.assertNotIn("approved automatically", message)
