import hashlib
import hmac
import json
import logging
import re
import secrets
import time

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.sms_encoding import format_mobile, normalize_mobile
from ..tools.sms_gateway import SmsGatewayApi

_logger = logging.getLogger(__name__)

# Defaults filled when the kind changes: every kind goes through the same HTTP code,
# only the URL, the parameter names and the success check differ.
PROVIDER_PRESETS = {
    "http_generic": {
        "url": "https://sms.example.com/send",
        "http_method": "post",
        "payload_format": "form",
        "param_receiver": "to",
        "param_sender": "from",
        "param_message": "text",
        "param_username": False,
        "param_password": False,
        "param_api_key": False,
        "success_json_path": False,
        "success_value": False,
        "message_id_json_path": False,
        "number_format": "e164",
        "inbound_auth": "hmac",
    },
    "kavenegar": {
        # https://kavenegar.com/rest.html: the API key is part of the path
        "url": "https://api.kavenegar.com/v1/{api_key}/sms/send.json",
        "http_method": "post",
        "payload_format": "form",
        "param_receiver": "receptor",
        "param_sender": "sender",
        "param_message": "message",
        "param_username": False,
        "param_password": False,
        "param_api_key": False,
        "success_json_path": "return.status",
        "success_value": "200",
        "message_id_json_path": "entries.0.messageid",
        "number_format": "local",
        # forwards received SMS to a URL without signature or custom header: the secret is in the path
        "inbound_auth": "path_token",
    },
    "melipayamak": {
        # https://www.melipayamak.com/api/ REST "SendSMS"
        "url": "https://rest.payamak-panel.com/api/SendSMS/SendSMS",
        "http_method": "post",
        "payload_format": "form",
        "param_receiver": "to",
        "param_sender": "from",
        "param_message": "text",
        "param_username": "username",
        "param_password": "password",
        "param_api_key": False,
        "success_json_path": "RetStatus",
        "success_value": "1",
        "message_id_json_path": "Value",
        "number_format": "local",
        # https://www.melipayamak.com/api/transfering-massage/: a GET to the configured URL with
        # to/body/from, no signature, no header, no message id: the secret is in the path
        "inbound_auth": "path_token",
    },
}

# kind "odoo" sends through IAP: the HTTP settings are unused
ODOO_PRESET = dict.fromkeys(PROVIDER_PRESETS["http_generic"], False) | {
    "http_method": "post",
    "payload_format": "form",
    "number_format": "e164",
    "inbound_auth": "hmac",
}

# what the webhook signs (see readme/CONFIGURE.md, "Webhook signing")
SIGNATURE_HEADER = "X-Sms-Signature"
TIMESTAMP_HEADER = "X-Sms-Timestamp"
NONCE_HEADER = "X-Sms-Nonce"
TOKEN_HEADER = "X-Sms-Token"
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


class SmsGatewayProvider(models.Model):
    _name = "sms.gateway.provider"
    _description = "SMS Gateway Provider"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    def _default_inbound_token(self):
        return secrets.token_urlsafe(32)

    name = fields.Char(required=True, translate=False)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    kind = fields.Selection(
        [
            ("odoo", "Odoo SMS (IAP)"),
            ("http_generic", "Generic HTTP gateway"),
            ("kavenegar", "Kavenegar"),
            ("melipayamak", "Melipayamak"),
        ],
        required=True,
        default="odoo",
        help="Odoo SMS: outgoing SMS use Odoo's paid IAP service (this record then only receives SMS).\n"
        "Other kinds: outgoing SMS of the company go through this HTTP gateway.",
    )
    # --- sending ---------------------------------------------------------
    url = fields.Char(
        "Send URL",
        help="Gateway URL; {api_key} is replaced by the API key (Kavenegar puts it in the path).",
    )
    http_method = fields.Selection([("get", "GET"), ("post", "POST")], "HTTP Method", default="post", required=True)
    payload_format = fields.Selection(
        [("form", "Form encoded"), ("json", "JSON")],
        default="form",
        required=True,
        help="How POST parameters are sent (GET always uses the query string).",
    )
    api_key = fields.Char("API Key", groups="sms_gateway_ir.group_sms_gateway_manager", copy=False)
    username = fields.Char(groups="sms_gateway_ir.group_sms_gateway_manager", copy=False)
    password = fields.Char(groups="sms_gateway_ir.group_sms_gateway_manager", copy=False)
    sender_number = fields.Char(help="Line number or sender id the gateway sends from.")
    param_receiver = fields.Char("Receiver Parameter")
    param_sender = fields.Char("Sender Parameter")
    param_message = fields.Char("Message Parameter")
    param_username = fields.Char("Username Parameter")
    param_password = fields.Char("Password Parameter")
    param_api_key = fields.Char(
        "API Key Parameter",
        help="Parameter name for the API key when it is not part of the URL.",
    )
    number_format = fields.Selection(
        [("e164", "+989121234567"), ("intl", "989121234567"), ("local", "09121234567")],
        default="e164",
        required=True,
        help="How Iranian mobile numbers are written for the gateway.",
    )
    success_json_path = fields.Char(
        "Success JSON Path",
        help="Dotted path in the JSON answer (e.g. return.status); empty: any HTTP 2xx is a success.",
    )
    success_value = fields.Char(help="Value found at the success JSON path when the gateway accepted the SMS.")
    success_regex = fields.Char(help="Optional regular expression the raw answer must match to be a success.")
    message_id_json_path = fields.Char(
        "Message Id JSON Path",
        help="Dotted path of the gateway message id in the JSON answer (e.g. entries.0.messageid).",
    )
    timeout = fields.Integer("Timeout (s)", default=15)
    max_attempts = fields.Integer(default=5, help="Failed SMS are sent again up to this many attempts in all.")
    retry_delay = fields.Integer(
        "First Retry Delay (min)", default=5, help="Delay before the first retry; it doubles after each failure."
    )
    test_number = fields.Char(help="Mobile number the 'Send test SMS' button writes to.")
    # --- receiving -------------------------------------------------------
    inbound_auth = fields.Selection(
        [
            ("hmac", "Signed requests (HMAC-SHA256)"),
            ("header_token", "Secret in a header"),
            ("path_token", "Secret in the URL path"),
        ],
        "Inbound Authentication",
        default="hmac",
        required=True,
        help="How the gateway proves it knows the inbound secret:\n"
        "Signed requests: headers X-Sms-Timestamp, X-Sms-Nonce and X-Sms-Signature "
        "(HMAC-SHA256 of the timestamp, nonce, method, path, query string and raw body); stale or replayed "
        "requests are refused. The safest: use it whenever the gateway can sign.\n"
        "Secret in a header: the X-Sms-Token header carries the secret; a captured request can be "
        "sent again, only its message id stops it being processed twice.\n"
        "Secret in the URL path: for gateways that only call a fixed URL (Kavenegar, Melipayamak); the secret "
        "shows wherever URLs are logged (proxies, the server log): keep those logs private and renew the "
        "secret when in doubt.",
    )
    inbound_token = fields.Char(
        "Inbound Secret",
        default=lambda self: self._default_inbound_token(),
        copy=False,
        groups="sms_gateway_ir.group_sms_gateway_manager",
        help="Shared secret of the inbound webhook (at least 32 letters, digits, '-' or '_'): the key of the "
        "signature, the X-Sms-Token header or the last part of the URL, as the authentication says.",
    )
    inbound_max_age = fields.Integer(
        "Signature Validity (s)",
        default=300,
        help="Signed requests whose timestamp is further than this from the server's clock are refused.",
    )
    inbound_url = fields.Char(
        "Inbound Webhook URL", compute="_compute_inbound_url", groups="sms_gateway_ir.group_sms_gateway_manager"
    )
    reply_rate_limit = fields.Integer(
        "Replies per Hour", default=5, help="Maximum automatic replies to one mobile number per hour."
    )
    reply_lang = fields.Selection("_lang_get", "Reply Language", help="Language of replies to unknown numbers.")
    review_user_id = fields.Many2one(
        "res.users",
        "Reviewer",
        check_company=True,
        help="Gets an activity for each message that needs review; default: an SMS gateway administrator.",
    )
    inbound_count = fields.Integer(compute="_compute_inbound_count")

    _sql_constraints = [
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be positive."),
        ("max_attempts_positive", "CHECK(max_attempts > 0)", "At least one attempt is needed."),
        (
            "inbound_max_age_range",
            "CHECK(inbound_max_age BETWEEN 30 AND 3600)",
            "The signature validity must be between 30 and 3600 seconds.",
        ),
    ]

    # ------------------------------------------------------------ computes

    @api.depends("inbound_auth")
    def _compute_inbound_url(self):
        for provider in self:
            if not provider.id:
                provider.inbound_url = False
                continue
            url = f"{provider.get_base_url()}/sms_gateway/inbound/{provider.id}"
            if provider.inbound_auth == "path_token":
                # the field is for managers only: it shows the secret
                url = f"{url}/{provider.sudo().inbound_token or ''}"
            provider.inbound_url = url

    def _compute_inbound_count(self):
        groups = self.env["sms.inbound"]._read_group([("provider_id", "in", self.ids)], ["provider_id"], ["__count"])
        counts = {provider.id: count for provider, count in groups}
        for provider in self:
            provider.inbound_count = counts.get(provider.id, 0)

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    # ------------------------------------------------------------ onchange / constraints

    @api.onchange("kind")
    def _onchange_kind(self):
        self.update(PROVIDER_PRESETS.get(self.kind) or ODOO_PRESET)

    @api.constrains("kind", "url", "param_receiver", "param_message")
    def _check_http_settings(self):
        for provider in self.filtered(lambda p: p.kind != "odoo"):
            if not provider.url or not provider.param_receiver or not provider.param_message:
                raise ValidationError(
                    self.env._(
                        "SMS provider %(name)s needs a send URL and the receiver and message parameter names.",
                        name=provider.display_name,
                    )
                )

    @api.constrains("inbound_token")
    def _check_inbound_token(self):
        for provider in self.sudo().filtered("inbound_token"):
            if not SECRET_RE.match(provider.inbound_token):
                raise ValidationError(
                    self.env._(
                        "The inbound secret of SMS provider %(name)s must be 32 to 128 letters, digits, '-' or "
                        "'_': click New Inbound Secret to get a random one.",
                        name=provider.display_name,
                    )
                )

    @api.constrains("success_regex")
    def _check_success_regex(self):
        for provider in self.filtered("success_regex"):
            try:
                re.compile(provider.success_regex)
            except re.error as error:
                raise ValidationError(
                    self.env._(
                        "The success regex of SMS provider %(name)s is invalid: %(error)s",
                        name=provider.display_name,
                        error=error,
                    )
                ) from error

    # ------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the kind's defaults for every setting not given explicitly
            preset = PROVIDER_PRESETS.get(vals.get("kind") or self.default_get(["kind"]).get("kind")) or {}
            for key, value in preset.items():
                vals.setdefault(key, value)
        return super().create(vals_list)

    def write(self, vals):
        if "kind" in vals:
            preset = PROVIDER_PRESETS.get(vals["kind"]) or {}
            vals = {**preset, **vals}
        return super().write(vals)

    # ------------------------------------------------------------ actions

    def action_send_test_sms(self):
        """Send a test SMS through this provider right now and report the result."""
        self.ensure_one()
        if self.kind == "odoo":
            raise UserError(
                self.env._("Provider %(name)s uses Odoo SMS: test it from Odoo's SMS settings.", name=self.name)
            )
        if not self.test_number:
            raise UserError(self.env._("Set a test number on provider %(name)s first.", name=self.name))
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": normalize_mobile(self.test_number) or self.test_number,
                    "body": self.env._("Test SMS from %(company)s.", company=self.company_id.name),
                    "gateway_provider_id": self.id,
                    "gateway_company_id": self.company_id.id,
                }
            )
        )
        # through this provider even when it is not active yet (testing before switching the company over)
        sms.with_context(sms_api=SmsGatewayApi(self.env, provider=self))._send(raise_exception=False)
        if sms.state == "error":
            message = self.env._("The test SMS failed: %(reason)s", reason=sms.gateway_failure_reason or "")
            kind = "danger"
        else:
            message = self.env._("The test SMS was accepted by the gateway.")
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.name, "message": message, "type": kind, "sticky": kind == "danger"},
        }

    def action_regenerate_inbound_token(self):
        self.write({"inbound_token": self._default_inbound_token()})
        return True

    def action_view_inbound(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sms_gateway_ir.sms_inbound_action")
        action["domain"] = [("provider_id", "=", self.id)]
        action["context"] = {"default_provider_id": self.id}
        return action

    # ------------------------------------------------------------ business

    @api.model
    def _get_sending_provider(self, company):
        """Active HTTP provider that sends the SMS of ``company``, or an empty recordset (Odoo IAP)."""
        return self.sudo().search(
            [("company_id", "=", company.id), ("active", "=", True), ("kind", "!=", "odoo")], limit=1
        )

    def _prepare_send_vals(self, number, body):
        """The parameters of one outgoing SMS as the gateway expects them: receiver, text, sender line and
        credentials under the parameter names of the provider.

        Invoked by ``_prepare_request`` for each SMS sent through this provider (``_send_one``, from the
        ``sms.sms`` queue and the test button), on the provider as superuser since it reads the credentials.
        Override it to add what a gateway needs beyond the configurable names (a flag, a template id,
        another layout for a new ``kind``); ``_prepare_request`` sends the dict as the query string, a form
        or JSON as the provider says.

        :param str number: the recipient's number as stored on the SMS
        :param str body: the text
        :return: ``{parameter name: value}``
        """
        self.ensure_one()
        params = {
            self.param_receiver: format_mobile(number, self.number_format) or number,
            self.param_message: body,
        }
        if self.param_sender and self.sender_number:
            params[self.param_sender] = self.sender_number
        for name_field, value_field in (
            ("param_username", "username"),
            ("param_password", "password"),
            ("param_api_key", "api_key"),
        ):
            if self[name_field] and self[value_field]:
                params[self[name_field]] = self[value_field]
        return params

    def _prepare_request(self, number, body):
        """Return ``(method, url, kwargs)`` for ``requests.request``."""
        self.ensure_one()
        provider = self.sudo()
        params = provider._prepare_send_vals(number, body)
        url = provider.url.replace("{api_key}", provider.api_key or "")
        kwargs = {"timeout": provider.timeout}
        if provider.http_method == "get":
            kwargs["params"] = params
        elif provider.payload_format == "json":
            kwargs["json"] = params
        else:
            kwargs["data"] = params
        return provider.http_method.upper(), url, kwargs

    @staticmethod
    def _json_path(data, path):
        """Follow a dotted path (``entries.0.messageid``) through dicts and lists; None when absent."""
        for key in path.split("."):
            if isinstance(data, list) and key.isdigit() and int(key) < len(data):
                data = data[int(key)]
            elif isinstance(data, dict) and key in data:
                data = data[key]
            else:
                return None
        return data

    def _parse_response(self, status_code, text):
        """Decide from the gateway answer. Returns ``(ok, message_id, reason)``."""
        self.ensure_one()
        if not 200 <= status_code < 300:
            return False, False, self.env._("HTTP %(code)s: %(text)s", code=status_code, text=(text or "")[:200])
        if self.success_regex and not re.search(self.success_regex, text or ""):
            return False, False, self.env._("Unexpected answer: %(text)s", text=(text or "")[:200])
        payload = None
        if self.success_json_path or self.message_id_json_path:
            try:
                payload = json.loads(text or "null")
            except ValueError:
                return False, False, self.env._("Answer is not JSON: %(text)s", text=(text or "")[:200])
        if self.success_json_path:
            value = self._json_path(payload, self.success_json_path)
            if value is None or str(value) != (self.success_value or ""):
                return (
                    False,
                    False,
                    self.env._(
                        "Gateway refused the SMS (%(path)s = %(value)s): %(text)s",
                        path=self.success_json_path,
                        value=value,
                        text=(text or "")[:200],
                    ),
                )
        message_id = False
        if self.message_id_json_path:
            value = self._json_path(payload, self.message_id_json_path)
            message_id = str(value) if value is not None else False
        return True, message_id, False

    def _send_one(self, number, body, uuid, session=None):
        """Send one SMS through the gateway; never raises.

        :return: a result as ``sms.sms._send_with_api`` expects it (``uuid``, ``state``,
          ``failure_reason``) plus ``gateway_message_id``.
        """
        self.ensure_one()
        result = {"uuid": uuid, "gateway_provider_id": self.id}
        if not normalize_mobile(number):
            return dict(
                result, state="sms_number_missing", failure_reason=self.env._("The SMS has no recipient number.")
            )
        method, url, kwargs = self._prepare_request(number, body)
        try:
            response = (session or requests).request(method, url, **kwargs)
        except requests.exceptions.RequestException as error:
            _logger.warning("SMS provider %s: request failed: %s", self.id, error)
            return dict(
                result,
                state="server_error",
                failure_reason=self.env._("Gateway unreachable: %(error)s", error=type(error).__name__),
            )
        ok, message_id, reason = self._parse_response(response.status_code, response.text)
        if ok:
            return dict(result, state="success", failure_reason=False, gateway_message_id=message_id)
        _logger.info("SMS provider %s refused SMS %s: %s", self.id, uuid, reason)
        return dict(result, state="server_error", failure_reason=reason)

    def _inbound_signature(self, timestamp, nonce, method, path, query_string, body):
        """Hex HMAC-SHA256, keyed with the inbound secret, of the canonical string of one webhook call:
        timestamp, nonce, method, path and query string (each followed by a line feed), then the raw body."""
        self.ensure_one()
        canonical = b"\n".join(
            [
                timestamp.encode("ascii"),
                nonce.encode("ascii"),
                method.upper().encode("ascii"),
                path.encode("utf-8"),
                query_string or b"",
                body or b"",
            ]
        )
        return hmac.new(self.sudo().inbound_token.encode(), canonical, hashlib.sha256).hexdigest()

    def _check_inbound_request(self, method, path, query_string, body, headers, path_token=None):
        """Check that a webhook call comes from this provider's gateway, by the provider's scheme.

        :param bytes query_string: the query string exactly as received
        :param bytes body: the raw body exactly as received
        :param headers: the request headers (``.get(name)``)
        :param path_token: the secret given as last part of the path, if any
        :return: ``None`` when the call is authentic, else ``(http status, reason)``; the reason names
          no secret and is safe to answer.
        """
        self.ensure_one()
        provider = self.sudo()
        secret = provider.inbound_token
        if not secret or not provider.active:
            return 403, "Forbidden: unknown or inactive provider."
        if provider.inbound_auth == "path_token":
            if path_token and hmac.compare_digest(path_token.encode(), secret.encode()):
                return None
            return 403, "Forbidden: wrong URL."
        if path_token:
            return 403, "Forbidden: this provider takes no secret in the URL."
        if provider.inbound_auth == "header_token":
            token = headers.get(TOKEN_HEADER) or ""
            if token and hmac.compare_digest(token.encode(), secret.encode()):
                return None
            return 403, f"Forbidden: missing or wrong {TOKEN_HEADER} header."
        # signed requests
        timestamp = (headers.get(TIMESTAMP_HEADER) or "").strip()
        nonce = (headers.get(NONCE_HEADER) or "").strip()
        signature = (headers.get(SIGNATURE_HEADER) or "").strip().lower()
        if not (timestamp and nonce and signature):
            return 403, f"Forbidden: send the {TIMESTAMP_HEADER}, {NONCE_HEADER} and {SIGNATURE_HEADER} headers."
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            return 403, f"Forbidden: {TIMESTAMP_HEADER} must be a Unix time in seconds."
        if not NONCE_RE.match(nonce):
            return 403, f"Forbidden: {NONCE_HEADER} must be 16 to 128 letters, digits, '-' or '_'."
        expected = provider._inbound_signature(timestamp, nonce, method, path, query_string, body)
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return 403, "Forbidden: bad signature."
        if abs(time.time() - int(timestamp)) > provider.inbound_max_age:
            return 403, f"Forbidden: stale {TIMESTAMP_HEADER} (more than {provider.inbound_max_age} s away)."
        used = (
            self.env["sms.inbound"]
            .sudo()
            .search_count([("provider_id", "=", provider.id), ("gateway_nonce", "=", nonce)], limit=1)
        )
        if used:
            return 409, f"Conflict: this {NONCE_HEADER} was already used (replayed request)."
        return None
