import threading
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..tools.sms_encoding import sms_parts
from ..tools.sms_gateway import SmsGatewayApi

# gateway answers worth another attempt later (HTTP errors, timeouts, refusals)
RETRYABLE_RESULT_STATES = {"server_error"}
MAX_RETRY_DELAY = timedelta(hours=24)


class SmsSms(models.Model):
    _inherit = "sms.sms"

    gateway_company_id = fields.Many2one(
        "res.company",
        "Sending Company",
        compute="_compute_gateway_company_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        ondelete="set null",
        help="Company of the document the SMS is about (else the sender's): its SMS provider sends it, and only "
        "its users read it in the SMS log.",
    )
    gateway_provider_id = fields.Many2one(
        "sms.gateway.provider",
        "Provider",
        index="btree_not_null",
        ondelete="set null",
        help="Gateway that sent (or must send) this SMS; empty for Odoo IAP.",
    )
    gateway_encoding = fields.Selection(
        [("gsm7", "GSM-7"), ("ucs2", "UCS-2 (Unicode)")], "Encoding", compute="_compute_gateway_parts", store=True
    )
    gateway_parts = fields.Integer("Parts", compute="_compute_gateway_parts", store=True)
    gateway_message_id = fields.Char("Gateway Message Id", copy=False, index="btree_not_null")
    gateway_failure_reason = fields.Text("Failure Reason", copy=False)
    gateway_attempt_count = fields.Integer("Attempts", copy=False)
    gateway_next_attempt = fields.Datetime("Next Attempt", copy=False, index="btree_not_null")

    @api.depends("mail_message_id")
    def _compute_gateway_company_id(self):
        for sms in self:
            sms.gateway_company_id = sms.mail_message_id.record_company_id or sms.gateway_company_id or self.env.company

    @api.depends("body")
    def _compute_gateway_parts(self):
        for sms in self:
            sms.gateway_encoding, sms.gateway_parts, _parts = sms_parts(sms.body or "")

    # ------------------------------------------------------------ sending

    def _get_sms_company(self):
        if self.gateway_company_id and not self.mail_message_id.record_company_id:
            return self.gateway_company_id
        return super()._get_sms_company()

    def _gateway_get_provider(self, company_providers):
        """Provider sending this SMS: its own when active, else the company's (cached in ``company_providers``)."""
        self.ensure_one()
        own = self.gateway_provider_id
        if own and own.active and own.kind != "odoo":
            return own
        company = self._get_sms_company()
        if company not in company_providers:
            company_providers[company] = self.env["sms.gateway.provider"]._get_sending_provider(company)
        return company_providers[company]

    def _split_by_api(self):
        # SMS of companies with an active HTTP provider go through it; the others keep Odoo's IAP
        by_provider = defaultdict(lambda: self.env["sms.sms"])
        company_providers = {}
        for sms in self:
            by_provider[sms._gateway_get_provider(company_providers)] += sms
        rest = by_provider.pop(self.env["sms.gateway.provider"], self.env["sms.sms"])
        for provider, provider_sms in by_provider.items():
            yield SmsGatewayApi(self.env, provider=provider), provider_sms
        if rest:
            yield from super(SmsSms, rest)._split_by_api()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        sms_api = self.env.context.get("sms_api")
        if not sms_api:
            # called directly (not through send()): route through our providers as well
            for api_object, sms in self._split_by_api():
                super(SmsSms, sms.with_context(sms_api=api_object))._send(
                    unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception
                )
            return None
        if isinstance(sms_api, SmsGatewayApi):
            # keep sent and failed SMS: they are the SMS log and the retry queue
            unlink_failed = unlink_sent = False
        return super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)

    def _handle_call_result_hook(self, results):
        """Record provider, gateway id, failure reason, attempts and next retry of provider SMS."""
        by_uuid = self.grouped("uuid")
        now = fields.Datetime.now()
        providers = self.env["sms.gateway.provider"].sudo()
        # one write per SMS: each has its own gateway id; the gateway call per SMS costs far more
        for result in results:
            sms = by_uuid.get(result.get("uuid"))
            provider = providers.browse(result.get("gateway_provider_id"))
            if not sms or not provider:
                continue
            attempts = sms.gateway_attempt_count + 1
            next_attempt = False
            if result.get("state") in RETRYABLE_RESULT_STATES and attempts < provider.max_attempts:
                delay = timedelta(minutes=max(provider.retry_delay, 1) * 2 ** (attempts - 1))
                next_attempt = now + min(delay, MAX_RETRY_DELAY)
            sms.write(
                {
                    "gateway_provider_id": provider.id,
                    "gateway_attempt_count": attempts,
                    "gateway_message_id": result.get("gateway_message_id") or False,
                    "gateway_failure_reason": result.get("failure_reason") or False,
                    "gateway_next_attempt": next_attempt,
                }
            )
        return super()._handle_call_result_hook(results)

    @api.model
    def _cron_gateway_retry(self, limit=500):
        """Send again the provider SMS whose retry time has come (exponential backoff)."""
        due = self.search(
            [
                ("state", "=", "error"),
                ("to_delete", "=", False),
                ("gateway_next_attempt", "!=", False),
                ("gateway_next_attempt", "<=", fields.Datetime.now()),
            ],
            order="gateway_next_attempt, id",
            limit=limit,
        )
        if not due:
            return
        due.write({"gateway_next_attempt": False})
        due.action_set_outgoing()
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        due.send(unlink_failed=False, unlink_sent=False, auto_commit=auto_commit, raise_exception=False)

    @api.autovacuum
    def _gc_gateway_sms_log(self):
        """Drop provider SMS that were sent or cancelled long ago (``sms_gateway_ir.sms_log_days``, 180)."""
        days = int(self.env["ir.config_parameter"].sudo().get_param("sms_gateway_ir.sms_log_days", 180))
        if days <= 0:
            return
        old = self.search(
            [
                ("gateway_provider_id", "!=", False),
                ("state", "in", ("pending", "sent", "canceled")),
                ("create_date", "<", fields.Datetime.now() - timedelta(days=days)),
            ],
            limit=10000,
        )
        old.unlink()
