import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, email_normalize


class AftersalesPortalOtp(models.Model):
    """One-time code that proves an anonymous visitor owns a phone number or an email.

    The code itself is never stored: only an HMAC of it (keyed by the database
    secret), with an expiry and a counter of wrong attempts. The visitor's browser
    keeps the random ``token`` in its session to find the challenge again.
    """

    _name = "aftersales.portal.otp"
    _description = "After-sales portal one-time verification code"
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
    def _issue(self, channel, target):
        """Create a challenge for ``target`` and queue the message carrying its code.

        :return: the new record (its ``token`` identifies it in the visitor's session)
        """
        target = (target or "").strip()
        if channel == "email":
            target = email_normalize(target) or ""
        if not target:
            raise UserError(self.env._("Give a valid phone number or email address."))
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
        code = "".join(str(int(ch)) for ch in (code or "") if ch.isdecimal())
        if code and consteq(self.code_hash, self._hash_code(self.token, code)):
            self.state = "verified"
            return True
        attempts = self.attempts + 1
        self.write({"attempts": attempts, "state": "blocked" if attempts >= self.MAX_ATTEMPTS else "pending"})
        return False

    @api.autovacuum
    def _gc_expired(self):
        self.search([("expires_at", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
