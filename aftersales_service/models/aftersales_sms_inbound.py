import itertools
import logging
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.aftersales_warranty.tools import normalize_code

from ..tools.sms_encoding import format_mobile, normalize_mobile, to_ascii_digits

_logger = logging.getLogger(__name__)

# "name: Ali Rezaei" / "نام: علی رضایی" anywhere in the text
NAME_RE = re.compile(r"(?:^|\s)(?:name|نام)\s*[:：=]\s*([^\n,،;:]+)", re.IGNORECASE)
# full request reference such as SR/2026/00012
REQUEST_REF_RE = re.compile(r"\b([A-Z]{1,6}/\d{4}/\d{1,8})\b", re.IGNORECASE)
# a request number alone ("12", "00012")
REQUEST_NUMBER_RE = re.compile(r"^\d{1,6}$")
TOKEN_SPLIT_RE = re.compile(r"[\s,،;:!؟?\"'()]+")
MAX_LOOKUPS = 5


class AftersalesSmsInbound(models.Model):
    _name = "aftersales.sms.inbound"
    _description = "Inbound SMS"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True
    # the records are read-only for every user (only the webhook and the processing write them, as the
    # system); reception still discusses them in the chatter and plans activities on them
    _mail_post_access = "read"

    provider_id = fields.Many2one(
        "aftersales.sms.provider", required=True, index=True, ondelete="restrict", readonly=True
    )
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
        "Processed: answered automatically (warranty status or request status).\n"
        "Needs Review: not understood or ambiguous; a reviewer has an activity.\n"
        "Reviewed: a person handled it.\n"
        "Error: malformed or failed while processing (see the error).",
    )
    match_type = fields.Selection(
        [("warranty", "Warranty"), ("request", "Service Request"), ("none", "Not matched")],
        readonly=True,
        copy=False,
    )
    reply_text = fields.Text(readonly=True, copy=False)
    reply_sms_id = fields.Many2one("sms.sms", "Reply SMS", readonly=True, copy=False, index="btree_not_null")
    reply_state = fields.Selection(related="reply_sms_id.state", string="Reply Status")
    reply_rate_limited = fields.Boolean(
        readonly=True, copy=False, help="No reply was sent: this number already got the hourly maximum."
    )
    warranty_id = fields.Many2one("aftersales.warranty", readonly=True, copy=False, index="btree_not_null")
    lot_id = fields.Many2one("stock.lot", "Serial", readonly=True, copy=False)
    product_id = fields.Many2one("product.product", readonly=True, copy=False)
    request_id = fields.Many2one("aftersales.request", readonly=True, copy=False, index="btree_not_null")
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
        if not self.env.su and not self.env.user.has_group("aftersales_warranty.group_aftersales_user"):
            raise AccessError(self.env._("Only after-sales users can mark inbound SMS reviewed."))
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
        """Run the automatic processing again (after a warranty or a customer was fixed), on the message
        exactly as the gateway delivered it: nobody can change its sender or text."""
        self.check_access("read")
        if not self.env.su and not self.env.user.has_group("aftersales_warranty.group_aftersales_manager"):
            raise AccessError(self.env._("Only after-sales managers can process inbound SMS again."))
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
        self.ensure_one()
        text, name = self._split_name(to_ascii_digits(self.text or "").strip())
        partner = self.partner_id or self._find_partner(self.mobile)
        created = False
        if not partner and self.mobile:
            partner = self._create_partner(name)
            created = True
        lang = partner.lang or self.provider_id.reply_lang or self.env.lang
        # "today" (days of warranty left) is the customer's day, else the company's: the webhook runs as
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
        """Decide the answer. Returns the values to write (state, match, reply...)."""
        self.ensure_one()
        if text:
            ref = REQUEST_REF_RE.search(text)
            if ref:
                return self._match_request(ref.group(1).upper(), partner, explicit=True)
            if REQUEST_NUMBER_RE.match(text) and not partner_is_new:
                outcome = self._match_request(text, partner, explicit=False)
                if outcome:
                    return outcome
            outcome = self._match_warranty(text, partner if not partner_is_new else False)
            if outcome:
                return outcome
        return {"state": "needs_review", "match_type": "none", "reply_text": self._help_text(text)}

    def _help_text(self, text):
        if not text:
            return self.env._(
                "Your message was empty. Text the serial number printed on your device or its warranty card "
                "(for example 12345678), or your service request reference (for example SR/2026/00012)."
            )
        return self.env._(
            "We could not find a warranty or service request for “%(text)s”. Text the serial number printed on "
            "your device or its warranty card (for example 12345678), or your service request reference "
            "(for example SR/2026/00012).",
            text=text[:30],
        )

    def _match_request(self, reference, partner, explicit):
        """Status of the customer's own request; never tells anything about another customer's one."""
        Request = self.env["aftersales.request"]
        if explicit:
            requests = Request.search([("name", "=ilike", reference), ("company_id", "=", self.company_id.id)], limit=1)
        else:
            number = int(reference)
            requests = Request.search(
                [
                    ("name", "=like", f"%/%{number}"),
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                ],
                limit=20,
            ).filtered(lambda r: r.name.rsplit("/", 1)[-1].isdigit() and int(r.name.rsplit("/", 1)[-1]) == number)
        request = requests[:1]
        owner = request.partner_id.commercial_partner_id
        if request and partner and owner == partner.commercial_partner_id:
            state_label = dict(request._fields["state"]._description_selection(self.env)).get(request.state)
            return {
                "state": "processed",
                "match_type": "request",
                "request_id": request.id,
                "reply_text": self.env._(
                    "Service request %(reference)s: %(status)s.", reference=request.name, status=state_label
                ),
            }
        if not explicit:
            return {}
        return {
            "state": "needs_review",
            "match_type": "none",
            "reply_text": self.env._(
                "We found no service request %(reference)s for this mobile number. "
                "Please text from the number you gave at reception, or call us.",
                reference=reference,
            ),
        }

    def _lookup_candidates(self, text):
        """The whole text first, then each word that looks like a code (4+ characters with a digit)."""
        candidates = [text]
        for token in sorted(TOKEN_SPLIT_RE.split(text), key=len, reverse=True):
            if len(token) >= 4 and any(char.isdigit() for char in token) and token not in candidates:
                candidates.append(token)
        return candidates[:MAX_LOOKUPS]

    def _match_warranty(self, text, partner):
        """Warranty status through the warranty lookup (one batched call for all candidate codes).

        ``partner`` is the customer proven by the sender's number (an existing contact with that mobile),
        or False for an unknown number. As on the portal, a product code proves no ownership: it is
        answered only with the sender's own cards, never by listing the serials of other customers' units.
        """
        candidates = list(dict.fromkeys(normalize_code(code) for code in self._lookup_candidates(text)))
        results = self.env["aftersales.warranty"].lookup_many(candidates, partner_id=partner.id if partner else False)
        for code in candidates:
            result = results.get(code) or {}
            if result.get("status") not in ("found", "ambiguous"):
                continue
            if result.get("match") == "product_code" and not partner:
                continue  # an unknown number proves nothing: no card of anybody for a product code
            return {
                "state": "processed" if result["status"] == "found" else "needs_review",
                "match_type": "warranty",
                "warranty_id": result.get("warranty_id") or False,
                "lot_id": result.get("lot_id") or False,
                "product_id": result.get("product_id") or False,
                "reply_text": result.get("message"),
            }
        return {}

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
                    "aftersales_provider_id": provider.id if provider.kind != "odoo" else False,
                    "aftersales_company_id": provider.company_id.id,
                }
            )
        )
        self.reply_sms_id = sms
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()

    def _get_reviewer(self):
        self.ensure_one()
        reviewer = self.provider_id.review_user_id
        if not reviewer:
            managers = self.env.ref("aftersales_warranty.group_aftersales_manager").sudo().users
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
