"""The QC inspector's daily journey in Chromium, in English (qc) and in Persian (pars_manager, the Persian
company's manager inspects its work): QC is switched on as the manager does in QC Settings (the demo
companies approve worklogs without QC), a technician submits a worklog, the inspector opens it from the
inspections to do, marks the open checks passed in one click and approves it; another one is rejected
with a reason and a note for the technician.

The test checks the decision the server holds afterwards (inspection, worklog, rework) and the number of
clicks the tour counted against the README's figure. Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a
PNG of each key step.
"""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.aftersales_service.tests.journey_fixtures import journey_env, journey_order
from odoo.addons.aftersales_service.tests.screenshots import screenshot_folder, shots_on_signal

# Clicks from the inspections to do to the decision: the README's "approve a worklog" (6 before the
# one-click "All Open Checks Passed": two per Pass / Fail check of the demo's replacement checklist)
APPROVE_CLICKS = 3
REJECT_CLICKS = 6

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

TEXTS = {
    "en_US": {
        "customer": "Reza Moradi (QC journey)",
        "device": "Refrigerator 500 L",
        "notes": "Compressor relay replaced, cooling checked after 30 minutes.",
        "reject": "The door seal is still torn: replace it and send a photo.",
    },
    "fa_IR": {
        "customer": "رضا مرادی (سفر کنترل کیفیت)",
        "device": "یخچال ۵۰۰ لیتری",
        "notes": "رله کمپرسور تعویض شد، سرمایش پس از ۳۰ دقیقه بررسی شد.",
        "reject": "لاستیک در هنوز پاره است: آن را عوض کنید و عکس بفرستید.",
    },
}


@tagged("post_install", "-at_install")
class TestQcJourneyTour(HttpCase):
    browser_size = "1280x900"

    def _users(self, inspector_login, technician_login, manager_login):
        users = {
            login: self.env["res.users"].search([("login", "=", login)])
            for login in (inspector_login, technician_login, manager_login)
        }
        technician = self.env["hr.employee"].search([("user_id", "=", users[technician_login].id)], limit=1)
        if not all(users.values()) or not technician:
            self.skipTest("without demo data")
        return users[inspector_login], users[technician_login], users[manager_login], technician

    def _switch_qc_on(self, manager, company):
        """QC on for every worklog, as the manager saves it in Quality Control > QC Settings."""
        settings = (
            self.env["res.company.qc.settings"]
            .with_user(manager)
            .with_company(company)
            .create({"aftersales_qc_enabled": True, "aftersales_qc_sample_rate": 100})
        )
        settings.action_save()
        self.assertTrue(company.aftersales_qc_enabled)

    def _submitted_worklog(self, technician_user, technician, inspector):
        """A worklog of a replacement job (its checklist has two Pass / Fail checks), complete and
        submitted by its technician: QC sampled it."""
        texts = TEXTS[inspector.lang]
        env = journey_env(self, inspector, technician.company_id)
        order = journey_order(
            env,
            technician,
            texts["device"],
            f"RF500-{technician_user.login.upper()}-{{device_id}}",
            {"name": texts["customer"]},
            offered=False,
            service_type_id=self.env.ref("aftersales_service.service_type_replacement").id,
        )
        lot, customer = order.lot_id, order.partner_id
        order._action_repair_confirm()
        order.action_repair_start()
        photos = env["ir.attachment"].create(
            [{"name": name, "datas": PNG, "mimetype": "image/png"} for name in ("before.png", "after.png")]
        )
        worklog = env["aftersales.worklog"].create(
            {
                "repair_id": order.id,
                "date_start": fields.Datetime.now() - timedelta(hours=1),
                "date_end": fields.Datetime.now(),
                "result": "fixed",
                "lot_name_confirmed": lot.name,
                "work_description": texts["notes"],
                "action_ids": [Command.link(env["aftersales.worklog.action"].search([], limit=1).id)],
                "photo_before_ids": [Command.link(photos[0].id)],
                "photo_after_ids": [Command.link(photos[1].id)],
                "signature": PNG,
                "signed_by": customer.name,
            }
        )
        worklog.with_user(technician_user).action_submit()
        self.assertEqual(worklog.state, "submitted", "QC holds it")
        inspection = worklog.qc_inspection_ids
        self.assertEqual(inspection.state, "to_do")
        return worklog, inspection

    def _journey(self, tour, inspector_login, technician_login, manager_login):
        inspector, technician_user, manager, technician = self._users(inspector_login, technician_login, manager_login)
        self._switch_qc_on(manager, technician.company_id)
        worklog, inspection = self._submitted_worklog(technician_user, technician, inspector)
        data = {"inspection": inspection.name, "note": TEXTS[inspector.lang]["reject"]}
        with shots_on_signal(screenshot_folder(), f"qc_{inspector_login}") as figures:
            self.start_tour(
                "/odoo/aftersales-qc-to-do",
                tour,
                login=inspector_login,
                code=(
                    f"sessionStorage.setItem('aftersales_tour_qc', {json.dumps(json.dumps(data))}); "
                    f"odoo.startTour({tour!r}, {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})"
                ),
                timeout=120,
            )
        self.env.invalidate_all()
        return worklog, inspection, inspector, int(figures.get("taps", 0))

    def _approve(self, inspector_login, technician_login, manager_login):
        worklog, inspection, inspector, clicks = self._journey(
            "aftersales_qc_approve_journey_tour", inspector_login, technician_login, manager_login
        )
        self.assertEqual(inspection.state, "approved")
        self.assertEqual(inspection.inspector_id, inspector, "decided by the inspector who clicked")
        self.assertEqual(set(inspection.line_ids.mapped("result")), {"pass"}, "every check passed")
        self.assertEqual(worklog.state, "approved", "the worklog approved by QC")
        self.assertEqual(worklog.approval_mode, "qc")
        self.assertEqual(clicks, APPROVE_CLICKS, "the README's count of clicks")

    def _reject(self, inspector_login, technician_login, manager_login):
        worklog, inspection, inspector, clicks = self._journey(
            "aftersales_qc_reject_journey_tour", inspector_login, technician_login, manager_login
        )
        self.assertEqual(inspection.state, "rejected")
        self.assertEqual(inspection.inspector_id, inspector)
        self.assertTrue(inspection.reject_reason_id, "with a reason")
        self.assertEqual(inspection.reject_note, TEXTS[inspector.lang]["reject"])
        self.assertEqual(worklog.state, "rejected")
        self.assertEqual(inspection.rework_worklog_id.state, "draft", "a rework opened for the technician")
        self.assertEqual(clicks, REJECT_CLICKS)

    def test_qc_approve_journey_english(self):
        self._approve("qc", "technician", "admin")

    def test_qc_approve_journey_persian(self):
        self._approve("pars_manager", "pars_technician", "pars_manager")

    def test_qc_reject_journey_english(self):
        self._reject("qc", "technician", "admin")

    def test_qc_reject_journey_persian(self):
        self._reject("pars_manager", "pars_technician", "pars_manager")
