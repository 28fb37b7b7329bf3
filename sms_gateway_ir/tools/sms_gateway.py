import requests

from odoo.addons.sms.tools.sms_api import SmsApiBase


class SmsGatewayApi(SmsApiBase):
    """Odoo SMS API object that sends through an ``sms.gateway.provider``.

    ``sms.sms._split_by_api`` yields it instead of Odoo's IAP ``SmsApi`` for the
    companies that have an active HTTP provider; ``_send_with_api`` then maps the
    results exactly as it does for IAP.
    """

    PROVIDER_TO_SMS_FAILURE_TYPE = SmsApiBase.PROVIDER_TO_SMS_FAILURE_TYPE | {
        "insufficient_credit": "sms_credit",
        "unregistered": "sms_acc",
    }

    def __init__(self, env, account=None, provider=None):
        super().__init__(env, account=account)
        self.provider = provider
        if provider:
            self.company = provider.company_id

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        results = []
        # one keep-alive session per batch
        with requests.Session() as session:
            for message in messages:
                for number in message["numbers"]:
                    results.append(
                        self.provider._send_one(number["number"], message["content"], number["uuid"], session=session)
                    )
        return results
