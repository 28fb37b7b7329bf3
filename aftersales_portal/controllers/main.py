import logging

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.misc import format_date

from odoo.addons.aftersales_service.models.aftersales_request import OPEN_REQUEST_STATES
from odoo.addons.aftersales_warranty.tools import to_persian_digits
from odoo.addons.web_jalali.tools import format_reader_date

from ..models.aftersales_request import PortalOpenRequestError
from ..tools import parse_id, text_problem
from .uploads import read_uploads

_logger = logging.getLogger(__name__)

OTP_SESSION_KEY = "aftersales_portal_otp"


def portal_date(value):
    """A date for the visitor: Jalali with Persian digits in Persian (datetimes with their time in the
    visitor's time zone, else the company's), the language's format otherwise."""
    if not value:
        return ""
    env = request.env
    if (env.lang or "").startswith("fa"):
        # sudo: the company's time zone is public; a portal user may not read the company's contact
        tz = env.context.get("tz") or env.user.tz or env.company.sudo().partner_id.tz
        return format_reader_date(env, value, tz=tz)
    return format_date(env, value)


def portal_digits(value):
    """A number for the visitor: Persian digits in Persian."""
    if (request.env.lang or "").startswith("fa"):
        return to_persian_digits(value)
    return str(value)


def client_key():
    """The client's address (behind a proxy, Odoo's ``proxy_mode`` resolves it)."""
    return request.httprequest.remote_addr or "unknown"


def rate_allowed(bucket, default_limit, default_window):
    """Count one hit of the client on ``bucket``; False when over the configured limit."""
    # sudo: the counter table is technical, written for anonymous visitors too
    return request.env["aftersales.portal.rate"].sudo()._allowed(bucket, client_key(), default_limit, default_window)


MAX_CODE_LENGTH = 64
# the longest text echoed back into a form after an error
MAX_ECHO_LENGTH = 4000


def echo_text(value, max_length=MAX_ECHO_LENGTH):
    """A typed text shown again in a form: cut short, empty when it holds control characters."""
    if not isinstance(value, str):
        return ""
    value = value[:max_length]
    return "" if text_problem(value, max_length, multiline=True) else value


def echo_values(post):
    """Form values shown again after an error: texts only, without control characters, cut short."""
    return {key: echo_text(value) for key, value in post.items() if isinstance(value, str)}


class AftersalesPortalMain(http.Controller):
    # ------------------------------------------------------------------ landing
    @http.route("/aftersales", type="http", auth="public", website=True, sitemap=True)
    def aftersales_home(self, **kw):
        user = request.env.user
        values = {
            "is_public": user._is_public(),
            "is_agent": user.has_group("aftersales_portal.group_aftersales_portal_agent"),
            "is_technician": bool(
                not user._is_public()
                and request.env["hr.employee"].sudo().search_count([("user_id", "=", user.id)], limit=1)
            ),
        }
        return request.render("aftersales_portal.aftersales_home", values)

    # --------------------------------------------------------- warranty check
    @http.route("/aftersales/warranty", type="http", auth="public", website=True, sitemap=True)
    def warranty_check(self, code=None, **kw):
        values = {"code": "", "result": None, "portal_date": portal_date, "portal_digits": portal_digits}
        if not code:
            return request.render("aftersales_portal.warranty_check", values)
        # counted first: a refused code still counts, and nothing below can undo the count
        if not rate_allowed("warranty_check", 20, 600):
            values["rate_limited"] = True
            return request.render("aftersales_portal.warranty_check", values, status=429)
        if text_problem(code, MAX_CODE_LENGTH):
            values["error"] = request.env._(
                "This is not a serial or warranty card number: use letters and digits only, at most %(max)s.",
                max=MAX_CODE_LENGTH,
            )
            return request.render("aftersales_portal.warranty_check", values, status=400)
        values["code"] = code
        values["result"] = self._warranty_public_result(code)
        return request.render("aftersales_portal.warranty_check", values)

    def _warranty_public_result(self, code):
        """Look the code up and keep only what anybody may see: product, state, dates.

        sudo: the visitor is anonymous and the rate limit was checked above; the
        result deliberately leaves out the customer and every other personal field.
        """
        Warranty = request.env["aftersales.warranty"].sudo()
        found = Warranty.lookup(code)
        result = {"status": found.get("status")}
        if found.get("status") == "found" and found.get("match") not in ("warranty_serial", "product_serial"):
            # a product code is no proof of owning a unit: only serials are answered here
            result["status"] = "not_found"
        if result["status"] != "found":
            return result
        product = request.env["product.product"].sudo().browse(found.get("product_id") or [])
        warranty = Warranty.browse(found.get("warranty_id") or [])
        result.update(
            {
                "product": product.display_name,
                "state": found.get("state"),
                "state_label": dict(warranty._fields["state"]._description_selection(request.env)).get(
                    found.get("state"), found.get("state")
                )
                if warranty
                else False,
                "under_warranty": found.get("under_warranty"),
                "date_end": found.get("date_end"),
                "days_left": found.get("days_left"),
                "has_warranty": bool(warranty),
            }
        )
        return result

    # --------------------------------------------------------- service request
    def _session_otp(self):
        """The visitor's verification challenge, found by the random token kept in the session.

        sudo: the challenge table is technical; only the session's own token reaches a row.
        """
        token = request.session.get(OTP_SESSION_KEY)
        if not token:
            return request.env["aftersales.portal.otp"]
        return request.env["aftersales.portal.otp"].sudo().search([("token", "=", token)], limit=1)

    def _request_form_values(self, **kw):
        env = request.env
        user = env.user
        params = env["ir.config_parameter"].sudo()
        # sudo: public catalogue data only (serviceable products and failure names)
        products = env["product.product"].sudo().search(self._portal_product_domain(), order="name", limit=500)
        failure_modes = env["aftersales.failure.mode"].sudo().search([], order="name")
        otp = self._session_otp()
        units = self._portal_own_units()
        open_requests = self._portal_units_open_requests(units)
        return {
            "is_public": user._is_public(),
            "partner": user.partner_id if not user._is_public() else False,
            "units": units,
            # a unit with an open request is not offered again: its request is linked instead
            "unit_open_requests": open_requests,
            "free_units": units.filtered(lambda unit: unit.lot_id.id not in open_requests),
            "products": products,
            "failure_modes": failure_modes,
            "max_photo_mb": params.get_param("aftersales_portal.max_photo_mb", 10),
            "max_video_mb": params.get_param("aftersales_portal.max_video_mb", 30),
            "otp_verified_target": otp.target if otp and otp.state == "verified" else False,
            "errors": [],
            "post": kw,
        }

    def _portal_own_units(self):
        """The signed-in customer's own units (warranty cards with a serial), offered first on the form.

        sudo: portal users cannot read warranty cards; the domain keeps only the cards of the user's
        own company (the same ownership ``_portal_unit_vals`` checks when the card number comes back).
        """
        user = request.env.user
        if user._is_public():
            return request.env["aftersales.warranty"]
        commercial = user.partner_id.commercial_partner_id
        return (
            request.env["aftersales.warranty"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("state", "!=", "void"),
                    ("lot_id", "!=", False),
                    ("product_tmpl_id", "any", self._portal_product_domain()),
                ],
                order="date_start desc, id desc",
                limit=20,
            )
        )

    def _portal_units_open_requests(self, units):
        """``{lot id: open request}`` for the customer's own ``units`` that already have an open request.

        sudo: the units are the signed-in customer's own (``_portal_own_units``); the request is shown
        (name and page) only when it is the customer's own or their agency's, as
        ``_portal_check_unit_not_open`` does when the form is sent; another customer's request is
        ``False``: the unit is only said to be open.
        """
        if not units:
            return {}
        customer = request.env.user.partner_id.commercial_partner_id
        lines = (
            request.env["aftersales.request.line"]
            .sudo()
            .search([("lot_id", "in", units.lot_id.ids), ("request_state", "in", OPEN_REQUEST_STATES)], order="id")
        )
        result = {}
        for line in lines:
            if line.lot_id.id in result:
                continue
            owners = line.request_id.partner_id.commercial_partner_id | line.request_id.agent_id.commercial_partner_id
            result[line.lot_id.id] = line.request_id if customer in owners else False
        return result

    def _portal_product_domain(self):
        """Products a request can be filed for: the serviceable ones (``aftersales_warranty``)."""
        return [("is_serviceable", "=", True)]

    @http.route("/aftersales/request/new", type="http", auth="public", website=True, methods=["GET"])
    def request_new(self, **kw):
        return request.render("aftersales_portal.request_new", self._request_form_values(**echo_values(kw)))

    @http.route("/aftersales/request/otp/send", type="json", auth="public", website=True)
    def request_otp_send(self, target=None, **kw):
        try:
            # sudo: the challenge and counter tables are technical; the model checks the target
            # and the limits (per connection, per target, for the whole website) before sending
            otp = request.env["aftersales.portal.otp"].sudo()._issue_for(target, client_key())
        except UserError as error:
            return {"error": str(error)}
        request.session[OTP_SESSION_KEY] = otp.token
        return {"sent": True, "channel": otp.channel}

    @http.route("/aftersales/request/otp/verify", type="json", auth="public", website=True)
    def request_otp_verify(self, code=None, **kw):
        otp = self._session_otp()
        if not otp:
            return {"error": request.env._("Ask for a code first.")}
        if not isinstance(code, str) or len(code) > 64:
            return {"error": request.env._("Type the code of six digits that we sent you.")}
        if otp._verify(code):
            return {"verified": True, "target": otp.target}
        if otp.state == "blocked":
            return {"error": request.env._("Too many wrong codes: ask for a new one.")}
        return {"error": request.env._("This code is wrong or has expired.")}

    @http.route("/aftersales/request/new", type="http", auth="public", website=True, methods=["POST"])
    def request_submit(self, **post):
        env = request.env
        user = env.user
        values = self._request_form_values(**echo_values(post))
        errors = []
        files = request.httprequest.files
        photos, photo_errors = read_uploads(env, files.getlist("photos"), kinds=("photo",))
        videos, video_errors = read_uploads(env, files.getlist("video"), kinds=("video",), max_files=1)
        errors += photo_errors + video_errors
        otp = False
        if user._is_public():
            otp = self._session_otp()
            if not otp or otp.state != "verified":
                errors.append(env._("Verify your phone number or email with the code we send you."))
            if not (post.get("contact_name") or "").strip():
                errors.append(env._("Give your name."))
        # a unit chosen among the customer's own (its warranty card number) stands for product and serial
        unit_code = post.get("unit_code") if isinstance(post.get("unit_code"), str) else ""
        product_id = False if unit_code else parse_id(post.get("product_id"))
        if product_id and not env["product.product"].sudo().search_count(
            [("id", "=", product_id), ("product_tmpl_id", "any", self._portal_product_domain())], limit=1
        ):
            errors.append(env._("Choose the product from the list."))
        if not errors:
            # the identity is the signed-in user's contact or the address proven by the one-time
            # code; phone and email fields of the form are never trusted as an identity
            portal_values = {
                "partner_id": user.partner_id.id if not user._is_public() else False,
                "contact_name": post.get("contact_name"),
                "company_id": request.website.company_id.id,
                "product_id": product_id,
                # the card number of a chosen unit is checked like a typed one (ownership included)
                "serial": unit_code or post.get("serial"),
                "failure_mode_id": parse_id(post.get("failure_mode_id")),
                "description": post.get("description"),
                "latitude": post.get("latitude"),
                "longitude": post.get("longitude"),
                "address": post.get("address"),
                "attachments": photos + videos,
            }
            try:
                # sudo: anonymous visitors verified by one-time code, or signed-in customers
                # filing for their own partner; the model method applies the business rules
                with env.cr.savepoint():
                    service_request, may_follow = (
                        env["aftersales.request"].sudo()._create_from_portal(portal_values, otp=otp or None)
                    )
            except PortalOpenRequestError as error:
                # nothing created; the link is there only when the open request is the visitor's
                errors.append(str(error))
                values["open_request_url"] = error.url
            except (UserError, ValidationError) as error:
                errors.append(str(error))
            else:
                request.session.pop(OTP_SESSION_KEY, None)
                if not may_follow:
                    # an anonymous visitor matched to an existing customer: no link to the request page,
                    # which would show that customer's name and contact details
                    return request.render(
                        "aftersales_portal.request_received", {"reference": service_request.name, "target": otp.target}
                    )
                return request.redirect(
                    f"/my/aftersales/requests/{service_request.id}?access_token={service_request._portal_ensure_token()}&created=1"
                )
        values["errors"] = errors
        return request.render("aftersales_portal.request_new", values, status=400)
