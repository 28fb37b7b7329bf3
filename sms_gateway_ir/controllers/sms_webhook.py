import json
import logging

import psycopg2

from odoo import http
from odoo.http import request
from odoo.tools import mute_logger

from ..models.sms_gateway_provider import NONCE_HEADER

_logger = logging.getLogger(__name__)

# field names gateways use for the same thing, first found wins
SENDER_KEYS = ("from", "sender", "msisdn", "from_number")
TEXT_KEYS = ("message", "text", "body")
MESSAGE_ID_KEYS = ("messageid", "message_id", "id")
# a concatenated SMS holds at most a few hundred characters: anything much longer is not an SMS
MAX_BODY = 64 * 1024
MAX_SENDER = 32
MAX_TEXT = 2000
MAX_MESSAGE_ID = 128


class InvalidPayload(ValueError):
    """The call is authentic but its content cannot be stored: answered 400, nothing is written."""


class DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs):
    keys = [key for key, _value in pairs]
    if len(keys) != len(set(keys)):
        raise DuplicateKey(next(key for key in keys if keys.count(key) > 1))
    return dict(pairs)


class SmsGatewayWebhook(http.Controller):
    @http.route(
        "/sms_gateway/inbound/<int:provider_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,  # machine caller: authenticated below by its signature or secret
        save_session=False,
        max_content_length=MAX_BODY,
        keep_raw_body=True,  # ir.http keeps the raw body before Odoo parses the form: it is signed
    )
    def sms_inbound(self, provider_id, **kwargs):
        # kwargs (query string and form merged by Odoo) are never used: fields are read below from one
        # source only, and secrets from headers or from the path only
        return self._handle_inbound(provider_id, path_token=None)

    @http.route(
        "/sms_gateway/inbound/<int:provider_id>/<string:path_token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,  # machine caller: authenticated below by the secret in the path
        save_session=False,
        max_content_length=MAX_BODY,
        keep_raw_body=True,
    )
    def sms_inbound_path(self, provider_id, path_token, **kwargs):
        return self._handle_inbound(provider_id, path_token=path_token)

    # ------------------------------------------------------------ steps

    def _handle_inbound(self, provider_id, path_token):
        httprequest = request.httprequest
        length = httprequest.content_length or 0
        if length > MAX_BODY:
            return self._refuse(provider_id, 413, f"Payload Too Large: at most {MAX_BODY} bytes.")
        raw_body = httprequest.get_data(cache=True) if length else b""
        if len(raw_body) != length:
            # the body was consumed before ir.http could keep it: nothing can be checked against it
            _logger.error("Inbound SMS for provider %s: the raw body could not be read", provider_id)
            return self._refuse(provider_id, 400, "Bad Request: the body could not be read.")
        # sudo only to read this one provider's secret for the check just below; nothing else is done
        # with it before the call is proven to come from its gateway
        provider = request.env["sms.gateway.provider"].sudo().browse(provider_id).exists()
        if not provider:
            return self._refuse(provider_id, 403, "Forbidden: unknown or inactive provider.")
        refusal = provider._check_inbound_request(
            httprequest.method,
            httprequest.path,
            httprequest.query_string,
            raw_body,
            httprequest.headers,
            path_token=path_token,
        )
        if refusal:
            return self._refuse(provider_id, *refusal)
        nonce = httprequest.headers.get(NONCE_HEADER, "").strip() if provider.inbound_auth == "hmac" else False

        try:
            payload = self._parse_payload(httprequest, raw_body)
            if payload is None:
                return self._bad_request(provider, self._error_text("json"), nonce=nonce)
            sender = self._field(payload, "from", SENDER_KEYS, MAX_SENDER)
            text = self._field(payload, "message", TEXT_KEYS, MAX_TEXT, multiline=True)
            message_id = self._field(payload, "messageid", MESSAGE_ID_KEYS, MAX_MESSAGE_ID)
        except InvalidPayload as error:
            # authentic but unusable content (NUL byte, wrong type, too long...): refused, nothing stored
            return self._refuse(provider.id, 400, f"Bad Request: {error}")
        missing = [name for name, value in (("from", sender), ("message", text)) if value is None]
        if missing:
            return self._bad_request(provider, self._error_text("missing", missing), sender, text, nonce)

        Inbound = request.env["sms.inbound"].sudo().with_company(provider.company_id)
        if message_id:
            existing = Inbound.search(
                [("provider_id", "=", provider.id), ("gateway_message_id", "=", message_id)], limit=1
            )
            if existing:
                # a gateway retry: not stored nor answered twice
                return request.make_json_response({"status": "duplicate", "id": existing.id, "state": existing.state})
        try:
            # the provider is authenticated: the public user may not create records, the gateway may
            with request.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                message = Inbound._receive_message(provider, sender, text, message_id=message_id, nonce=nonce)
        except psycopg2.IntegrityError:
            # the same nonce or message id stored by a concurrent call: a replay
            return self._refuse(provider.id, 409, "Conflict: this call was already received.")
        return request.make_json_response({"status": "ok", "id": message.id, "state": message.state})

    @staticmethod
    def _parse_payload(httprequest, raw_body):
        """The fields of the call, from one source only: the body when there is one (JSON object or form),
        else the query string. Never both, so unsigned parameters cannot override signed ones.

        Returns a ``{key: [values]}`` dict, or None when the JSON is broken.
        """
        if not raw_body:
            return {key: httprequest.args.getlist(key) for key in httprequest.args}
        mimetype = httprequest.mimetype
        if mimetype == "application/json" or raw_body.lstrip()[:1] == b"{":
            try:
                data = json.loads(raw_body, object_pairs_hook=_no_duplicate_keys)
            except DuplicateKey as error:
                raise InvalidPayload(f"field {str(error)[:40]!r} is given more than once.") from None
            except (ValueError, RecursionError):
                return None
            if not isinstance(data, dict):
                return None
            return {key: [value] for key, value in data.items()}
        if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return {key: httprequest.form.getlist(key) for key in httprequest.form}
        raise InvalidPayload("send a JSON object, a form (x-www-form-urlencoded) or a query string.")

    @staticmethod
    def _field(payload, name, keys, max_length, multiline=False):
        """The first of ``keys`` given a non-empty value, as a clean string; None when absent."""
        for key in keys:
            values = payload.get(key) or []
            if len(values) > 1:
                raise InvalidPayload(f"field {key!r} is given more than once.")
            value = values[0] if values else None
            if value is None or value == "":
                continue
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise InvalidPayload(f"field {key!r} must be a string.")
            value = str(value)
            if len(value) > max_length:
                raise InvalidPayload(f"field {key!r} is longer than {max_length} characters.")
            allowed = "\n\r\t" if multiline else ""
            if any(
                (ord(char) < 32 and char not in allowed) or ord(char) == 127 or 0xD800 <= ord(char) <= 0xDFFF
                for char in value
            ):
                raise InvalidPayload(f"field {key!r} contains control characters (such as NUL).")
            if not value.strip():
                continue
            return value
        return None

    @staticmethod
    def _error_text(kind, missing=()):
        """Error kept on the message for the reviewer (translatable)."""
        _ = request.env._
        if kind == "json":
            return _("The body is not valid JSON.")
        return _(
            "Missing field(s): %(fields)s. Send 'from' (sender number) and 'message' (text).",
            fields=", ".join(missing),
        )

    def _refuse(self, provider_id, status, reason):
        _logger.warning(
            "Inbound SMS refused for provider %s from %s: %s", provider_id, request.httprequest.remote_addr, reason
        )
        return request.make_response(reason, status=status, headers=[("Content-Type", "text/plain; charset=utf-8")])

    def _bad_request(self, provider, error, sender=None, text=None, nonce=False):
        """An authentic call that misses what is needed: kept in error for review, answered 400."""
        _logger.warning("Inbound SMS for provider %s rejected: %s", provider.id, error)
        try:
            with request.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                request.env["sms.inbound"].sudo().with_company(provider.company_id)._receive_malformed(
                    provider, error, sender=sender, text=text, nonce=nonce
                )
        except psycopg2.IntegrityError:
            return self._refuse(provider.id, 409, "Conflict: this call was already received.")
        return request.make_response(error, status=400, headers=[("Content-Type", "text/plain; charset=utf-8")])
