from odoo import fields, models
from odoo.exceptions import UserError


class RepairOrder(models.Model):
    _inherit = "repair.order"

    def _get_portal_open_worklog(self):
        """The worklog the technician is filling in (draft, rejected or waiting for approval)."""
        self.ensure_one()
        return self.env["aftersales.worklog"].search(
            [("repair_id", "=", self.id), ("state", "in", ("draft", "rejected", "submitted"))],
            order="id desc",
            limit=1,
        )

    def _portal_check_in(self, latitude=False, longitude=False):
        """The technician arrives: the order starts (time and position stamped), a worklog opens.

        On site the device is at the customer's, not in a warehouse: the order is confirmed
        without the workshop's stock check of the unit itself.
        """
        self.ensure_one()
        if self.state not in ("draft", "confirmed", "under_repair"):
            raise UserError(self.env._("The order %(name)s is closed.", name=self.name))
        if self.state == "draft":
            self._action_repair_confirm()
        if self.state == "confirmed":
            self.action_start(latitude, longitude)
        worklog = self._get_portal_open_worklog()
        if not worklog:
            worklog = self.env["aftersales.worklog"].create(
                {
                    "repair_id": self.id,
                    "date_start": fields.Datetime.now(),
                    "latitude": latitude,
                    "longitude": longitude,
                }
            )
        return worklog

    def _portal_check_out(self, latitude=False, longitude=False):
        """The technician leaves: end time of the worklog; the order stays open until approval."""
        self.ensure_one()
        worklog = self._get_portal_open_worklog()
        if not worklog or worklog.state not in ("draft", "rejected"):
            raise UserError(self.env._("Check in before checking out (%(name)s).", name=self.name))
        worklog.write({"date_end": fields.Datetime.now()})
        if latitude or longitude:
            self._update_technician_position(latitude, longitude)
        return worklog
