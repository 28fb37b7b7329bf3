from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        result = super()._pre_dispatch(rule, args)
        if rule.endpoint.routing.get("keep_raw_body"):
            # Odoo parses a form body when it dispatches (HttpDispatcher.dispatch), which empties the input
            # stream: read and keep the raw bytes now, within the route's max_content_length set just above;
            # werkzeug then parses the form from these cached bytes. The SMS webhook signs the raw body.
            httprequest = request.httprequest
            length = httprequest.content_length
            if length and length <= (httprequest.max_content_length or length):
                httprequest.get_data(cache=True)
        return result
