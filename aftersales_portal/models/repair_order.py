from odoo import fields, models
from odoo.exceptions import UserError, ValidationError


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

    def _portal_save_worklog(
        self,
        values,
        photos_before=(),
        photos_after=(),
        part_codes=(),
        submit=False,
        check_out=False,
        latitude=False,
        longitude=False,
        input_errors=(),
    ):
        """Save the report the technician filled in on the website as a draft, then check out and
        submit it if asked.

        The draft is saved first and each later step runs on its own: a part code that is not
        found, a check-out or a submission that is refused never undoes what was saved before it,
        so a technician loses nothing to an error. Submitting checks out first (end time and
        position stamped) when the technician has not checked out yet: one tap, in the order of
        the work. When something was refused, the report is not submitted, and every reason the
        submission would give is reported at once.

        :param dict values: worklog values (description, result, actions, serial, signature)
        :param photos_before: checked uploads (dicts ``name``, ``mimetype``, ``datas``)
        :param photos_after: idem
        :param part_codes: codes of the parts scanned
        :param submit: send the report for approval (checks out first when needed)
        :param check_out: stamp the end of the work (and the position)
        :param input_errors: what the caller refused in the input (translated texts): the rest is
            still saved on the draft (no new report is opened for it), nothing is submitted
        :return: dict ``worklog``, ``errors`` (translated texts, empty when all went through),
            ``saved`` (whether ``values`` were written) and ``unsaved_codes`` (part codes not added)
        :raise UserError: when the report waits for approval: nothing can be saved
        """
        self.ensure_one()
        errors = list(input_errors)
        if errors and not self._get_portal_open_worklog():
            return {"worklog": self.env["aftersales.worklog"], "errors": errors, "saved": False, "unsaved_codes": []}
        worklog = self._portal_worklog_to_edit()
        result = {"worklog": worklog, "errors": errors, "saved": False, "unsaved_codes": []}
        if photos_before or photos_after:
            self._portal_worklog_step(errors, self._portal_attach_worklog_photos, worklog, photos_before, photos_after)
        result["saved"] = self._portal_worklog_step(errors, worklog.write, dict(values))
        for code in part_codes:
            if not self._portal_worklog_step(errors, worklog.action_scan_part, code):
                result["unsaved_codes"].append(code)
        if (check_out or submit) and not worklog.date_end:
            self._portal_worklog_step(errors, self._portal_check_out, latitude, longitude)
        if submit and errors:
            # not submitted; what the submission would refuse too is told now, not one trip later
            self._portal_worklog_step(errors, worklog._check_submission)
        elif submit:
            self._portal_worklog_step(errors, worklog.action_submit)
        return result

    def _portal_attach_worklog_photos(self, worklog, photos_before, photos_after):
        """Store checked uploads as the worklog's photos before and after the work."""
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": att["name"],
                    "mimetype": att["mimetype"],
                    "datas": att["datas"],
                    "res_model": "aftersales.worklog",
                    "res_id": worklog.id,
                }
                for att in list(photos_before) + list(photos_after)
            ]
        )
        worklog.write(
            {
                "photo_before_ids": [(4, att.id) for att in attachments[: len(photos_before)]],
                "photo_after_ids": [(4, att.id) for att in attachments[len(photos_before) :]],
            }
        )

    def _portal_worklog_step(self, errors, method, *args):
        """Run one step of the portal report in a savepoint; a refusal is added to ``errors``.

        :return: whether the step went through
        """
        try:
            with self.env.cr.savepoint():
                method(*args)
        except (UserError, ValidationError) as error:
            errors.append(str(error))
            return False
        return True

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
