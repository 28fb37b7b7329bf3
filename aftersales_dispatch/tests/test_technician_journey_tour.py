"""The technician's day in the back office in Chromium, in English (technician) and in Persian
(pars_technician), on the job offered to him: Accept Job, On My Way, Start Repair, Worklogs (the order's
report opens), an action, the result, the serial, notes, a part of the van scanned, photos before and
after, the customer's signature, Submit (which checks out).

The test checks what the server holds afterwards (the order accepted, on the way and started; the report
submitted with its times, action, part from the van, photos and signature) and the number of clicks the
tour counted against the README's figure. Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a PNG of
each key step.
"""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.aftersales_service.tests.journey_fixtures import journey_env, journey_order, van_part
from odoo.addons.aftersales_service.tests.screenshots import screenshot_folder, shots_on_signal

# Clicks and fields from the offered order to the report sent (22 before: Worklogs then New, the
# result and the actions as drop-downs, the notes on their own tab, the end of the work typed)
BACK_OFFICE_CLICKS = 17

TEXTS = {
    "en_US": {
        "customer": "Nasrin Ebrahimi (journey)",
        "device": "Washer-dryer 9 kg",
        "part": "Door gasket",
        "notes": "Door gasket torn: replaced, no leak after a full cycle.",
    },
    "fa_IR": {
        "customer": "نسرین ابراهیمی (سفر)",
        "device": "لباسشویی و خشک‌کن ۹ کیلویی",
        "part": "لاستیک درب",
        "notes": "لاستیک درب پاره بود: تعویض شد، پس از یک دور کامل نشتی ندارد.",
    },
}


@tagged("post_install", "-at_install")
class TestTechnicianJourneyTour(HttpCase):
    browser_size = "1280x900"

    def _job(self, login):
        """A job offered to the technician signed in as ``login`` for a serial-tracked device of his
        company, with a part that fits it in his van."""
        user = self.env["res.users"].search([("login", "=", login)])
        technician = self.env["hr.employee"].search([("user_id", "=", user.id)], limit=1)
        if not user or not technician or not technician.van_location_id:
            self.skipTest("without demo data")
        env = journey_env(self, user, technician.company_id)
        texts = TEXTS[user.lang]
        order = journey_order(
            env, technician, texts["device"], f"WD9-{login.upper()}-{{device_id}}", {"name": texts["customer"]}
        )
        part = van_part(
            env, order.product_id, texts["part"], f"WD-GASKET-{login.upper()}", technician.van_location_id, 2
        )
        return user, order, part

    def _journey(self, login):
        user, order, part = self._job(login)
        texts = TEXTS[user.lang]
        job = {"serial": order.lot_id.name, "part": part.default_code, "notes": texts["notes"]}
        tour = "aftersales_technician_journey_tour"
        with shots_on_signal(screenshot_folder(), f"technician_office_{login}") as figures:
            self.start_tour(
                f"/odoo/repair.order/{order.id}",
                tour,
                login=login,
                code=(
                    f"sessionStorage.setItem('aftersales_tour_job', {json.dumps(json.dumps(job))}); "
                    f"odoo.startTour({tour!r}, {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})"
                ),
                timeout=120,
            )
        self.env.invalidate_all()
        self.assertEqual(order.dispatch_state, "accepted")
        self.assertTrue(order.date_accepted and order.date_on_the_way, "accepted, then on the way")
        self.assertEqual(order.state, "under_repair", "Start Repair started it")
        worklog = order.aftersales_worklog_ids
        self.assertEqual(len(worklog), 1, "one report, opened from the order")
        self.assertIn(worklog.state, ("submitted", "approved"), "the report was sent")
        self.assertTrue(worklog.date_end and worklog.date_end > worklog.date_start, "Submit checked out")
        self.assertTrue(worklog.serial_checked)
        self.assertEqual(worklog.result, "fixed")
        self.assertEqual(len(worklog.action_ids), 1)
        self.assertEqual(worklog.work_description, texts["notes"])
        self.assertEqual(worklog.part_ids.product_id, part, "the part scanned")
        self.assertEqual(worklog.part_ids.location_id, worklog.technician_id.van_location_id, "from the van")
        self.assertEqual(worklog.photo_before_ids.mapped("name"), ["before.png"])
        self.assertEqual(worklog.photo_after_ids.mapped("name"), ["after.png"])
        self.assertTrue(worklog.signature, "the customer signed")
        self.assertEqual(int(figures.get("taps", 0)), BACK_OFFICE_CLICKS, "the README's count of clicks")

    def test_technician_journey_english(self):
        self._journey("technician")

    def test_technician_journey_persian(self):
        self._journey("pars_technician")
