import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, email_normalize

from odoo.addons.aftersales_warranty.tools import to_ascii_digits

MAX_TARGET_LENGTH = 254
# what a person types in a phone number: digits, spaces, dashes, dots, brackets, a leading plus
_PHONE_TYPED = re.compile(r"\+?[0-9 ()./-]{6,40}")
_IR_MOBILE = re.compile(r"(?:0098|98|0)?(9[0-9]{9})")
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
# marks pasted along with Persian text (zero width, direction marks)
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)


class AftersalesPortalOtp(models.Model):
    """One-time code that proves an anonymous visitor owns a phone number or an email.

    The code itself is never stored: only an HMAC of it (keyed by the database
    secret), with an expiry and a counter of wrong attempts. The visitor's browser
    keeps the random ``token`` in its session to find the challenge again.
    """

    _name = "aftersales.portal.otp"
    _description = "Portal Verification Code"
    _order = "create_date desc, id desc"

    token = fields.Char(required=True, index=True, copy=False, readonly=True)
    channel = fields.Selection([("sms", "SMS"), ("email", "Email")], required=True, readonly=True)
    target = fields.Char(required=True, index=True, readonly=True, help="Phone number or email address.")
    code_hash = fields.Char(required=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    attempts = fields.Integer(default=0, readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("verified", "Verified"), ("blocked", "Blocked")],
        default="pending",
        required=True,
        readonly=True,
        help="Pending: code sent, waiting for the visitor. Verified: the right code was typed "
        "before expiry. Blocked: too many wrong attempts.",
    )

    _sql_constraints = [("token_uniq", "UNIQUE(token)", "The verification token must be unique.")]

    MAX_ATTEMPTS = 5
    VALIDITY_MINUTES = 10

    def _hash_code(self, token, code):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        return hmac.new(secret.encode(), f"{token}:{code}".encode(), hashlib.sha256).hexdigest()

    @api.model
    def _normalize_target(self, target):
        """Read a mobile number or an email address as a visitor types it.

        Mobile numbers: Iranian mobiles in any usual form (``09121234567``, ``+989121234567``,
        ``00989121234567``, ``989121234567``, with spaces or dashes, Persian or Arabic-Indic digits)
        give ``+989121234567``; other numbers must be international (``+`` or ``00`` then 8 to 15
        digits, E.164). Emails: exactly one address, normalized by :func:`odoo.tools.email_normalize`.

        :return: ``(channel, target)`` with channel ``'sms'`` or ``'email'``
        :raise UserError: when the text is neither
        """
        invalid = UserError(self.env._("Give a valid mobile number (such as 09121234567) or one email address."))
        if not isinstance(target, str):
            raise invalid
        target = target.strip()
        if (
            not target
            or len(target) > MAX_TARGET_LENGTH
            or any(unicodedata.category(char) in ("Cc", "Cs", "Co") for char in target)
        ):
            raise invalid
        if "@" in target:
            email = email_normalize(target, strict=True)
            if not email or len(email) > MAX_TARGET_LENGTH or "." not in email.rpartition("@")[2]:
                raise invalid
            return "email", email
        number = to_ascii_digits(target.translate(_INVISIBLE)).strip()
        if not _PHONE_TYPED.fullmatch(number):
            raise invalid
        digits = re.sub(r"[^0-9]", "", number)
        international = number.startswith("+") or digits.startswith("00")
        digits = digits[2:] if not number.startswith("+") and digits.startswith("00") else digits
        mobile = _IR_MOBILE.fullmatch(digits if not international else f"00{digits}")
        if mobile:
            return "sms", f"+98{mobile.group(1)}"
        candidate = f"+{digits}"
        if not international or not _E164.fullmatch(candidate) or candidate.startswith("+98"):
            # a local number that is no Iranian mobile, or an Iranian landline: no SMS reaches it
            raise invalid
        return "sms", candidate

    @api.model
    def _issue_for(self, target, client_key):
        """Check ``target``, count the sending against its limits, then issue a challenge.

        Limits (``aftersales.portal.rate`` buckets, each configurable with the system parameters
        ``aftersales_portal.<bucket>_limit`` and ``..._window`` in seconds): ``otp_send`` per
        client address (5 per 15 minutes), ``otp_send_target`` per phone number or email
        (3 per hour), ``otp_send_global`` for the whole website (200 per hour).

        :return: the new record
        :raise UserError: invalid target or a limit reached (nothing is sent)
        """
        Rate = self.env["aftersales.portal.rate"].sudo()
        if not Rate._allowed("otp_send", client_key, 5, 900):
            raise UserError(self.env._("Too many codes asked from your connection; try again later."))
        channel, target = self._normalize_target(target)
        if not Rate._allowed("otp_send_target", f"{channel}:{target}", 3, 3600):
            raise UserError(self.env._("Too many codes were sent to this address; try again later."))
        if not Rate._allowed("otp_send_global", "all", 200, 3600):
            raise UserError(self.env._("We cannot send codes right now; try again later."))
        return self._issue(channel, target)

    @api.model
    def _issue(self, channel, target):
        """Create a challenge for ``target`` and queue the message carrying its code.

        ``target`` is normalized again here (see :meth:`_normalize_target`); rate limits are the
        caller's (see :meth:`_issue_for`).

        :return: the new record (its ``token`` identifies it in the visitor's session)
        """
        read_channel, target = self._normalize_target(target)
        if read_channel != channel:
            raise UserError(self.env._("Give a valid mobile number (such as 09121234567) or one email address."))
        code = f"{secrets.randbelow(10**6):06d}"
        token = secrets.token_urlsafe(24)
        otp = self.create(
            {
                "token": token,
                "channel": channel,
                "target": target,
                "code_hash": self._hash_code(token, code),
                "expires_at": fields.Datetime.now() + timedelta(minutes=self.VALIDITY_MINUTES),
            }
        )
        otp._send_code(code)
        return otp

    def _send_code(self, code):
        """Queue the code: SMS through the ``sms`` queue, email through the mail queue."""
        self.ensure_one()
        body = self.env._(
            "Your after-sales verification code is %(code)s. It expires in %(minutes)s minutes.",
            code=code,
            minutes=self.VALIDITY_MINUTES,
        )
        if self.channel == "sms":
            self.env["sms.sms"].sudo().create({"number": self.target, "body": body})
        else:
            company = self.env.company
            self.env["mail.mail"].sudo().create(
                {
                    "subject": self.env._("Your verification code"),
                    "email_from": company.email_formatted or company.partner_id.email_formatted,
                    "email_to": self.target,
                    "body_html": f"<p>{body}</p>",
                    "auto_delete": True,
                }
            )

    def _verify(self, code):
        """Check ``code``; count wrong attempts and block after too many.

        :return: ``True`` when the code is right and still valid
        """
        self.ensure_one()
        if self.state == "verified":
            return True
        if self.state == "blocked" or self.expires_at < fields.Datetime.now():
            return False
        # Persian and Arabic-Indic digits typed on a phone keyboard count as ASCII digits
        code = to_ascii_digits(code) if isinstance(code, str) and len(code) <= 64 else ""
        code = "".join(ch for ch in code if ch in "0123456789")
        if code and consteq(self.code_hash, self._hash_code(self.token, code)):
            self.state = "verified"
            return True
        attempts = self.attempts + 1
        self.write({"attempts": attempts, "state": "blocked" if attempts >= self.MAX_ATTEMPTS else "pending"})
        return False

    @api.autovacuum
    def _gc_expired(self):
        self.search([("expires_at", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
