from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.aftersales_service.tools.public_api import DISPATCHER_GROUP

# context key set by ``get_map_data`` itself (never taken from the client as is: ``_map_preview_plan``
# reads the plan again with the user's rights)
PLAN_PREVIEW_KEY = "aftersales_map_plan_id"


class AftersalesOpsMap(models.AbstractModel):
    """The operations map previews a route plan: ``filters["plan_id"]`` draws the plan's routes (each
    technician through their visits in the plan's order, with the planned times) on the plan's centre
    instead of today's scheduled orders."""

    _inherit = "aftersales.ops.map"

    @api.model
    def get_map_data(self, filters=None):
        """As the live map, plus ``filters["plan_id"]``: a route plan the user may read (company record
        rules); the map is then limited to the plan's centre, its routes are the plan's and ``plan`` in
        the result names it (``id``, ``name``, ``date``, ``state``); ``plan`` is ``False`` otherwise.

        :raise AccessError: the plan belongs to a company the user does not work in
        """
        if not self.env.user.has_group(DISPATCHER_GROUP):
            return super().get_map_data(filters)  # refused there, before any plan is read
        filters = dict(filters) if isinstance(filters, dict) else {}
        plan = self._map_plan_from_filters(filters.get("plan_id"))
        if plan:
            filters["centre_id"] = plan.service_centre_id.id
        # the key is always set here, so that a value sent by the client in its context is never used
        data = super(AftersalesOpsMap, self.with_context(**{PLAN_PREVIEW_KEY: plan.id or False})).get_map_data(filters)
        data["plan"] = False
        if plan:
            data["plan"] = {
                "id": plan.id,
                "name": plan.name,
                "date": fields.Date.to_string(plan.date),
                "state": plan.state,
                "state_label": dict(plan._fields["state"]._description_selection(self.env)).get(plan.state, ""),
            }
            self._map_add_planned_times(plan, data)
        return data

    @api.model
    def _map_plan_from_filters(self, value):
        """The plan of ``value`` read with the user's rights, an empty record when ``value`` is not an
        id or the plan is gone; AccessError when the user may not read it (another company's plan)."""
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
            return self.env["aftersales.plan"]
        plan_id = value
        plan = self.env["aftersales.plan"].browse(plan_id).exists()
        if plan:
            plan.check_access("read")
        return plan

    @api.model
    def _map_preview_plan(self):
        """The plan being previewed by this ``get_map_data`` call, read again with the user's rights."""
        return self._map_plan_from_filters(self.env.context.get(PLAN_PREVIEW_KEY))

    @api.model
    def _map_routes(self, date, centre=None):
        """While a plan is previewed: its technicians' visits in the plan's order (the plan's own day,
        whatever ``date``), the visits of orders the user may read only."""
        plan = self._map_preview_plan()
        if not plan or (centre and plan.service_centre_id != centre):
            return super()._map_routes(date, centre)
        visits = plan.visit_ids.filtered(lambda v: v.technician_id).sorted(
            lambda v: (v.sequence, v.planned_start or fields.Datetime.now(), v.id)
        )
        readable = visits.order_id._filtered_access("read")
        routes = defaultdict(lambda: self.env["repair.order"])
        for visit in visits:
            if visit.order_id in readable:
                routes[visit.technician_id.id] |= visit.order_id
        return dict(routes)

    @api.model
    def _map_add_planned_times(self, plan, data):
        """Each order of the plan shown on the map gets its planned arrival and technician."""
        visits = {visit.order_id.id: visit for visit in plan.visit_ids}
        for order in data["orders"]:
            visit = visits.get(order["id"])
            if not visit:
                continue
            order["planned_start"] = fields.Datetime.to_string(visit.planned_start) if visit.planned_start else False
            order["planned_technician"] = visit.technician_id.name or ""
            order["planned_sequence"] = visit.sequence
