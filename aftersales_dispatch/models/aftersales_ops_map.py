from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.aftersales_service.models.repair_order import OPEN_STATES
from odoo.addons.aftersales_service.tools.public_api import DISPATCHER_GROUP

# notification type of the live operations map on the bus (payload: ids only, see ``_notify_map``)
MAP_BUS_TYPE = "aftersales_ops_map/update"
# fields of a service order whose change redraws it (or its technician) on the map
MAP_ORDER_FIELDS = {"state", "technician_id", "schedule_date", "date_on_the_way", "dispatch_state", "sla_status"}
# fields of a technician whose change moves or recolours their marker
MAP_TECHNICIAN_FIELDS = {
    "last_latitude",
    "last_longitude",
    "last_position_date",
    "service_centre_id",
    "resource_calendar_id",
    "is_technician",
    "active",
}


class AftersalesOpsMap(models.AbstractModel):
    """Live operations map of the back office: one method (``get_map_data``) gathers technicians,
    open orders and today's routes in a fixed number of queries; ``_notify_map`` tells the open maps
    through the bus that something moved."""

    _name = "aftersales.ops.map"
    _description = "After-Sales Operations Map"

    # ------------------------------------------------------------------ public API

    @api.model
    def get_map_data(self, filters=None):
        """Everything the map draws, for dispatchers.

        :param filters: dict with optional ``centre_id``, ``skill_id`` (ids) and ``state`` (technician
            state: ``free``, ``travelling``, ``on_site``, ``off_shift``)
        :return: dict ``technicians``, ``orders``, ``routes``, ``centres``, ``skills``, ``states``,
            ``tiles`` (``url``, ``attribution``) and ``now`` (server time, UTC)
        """
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can open the operations map."))
        filters = filters if isinstance(filters, dict) else {}
        centre_id = self._filter_id(filters.get("centre_id"))
        skill_id = self._filter_id(filters.get("skill_id"))
        state = filters.get("state")
        state = state if isinstance(state, str) and state in dict(self._technician_states()) else False
        centre = self.env["aftersales.service.centre"].browse(centre_id) if centre_id else None
        now = fields.Datetime.now()

        technicians = self._map_technicians(centre, skill_id, state, now)
        orders = self._map_orders(centre, skill_id)
        routes = self._map_route_data(fields.Date.context_today(self), centre, technicians)
        company = self.env.company
        return {
            "technicians": technicians,
            "orders": orders,
            "routes": routes,
            "centres": [
                {"id": c.id, "name": c.display_name}
                for c in self.env["aftersales.service.centre"].search([("company_id", "in", self.env.companies.ids)])
            ],
            "skills": [{"id": s.id, "name": s.display_name} for s in self.env["hr.skill"].search([])],
            "states": [{"id": key, "name": label} for key, label in self._technician_states()],
            "tiles": {
                "url": company.aftersales_map_tile_url or "",
                "attribution": company.aftersales_map_tile_attribution or "",
            },
            "now": fields.Datetime.to_string(now),
        }

    # ------------------------------------------------------------------ hooks

    @api.model
    def _map_routes(self, date, centre=None):
        """The planned route of each technician on ``date``: ``{employee_id: repair.order records}``,
        the technician's open orders scheduled that day (in the user's time zone), in the order they are
        driven to (here: by scheduled date).

        Override hook: a route planner (e.g. ``aftersales_planning``) returns its own order of visits
        here; the map draws a line from the technician's position through the customers' positions in
        the order given. Only orders the user may read are returned; ``centre`` (a
        ``aftersales.service.centre`` record or ``None``) limits them to that centre.
        """
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(date, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        domain = [
            ("technician_id", "!=", False),
            ("state", "in", OPEN_STATES),
            ("schedule_date", ">=", start),
            ("schedule_date", "<", start + timedelta(days=1)),
        ]
        if centre:
            domain.append(("service_centre_id", "=", centre.id))
        orders = self.env["repair.order"].search(domain, order="schedule_date, id")
        routes = defaultdict(lambda: self.env["repair.order"])
        for order in orders:
            routes[order.technician_id.id] |= order
        return dict(routes)

    @api.model
    def _technician_states(self):
        return [
            ("free", self.env._("Free")),
            ("travelling", self.env._("Travelling")),
            ("on_site", self.env._("On Site")),
            ("off_shift", self.env._("Off Shift")),
        ]

    # ------------------------------------------------------------------ bus

    @api.model
    def _notify_map(self, technician_ids=(), order_ids=()):
        """Tell the open maps that these technicians or orders changed: one bus message per transaction,
        sent to the dispatchers' group channel when the transaction commits. The payload holds ids only;
        the map reloads them through ``get_map_data`` with the reader's own access rights."""
        data = self.env.cr.precommit.data
        pending = data.get("aftersales.ops.map")
        if pending is None:
            pending = data["aftersales.ops.map"] = {"technician_ids": set(), "order_ids": set()}

            @self.env.cr.precommit.add
            def send():
                changed = data.pop("aftersales.ops.map", None)
                if not changed:
                    return
                group = self.env.ref(DISPATCHER_GROUP, raise_if_not_found=False)
                if group:
                    self.env["bus.bus"]._sendone(
                        group,
                        MAP_BUS_TYPE,
                        {
                            "technician_ids": sorted(changed["technician_ids"]),
                            "order_ids": sorted(changed["order_ids"]),
                        },
                    )

        pending["technician_ids"].update(i for i in technician_ids if i)
        pending["order_ids"].update(i for i in order_ids if i)

    # ------------------------------------------------------------------ data gathering

    @api.model
    def _filter_id(self, value):
        try:
            return int(value) if value else False
        except (TypeError, ValueError):
            return False

    @api.model
    def _map_technicians(self, centre, skill_id, state, now):
        """Technicians the user may read (public employee records), with position and state."""
        domain = [("is_technician", "=", True), ("company_id", "in", self.env.companies.ids)]
        if centre:
            domain.append(("service_centre_id", "=", centre.id))
        if skill_id:
            domain.append(("employee_skill_ids.skill_id", "=", skill_id))
        employees = self.env["hr.employee.public"].search(domain, order="name, id")
        if not employees:
            return []
        states = self._technician_state_of(employees.ids, now)
        rows = self.env["repair.order"]._read_group(
            [("technician_id", "in", employees.ids), ("state", "in", OPEN_STATES)],
            ["technician_id"],
            ["__count"],
        )
        open_jobs = {employee.id: count for employee, count in rows}
        result = []
        for employee in employees:
            tech_state = states.get(employee.id, "free")
            if state and tech_state != state:
                continue
            result.append(
                {
                    "id": employee.id,
                    "name": employee.name,
                    "latitude": employee.last_latitude,
                    "longitude": employee.last_longitude,
                    "position_date": fields.Datetime.to_string(employee.last_position_date)
                    if employee.last_position_date
                    else False,
                    "state": tech_state,
                    "centre": employee.service_centre_id.display_name or "",
                    "centre_id": employee.service_centre_id.id,
                    "open_jobs": open_jobs.get(employee.id, 0),
                }
            )
        return result

    @api.model
    def _technician_state_of(self, employee_ids, now):
        """``{employee_id: state}``: on site (an order under repair), travelling (on the way to an order
        not started yet), off shift (outside their working time or on leave, as the dispatch engine
        sees it), else free."""
        # sudo: the technicians were read with the user's rights; their jobs in centres the user does not
        # see still make them busy, and only the state derived from them is returned
        orders = (
            self.env["repair.order"]
            .sudo()
            .search_fetch(
                [
                    ("technician_id", "in", employee_ids),
                    "|",
                    ("state", "=", "under_repair"),
                    "&",
                    ("state", "in", ("draft", "confirmed")),
                    ("date_on_the_way", "!=", False),
                ],
                ["technician_id", "state"],
            )
        )
        states = {}
        for order in orders:
            kind = "on_site" if order.state == "under_repair" else "travelling"
            if states.get(order.technician_id.id) != "on_site":
                states[order.technician_id.id] = kind
        engine = self.env["aftersales.dispatch"]
        # the employees were read with the user's rights above; the engine reads their calendars in SQL
        technicians = {
            tid: tech
            for tid, tech in engine._get_technicians(self.env.companies.ids).items()
            if tid in set(employee_ids) and tid not in states
        }
        if technicians:
            available = engine._get_available(technicians, now)
            for tid in technicians:
                states[tid] = "free" if tid in available else "off_shift"
        return states

    @api.model
    def _map_orders(self, centre, skill_id):
        """Open after-sales orders the user may read, with the customer's position, SLA status and tier."""
        domain = [("is_aftersales", "=", True), ("state", "in", OPEN_STATES)]
        if centre:
            domain.append(("service_centre_id", "=", centre.id))
        if skill_id:
            domain.append(("service_type_id.required_skill_ids", "=", skill_id))
        orders = self.env["repair.order"].search(domain, order="schedule_date, id")
        orders.fetch(["name", "partner_id", "sla_status", "aftersales_customer_tier", "technician_id", "schedule_date"])
        sla_labels = dict(self.env["repair.order"]._fields["sla_status"]._description_selection(self.env))
        result = []
        for order in orders:
            partner = order.partner_id
            if not (partner.partner_latitude or partner.partner_longitude):
                continue
            result.append(
                {
                    "id": order.id,
                    "name": order.name,
                    "customer": partner.display_name or "",
                    "latitude": partner.partner_latitude,
                    "longitude": partner.partner_longitude,
                    "sla_status": order.sla_status or "",
                    "sla_label": sla_labels.get(order.sla_status, ""),
                    "vip": order.aftersales_customer_tier == "vip",
                    "technician_id": order.technician_id.id,
                    "technician": order.technician_id.name or "",
                    "schedule_date": fields.Datetime.to_string(order.schedule_date) if order.schedule_date else False,
                }
            )
        return result

    @api.model
    def _map_route_data(self, date, centre, technicians):
        """The routes of ``_map_routes`` as points: technician position, then each customer's."""
        shown = {tech["id"]: tech for tech in technicians}
        routes = []
        for employee_id, orders in self._map_routes(date, centre).items():
            tech = shown.get(employee_id)
            if not tech:
                continue
            points = []
            if tech["latitude"] or tech["longitude"]:
                points.append([tech["latitude"], tech["longitude"]])
            order_ids = []
            for order in orders:
                partner = order.partner_id
                if partner.partner_latitude or partner.partner_longitude:
                    points.append([partner.partner_latitude, partner.partner_longitude])
                    order_ids.append(order.id)
            if len(points) > 1:
                routes.append({"technician_id": employee_id, "order_ids": order_ids, "points": points})
        return routes
