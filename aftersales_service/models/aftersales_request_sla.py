from odoo import fields, models

from .aftersales_sla_policy import SLA_STATUSES

SLA_STATUS_SEVERITY = {"breached": 5, "at_risk": 4, "on_track": 3, "paused": 2, "met": 1}


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"

    sla_response_deadline = fields.Datetime(
        compute="_compute_sla", string="Response Deadline", help="Earliest response deadline of its service orders."
    )
    sla_resolution_deadline = fields.Datetime(
        compute="_compute_sla", string="Resolution Deadline", help="Earliest resolution deadline of its service orders."
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        compute="_compute_sla",
        string="SLA Status",
        help="The worst SLA status of its service orders.",
    )

    def _compute_sla(self):
        rows = (
            self.env["repair.order"]
            .sudo()
            ._read_group(
                [("aftersales_request_id", "in", self.ids), ("sla_policy_id", "!=", False)],
                ["aftersales_request_id", "sla_status"],
                ["sla_response_deadline:min", "sla_resolution_deadline:min"],
            )
        )
        data = {}
        for request, status, response, resolution in rows:
            current = data.setdefault(request.id, {"response": False, "resolution": False, "status": False})
            if response and (not current["response"] or response < current["response"]):
                current["response"] = response
            if resolution and (not current["resolution"] or resolution < current["resolution"]):
                current["resolution"] = resolution
            if SLA_STATUS_SEVERITY.get(status, 0) > SLA_STATUS_SEVERITY.get(current["status"], 0):
                current["status"] = status
        for request in self:
            values = data.get(request.id, {})
            request.sla_response_deadline = values.get("response", False)
            request.sla_resolution_deadline = values.get("resolution", False)
            request.sla_status = values.get("status", False)
