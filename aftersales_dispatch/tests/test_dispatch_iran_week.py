"""Dispatch on the Iranian week: Saturday is a working day, Friday and public holidays are not.

Issue 15: on a Saturday the Persian company's technicians (who worked Monday-Friday) were all "off
duty", every candidate scored 0, "Assign best" said "no technician available" without saying why and
"Dispatch all" dispatched nothing. Fixed times below are UTC (Tehran is UTC+03:30).
"""

from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import DispatchCommon

SATURDAY_10_TEHRAN = "2026-12-05 06:30:00"  # Saturday 14 Azar 1405, 10:00 in Tehran
FRIDAY_10_TEHRAN = "2026-12-04 06:30:00"  # Friday 13 Azar 1405
SATURDAY_08_TEHRAN = datetime(2026, 12, 5, 4, 30)
NOWRUZ_10_TEHRAN = "2027-03-21 06:30:00"  # Sunday 1 Farvardin 1406, a working day but Nowruz
MONDAY_2_NOWRUZ = datetime(2027, 3, 22, 4, 30)  # 2 Farvardin: still Nowruz
FIRST_WORKDAY_1406 = datetime(2027, 3, 25, 4, 30)  # Thursday 5 Farvardin 1406, 08:00 in Tehran
MONDAY_08_LONDON = datetime(2026, 12, 7, 8, 0)


@tagged("post_install", "-at_install")
class TestDispatchIranWeek(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.engine = env["aftersales.dispatch"]
        # the English company (the test company) keeps Monday-Friday, 08:00-17:00 in London
        cls.calendar_mon_fri = env["resource.calendar"].create(
            {
                "name": "Monday-Friday",
                "tz": "Europe/London",
                "attendance_ids": [
                    (0, 0, {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 8.0, "hour_to": 17.0})
                    for day in range(5)
                ],
            }
        )
        cls.english_tech = cls._technician(
            "John Smith", 35.7010, 51.4000, resource_calendar_id=cls.calendar_mon_fri.id, tz="Europe/London"
        )
        # the Persian company: Saturday-Thursday in Tehran, with Iran's public holidays
        cls.pars = env["res.company"].create({"name": "Pars Dispatch (test)"})
        cls.pars_calendar = env["resource.calendar"].create(
            {
                "name": "Iranian work week (test)",
                "company_id": cls.pars.id,
                "tz": "Asia/Tehran",
                "attendance_ids": env["resource.calendar"]._ir_work_week_attendance_commands(),
            }
        )
        cls.pars_calendar._ir_generate_public_holidays([1405, 1406])
        cls.pars_centre = env["aftersales.service.centre"].create(
            {"name": "Vanak (test)", "code": "TST-VNK", "company_id": cls.pars.id}
        )
        cls.pars_techs = cls.env["hr.employee"]
        for name, lat in (("Amir Ghasemi", 35.7050), ("Behnam Rahimi", 35.7200)):
            cls.pars_techs |= cls._technician(
                name,
                lat,
                51.4000,
                centre=cls.pars_centre,
                company_id=cls.pars.id,
                resource_calendar_id=cls.pars_calendar.id,
                tz="Asia/Tehran",
            )

    def _pars_order(self):
        return (
            self.env["repair.order"]
            .with_company(self.pars)
            .create(
                {
                    "company_id": self.pars.id,
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "is_aftersales": True,
                    "service_type_id": self.service_type.id,
                    "service_centre_id": self.pars_centre.id,
                    "service_priority_id": self.priority_normal.id,
                }
            )
        )

    def _dispatch_all(self, orders):
        action = orders.with_context(tz="Asia/Tehran").action_dispatch_auto()
        return action["params"]["message"]

    def _assign_best(self, order, tz="Asia/Tehran"):
        wizard = order.with_context(tz=tz).action_dispatch_suggest()
        wizard = self.env["repair.order.dispatch.suggest"].with_context(tz=tz).browse(wizard["res_id"])
        return wizard, wizard.action_assign_best()

    # ------------------------------------------------------------------ the Iranian week

    @freeze_time(SATURDAY_10_TEHRAN)
    def test_saturday_persian_order_dispatched(self):
        """Saturday 10:00 in Tehran: a Persian technician takes the order (it used to score nobody)."""
        order = self._pars_order()
        ranking = self.engine.rank_technicians(order)
        self.assertEqual({entry["employee_id"] for entry in ranking}, set(self.pars_techs.ids))
        self.assertGreater(ranking[0]["score"], 0)
        message = self._dispatch_all(order)
        self.assertIn(order.technician_id, self.pars_techs)
        self.assertTrue(message.startswith("1 order(s) dispatched."), message)

    @freeze_time(SATURDAY_10_TEHRAN)
    def test_saturday_assign_best(self):
        order = self._pars_order()
        self._assign_best(order)
        self.assertEqual(order.technician_id, self.pars_techs[0], "the nearest Persian technician")

    def _suggest(self, order, tz="Asia/Tehran"):
        action = order.with_context(tz=tz).action_dispatch_suggest()
        return self.env["repair.order.dispatch.suggest"].with_context(tz=tz).browse(action["res_id"])

    @freeze_time(FRIDAY_10_TEHRAN)
    def test_suggest_wizard_nobody_says_why_up_front(self):
        """Friday: the wizard says why nobody can take the order at the top and on every line, without
        the dispatcher asking for the excluded technicians (issue 17)."""
        wizard = self._suggest(self._pars_order())
        self.assertEqual(len(wizard.line_ids), 2)
        self.assertFalse(wizard.line_ids.filtered("eligible"))
        for line in wizard.line_ids:
            self.assertTrue(line.reason, f"{line.employee_id.name} has no reason")
        self.assertIn("2 off shift", wizard.summary)
        self.assertEqual(wizard.summary, wizard.unavailable_note)
        view = self.env.ref("aftersales_dispatch.repair_order_dispatch_suggest_view_form")
        reason = etree.fromstring(view.arch).xpath("//field[@name='line_ids']//field[@name='reason']")[0]
        self.assertFalse(reason.get("column_invisible"), "the reason column is always shown")

    @freeze_time(SATURDAY_10_TEHRAN)
    def test_suggest_wizard_available_scores_and_summary(self):
        """Saturday: the summary counts who can take the order; each score is the sum of its breakdown."""
        wizard = self._suggest(self._pars_order())
        self.assertTrue(wizard.summary.startswith("2 can take it now"), wizard.summary)
        self.assertFalse(wizard.unavailable_note)
        eligible = wizard.line_ids.filtered("eligible")
        self.assertEqual(eligible.employee_id, self.pars_techs)
        for line in eligible:
            self.assertGreater(line.score, 0)
            parts = line.score_distance + line.score_load + line.score_preferred + line.score_skill
            self.assertAlmostEqual(line.score, parts, places=2)
            # the "Why" column says what the score is made of
            self.assertIn(f"load {line.score_load:.2f}", line.reason)
            if round(line.score_distance, 2):
                self.assertIn(f"distance {line.score_distance:.2f}", line.reason)

    @freeze_time(FRIDAY_10_TEHRAN)
    def test_friday_nobody_why_and_when(self):
        """Friday: nobody works; the reply counts the technicians off shift and offers Saturday 08:00."""
        order = self._pars_order()
        self.assertFalse(self.engine.rank_technicians(order))
        explained = self.engine._explain_unassigned(order)[order.id]
        self.assertEqual(explained["counts"], {"off_shift": 2})
        self.assertEqual(explained["slot"], SATURDAY_08_TEHRAN)
        self.assertIn(explained["technician_id"], self.pars_techs.ids)

        wizard, action = self._assign_best(order)
        self.assertFalse(order.technician_id)
        self.assertEqual(action["tag"], "display_notification")
        message = action["params"]["message"]
        self.assertIn("2 off shift", message)
        self.assertIn("Earliest slot: Saturday 5 Dec 2026 08:00", message)
        self.assertEqual(wizard.earliest_slot, SATURDAY_08_TEHRAN)

        message = self._dispatch_all(order)
        self.assertFalse(order.technician_id)
        self.assertIn("0 order(s) dispatched.", message)
        self.assertIn(f"Nobody can take {order.name} now: 2 off shift.", message)
        self.assertIn("Saturday 5 Dec 2026 08:00", message)

    @freeze_time(FRIDAY_10_TEHRAN)
    def test_friday_plan_at_earliest_slot(self):
        """The offered slot can be taken: the order goes to that technician, scheduled on Saturday 08:00."""
        order = self._pars_order()
        wizard, _action = self._assign_best(order)
        wizard.action_plan_earliest()
        self.assertIn(order.technician_id, self.pars_techs)
        self.assertEqual(order.schedule_date, SATURDAY_08_TEHRAN)
        self.assertEqual(order.dispatch_state, "offered")

    @freeze_time(FRIDAY_10_TEHRAN)
    def test_friday_counts_each_reason(self):
        """Skills, declines and leaves are counted apart from the shift."""
        order = self._pars_order()
        amir, behnam = self.pars_techs
        behnam.employee_skill_ids.unlink()
        order.dispatch_declined_technician_ids = amir
        counts = self.engine._explain_unassigned(order)[order.id]["counts"]
        self.assertEqual(counts, {"skill": 1, "declined": 1})
        message = self.engine._explain_unassigned(order)[order.id]["message"]
        self.assertIn("1 missing the skill, 1 declined the order", message)
        self.assertIn("No qualified technician works in the next 31 days", message)

    @freeze_time(NOWRUZ_10_TEHRAN)
    def test_nowruz_counts_leave(self):
        """1 Farvardin is a Sunday, a working day of the week, but a public holiday: on leave, not off shift.

        The earliest slot skips Nowruz (1-4 Farvardin) and the Friday: Thursday 5 Farvardin 08:00.
        """
        order = self._pars_order()
        self.assertFalse(self.engine.rank_technicians(order))
        rejected = self.engine.rank_technicians(order, include_rejected=True)
        self.assertEqual({entry["reason"] for entry in rejected}, {"On leave or public holiday"})
        explained = self.engine._explain_unassigned(order)[order.id]
        self.assertEqual(explained["counts"], {"on_leave": 2})
        self.assertEqual(explained["slot"], FIRST_WORKDAY_1406)
        message = self._dispatch_all(order)
        self.assertIn("2 on leave", message)
        self.assertFalse(order.technician_id)

    @freeze_time(NOWRUZ_10_TEHRAN)
    def test_own_leave_pushes_the_slot(self):
        """A technician's own leave after the holidays is skipped too: the other one is offered."""
        amir, behnam = self.pars_techs
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Trip",
                "calendar_id": self.pars_calendar.id,
                "resource_id": amir.resource_id.id,
                "date_from": MONDAY_2_NOWRUZ,
                "date_to": datetime(2027, 3, 28, 20, 0),
            }
        )
        order = self._pars_order()
        explained = self.engine._explain_unassigned(order)[order.id]
        self.assertEqual((explained["slot"], explained["technician_id"]), (FIRST_WORKDAY_1406, behnam.id))

    # ------------------------------------------------------------------ the English company keeps Monday-Friday

    @freeze_time(SATURDAY_10_TEHRAN)
    def test_saturday_english_order_waits_for_monday(self):
        order = self._order()
        self.assertFalse(self.engine.rank_technicians(order))
        explained = self.engine._explain_unassigned(order)[order.id]
        self.assertEqual(explained["counts"], {"off_shift": 1})
        self.assertEqual((explained["slot"], explained["technician_id"]), (MONDAY_08_LONDON, self.english_tech.id))
        _wizard, action = self._assign_best(order, tz="Europe/London")
        self.assertIn("1 off shift", action["params"]["message"])
        self.assertIn("Monday 7 Dec 2026 08:00", action["params"]["message"])
        message = self._dispatch_all(order)
        self.assertFalse(order.technician_id)
        self.assertIn("1 off shift", message)

    # ------------------------------------------------------------------ Persian reader

    @freeze_time(FRIDAY_10_TEHRAN)
    def test_message_in_persian(self):
        """Persian reader: Persian sentence, Jalali slot with Persian digits, numbers isolated left-to-right."""
        self.env["res.lang"]._activate_lang("fa_IR")
        order = self._pars_order()
        engine = self.engine.with_context(lang="fa_IR", tz="Asia/Tehran")
        message = engine._explain_unassigned(order)[order.id]["message"]
        self.assertIn("\u20662\u2069", message)
        self.assertIn("شنبه ۱۴۰۵/۰۹/۱۴ ۰۸:۰۰", message)

    # ------------------------------------------------------------------ the demo data as shipped

    @freeze_time(SATURDAY_10_TEHRAN)
    def test_demo_persian_company_dispatches_on_saturday(self):
        """The Persian demo company (when demo data is loaded): its technicians work on Saturday."""
        company = self.env.ref("aftersales_service.demo_company_pars", raise_if_not_found=False)
        if not company:
            self.skipTest("demo data not loaded")
        technicians = self.env["hr.employee"].search([("company_id", "=", company.id), ("is_technician", "=", True)])
        self.assertTrue(technicians)
        for calendar in (*technicians.resource_calendar_id, company.resource_calendar_id):
            self.assertEqual(calendar.tz, "Asia/Tehran")
            self.assertEqual(sorted(set(calendar.attendance_ids.mapped("dayofweek"))), ["0", "1", "2", "3", "5", "6"])
            self.assertTrue(calendar.leave_ids.filtered(lambda leave: not leave.resource_id), "public holidays")
        policies = self.env["aftersales.sla.policy"].search([("company_id", "=", company.id)])
        self.assertTrue(policies)
        self.assertEqual(policies.calendar_id, company.resource_calendar_id)
        centre = self.env.ref("aftersales_service.demo_centre_pars_vanak")
        order = (
            self.env["repair.order"]
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": self.env.ref("aftersales_service.demo_partner_pars_fatemeh_nouri").id,
                    "product_id": self.env.ref("aftersales_warranty.demo_product_washing_machine").id,
                    "is_aftersales": True,
                    "service_type_id": self.env.ref("aftersales_service.service_type_repair").id,
                    "service_centre_id": centre.id,
                }
            )
        )
        self.assertEqual(order.sla_policy_id.calendar_id, company.resource_calendar_id)
        self.assertTrue(self.engine.rank_technicians(order), "someone works on Saturday 10:00 in Tehran")
        self._dispatch_all(order)
        self.assertIn(order.technician_id, technicians)
