from collections import OrderedDict
from datetime import timedelta
from urllib.parse import quote as url_quote
from urllib.parse import urlencode as url_encode

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import parse_coordinate, parse_id, text_problem
from .main import echo_text, echo_values, portal_date, portal_digits
from .uploads import read_batch_file, read_uploads


class AftersalesCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------------ home tiles
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Request = request.env["aftersales.request"]
        if "aftersales_request_count" in counters:
            values["aftersales_request_count"] = (
                Request.search_count(self._aftersales_request_domain()) if Request.has_access("read") else 0
            )
        if "aftersales_job_count" in counters:
            values["aftersales_job_count"] = (
                request.env["repair.order"].sudo().search_count(self._aftersales_job_domain())
            )
        return values

    # ------------------------------------------------------------------ requests
    def _aftersales_request_domain(self):
        """Requests of the user's company (customer) or filed by it (agency); rules enforce the same."""
        commercial = request.env.user.partner_id.commercial_partner_id
        return [
            "|",
            ("partner_id", "child_of", commercial.id),
            ("agent_id", "child_of", commercial.id),
        ]

    def _aftersales_request_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, create_date desc, id desc"},
        }

    def _aftersales_request_filters(self):
        return OrderedDict(
            [
                ("all", {"label": request.env._("All"), "domain": []}),
                (
                    "open",
                    {"label": request.env._("In progress"), "domain": [("state", "not in", ("done", "cancelled"))]},
                ),
                ("done", {"label": request.env._("Done"), "domain": [("state", "=", "done")]}),
                ("cancelled", {"label": request.env._("Cancelled"), "domain": [("state", "=", "cancelled")]}),
            ]
        )

    @http.route(
        ["/my/aftersales/requests", "/my/aftersales/requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_aftersales_requests(self, page=1, sortby="date", filterby="all", search=None, **kw):
        Request = request.env["aftersales.request"]
        page = parse_id(page) or 1
        values = self._prepare_portal_layout_values()
        sortings = self._aftersales_request_sortings()
        filters = self._aftersales_request_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        if text_problem(search, 64):
            # a search the database cannot run (control characters, far too long) finds nothing
            search = None
        domain = expression.AND([self._aftersales_request_domain(), filters[filterby]["domain"]])
        if search:
            # sudo: serials are not readable by portal users; this subquery only narrows the
            # search below, which still goes through the user's record rules
            by_serial = Request.sudo()._search([("line_ids.lot_id.name", "ilike", search)])
            domain = expression.AND([domain, ["|", ("name", "ilike", search), ("id", "in", by_serial)]])
        pager = portal_pager(
            url="/my/aftersales/requests",
            url_args={"sortby": sortby, "filterby": filterby, "search": search},
            total=Request.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        requests_ = Request.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_aftersales_requests_history"] = requests_.ids[:100]
        values.update(
            {
                # rendered as superuser: the search above went through the record rules
                "aftersales_requests": requests_.sudo(),
                "page_name": "aftersales_request",
                "pager": pager,
                "default_url": "/my/aftersales/requests",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "search": search,
                "search_in": "all",
                "searchbar_inputs": {"all": {"input": "all", "label": request.env._("Reference or serial")}},
                "portal_date": portal_date,
            }
        )
        return request.render("aftersales_portal.portal_my_aftersales_requests", values)

    @http.route("/my/aftersales/requests/<int:request_id>", type="http", auth="public", website=True)
    def portal_my_aftersales_request(self, request_id, access_token=None, report_type=None, download=False, **kw):
        if not parse_id(request_id) or (access_token is not None and not isinstance(access_token, str)):
            return request.redirect("/my")
        try:
            # returns the record as superuser only after the rule check or a token match
            request_sudo = self._document_check_access("aftersales.request", request_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("pdf", "html"):
            return self._show_report(
                request_sudo,
                report_type,
                "aftersales_service.action_report_aftersales_request_receipt",
                download=download,
            )
        values = self._aftersales_request_page_values(request_sudo, access_token, created=kw.get("created"))
        return request.render("aftersales_portal.portal_my_aftersales_request", values)

    @http.route(
        "/my/aftersales/requests/<int:request_id>/photos/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def portal_my_aftersales_request_photo(self, request_id, attachment_id, access_token=None, thumbnail=None, **kw):
        """A photo of the request's units, for whoever may open the request page (its customer or
        agency, or the holder of the request's link); nobody else gets a byte."""
        if (
            not parse_id(request_id)
            or not parse_id(attachment_id)
            or (access_token is not None and not isinstance(access_token, str))
        ):
            raise request.not_found()
        try:
            # returns the record as superuser only after the rule check or a token match
            request_sudo = self._document_check_access("aftersales.request", request_id, access_token)
        except (AccessError, MissingError) as error:
            raise request.not_found() from error
        photo = request_sudo._get_portal_photos().filtered(lambda att: att.id == attachment_id)
        if not photo:
            raise request.not_found()
        size = 256 if thumbnail else 0
        try:
            stream = request.env["ir.binary"]._get_image_stream_from(photo, "raw", width=size, height=size)
        except UserError:
            # a file that passed the type check but cannot be decoded: sent as it is, not resized
            stream = request.env["ir.binary"]._get_stream_from(photo, "raw")
        return stream.get_response()

    def _aftersales_request_page_values(self, request_sudo, access_token, created=False):
        orders = request_sudo.line_ids.repair_id
        values = {
            "aftersales_request": request_sudo,
            "orders": orders,
            "page_name": "aftersales_request",
            "portal_date": portal_date,
            "created": created,
            "report_url": request_sudo.get_portal_url(report_type="pdf", download=True),
            "rating_token": {order.id: self._aftersales_rating_token(order) for order in orders},
            "photos": request_sudo._get_portal_photos(),
            "photo_url": lambda photo, thumbnail=False: self._aftersales_photo_url(
                request_sudo, photo, access_token, thumbnail
            ),
        }
        return self._get_page_view_values(request_sudo, access_token, values, "my_aftersales_requests_history", False)

    @staticmethod
    def _aftersales_photo_url(request_sudo, photo, access_token, thumbnail=False):
        """Address of a photo of the request; with the page's token when the page was opened by link."""
        params = {}
        if access_token:
            params["access_token"] = access_token
        if thumbnail:
            params["thumbnail"] = 1
        url = f"/my/aftersales/requests/{request_sudo.id}/photos/{photo.id}"
        return f"{url}?{url_encode(params)}" if params else url

    def _aftersales_rating_token(self, order):
        """Native rating link token of a finished order (``/rate/<token>/<score>``), if rated by mail."""
        if order.state != "done":
            return False
        return order._rating_get_access_token()

    # ------------------------------------------------------------------ technician jobs
    def _aftersales_job_domain(self):
        return [
            ("technician_user_id", "=", request.env.user.id),
            ("state", "not in", ("done", "cancel")),
        ]

    def _aftersales_job_check(self, order_id):
        """The repair order if the signed-in user is its technician; AccessError otherwise."""
        if not parse_id(order_id):
            raise AccessError(request.env._("This job is not yours."))
        order = request.env["repair.order"].browse(order_id).sudo().exists()
        if not order or order.technician_user_id != request.env.user:
            raise AccessError(request.env._("This job is not yours."))
        return order

    def _aftersales_job_values(self, order, message=None, error=None, form=None):
        """Values of one job page; ``order`` is already checked and sudo. ``form``: values typed in
        the worklog form and shown again after an error (see ``_aftersales_worklog_echo``)."""
        worklog = self._aftersales_current_worklog(order)
        env = request.env
        return {
            "worklog_form": form or {},
            "job": order,
            "worklog": worklog,
            "page_name": "aftersales_job",
            "portal_date": portal_date,
            "portal_digits": portal_digits,
            "worklog_actions": env["aftersales.worklog.action"].sudo().search([]),
            "van_parts": order._portal_van_parts(worklog) if worklog else [],
            "worklog_results": env["aftersales.worklog"]._fields["result"]._description_selection(env),
            "map_url": self._aftersales_map_url(order.partner_id),
            "message": message if isinstance(message, str) else None,
            "error": error if isinstance(error, str) else None,
        }

    def _aftersales_current_worklog(self, order):
        return order._get_portal_open_worklog()

    @staticmethod
    def _aftersales_map_url(partner):
        if partner.partner_latitude or partner.partner_longitude:
            return (
                f"https://www.openstreetmap.org/?mlat={partner.partner_latitude}"
                f"&mlon={partner.partner_longitude}#map=17/{partner.partner_latitude}/{partner.partner_longitude}"
            )
        address = ", ".join(filter(None, [partner.street, partner.city, partner.country_id.name]))
        return f"https://www.openstreetmap.org/search?query={url_quote(address)}" if address else False

    @staticmethod
    def _aftersales_position(post):
        return parse_coordinate(post.get("latitude"), 90), parse_coordinate(post.get("longitude"), 180)

    def _aftersales_my_score(self):
        """The signed-in technician's score of the current month, if computed."""
        month_start = fields.Date.context_today(request.env.user).replace(day=1)
        # sudo: filtered on the signed-in user's own technician record
        return (
            request.env["aftersales.technician.score"]
            .sudo()
            .search(
                [("technician_id.user_id", "=", request.env.user.id), ("date_start", "=", month_start)],
                limit=1,
            )
        )

    @http.route("/my/aftersales/jobs", type="http", auth="user", website=True)
    def portal_my_aftersales_jobs(self, **kw):
        values = self._prepare_portal_layout_values()
        # sudo: the domain keeps only orders whose technician is the signed-in user
        orders = (
            request.env["repair.order"]
            .sudo()
            .search(self._aftersales_job_domain(), order="schedule_date, priority desc, id")
        )
        today_end = fields.Datetime.to_datetime(fields.Date.context_today(request.env.user)) + timedelta(days=1)
        values.update(
            {
                "today_jobs": orders.filtered(lambda o: o.schedule_date and o.schedule_date < today_end),
                "upcoming_jobs": orders.filtered(lambda o: not o.schedule_date or o.schedule_date >= today_end),
                "score": self._aftersales_my_score(),
                "page_name": "aftersales_job",
                "portal_date": portal_date,
            }
        )
        return request.render("aftersales_portal.portal_my_aftersales_jobs", values)

    @http.route("/my/aftersales/jobs/<int:order_id>", type="http", auth="user", website=True)
    def portal_my_aftersales_job(self, order_id, **kw):
        try:
            order = self._aftersales_job_check(order_id)
        except AccessError:
            return request.redirect("/my")
        return self._aftersales_job_page(order, message=kw.get("message"), error=kw.get("error"))

    def _aftersales_job_page(self, order, message=None, error=None, form=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(self._aftersales_job_values(order, message=message, error=error, form=form))
        return request.render("aftersales_portal.portal_my_aftersales_job", values, status=status)

    @http.route(
        "/my/aftersales/jobs/<int:order_id>/<any(accept,accept_go,decline,on_my_way,check_in,check_out):step>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_aftersales_job_step(self, order_id, step, **post):
        try:
            order = self._aftersales_job_check(order_id)
        except AccessError:
            return request.redirect("/my")
        latitude, longitude = self._aftersales_position(post)
        try:
            # the order is the signed-in technician's (checked above), as superuser: see the method
            order._portal_job_step(step, latitude, longitude, reason=post.get("reason"))
        except (UserError, ValidationError) as error:
            return self.portal_my_aftersales_job(order_id, error=str(error))
        if step == "decline":
            return request.redirect("/my/aftersales/jobs")
        return request.redirect(f"/my/aftersales/jobs/{order_id}")

    @http.route("/my/aftersales/jobs/<int:order_id>/worklog", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_aftersales_job_worklog(self, order_id, **post):
        try:
            order = self._aftersales_job_check(order_id)
        except AccessError:
            return request.redirect("/my")
        env = request.env
        files = request.httprequest.files
        before, before_errors = read_uploads(env, files.getlist("photo_before"), kinds=("photo",))
        after, after_errors = read_uploads(env, files.getlist("photo_after"), kinds=("photo",))
        # sudo record from the technician check above; worklog rules would allow it for internal
        # technicians, portal technicians have no backend rights on worklogs. Only a draft (or
        # rejected) report is changed: one waiting for approval is refused by the model. The
        # model saves the draft first, so that a refused step loses nothing typed.
        result = order._portal_post_worklog(
            post,
            action_ids=request.httprequest.form.getlist("action_ids"),
            photos_before=before,
            photos_after=after,
            upload_errors=before_errors + after_errors,
        )
        if result["errors"]:
            # the page again, with what was typed and not saved: nothing is lost to an error
            form = self._aftersales_worklog_echo(post, result)
            return self._aftersales_job_page(order, error="\n".join(result["errors"]), form=form, status=400)
        return request.redirect(f"/my/aftersales/jobs/{order_id}?message={url_quote(result['message'])}")

    def _aftersales_worklog_echo(self, post, result):
        """What the worklog form shows again after an error: the typed texts, the chosen result,
        the part codes not added and, when the draft could not be written, the actions and the
        signature (``result``: the answer of ``repair.order._portal_post_worklog``)."""
        echo = {}
        for key in ("work_description", "lot_name_confirmed", "signed_by"):
            if key in post:
                echo[key] = echo_text(post[key], 20000)
        values = result["values"]
        if "result" in values:
            echo["result"] = values["result"]
        echo["part_codes"] = echo_text("\n".join(result["refused_codes"] + list(result["unsaved_codes"])))
        if not result.get("saved"):
            echo["action_ids"] = values["action_ids"][0][2]
            if values.get("signature"):
                echo["signature"] = post["signature"]
        return echo

    # ------------------------------------------------------------------ agents
    def _aftersales_is_agent(self):
        return request.env.user.has_group("aftersales_portal.group_aftersales_portal_agent")

    @http.route("/my/aftersales/batch", type="http", auth="user", website=True, methods=["GET"])
    def portal_aftersales_batch(self, **kw):
        if not self._aftersales_is_agent():
            return request.redirect("/my")
        return request.render("aftersales_portal.portal_aftersales_batch", self._aftersales_batch_values(post=kw))

    def _aftersales_batch_values(self, errors=None, rows=None, post=None):
        """Batch form values; ``rows`` (code, failure) are shown again after an error, plus blank lines."""
        rows = [(echo_text(code, 64), echo_text(failure, 1000)) for code, failure in (rows or [])[:1000]]
        rows = [row for row in rows if any(row)]
        rows += [("", "")] * max(5 - len(rows), 1)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_batch",
                "service_types": request.env["aftersales.service.type"].sudo().search([]),
                "errors": errors or [],
                "post": echo_values(post or {}),
                "rows": rows,
            }
        )
        return values

    @http.route("/my/aftersales/batch", type="http", auth="user", website=True, methods=["POST"])
    def portal_aftersales_batch_submit(self, **post):
        if not self._aftersales_is_agent():
            return request.redirect("/my")
        env = request.env
        form = request.httprequest.form
        file_name, file_data, errors = read_batch_file(env, request.httprequest.files.get("file"))
        rows = list(zip(form.getlist("code"), form.getlist("failure"), strict=False))
        if not errors:
            service_type = env["aftersales.service.type"].sudo().browse(parse_id(post.get("service_type_id")) or [])
            try:
                # sudo: the user is an agent (checked above); the request is filed for the agent's
                # own agency, which the portal rules then let the agent follow
                service_request, errors = (
                    env["aftersales.request"]
                    .sudo()
                    ._create_from_agent_portal(
                        env.user.partner_id,
                        {
                            "customer_name": post.get("customer_name"),
                            "customer_phone": post.get("customer_phone"),
                            "customer_email": post.get("customer_email"),
                            "service_type_id": service_type.exists().id,
                            "rows": rows,
                            "file": file_data,
                            "filename": file_name,
                        },
                    )
                )
            except (UserError, ValidationError) as error:
                errors = [str(error)]
            if not errors:
                return request.redirect(f"{service_request.access_url}?created=1")
        values = self._aftersales_batch_values(errors=errors, rows=rows, post=post)
        return request.render("aftersales_portal.portal_aftersales_batch", values, status=400)
