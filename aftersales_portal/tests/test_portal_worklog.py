"""Issue 15: a technician loses nothing typed in the portal report to an error, and Submit checks out.

Every test posts the form over HTTP as the technician's phone does, then reads the draft in the
database and the page sent back.
"""

import base64
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import PNG, AftersalesPortalCase

SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()


@tagged("post_install", "-at_install")
class TestPortalWorklogKeepsInput(AftersalesPortalCase):
    def setUp(self):
        super().setUp()
        self.authenticate("pt_tech", "pt_tech")
        position = {"latitude": "35.7", "longitude": "51.4"}
        response = self._post(f"/my/aftersales/jobs/{self.order_a.id}/check_in", position)
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.worklog = self.env["aftersales.worklog"].search([("repair_id", "=", self.order_a.id)])
        self.assertEqual(len(self.worklog), 1, "check-in opened the report")
        # the work took a while (check-in and check-out in the same second would be refused)
        self.worklog.date_start = fields.Datetime.now() - timedelta(hours=1)

    def _post(self, url, data, files=None):
        data = dict(data, csrf_token=self._csrf("/aftersales/request/new"))
        return self.url_open(url, data=data, files=files or {}, allow_redirects=False)

    def _report(self, files=None, **extra):
        """The whole form as the technician fills it in; ``extra`` changes or adds fields."""
        data = {
            "action_ids": str(self.worklog_action.id),
            "work_description": "Belt was cracked, replaced it",
            "lot_name_confirmed": "WM-PT-0001",
            "part_codes": "PT-BELT-01",
            "signature": SIGNATURE,
            "signed_by": "Alpha at the door",
            "result": "fixed",
            "latitude": "35.70001",
            "longitude": "51.40002",
        }
        data.update(extra)
        if files is None:
            files = [
                ("photo_before", ("before.png", PNG, "image/png")),
                ("photo_after", ("after.png", PNG, "image/png")),
            ]
        return self._post(f"/my/aftersales/jobs/{self.order_a.id}/worklog", data, files)

    def _assert_all_saved(self, serial="WM-PT-0001"):
        self.env.invalidate_all()
        worklog = self.worklog
        self.assertEqual(worklog.action_ids, self.worklog_action, "actions kept")
        self.assertEqual(worklog.work_description, "Belt was cracked, replaced it", "notes kept")
        self.assertEqual(worklog.lot_name_confirmed, serial, "serial kept")
        self.assertEqual(worklog.part_ids.product_id, self.part, "part kept")
        self.assertEqual(worklog.photo_before_ids.mapped("name"), ["before.png"], "photo before kept")
        self.assertEqual(worklog.photo_after_ids.mapped("name"), ["after.png"], "photo after kept")
        self.assertTrue(worklog.signature, "signature kept")
        self.assertEqual(worklog.signed_by, "Alpha at the door")
        self.assertEqual(worklog.result, "fixed")

    def test_submit_before_check_out_checks_out_and_submits(self):
        """The reported bug: Submit tapped before Check out. It checks out (time, position) and submits."""
        response = self._report(submit="1")
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self._assert_all_saved()
        self.assertIn(self.worklog.state, ("submitted", "approved"))
        self.assertTrue(self.worklog.date_end, "the end of the work is stamped by Submit")
        self.assertAlmostEqual(self.tech.last_latitude, 35.70001, msg="the position at check-out is stamped")

    def test_refused_submission_keeps_everything(self):
        """A submission the checks refuse (here a serial that is not the order's) loses nothing."""
        response = self._report(submit="1", lot_name_confirmed="WM-PT-9999")
        self.assertEqual(response.status_code, 400)
        self.assertIn("does not match", response.text)
        self.assertEqual(self.worklog.state, "draft", "not submitted")
        self._assert_all_saved(serial="WM-PT-9999")
        self.assertTrue(self.worklog.date_end, "Submit checked out before the checks")
        # the form comes back with what was typed
        self.assertIn('value="WM-PT-9999"', response.text)
        self.assertIn("Belt was cracked, replaced it</textarea>", response.text)
        self.assertRegex(response.text, r'value="fixed"\s+checked', "the result chosen is still chosen")
        self.assertIn("o_aftersales_signature_saved", response.text, "the saved signature is shown")
        self.assertIn("Before (1)", response.text)
        self.assertIn("After (1)", response.text)
        # correcting the serial is enough to submit now
        response = self._report(files=[], submit="1", part_codes="")
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.env.invalidate_all()
        self.assertIn(self.worklog.state, ("submitted", "approved"))
        self.assertEqual(self.worklog.part_ids.quantity, 1.0, "the part is not counted twice")

    def test_unknown_part_code_keeps_the_rest(self):
        """A part code that is not found: everything else is saved, the code comes back to correct it."""
        response = self._report(part_codes="PT-BELT-01\nNO-SUCH-PART")
        self.assertEqual(response.status_code, 400)
        self.assertIn("NO-SUCH-PART", response.text)
        self._assert_all_saved()
        codes = re.search(r'<textarea id="part_codes"[^>]*>([^<]*)</textarea>', response.text)
        self.assertEqual(codes.group(1).strip(), "NO-SUCH-PART", "only the code not added is shown again")

    def test_every_problem_told_at_once(self):
        """An unknown part code and a wrong serial: both are told after one tap on Submit."""
        response = self._report(submit="1", part_codes="NO-SUCH-PART", lot_name_confirmed="WM-PT-9999")
        self.assertEqual(response.status_code, 400)
        self.assertIn("NO-SUCH-PART", response.text)
        self.assertIn("does not match", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.worklog.state, "draft")
        self.assertTrue(self.worklog.date_end, "Submit checked out")

    def test_refused_input_keeps_the_rest(self):
        """Notes too long are refused, but the photos, serial, part and signature are saved and the
        notes come back in the form to be shortened."""
        notes = "Long notes " * 400
        response = self._report(work_description=notes, submit="1")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Notes is too long", response.text)
        self.env.invalidate_all()
        worklog = self.worklog
        self.assertEqual(worklog.state, "draft")
        self.assertFalse(worklog.work_description, "the refused notes are not stored")
        self.assertEqual(worklog.lot_name_confirmed, "WM-PT-0001")
        self.assertEqual(worklog.part_ids.product_id, self.part)
        self.assertEqual(len(worklog.photo_before_ids | worklog.photo_after_ids), 2)
        self.assertTrue(worklog.signature)
        self.assertIn(notes.strip(), response.text, "the notes are shown again, whole")

    def test_check_out_button_saves_the_form(self):
        """Check out is a button of the report form: what was typed is saved with it."""
        page = self.url_open(f"/my/aftersales/jobs/{self.order_a.id}")
        self.assertIn('name="check_out"', page.text, "check out posts the report form")
        self.assertIn("o_aftersales_submit_hint", page.text, "Submit says it checks out too")
        response = self._report(files=[], check_out="1", signature="", result="")
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.env.invalidate_all()
        self.assertTrue(self.worklog.date_end)
        self.assertEqual(self.worklog.work_description, "Belt was cracked, replaced it")
        self.assertEqual(self.worklog.state, "draft")
        page = self.url_open(f"/my/aftersales/jobs/{self.order_a.id}")
        self.assertNotIn('name="check_out"', page.text, "checked out once")
