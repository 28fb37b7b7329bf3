import base64
import binascii
import re
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from ..tools import parse_coordinate, parse_id, text_error, text_problem

PNG_DATA_URL = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_B64 = 2 * 1024 * 1024
MAX_PART_CODES = 50
# the key a phone generates for one offline submission (a UUID, or a random text of the same kind)
SYNC_KEY = re.compile(r"^[A-Za-z0-9-]{16,64}$")
# a draft older than this checks out at the time it is received
SYNC_MAX_AGE_DAYS = 7


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

    # ------------------------------------------------------------------ portal job page
    def _portal_job_step(self, step, latitude=False, longitude=False, reason=None):
        """One button of the technician's job page: ``accept``, ``accept_go`` (accept and leave at once:
        the job of the day, one tap), ``decline`` (with ``reason``), ``on_my_way``, ``check_in`` or
        ``check_out`` (the route allows no other); runs in a savepoint, so that a refusal leaves nothing
        half-written.

        Called by the portal on the order as superuser once the signed-in user is its technician:
        the dispatch and stock steps behind these buttons write models a portal technician has no
        rights on.

        :raise UserError: when the reason cannot be stored or the step is refused now
        """
        self.ensure_one()
        problem = text_problem(reason, 1000, multiline=True)
        if problem:
            raise UserError(text_error(self.env, self.env._("Reason"), problem, 1000))
        steps = {
            "accept": self.action_dispatch_accept,
            "accept_go": lambda: self._portal_accept_and_go(latitude, longitude),
            "decline": lambda: self.action_dispatch_decline(reason),
            "on_my_way": lambda: self.action_on_my_way(latitude, longitude),
            "check_in": lambda: self._portal_check_in(latitude, longitude),
            "check_out": lambda: self._portal_check_out(latitude, longitude),
        }
        with self.env.cr.savepoint():
            steps[step]()
        return True

    def _portal_accept_and_go(self, latitude=False, longitude=False):
        """Accept the offered job and leave for it at once (the customer is told: on the way)."""
        self.action_dispatch_accept()
        self.action_on_my_way(latitude, longitude)

    def _portal_van_parts(self, worklog, limit=12):
        """The parts the technician can add with one tap on the job page: those in stock where the
        worklog takes its parts from (the van) that fit the order's product and have a code to scan.

        :return: list of dicts ``code``, ``name``, ``quantity`` (on hand), most stocked first
        """
        self.ensure_one()
        location = worklog.part_location_id
        if not location:
            return []
        # sudo: the page's caller checked the technician; a portal technician has no stock rights
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [("location_id", "child_of", location.id), ("quantity", ">", 0)],
                order="quantity desc, id",
                limit=200,
            )
        )
        parts, seen = [], set()
        for quant in quants:
            product = quant.product_id
            code = product.default_code or product.barcode
            if product in seen or not code or not product.product_tmpl_id._aftersales_fits(self.product_id):
                continue
            seen.add(product)
            on_hand = sum(quants.filtered(lambda q, p=product: q.product_id == p).mapped("quantity"))
            parts.append({"code": code, "name": product.name, "quantity": f"{on_hand:g}"})
            if len(parts) == limit:
                break
        return parts

    def _portal_post_worklog(
        self, post, action_ids=(), photos_before=(), photos_after=(), upload_errors=(), date_end=None
    ):
        """The work report as the technician posted it from the job page: every input is checked,
        what can be stored is saved on the draft, then the report is checked out and submitted
        when asked (see ``_portal_save_worklog``, which never loses what was saved).

        :param dict post: the posted form: ``work_description``, ``result``, ``lot_name_confirmed``,
            ``signed_by``, ``signature`` (PNG data URL), ``part_codes`` (separated by blanks),
            ``submit``, ``check_out``, ``latitude``, ``longitude``; any value may be of any type
        :param action_ids: the ticked actions, as posted (unknown ids are dropped)
        :param photos_before: uploads already checked (dicts ``name``, ``mimetype``, ``datas``)
        :param photos_after: idem
        :param upload_errors: what the upload check refused (translated texts)
        :param date_end: end of the work when checked out from a report drafted offline (see
            ``_portal_sync_worklog``); now otherwise
        :return: the dict of ``_portal_save_worklog`` plus ``values`` (the checked worklog values),
            ``refused_codes`` (the part codes refused as input) and ``message`` (what to tell the
            technician when all went through)
        """
        self.ensure_one()
        errors = list(upload_errors)
        values = self._portal_worklog_vals(post, action_ids, errors)
        part_codes = post.get("part_codes").split() if isinstance(post.get("part_codes"), str) else []
        refused_codes = []
        if len(part_codes) > MAX_PART_CODES or any(text_problem(code, 64) for code in part_codes):
            errors.append(self.env._("Scan or type at most 50 part codes, letters and digits only."))
            refused_codes, part_codes = part_codes, []
        submit, check_out = bool(post.get("submit")), bool(post.get("check_out"))
        try:
            result = self._portal_save_worklog(
                values,
                photos_before=photos_before,
                photos_after=photos_after,
                part_codes=part_codes,
                submit=submit,
                check_out=check_out,
                latitude=parse_coordinate(post.get("latitude"), 90),
                longitude=parse_coordinate(post.get("longitude"), 180),
                input_errors=errors,
                date_end=date_end,
            )
        except (UserError, ValidationError) as error:
            result = {"errors": [str(error)], "saved": False, "unsaved_codes": part_codes}
        result.update(values=values, refused_codes=refused_codes, message=False)
        if result["errors"]:
            return result
        if submit:
            # say what became of it: approved automatically (QC off) or waiting for approval
            result["message"] = result["worklog"]._get_submitted_message()
        elif check_out:
            result["message"] = self.env._("Checked out. The report is saved.")
        else:
            result["message"] = self.env._("Report saved.")
        return result

    def _portal_worklog_vals(self, post, action_ids, errors):
        """Worklog values of the posted report; each field that cannot be stored adds to ``errors``
        and is left out, the others are kept (they are saved on the draft)."""
        env = self.env
        values = {}
        texts = {
            "work_description": (env._("Notes"), 4000, True),
            "lot_name_confirmed": (env._("Serial"), 64, False),
            "signed_by": (env._("Signed by"), 128, False),
        }
        for key, (label, max_length, multiline) in texts.items():
            problem = text_problem(post.get(key), max_length, multiline=multiline)
            if problem:
                errors.append(text_error(env, label, problem, max_length))
        if "work_description" in post and not text_problem(post["work_description"], 4000, multiline=True):
            values["work_description"] = post["work_description"]
        if post.get("result") in self._portal_worklog_results():
            values["result"] = post["result"]
        if "lot_name_confirmed" in post and not text_problem(post["lot_name_confirmed"], 64):
            values["lot_name_confirmed"] = post["lot_name_confirmed"].strip() or False
        actions = env["aftersales.worklog.action"].browse([i for i in map(parse_id, action_ids) if i]).exists()
        values["action_ids"] = [(6, 0, actions.ids)]
        signature = self._portal_signature_png(post.get("signature"), errors)
        if signature:
            values["signature"] = signature
            if not text_problem(post.get("signed_by"), 128):
                values["signed_by"] = post.get("signed_by") or False
        return values

    def _portal_worklog_results(self):
        """``{value: label}`` of the results a technician may choose on the job page."""
        Worklog = self.env["aftersales.worklog"]
        return dict(Worklog._fields["result"]._description_selection(self.env))

    def _portal_signature_png(self, data_url, errors):
        """The base64 PNG of the signature drawn on the form, or ``False`` (an error added to
        ``errors`` when it claims to be a PNG and is not one, or is too large)."""
        if not isinstance(data_url, str) or not data_url.startswith(PNG_DATA_URL):
            return False
        data = data_url[len(PNG_DATA_URL) :]
        if len(data) > MAX_SIGNATURE_B64:
            errors.append(self.env._("The signature is too large."))
            return False
        try:
            head = base64.b64decode(data, validate=True)[:16]
        except (binascii.Error, ValueError):
            head = b""
        if head[:8] != PNG_MAGIC:
            errors.append(self.env._("The signature is not a valid image."))
            return False
        return data

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
        date_end=None,
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
            self._portal_worklog_step(errors, self._portal_check_out, latitude, longitude, date_end)
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

    def _portal_check_out(self, latitude=False, longitude=False, date_end=None):
        """The technician leaves: end time of the worklog (``date_end``, already checked, or now);
        the order stays open until approval."""
        self.ensure_one()
        worklog = self._get_portal_open_worklog()
        if not worklog or worklog.state not in ("draft", "rejected"):
            raise UserError(self.env._("Check in before checking out (%(name)s).", name=self.name))
        worklog.write({"date_end": date_end or fields.Datetime.now()})
        if latitude or longitude:
            self._update_technician_position(latitude, longitude)
        return worklog

    # ------------------------------------------------------------------ offline drafts (technician app)
    def _portal_sync_worklog(self, client_key, post, worklog_id=None, action_ids=(), drafted_at=None, **uploads):
        """Apply a work report drafted offline on the technician's phone, exactly once.

        ``client_key`` is the key the phone generated for this submission: it is stored on the
        worklog (unique per company and user), so a retry of a submission already received is
        answered ``duplicate`` and applies nothing a second time (no second worklog, no photo
        attached twice). The key is looked up among the signed-in user's own worklogs only: it
        never finds, nor tells anything of, another user's report.

        The submission is refused (``conflict``, the phone keeps the draft and shows why) when the
        order changed meanwhile: no longer the user's (re-assigned), closed or cancelled, or its
        report not the one the draft was written on (``worklog_id``) or waiting for approval.

        Called by the portal on the order as superuser, the signed-in user being ``self.env.user``
        (never an identity from the payload).

        :param post: the posted form, as for ``_portal_post_worklog``
        :param worklog_id: id of the worklog the draft was written on (as posted), if any
        :param drafted_at: when the phone saved the draft (UTC, as posted): the end of the work
            when the draft checks out, if it falls between the start of the work and now (and
            within a week); the time of the sync otherwise
        :param uploads: ``photos_before``, ``photos_after``, ``upload_errors`` as for
            ``_portal_post_worklog``
        :return: dict ``status`` (``ok``, ``duplicate``, ``conflict``, ``invalid``), ``message``,
            ``errors`` (translated texts) and ``worklog``
        """
        self.ensure_one()
        env = self.env
        user = env.user
        Worklog = env["aftersales.worklog"]
        answer = {"status": "invalid", "message": "", "errors": [], "worklog": Worklog}
        if not isinstance(client_key, str) or not SYNC_KEY.match(client_key):
            answer["errors"] = [env._("This submission has no valid key: save it again from the job page.")]
            return answer
        done = Worklog.search(
            [("sync_key", "=", client_key), ("sync_user_id", "=", user.id), ("company_id", "=", self.company_id.id)],
            limit=1,
        )
        if done:
            if done.repair_id != self:
                answer["errors"] = [env._("This submission key was already used: save the report again.")]
                return answer
            answer.update(
                status="duplicate",
                worklog=done,
                message=env._("The report %(name)s was already received.", name=done.name),
            )
            return answer
        conflict = self._portal_sync_conflict(user, worklog_id)
        if conflict:
            answer.update(status="conflict", errors=[conflict])
            return answer
        worklog = self._portal_worklog_to_edit()
        # the key is written (and the row locked) before the report: a retry sent at the same
        # time waits, then fails on the unique key, and is answered ``duplicate`` when retried
        worklog.write({"sync_key": client_key, "sync_user_id": user.id})
        worklog.flush_recordset(["sync_key", "sync_user_id"])
        date_end = self._portal_sync_date_end(worklog, drafted_at)
        result = self._portal_post_worklog(post, action_ids=action_ids, date_end=date_end, **uploads)
        answer.update(worklog=worklog, errors=result["errors"], message=result["message"] or "")
        answer["status"] = "invalid" if result["errors"] else "ok"
        return answer

    @staticmethod
    def _portal_sync_date_end(worklog, drafted_at):
        """The end of the work a draft written offline tells (see ``_portal_sync_worklog``), or ``None``."""
        if not isinstance(drafted_at, str) or len(drafted_at) > 32:
            return None
        try:
            moment = fields.Datetime.to_datetime(drafted_at.replace("T", " ")[:19])
        except ValueError:
            return None
        now = fields.Datetime.now()
        earliest = max(worklog.date_start or now, now - timedelta(days=SYNC_MAX_AGE_DAYS))
        return moment if moment and earliest < moment <= now else None

    def _portal_sync_conflict(self, user, worklog_id=None):
        """Why a report drafted offline can no longer be applied to this order, or ``False``."""
        self.ensure_one()
        env = self.env
        if self.technician_user_id != user:
            return env._("The job %(name)s is no longer yours: your report was not sent.", name=self.name)
        if self.state in ("done", "cancel"):
            return env._(
                "The job %(name)s was closed or cancelled meanwhile: your report was not sent.", name=self.name
            )
        worklog = self._get_portal_open_worklog()
        if worklog.state == "submitted":
            return env._("The work report %(name)s waits for approval: it can no longer be changed.", name=worklog.name)
        if worklog_id and worklog.id != worklog_id:
            return env._("The work report of %(name)s changed meanwhile: your report was not sent.", name=self.name)
        return False

    # ------------------------------------------------------------------ web push
    def _notify_technician(self):
        res = super()._notify_technician()
        if not self.env.context.get("aftersales_defer_technician_notification"):
            self._aftersales_push_technicians("offer")
        return res

    def _aftersales_notify_technician_change(self, change, technician=None):
        res = super()._aftersales_notify_technician_change(change, technician=technician)
        self._aftersales_push_technicians(change, technician=technician)
        return res

    def _aftersales_notify_customer(self, event):
        res = super()._aftersales_notify_customer(event)
        self._aftersales_push_customers(event)
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment":
            self._aftersales_push_customer_message(message)
        return res

    def _aftersales_push_technicians(self, event, technician=None):
        """Web push to the technicians' phones: ``offer`` (a new job to accept), ``changed``
        (rescheduled), ``withdrawn`` (re-assigned or cancelled: ``technician`` is the one who had it).
        Only devices subscribed from the portal receive it; tapping opens the job page."""
        Device = self.env["mail.push.device"]
        messages = []
        # sudo: the technician's user and partner, for the orders the caller just changed
        for order in self.sudo():
            user = (technician or order.technician_id).user_id
            if not user:
                continue
            _ = order.with_context(lang=user.lang or self.env.lang).env._
            customer = order.partner_id.display_name or ""
            url = f"/my/aftersales/jobs/{order.id}"
            if event == "offer":
                title = _("New job %(name)s", name=order.name)
                body = _("%(customer)s. Tap to open the job and accept it.", customer=customer)
            elif event == "changed":
                title = _("Job %(name)s rescheduled", name=order.name)
                body = _("%(customer)s: the visit moved. Tap to see the new time.", customer=customer)
            else:
                title = _("Job %(name)s withdrawn", name=order.name)
                body = _("%(customer)s: this job is no longer yours.", customer=customer)
                url = "/my/aftersales/jobs"
            messages.append((user.partner_id, Device._aftersales_payload(title, body, url, tag=f"job-{order.id}")))
        return Device._aftersales_queue(messages)

    def _aftersales_push_customers(self, event):
        """Web push of a status change to the customers who allowed it on their phone (SMS and
        email are sent as before: the push comes on top, for those who asked)."""
        Device = self.env["mail.push.device"]
        messages = []
        # sudo: the customer's partner and request, for the orders the caller just changed
        for order in self.sudo().filtered("partner_id"):
            partner = order.partner_id
            _ = order.with_context(lang=partner.lang or self.env.lang).env._
            texts = {
                "received": _("We received your service order."),
                "assigned": _("A technician was assigned to your service order."),
                "on_the_way": _("The technician is on the way."),
                "started": _("The work on your device started."),
                "waiting": _("Your service order is waiting (parts or information)."),
                "done": _("Your service order is done."),
                "cancelled": _("Your service order was cancelled."),
            }
            if event not in texts:
                continue
            url = order.aftersales_request_id.access_url or "/my"
            title = _("Service order %(name)s", name=order.name)
            messages.append((partner, Device._aftersales_payload(title, texts[event], url, tag=f"order-{order.id}")))
        return Device._aftersales_queue(messages)

    def _aftersales_push_customer_message(self, message):
        """Web push to the technician when the customer writes on the order."""
        Device = self.env["mail.push.device"]
        messages = []
        # sudo: the technician's user of the orders the message was posted on
        for order in self.sudo():
            user = order.technician_user_id
            author = message.author_id
            if not user or not author or author == user.partner_id:
                continue
            if author.commercial_partner_id != order.partner_id.commercial_partner_id:
                continue
            _ = order.with_context(lang=user.lang or self.env.lang).env._
            title = _("Message from %(customer)s on %(name)s", customer=author.display_name, name=order.name)
            body = html2plaintext(message.body or "")[:500]
            url = f"/my/aftersales/jobs/{order.id}"
            messages.append((user.partner_id, Device._aftersales_payload(title, body, url, tag=f"job-{order.id}")))
        return Device._aftersales_queue(messages)
