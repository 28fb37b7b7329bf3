"""The technician app: each route as the job's technician, and the attacks of another technician
(reading or changing a job that is not theirs), forged bodies, oversize and non-image uploads.
Each attack asserts the refusal and that nothing was written."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.aftersales_portal.tests.common import PNG

from .common import AftersalesApiCase

SIGNATURE = base64.b64encode(PNG).decode()


@tagged("post_install", "-at_install")
class TestApiTechnician(AftersalesApiCase):
    def _check_in(self):
        body = self.assertStatus(
            self.api(
                "POST",
                f"/jobs/{self.order_a.id}/check_in",
                self.key_tech,
                json_body={"latitude": 35.7, "longitude": 51.4},
            ),
            200,
        )
        worklog = self.env["aftersales.worklog"].search([("repair_id", "=", self.order_a.id)])
        self.assertEqual(len(worklog), 1, "check-in opened the report")
        # the work took a while (check-in and check-out in the same second would be refused)
        worklog.date_start = fields.Datetime.now() - timedelta(hours=1)
        return body, worklog

    def _worklog(self, key=None, files=None, **data):
        return self.api("POST", f"/jobs/{self.order_a.id}/worklog", key or self.key_tech, data=data, files=files or {})

    def _state(self):
        self.env.invalidate_all()
        order = self.order_a
        return (
            order.state,
            order.dispatch_state,
            order.technician_id,
            order.date_on_the_way,
            len(order.aftersales_worklog_ids),
        )

    # ------------------------------------------------------------------ as the technician
    def test_my_jobs(self):
        jobs = self.assertStatus(self.api("GET", "/jobs", self.key_tech), 200)
        self.assertIn(self.order_a.id, [job["id"] for job in jobs])
        jobs = self.assertStatus(self.api("GET", "/jobs", self.key_tech2), 200)
        self.assertNotIn(self.order_a.id, [job["id"] for job in jobs], "another technician's job is not listed")

    def test_job_detail(self):
        job = self.assertStatus(self.api("GET", f"/jobs/{self.order_a.id}", self.key_tech), 200)
        self.assertEqual(job["name"], self.order_a.name)
        self.assertEqual(job["customer"], "Customer Alpha Private")
        self.assertEqual(job["serial"], "WM-PT-0001")
        self.assertIn(self.worklog_action.id, [action["id"] for action in job["worklog_actions"]])
        self.assertIn("fixed", [choice["value"] for choice in job["worklog_results"]])
        self.assertIsNone(job["worklog"])

    def test_full_visit(self):
        """Check in, report with photos, part, signature and actions, then submit."""
        job, worklog = self._check_in()
        self.assertIn("worklog", job["steps"])
        response = self._worklog(
            work_description="Belt was cracked, replaced it",
            result="fixed",
            lot_name_confirmed="WM-PT-0001",
            signed_by="Alpha at the door",
            signature=SIGNATURE,
            part_codes="PT-BELT-01",
            action_ids=[str(self.worklog_action.id)],
            files=[
                ("photo_before", ("before.png", PNG, "image/png")),
                ("photo_after", ("after.png", PNG, "image/png")),
            ],
        )
        body = self.assertStatus(response, 200)
        self.assertTrue(body["message"])
        self.env.invalidate_all()
        self.assertEqual(worklog.work_description, "Belt was cracked, replaced it")
        self.assertEqual(worklog.part_ids.product_id, self.part)
        self.assertEqual(worklog.photo_before_ids.mapped("name"), ["before.png"])
        self.assertEqual(worklog.photo_after_ids.mapped("name"), ["after.png"])
        self.assertEqual(worklog.action_ids, self.worklog_action)
        self.assertTrue(worklog.signature)
        self.assertEqual(body["job"]["worklog"]["action_ids"], [self.worklog_action.id])
        # notes changed later without the actions field: the actions stay
        self.assertStatus(self._worklog(work_description="Belt replaced"), 200)
        self.env.invalidate_all()
        self.assertEqual(worklog.action_ids, self.worklog_action)
        body = self.assertStatus(self.api("POST", f"/jobs/{self.order_a.id}/submit", self.key_tech, json_body={}), 200)
        self.env.invalidate_all()
        self.assertIn(worklog.state, ("submitted", "approved"))
        self.assertTrue(worklog.date_end, "Submit checked out")
        if worklog.state == "submitted":
            self.assertEqual(body["job"]["worklog"]["state"], "submitted")
        else:
            self.assertIsNone(body["job"]["worklog"], "an approved report is no longer the open one")

    def test_refused_step_is_400_and_changes_nothing(self):
        """Check out before check in: refused by the model, translated text, nothing written."""
        before = self._state()
        body = self.assertStatus(self.api("POST", f"/jobs/{self.order_a.id}/check_out", self.key_tech), 400)
        self.assertIn(self.order_a.name, body["detail"])
        self.assertEqual(self._state(), before)

    def test_refused_report_keeps_the_valid_input(self):
        """An unknown part code: 400 naming it, the rest saved, as on the website."""
        dummy, worklog = self._check_in()
        body = self.assertStatus(self._worklog(work_description="Noise gone", part_codes="NO-SUCH-PART"), 400)
        self.assertIn("NO-SUCH-PART", body["detail"])
        self.assertEqual(body["unsaved_codes"], ["NO-SUCH-PART"])
        self.assertTrue(body["saved"])
        self.env.invalidate_all()
        self.assertEqual(worklog.work_description, "Noise gone")
        self.assertFalse(worklog.part_ids)

    # ------------------------------------------------------------------ attacks
    def test_other_technician_cannot_read_or_move_the_job(self):
        """Technician B on technician A's job: 404 like a job that does not exist, nothing written."""
        missing = self.assertStatus(self.api("GET", "/jobs/999999999", self.key_tech2), 404)
        body = self.assertStatus(self.api("GET", f"/jobs/{self.order_a.id}", self.key_tech2), 404)
        self.assertEqual(body, missing, "the same answer as for a job that does not exist")
        self.assertNotIn(self.order_a.name, str(body))
        before = self._state()
        for step in ("accept", "decline", "on_my_way", "check_in", "check_out", "submit"):
            with self.subTest(step=step):
                response = self.api(
                    "POST", f"/jobs/{self.order_a.id}/{step}", self.key_tech2, json_body={"reason": "not mine"}
                )
                self.assertStatus(response, 404)
        self.assertStatus(self._worklog(key=self.key_tech2, work_description="forged"), 404)
        self.assertEqual(self._state(), before, "nothing changed on the order")
        self.assertFalse(self.env["aftersales.worklog"].search([("work_description", "=", "forged")]))

    def test_customer_key_cannot_reach_jobs(self):
        self.assertEqual(self.assertStatus(self.api("GET", "/jobs", self.key_a), 200), [])
        self.assertStatus(self.api("GET", f"/jobs/{self.order_a.id}", self.key_a), 404)
        before = self._state()
        self.assertStatus(self.api("POST", f"/jobs/{self.order_a.id}/check_in", self.key_a), 404)
        self.assertEqual(self._state(), before)

    def test_forged_step_body_is_refused(self):
        """Protected fields slipped into a step body: 422, the step is not run."""
        before = self._state()
        response = self.api(
            "POST",
            f"/jobs/{self.order_a.id}/check_in",
            self.key_tech,
            json_body={"latitude": 35.7, "state": "done", "technician_id": self.tech2.id},
        )
        self.assertStatus(response, 422)
        self.assertEqual(self._state(), before)
        self.assertStatus(
            self.api("POST", f"/jobs/{self.order_a.id}/on_my_way", self.key_tech, json_body={"latitude": 500}), 422
        )
        self.assertEqual(self._state(), before)

    def test_forged_report_fields_are_ignored(self):
        """Workflow fields posted with the report (state, approver, technician) are not written."""
        dummy, worklog = self._check_in()
        response = self._worklog(
            work_description="ok",
            state="approved",
            approved_by_id=str(self.env.ref("base.user_admin").id),
            technician_id=str(self.tech2.id),
            date_approved="2020-01-01 00:00:00",
        )
        self.assertStatus(response, 200)
        self.env.invalidate_all()
        self.assertEqual(worklog.state, "draft")
        self.assertFalse(worklog.approved_by_id)
        self.assertFalse(worklog.date_approved)
        self.assertEqual(worklog.technician_id, self.tech)

    def test_oversize_photo_is_refused_and_not_stored(self):
        dummy, worklog = self._check_in()
        self.env["ir.config_parameter"].sudo().set_param("aftersales_portal.max_photo_mb", 0.001)
        big = PNG + b"\0" * 4096
        body = self.assertStatus(self._worklog(files=[("photo_before", ("big.png", big, "image/png"))]), 400)
        self.assertIn("big.png", body["detail"])
        self.env.invalidate_all()
        self.assertFalse(worklog.photo_before_ids)
        self.assertFalse(self.env["ir.attachment"].sudo().search([("name", "=", "big.png")]))

    def test_non_image_is_refused_and_not_stored(self):
        """A text file sent as ``image/png``: the content decides, refused, nothing stored."""
        dummy, worklog = self._check_in()
        files = [("photo_after", ("shell.png", b"#!/bin/sh\nrm -rf /\n", "image/png"))]
        body = self.assertStatus(self._worklog(files=files), 400)
        self.assertIn("shell.png", body["detail"])
        self.env.invalidate_all()
        self.assertFalse(worklog.photo_after_ids)
        self.assertFalse(self.env["ir.attachment"].sudo().search([("name", "=", "shell.png")]))

    def test_bad_signature_is_refused(self):
        dummy, worklog = self._check_in()
        not_png = base64.b64encode(b"GIF89a" + b"\0" * 20).decode()
        body = self.assertStatus(self._worklog(signature=not_png, signed_by="X"), 400)
        self.assertTrue(body["errors"])
        self.env.invalidate_all()
        self.assertFalse(worklog.signature)
