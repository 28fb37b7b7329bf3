import re

from odoo import fields, models

from odoo.addons.aftersales_warranty.tools import normalize_code

# full request reference such as SR/2026/00012
REQUEST_REF_RE = re.compile(r"\b([A-Z]{1,6}/\d{4}/\d{1,8})\b", re.IGNORECASE)
# a request number alone ("12", "00012")
REQUEST_NUMBER_RE = re.compile(r"^\d{1,6}$")
TOKEN_SPLIT_RE = re.compile(r"[\s,،;:!؟?\"'()]+")
MAX_LOOKUPS = 5


class SmsInbound(models.Model):
    """The after-sales meaning of a customer's text: a serial or a warranty card gets the warranty status,
    a request reference (or its number, from the customer's own mobile) gets the request status, anything
    else a help text and a review. ``sms_gateway_ir`` receives, stores and answers; this decides the answer
    through its hook ``_match``."""

    _inherit = "sms.inbound"

    match_type = fields.Selection(
        selection_add=[("warranty", "Warranty"), ("request", "Service Request")],
        ondelete={"warranty": "set null", "request": "set null"},
    )
    warranty_id = fields.Many2one("aftersales.warranty", readonly=True, copy=False, index="btree_not_null")
    lot_id = fields.Many2one("stock.lot", "Serial", readonly=True, copy=False)
    product_id = fields.Many2one("product.product", readonly=True, copy=False)
    request_id = fields.Many2one("aftersales.request", readonly=True, copy=False, index="btree_not_null")

    # ------------------------------------------------------------ business methods

    def _match(self, text, partner, partner_is_new=False):
        """A request reference or number gets the request status, a code the warranty status, anything
        else the generic outcome (review) with a help text. Overrides the hook of ``sms_gateway_ir``."""
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
        outcome = super()._match(text, partner, partner_is_new=partner_is_new)
        if outcome.get("state") == "needs_review" and not outcome.get("reply_text"):
            outcome["reply_text"] = self._help_text(text)
        return outcome

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
