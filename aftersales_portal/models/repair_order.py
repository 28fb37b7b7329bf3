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

    def _portal_worklog_to_edit(self):
        """The worklog the technician may change from the portal: the draft one (a rejected one goes
        back to draft first), else a new one. A report waiting for approval is never changed there.

        :raise UserError: when the last report is submitted
        """
        self.ensure_one()
        worklog = self._get_portal_open_worklog()
        if worklog.state == "submitted":
            raise UserError(
                self.env._(
                    "The work report %(name)s waits for approval: it can no longer be changed.", name=worklog.name
                )
            )
        if not worklog:
            worklog = self.env["aftersales.worklog"].create({"repair_id": self.id})
        if worklog.state == "rejected":
            worklog.action_reset_draft()
        return worklog

    def _portal_save_worklog(self, values, photos_before=(), photos_after=(), part_codes=(), submit=False):
        """Save the report the technician filled in on the website, and submit it if asked.

        :param dict values: worklog values (description, result, actions, serial, signature)
        :param photos_before: checked uploads (dicts ``name``, ``mimetype``, ``datas``)
        :param photos_after: idem
        :param part_codes: codes of the parts scanned
        :return: the worklog
        :raise UserError: when the report waits for approval, or a part or a check is refused
        """
        self.ensure_one()
        worklog = self._portal_worklog_to_edit()
        photos = list(photos_before) + list(photos_after)
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": att["name"],
                    "mimetype": att["mimetype"],
                    "datas": att["datas"],
                    "res_model": "aftersales.worklog",
                    "res_id": worklog.id,
                }
                for att in photos
            ]
        )
        values = dict(values)
        if photos_before:
            values["photo_before_ids"] = [(4, att.id) for att in attachments[: len(photos_before)]]
        if photos_after:
            values["photo_after_ids"] = [(4, att.id) for att in attachments[len(photos_before) :]]
        worklog.write(values)
        for code in part_codes:
            worklog.action_scan_part(code)
        if submit:
            worklog.action_submit()
        return worklog

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
