"""Live operations map: the data method (access, filters, states, routes), the bus notification on a
position change, and the dispatcher's map in Chromium with a live update through the bus.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep PNGs of the map in English and in Persian.
"""

from datetime import datetime, time, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.aftersales_service.tests.screenshots import save_shot, screenshot_folder, settle
from odoo.addons.bus.models.bus import ImBus, channel_with_db, dispatch, hashable
from odoo.addons.bus.websocket import WebsocketConnectionHandler

from ..models.aftersales_ops_map import MAP_BUS_TYPE
from .common import DispatchCommon

MAP_READY = "!!document.querySelector('.o_ops_map .o_ops_map_canvas .leaflet-marker-icon')"


@tagged("post_install", "-at_install")
class TestOpsMapData(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech_a = cls._technician("Reza Ahmadi", 35.70, 51.40, login="map_tech_a")
        cls.tech_b = cls._technician("Sara Bahrami", 35.72, 51.42)
        cls.tech_far = cls._technician("Kaveh Isfahani", 32.65, 51.67, centre=cls.other_centre)
        cls.vip = cls.env["res.partner"].create(
            {"name": "VIP Customer", "partner_latitude": 35.75, "partner_longitude": 51.45, "aftersales_tier": "vip"}
        )

    def _morning(self):
        """Ten in the morning today (UTC): the orders scheduled in the next half hour are today's, whatever
        the hour the tests run (after 23:30 the later one fell on tomorrow and left today's route)."""
        self.enterContext(freeze_time(datetime.combine(fields.Date.today(), time(10))))

    def _map(self, user=None, **filters):
        return self.env["aftersales.ops.map"].with_user(user or self.dispatcher).get_map_data(filters)

    def test_technician_cannot_read_map(self):
        """Attack: a technician calls the map's RPC method to see where colleagues are."""
        with self.assertRaises(AccessError):
            self._map(self.tech_a.user_id)

    def test_map_data(self):
        self._morning()
        now = fields.Datetime.now()
        later = self._order(schedule_date=now + timedelta(minutes=30))
        first = self._order(partner=self.vip, schedule_date=now + timedelta(minutes=5))
        engine = self.env["aftersales.dispatch"]
        engine.assign(later, self.tech_a)
        engine.assign(first, self.tech_a)
        started = self._order()
        engine.assign(started, self.tech_b)
        started.sudo().write({"state": "under_repair"})
        data = self._map()
        technicians = {tech["id"]: tech for tech in data["technicians"]}
        self.assertLessEqual({self.tech_a.id, self.tech_b.id, self.tech_far.id}, set(technicians))
        self.assertEqual(technicians[self.tech_b.id]["state"], "on_site")
        self.assertEqual(technicians[self.tech_a.id]["state"], "free", "24/7 calendar, nothing started")
        self.assertAlmostEqual(technicians[self.tech_a.id]["latitude"], 35.70)
        orders = {order["id"]: order for order in data["orders"]}
        self.assertLessEqual({later.id, first.id, started.id}, set(orders))
        self.assertTrue(orders[first.id]["vip"])
        self.assertFalse(orders[later.id]["vip"])
        route = next(route for route in data["routes"] if route["technician_id"] == self.tech_a.id)
        self.assertEqual(route["order_ids"][:2], [first.id, later.id], "the route follows the scheduled times")
        self.assertEqual(route["points"][0], [35.70, 51.40], "the route starts at the technician")
        self.assertTrue(data["tiles"]["url"].startswith("https://"))
        # filters
        centre_ids = {tech["id"] for tech in self._map(centre_id=self.other_centre.id)["technicians"]}
        self.assertIn(self.tech_far.id, centre_ids)
        self.assertNotIn(self.tech_a.id, centre_ids)
        on_site = {tech["id"] for tech in self._map(state="on_site")["technicians"]}
        self.assertIn(self.tech_b.id, on_site)
        self.assertNotIn(self.tech_a.id, on_site)
        skilled = {tech["id"] for tech in self._map(skill_id=self.skill_fridge.id)["technicians"]}
        self.assertNotIn(self.tech_a.id, skilled)
        # garbage filters are ignored, not a server error
        self.assertTrue(self._map(centre_id="x", state=["nope"], skill_id=[1])["technicians"])

    def test_queries_do_not_grow_with_markers(self):
        """One batch per kind of data: ten more technicians and orders cost no more queries (23 here)."""

        def queries():
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            self._map()  # warm the caches (access rules, translations)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._map()
            return self.env.cr.sql_log_count - before

        self._morning()
        now = fields.Datetime.now()

        def add(count, offset):
            for index in range(count):
                tech = self._technician(f"Extra {offset + index}", 35.6 + index / 100, 51.3, max_jobs=20)
                partner = self.customer.copy({"partner_latitude": 35.7 + index / 100, "partner_longitude": 51.5})
                order = self._order(partner=partner, schedule_date=now + timedelta(minutes=10 + index))
                self.env["aftersales.dispatch"].assign(order, tech)

        add(2, 0)
        few = queries()
        add(10, 100)
        many = queries()
        self.assertLessEqual(many, few, f"{few} queries with 2 more markers, {many} with 12 more")

    def test_off_shift(self):
        self.tech_b.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": "Never", "tz": "UTC", "attendance_ids": [(5, 0, 0)]}
        )
        technicians = {tech["id"]: tech for tech in self._map()["technicians"]}
        self.assertEqual(technicians[self.tech_b.id]["state"], "off_shift")

    def test_position_change_is_published(self):
        """A position posted for the technician's own order reaches the dispatchers' channel, ids only."""
        order = self._order()
        self.env["aftersales.dispatch"].assign(order, self.tech_a)
        self.env.cr.precommit.run()
        sent = []
        original = ImBus._sendone

        def sendone(bus, target, notification_type, message):
            sent.append((target, notification_type, message))
            return original(bus, target, notification_type, message)

        with patch.object(ImBus, "_sendone", sendone):
            order.with_user(self.tech_a.user_id)._update_technician_position(35.9, 51.9)
            self.env.cr.precommit.run()
        maps = [entry for entry in sent if entry[1] == MAP_BUS_TYPE]
        self.assertEqual(len(maps), 1, "one message per transaction")
        target, _type, payload = maps[0]
        self.assertEqual(target, self.env.ref("aftersales_service.group_aftersales_dispatcher"))
        self.assertEqual(payload["technician_ids"], [self.tech_a.id])
        self.assertEqual(set(payload), {"technician_ids", "order_ids"}, "no position or name on the bus")

    def test_show_on_map_action(self):
        public = self.env["hr.employee.public"].with_user(self.dispatcher).browse(self.tech_a.id)
        action = public.action_aftersales_show_on_map()
        self.assertEqual(action["tag"], "aftersales_ops_map")
        self.assertEqual(action["params"], {"technician_id": self.tech_a.id})


@tagged("post_install", "-at_install")
class TestOpsMapTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # websockets are off in tests by default: the map's live update needs the bus
        cls.startClassPatcher(patch.object(WebsocketConnectionHandler, "websocket_allowed", return_value=True))

    def setUp(self):
        super().setUp()
        original = ImBus._sendone

        def sendone(bus, target, notification_type, message):
            # the test cursor never commits: wake the websockets of the channel once the bus rows exist
            original(bus, target, notification_type, message)
            channel = hashable(channel_with_db(bus.env.cr.dbname, target))

            @bus.env.cr.precommit.add
            def wake():
                for websocket in list(dispatch._channels_to_ws.get(channel, ())):
                    websocket.trigger_notification_dispatching()

        self.patch(ImBus, "_sendone", sendone)

    def _prepare(self, login):
        """The demo company of ``login`` with every technician at a position (around Tehran), working
        around the clock, every open order's customer placed on the map and one order assigned, not
        yet on the way, planned today (its technician's route)."""
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest("without demo data")
        company = user.company_id
        technicians = self.env["hr.employee"].search(
            [("company_id", "=", company.id), ("is_technician", "=", True)], order="id"
        )
        orders = self.env["repair.order"].search(
            [("company_id", "=", company.id), ("is_aftersales", "=", True), ("state", "in", ("draft", "confirmed"))],
            order="id",
        )
        if not technicians or not orders:
            self.skipTest(f"no technician or open order in {company.name}")
        # the demo technicians work around the clock, whatever the hour of the run
        technicians.write({"resource_calendar_id": False})
        now = fields.Datetime.now()
        for index, technician in enumerate(technicians.filtered(lambda t: not t.last_latitude)):
            technician.write(
                {
                    "last_latitude": 35.69 + 0.02 * index,
                    "last_longitude": 51.33 + 0.03 * index,
                    "last_position_date": now,
                }
            )
        for index, partner in enumerate(orders.partner_id.filtered(lambda p: not p.partner_latitude)):
            partner.write({"partner_latitude": 35.72 + 0.015 * index, "partner_longitude": 51.38 + 0.02 * index})
        order = orders.filtered(lambda o: o.technician_id and not o.date_on_the_way)[:1]
        if not order:
            order = orders.filtered(lambda o: not o.technician_id)[:1]
            ranking = self.env["aftersales.dispatch"].rank_technicians(order)
            if not ranking:
                self.skipTest(f"no technician can take {order.name}")
            self.env["aftersales.dispatch"].assign(order, technicians.browse(ranking[0]["employee_id"]))
        order.schedule_date = now + timedelta(hours=1)
        self.env.flush_all()
        return user, order

    def _tour(self, login):
        user, order = self._prepare(login)
        self.start_tour(
            "/odoo/action-aftersales_dispatch.aftersales_ops_map_action", "aftersales_ops_map_tour", login=login
        )
        technician = order.technician_id
        technician.invalidate_recordset()
        self.assertAlmostEqual(technician.last_latitude, 35.65432, places=5, msg="the position was posted")
        self._screenshot(user, login)

    def _screenshot(self, user, login):
        folder = screenshot_folder()
        if not folder:
            return
        browser = ChromeBrowser(self)
        try:
            self.authenticate(login, login, browser=browser)
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            )
            browser.navigate_to(self.base_url() + "/odoo/action-aftersales_dispatch.aftersales_ops_map_action")
            browser._wait_ready(MAP_READY, timeout=60)
            settle(browser, 2000)
            save_shot(browser, folder, f"ops_map_{login}_{user.lang}")
            browser.navigate_to(self.base_url() + "/odoo/action-aftersales_dispatch.repair_order_action_day_plan")
            browser._wait_ready("!!document.querySelector('.o_timeline_view, .o_view_nocontent')", timeout=60)
            settle(browser, 2000)
            save_shot(browser, folder, f"day_plan_{login}_{user.lang}")
            browser.navigate_to(self.base_url() + "/odoo/aftersales-technician-board")
            browser._wait_ready("!!document.querySelector('.o_list_view .o_data_row')", timeout=60)
            settle(browser, 1000)
            save_shot(browser, folder, f"technician_board_{login}_{user.lang}")
        finally:
            browser.stop()
            self._wait_remaining_requests()

    def test_day_plan_drop(self):
        """The timeline's drop, as web_timeline sends it, goes through action_plan_move: refused with the
        reason onto a technician off shift, done onto one at work."""
        user = self.env["res.users"].search([("login", "=", "dispatcher")])
        if not user:
            self.skipTest("without demo data")
        company = user.company_id
        centre = self.env["aftersales.service.centre"].create(
            {"name": "Tour Centre", "code": "TOUR", "company_id": company.id}
        )
        never = self.env["resource.calendar"].create(
            {"name": "Never", "company_id": company.id, "attendance_ids": [(5, 0, 0)]}
        )
        common = {"is_technician": True, "company_id": company.id, "service_centre_id": centre.id}
        night = self.env["hr.employee"].create(
            dict(common, name="Tour Night Technician", resource_calendar_id=never.id)
        )
        day = self.env["hr.employee"].create(dict(common, name="Tour Day Technician", resource_calendar_id=False))
        first = self.env["hr.employee"].create(dict(common, name="Tour First Technician", resource_calendar_id=False))
        partner = self.env["res.partner"].create({"name": "Tour Customer", "company_id": company.id})
        product = self.env["product.product"].create({"name": "Tour Unit", "type": "consu"})
        order = self.env["repair.order"].create(
            {
                "name": "TOUR-PLAN",
                "company_id": company.id,
                "partner_id": partner.id,
                "product_id": product.id,
                "is_aftersales": True,
                "service_centre_id": centre.id,
                "schedule_date": fields.Datetime.now() + timedelta(minutes=30),
            }
        )
        self.env["aftersales.dispatch"].assign(order, first)
        self.env.flush_all()
        self.start_tour(
            "/odoo/action-aftersales_dispatch.repair_order_action_day_plan",
            "aftersales_day_plan_tour",
            login="dispatcher",
        )
        order.invalidate_recordset()
        self.assertEqual(order.technician_id, day, "the move within the shift went through")
        self.assertNotEqual(order.technician_id, night)

    def test_ops_map_english(self):
        self._tour("dispatcher")

    def test_ops_map_persian(self):
        self._tour("pars_manager")
