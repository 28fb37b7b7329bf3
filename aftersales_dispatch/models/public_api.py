"""Public API of the dispatch over Odoo's RPC: ranking, dispatch and the technician's answers, as data.

Thin wrappers on the engine and the buttons, with the caller's rights; they return plain data (never
``None`` nor a window action). See aftersales_service/models/public_api.py for the conventions.
"""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.aftersales_service.models.repair_order import OPEN_STATES

DISPATCHER_GROUP = "aftersales_service.group_aftersales_dispatcher"


class RepairOrder(models.Model):
    _inherit = "repair.order"

    def _api_status(self):
        status = super()._api_status()
        status.update(
            dispatch_state=self.dispatch_state,
            dispatch_offer_date=fields.Datetime.to_string(self.dispatch_offer_date) or False,
            date_on_the_way=fields.Datetime.to_string(self.date_on_the_way) or False,
            eta_date=fields.Datetime.to_string(self.eta_date) or False,
            travel_distance_km=self.travel_distance_km,
        )
        return status

    def _api_check_dispatcher(self):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can rank technicians or dispatch service orders."))

    def dispatch_ranking(self, include_rejected=False):
        """The technicians ranked for this order, best first, with their scores and the reasons.

        Who: dispatchers (the same users as the *Suggest Technicians* wizard), on orders they may read.

        :param include_rejected: also list the technicians the hard filters excluded, with the reason
        :return: list of dicts ``employee_id``, ``name``, ``rank`` (0 when excluded), ``eligible``,
            ``reason``, ``score``, ``distance_km`` (``False`` when a position is unknown), ``load``,
            ``jobs_today``, ``max_jobs``, ``skill`` (0-1), ``preferred``, ``breakdown``
            (``{"distance", "load", "preferred", "skill"}`` score parts)
        """
        self.ensure_one()
        self._api_check_dispatcher()
        self.check_access("read")
        if self.state not in OPEN_STATES:
            raise UserError(self.env._("Service order %(name)s is closed.", name=self.name))
        ranking = self.env["aftersales.dispatch"].rank_technicians(self, include_rejected=bool(include_rejected))
        result = []
        rank = 0
        for entry in ranking:
            rank += 1 if entry["eligible"] else 0
            row = dict(entry, rank=rank if entry["eligible"] else 0)
            row["distance_km"] = entry["distance_km"] if entry["distance_km"] is not None else False
            row["reason"] = str(entry["reason"] or "")
            row["breakdown"] = {key: float(value) for key, value in entry["breakdown"].items()}
            result.append(row)
        return result

    def api_dispatch(self):
        """Dispatch these unassigned open orders to the best technicians (batch assignment).

        Who: dispatchers, on orders they may edit.

        :return: ``{"assigned": [{"order_id", "employee_id"}], "unassigned": [{"order_id", "message"}]}``
        """
        self._api_check_dispatcher()
        self.check_access("write")
        closed = self.filtered(lambda o: o.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._("Only open orders can be dispatched: %(names)s", names=", ".join(closed.mapped("name")))
            )
        engine = self.env["aftersales.dispatch"]
        plan = engine.dispatch_orders(self)
        left = self.filtered(lambda o: not o.technician_id)
        explained = engine._explain_unassigned(left) if left else {}
        return {
            "assigned": [{"order_id": order_id, "employee_id": employee_id} for order_id, employee_id in plan.items()],
            "unassigned": [{"order_id": order.id, "message": str(explained[order.id]["message"])} for order in left],
        }

    def api_assign(self, employee_id):
        """Assign this order to a chosen technician (manual override of the ranking).

        Who: dispatchers, on orders they may edit.

        :return: the order's status dict
        """
        self.ensure_one()
        self._api_check_dispatcher()
        self.check_access("write")
        employee = self.env["hr.employee"].sudo().browse(self.env["aftersales.request"]._as_id(employee_id)).exists()
        if not employee:
            raise UserError(self.env._("Choose an existing technician."))
        self._check_assignable(employee)
        self.env["aftersales.dispatch"].assign(self, employee)
        return self._api_status()

    def api_accept(self):
        """The offered technician accepts the job.

        Who: the offered technician, or a dispatcher.

        :return: the order's status dict
        """
        self.ensure_one()
        self.check_access("read")
        self.action_dispatch_accept()
        return self._api_status()

    def api_decline(self, reason=False):
        """The offered technician declines the job; it is offered to the next best technician.

        Who: the offered technician, or a dispatcher.

        :return: ``{"order_id": id, "declined": True}`` (the decliner may no longer read the order)
        """
        self.ensure_one()
        self.check_access("read")
        if reason and not isinstance(reason, str):
            raise UserError(self.env._("Give the reason as a text."))
        self.action_dispatch_decline(reason)
        return {"order_id": self.id, "declined": True}

    def api_on_my_way(self, latitude=False, longitude=False):
        """The technician leaves for the customer: the ETA is computed and the customer told.

        Who: the assigned technician, or a dispatcher.

        :return: the order's status dict (``eta_date``, ``travel_distance_km``)
        """
        self.ensure_one()
        self.action_on_my_way(latitude, longitude)
        return self._api_status()
