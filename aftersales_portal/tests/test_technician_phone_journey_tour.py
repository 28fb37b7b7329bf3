"""The technician's day on the phone in Chromium (390x844), in English (portal_technician, a website-only
technician) and in Persian (pars_technician, on the Persian company's website): from the jobs list, open
the job, Accept and go, Check in, fill in the report (an action, notes, the serial, a part of the van in
one tap, photos before and after, the customer's signature, the result), Submit.

The test checks what the server holds afterwards (the order accepted, on the way and started; the report
submitted with its times, action, part from the van, photos and signature) and the number of taps the
tour counted against the README's figure. Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a PNG of
each key step.
"""

import json

from odoo.tests import HttpCase, tagged
from odoo.tests.common import HOST
from odoo.tools import config

from odoo.addons.aftersales_service.tests.journey_fixtures import journey_env, journey_order, van_part
from odoo.addons.aftersales_service.tests.screenshots import screenshot_folder, shots_on_signal

# Taps and fields from the jobs list to the report sent: the README's "complete a job on a phone"
# (15 before the one-tap Accept and go, the results as buttons, the van's parts and Submit checking out)
PHONE_JOURNEY_TAPS = 12

TEXTS = {
    "en_US": {
        "customer": "Parisa Karimi (journey)",
        "street": "12 Vali-e Asr Street",
        "city": "Tehran",
        "device": "Dishwasher 12 place settings",
        "part": "Drain pump",
        "notes": "Drain pump blocked and worn: replaced, test cycle run.",
    },
    "fa_IR": {
        "customer": "پریسا کریمی (سفر)",
        "street": "خیابان ولیعصر، پلاک ۱۲",
        "city": "تهران",
        "device": "ماشین ظرفشویی ۱۲ نفره",
        "part": "پمپ تخلیه",
        "notes": "پمپ تخلیه گرفته و فرسوده بود: تعویض شد و یک دور آزمایشی انجام شد.",
    },
}


@tagged("post_install", "-at_install")
class TestTechnicianPhoneJourneyTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def _job(self, login):
        """A job offered today to the technician signed in as ``login``, for a serial-tracked device of
        the technician's company, with a part that fits it in the technician's van."""
        user = self.env["res.users"].search([("login", "=", login)])
        technician = self.env["hr.employee"].search([("user_id", "=", user.id)], limit=1)
        if not user or not technician:
            self.skipTest("without demo data")
        company = technician.company_id or user.company_id
        env = journey_env(self, user, company)
        texts = TEXTS[user.lang]
        if not technician.van_location_id:
            # a website-only technician of a partner firm has no service centre: a van of the company's
            warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
            technician.van_location_id = env["stock.location"].create(
                {"name": f"Van {technician.name}", "usage": "internal", "location_id": warehouse.view_location_id.id}
            )
        customer = {
            "name": texts["customer"],
            "street": texts["street"],
            "city": texts["city"],
            "country_id": self.env.ref("base.ir").id,
            "phone": "+98 21 8800 1234",
        }
        order = journey_order(env, technician, texts["device"], f"DW12-{login.upper()}-0001", customer)
        part = van_part(env, order.product_id, texts["part"], f"DW-PUMP-{login.upper()}", technician.van_location_id, 3)
        return user, order, part

    def _persian_website(self):
        """The Persian company's website served here, in Persian (see test_persian_screens)."""
        persian = self.env["res.lang"]._activate_lang("fa_IR")
        for website in self.env["website"].search([]):
            website.language_ids |= persian
        website = self.env.ref("aftersales_portal.demo_website_pars", raise_if_not_found=False)
        if website:
            website.domain = f"http://{HOST}:{config['http_port']}"

    def _journey(self, login, url_path):
        user, order, part = self._job(login)
        texts = TEXTS[user.lang]
        job = {"order": order.name, "serial": order.lot_id.name, "notes": texts["notes"]}
        tour = "aftersales_technician_phone_journey_tour"
        with shots_on_signal(screenshot_folder(), f"technician_phone_{login}") as figures:
            self.start_tour(
                url_path,
                tour,
                login=login,
                code=(
                    f"sessionStorage.setItem('aftersales_tour_job', {json.dumps(json.dumps(job))}); "
                    f"odoo.startTour({tour!r}, {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})"
                ),
                timeout=120,
            )
        self.env.invalidate_all()
        self.assertEqual(order.dispatch_state, "accepted", "Accept and go accepted the job")
        self.assertTrue(order.date_on_the_way, "and set the technician on the way")
        self.assertEqual(order.state, "under_repair", "Check in started the order")
        worklog = self.env["aftersales.worklog"].search([("repair_id", "=", order.id)])
        self.assertEqual(len(worklog), 1)
        self.assertIn(worklog.state, ("submitted", "approved"), "the report was sent")
        self.assertTrue(worklog.date_start and worklog.date_end, "checked in and out (Submit checked out)")
        self.assertTrue(worklog.serial_checked, "the serial typed is the order's")
        self.assertEqual(worklog.result, "fixed")
        self.assertEqual(len(worklog.action_ids), 1)
        self.assertEqual(worklog.work_description, texts["notes"])
        self.assertEqual(worklog.part_ids.product_id, part, "the part tapped in the van's list")
        self.assertEqual(worklog.part_ids.quantity, 1.0)
        self.assertEqual(worklog.part_ids.location_id, worklog.technician_id.van_location_id)
        self.assertEqual(worklog.photo_before_ids.mapped("name"), ["before.png"])
        self.assertEqual(worklog.photo_after_ids.mapped("name"), ["after.png"])
        self.assertTrue(worklog.signature, "the drawn signature is stored")
        self.assertEqual(worklog.signed_by, order.partner_id.name, "signed by the customer, not typed")
        self.assertEqual(int(figures.get("taps", 0)), PHONE_JOURNEY_TAPS, "the README's count of taps")

    def test_technician_phone_journey_english(self):
        self._journey("portal_technician", "/my/aftersales/jobs")

    def test_technician_phone_journey_persian(self):
        self._persian_website()
        self._journey("pars_technician", "/fa/my/aftersales/jobs")
