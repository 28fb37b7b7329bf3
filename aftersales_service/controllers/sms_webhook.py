import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

# field names gateways use for the same thing, first found wins
SENDER_KEYS = ("from", "sender", "msisdn", "from_number")
TEXT_KEYS = ("message", "text", "body")
MESSAGE_ID_KEYS = ("messageid", "message_id", "id")


class AftersalesSmsWebhook(http.Controller):
    @http.route(
        "/aftersales/sms/inbound/<int:provider_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,  # machine caller: authenticated below by its token or HMAC signature
        save_session=False,
    )
    def aftersales_sms_inbound(self, provider_id, **kwargs):
        httprequest = request.httprequest
        raw_body = httprequest.get_data(cache=True) or b""
        # sudo only to read this one provider's secret for the check just below; nothing else is done
        # with it before the token or signature matches
        provider = request.env["aftersales.sms.provider"].sudo().browse(provider_id).exists()
        token = kwargs.get("token") or httprequest.headers.get("X-Aftersales-Token")
        signature = httprequest.headers.get("X-Signature")
        if not provider or not provider._check_inbound_auth(raw_body, token=token, signature=signature):
            _logger.warning(
                "Inbound SMS refused for provider %s from %s: bad or missing token/signature",
                provider_id,
                httprequest.remote_addr,
            )
            return request.make_response("Forbidden", status=403, headers=[("Content-Type", "text/plain")])

        payload = self._parse_payload(httprequest, raw_body, kwargs)
        if payload is None:
            return self._bad_request(provider, "The body is not valid JSON.")
        sender = self._first(payload, SENDER_KEYS)
        text = self._first(payload, TEXT_KEYS)
        message_id = self._first(payload, MESSAGE_ID_KEYS)
        missing = [name for name, value in (("from", sender), ("message", text)) if value is None]
        if missing:
            return self._bad_request(
                provider,
                f"Missing field(s): {', '.join(missing)}. Send 'from' (sender number) and 'message' (text).",
                sender=sender,
                text=text,
            )
        # the provider is authenticated: the public user may not create records, the gateway may
        message = (
            request.env["aftersales.sms.inbound"]
            .sudo()
            .with_company(provider.company_id)
            ._receive_message(provider, str(sender), str(text), message_id=message_id)
        )
        return request.make_json_response({"status": "ok", "id": message.id, "state": message.state})

    @staticmethod
    def _parse_payload(httprequest, raw_body, kwargs):
        """Query string and form fields, or a JSON object body; None when the JSON is broken."""
        payload = {key: value for key, value in kwargs.items() if key != "token"}
        is_json = httprequest.mimetype == "application/json" or raw_body.lstrip()[:1] == b"{"
        if is_json and raw_body.strip():
            try:
                data = json.loads(raw_body)
            except ValueError:
                return None
            if not isinstance(data, dict):
                return None
            payload.update(data)
        return payload

    @staticmethod
    def _first(payload, keys):
        for key in keys:
            value = payload.get(key)
            if value not in (None, ""):
                return value
        return None

    def _bad_request(self, provider, error, sender=None, text=None):
        _logger.warning("Inbound SMS for provider %s rejected: %s", provider.id, error)
        request.env["aftersales.sms.inbound"].sudo().with_company(provider.company_id)._receive_malformed(
            provider, error, sender=sender and str(sender), text=text and str(text)
        )
        return request.make_response(error, status=400, headers=[("Content-Type", "text/plain; charset=utf-8")])
