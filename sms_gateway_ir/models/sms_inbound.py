import itertools
import logging
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.sms_encoding import format_mobile, normalize_mobile, to_ascii_digits

_logger = logging.getLogger(__name__)

# "name: Ali Rezaei" / "نام: علی رضایی" anywhere in the text
NAME_RE = re.compile(r"(?:^|\s)(?:name|نام)\s*[:：=]\s*([^\n,،;:]+)", re.IGNORECASE)


class SmsInbound(models.Model):
    _name = "sms.inbound"
    _description = "Inbound SMS"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True
    # the records are read-only for every user (only the webhook and the processing write them, as the
    # system); reception still discusses them in the chatter and plans activities on them
    _mail_post_access = "read"

    provider_id = fields.Many2one("sms.gateway.provider", required=True, index=True, ondelete="restrict", readonly=True)
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    sender = fields.Char(readonly=True, help="Sender number exactly as the gateway sent it.")
    mobile = fields.Char(index=True, readonly=True, help="Sender number normalized (+98912...).")
    text = fields.Text(readonly=True)
    gateway_message_id = fields.Char(readonly=True, copy=False)
    gateway_nonce = fields.Char(
        readonly=True, copy=False, help="Nonce of the signed webhook call that brought the message (replay guard)."
    )
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", index="btree_not_null", readonly=True, tracking=True)
    partner_created = fields.Boolean(
        "New Customer", readonly=True, help="The customer was created from this message (unknown number)."
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("processed", "Processed"),
            ("needs_review", "Needs Review"),
            ("reviewed", "Reviewed"),
            ("error", "Error"),
        ],
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="New: stored, not processed yet.\n"
        "Processed: answered automatically.\n"
        "Needs Review: not understood or ambiguous; a reviewer has an activity.\n"
        "Reviewed: a person handled it.\n"
        "Error: malformed or failed while processing (see the error).",
    )
    match_type = fields.Selection(
        [("none", "Not matched")],
        readonly=True,
        copy=False,
        help="What the text was understood as; addons that understand texts add their values.",
    )
    reply_text = fields.Text(readonly=True, copy=False)
    reply_sms_id = fields.Many2one("sms.sms", "Reply SMS", readonly=True, copy=False, index="btree_not_null")
    reply_state = fields.Selection(related="reply_sms_id.state", string="Reply Status")
    reply_rate_limited = fields.Boolean(
        readonly=True, copy=False, help="No reply was sent: this number already got the hourly maximum."
    )
    error_message = fields.Text(readonly=True, copy=False)

    _sql_constraints = [
        (
            "gateway_message_uniq",
            "unique(provider_id, gateway_message_id)",
            "This gateway message was already received.",
        ),
        ("gateway_nonce_uniq", "unique(provider_id, gateway_nonce)", "This webhook call was already received."),
    ]

    @api.depends("mobile", "sender", "received_at")
    def _compute_display_name(self):
        for message in self:
            message.display_name = self.env._(
                "SMS from %(number)s", number=message.mobile or message.sender or self.env._("unknown")
            )

    # ------------------------------------------------------------ actions

    def action_mark_reviewed(self):
        self.check_access("read")
        if not self.env.su and not self.env.user.has_group("sms_gateway_ir.group_sms_gateway_user"):
            raise AccessError(self.env._("Only SMS gateway users can mark inbound SMS reviewed."))
        wrong = self.filtered(lambda m: m.state not in ("needs_review", "error", "new"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only messages that need review or are in error can be marked reviewed: %(names)s",
                    names=", ".join(wrong.mapped("display_name")),
                )
            )
        # sudo: the messages are read-only for users; the checks above allow this one state change
        self.sudo().write({"state": "reviewed"})
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._("Reviewed"))
        return True

    def action_process_again(self):
        """Run the automatic processing again (after a customer or what the text names was fixed), on the message
        exactly as the gateway delivered it: nobody can change its sender or text."""
        self.check_access("read")
        if not self.env.su and not self.env.user.has_group("sms_gateway_ir.group_sms_gateway_manager"):
            raise AccessError(self.env._("Only SMS gateway administrators can process inbound SMS again."))
        wrong = self.filtered(lambda m: m.state == "processed")
        if wrong:
            raise UserError(
                self.env._(
                    "These messages were already answered: %(names)s",
                    names=", ".join(wrong.mapped("display_name")),
                )
            )
        # sudo: a manager asked for it (checked above); processing then acts for the gateway as the webhook
        # does (creates customers, queues replies), on the stored values only, in the provider's company
        for message in self.sudo():
            message = message.with_company(message.company_id)
            message.write({"state": "new", "error_message": False})
            message._process()
        self.sudo().filtered(lambda m: m.state == "processed").activity_feedback(
            ["mail.mail_activity_data_todo"], feedback=self.env._("Processed again")
        )
        return True

    # ------------------------------------------------------------ entry points

    @api.model
    def _receive_message(self, provider, sender, text, message_id=False, received_at=False, nonce=False):
        """Store one message received by ``provider`` and process it; returns the record.

        Only the system calls this (the webhook, once the call is authenticated). A message id already
        received from the same provider (gateways retry their webhooks) is not stored nor processed
        twice: the first record is returned.
        """
        self._check_system()
        if message_id:
            existing = self.search(
                [("provider_id", "=", provider.id), ("gateway_message_id", "=", str(message_id))], limit=1
            )
            if existing:
                return existing
        message = self.create(
            {
                "provider_id": provider.id,
                "sender": sender,
                "mobile": normalize_mobile(sender),
                "text": text,
                "gateway_message_id": message_id and str(message_id) or False,
                "gateway_nonce": nonce or False,
                "received_at": received_at or fields.Datetime.now(),
            }
        )
        message._process()
        return message

    @api.model
    def _receive_malformed(self, provider, error, sender=False, text=False, nonce=False):
        """Keep a trace of an authenticated but unusable gateway call (state error)."""
        self._check_system()
        message = self.create(
            {
                "provider_id": provider.id,
                "sender": sender or False,
                "mobile": normalize_mobile(sender or ""),
                "text": text or False,
                "gateway_nonce": nonce or False,
                "state": "error",
                "error_message": error,
            }
        )
        message._schedule_review_activity()
        return message

    def _check_system(self):
        if not self.env.su:
            raise AccessError(self.env._("Inbound SMS are recorded by the SMS webhook only."))

    def _process(self):
        """Understand each message, answer it, and flag what a person must look at."""
        for message in self.filtered(lambda m: m.state == "new"):
            try:
                with self.env.cr.savepoint():
                    message._process_one()
            except Exception as error:  # noqa: BLE001 - nothing is dropped: keep it in error for review
                _logger.exception("Inbound SMS %s could not be processed", message.id)
                message.write({"state": "error", "error_message": str(error)})
                message._schedule_review_activity()

    # ------------------------------------------------------------ processing

    def _process_one(self):
        """Identify the sender, let ``_match`` decide the answer, queue the reply, ask for a review when
        needed. Invoked by ``_process`` in a savepoint: an error keeps the message in error for review."""
        self.ensure_one()
        text, name = self._split_name(to_ascii_digits(self.text or "").strip())
        partner = self.partner_id or self._find_partner(self.mobile)
        created = False
        if not partner and self.mobile:
            partner = self._create_partner(name)
            created = True
        lang = partner.lang or self.provider_id.reply_lang or self.env.lang
        # "today" (e.g. days of warranty left) is the customer's day, else the company's: the webhook runs as
        # the public user, whose time zone is nobody's
        tz = partner.tz or self.company_id.partner_id.tz or self.env.context.get("tz")
        outcome = self.with_context(lang=lang, tz=tz)._match(text, partner, partner_is_new=created)
        self.write(
            {
                "partner_id": partner.id,
                "partner_created": created or self.partner_created,
                "state": outcome.pop("state"),
                **outcome,
            }
        )
        if self.reply_text:
            self._queue_reply()
        if self.state == "needs_review":
            self._schedule_review_activity()

    @api.model
    def _split_name(self, text):
        """Return the text without its "name: ..." part, and that name."""
        match = NAME_RE.search(text)
        if not match:
            return text, False
        # the name is the words before the first one with a digit (a serial may follow on the same line)
        words = match.group(1).split()
        name_words = list(itertools.takewhile(lambda word: not any(char.isdigit() for char in word), words))[:5]
        rest = " ".join(words[len(name_words) :])
        name = " ".join(name_words)[:64]
        remaining = " ".join(part for part in (text[: match.start()], rest, text[match.end() :]) if part.strip())
        return remaining.strip(" ,،;:"), name

    @api.model
    def _find_partner(self, mobile):
        """Contact whose mobile or phone is this number, in any usual writing."""
        if not mobile or len(mobile) < 6:
            return self.env["res.partner"]
        national = mobile[3:] if mobile.startswith("+98") else mobile.lstrip("+")
        candidates = self.env["res.partner"].search(
            [
                ("phone_mobile_search", "like", national[-9:]),
                ("company_id", "in", [False, self.company_id.id or self.env.company.id]),
            ],
            order="id",
            limit=50,
        )
        return candidates.filtered(
            lambda p: mobile in (normalize_mobile(p.mobile or ""), normalize_mobile(p.phone or ""))
        )[:1]

    def _create_partner(self, name):
        self.ensure_one()
        local = format_mobile(self.mobile, "local")
        return self.env["res.partner"].create(
            {
                "name": name or self.env._("SMS customer %(number)s", number=local),
                "mobile": local,
                "company_id": self.provider_id.company_id.id,
                "comment": self.env._("Created from an inbound SMS."),
            }
        )

    def _match(self, text, partner, partner_is_new=False):
        """Decide what the message means and how to answer it: the extension point of the inbound SMS.

        Invoked by ``_process_one`` for each new message, in the language and time zone of the sender,
        once the sender is identified. Addons that understand some texts (``aftersales_service``: a serial
        gets its warranty status, a request reference its status) override it, answer what they
        recognise and call ``super()`` for the rest.

        :param str text: the text with ASCII digits, without its "name: ..." part
        :param partner: the contact of the sender's number (``res.partner``, may be empty)
        :param bool partner_is_new: the contact was just created from this message: it proves nothing
        :return: the values to write on the message: ``state`` (``processed`` or ``needs_review``),
          ``match_type``, ``reply_text`` (queued as an SMS to the sender when set) and any field the
          overriding addon adds
        """
        self.ensure_one()
        return {"state": "needs_review", "match_type": "none", "reply_text": False}

    def _queue_reply(self):
        """Queue ``reply_text`` as an ``sms.sms`` through the provider, within the hourly limit."""
        self.ensure_one()
        provider = self.provider_id
        if not self.mobile or self.mobile == normalize_mobile(provider.sender_number or ""):
            return  # nobody to answer, or our own line: never answer ourselves
        since = fields.Datetime.now() - timedelta(hours=1)
        recent = self.search_count(
            [("mobile", "=", self.mobile), ("reply_sms_id", "!=", False), ("received_at", ">=", since)]
        )
        if recent >= provider.reply_rate_limit:
            _logger.info("Inbound SMS %s: reply suppressed, %s replies in the last hour", self.id, recent)
            self.reply_rate_limited = True
            return
        # sudo: sms.sms is reserved to administrators; the reply is decided by the processing, not typed by a user
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": self.mobile,
                    "body": self.reply_text,
                    "partner_id": self.partner_id.id,
                    "gateway_provider_id": provider.id if provider.kind != "odoo" else False,
                    "gateway_company_id": provider.company_id.id,
                }
            )
        )
        self.reply_sms_id = sms
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()

    def _get_reviewer(self):
        self.ensure_one()
        reviewer = self.provider_id.review_user_id
        if not reviewer:
            managers = self.env.ref("sms_gateway_ir.group_sms_gateway_manager").sudo().users
            reviewer = managers.filtered(
                lambda u: not u.share
                and u.active
                and u.id != self.env.ref("base.user_root").id
                and self.company_id in u.company_ids
            )[:1]
        return reviewer

    def _schedule_review_activity(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        for message in self:
            reviewer = message._get_reviewer()
            if not reviewer or message.activity_ids.filtered(lambda a: a.activity_type_id == todo):
                continue  # nobody to ask, or already waiting for review
            message.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=reviewer.id,
                summary=self.env._("Review inbound SMS"),
                note=message.error_message or message.text or "",
            )
