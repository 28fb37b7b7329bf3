"""The customer app (and the agents'): my requests, one request with its timeline, a new request,
what the new-request screen offers, and the public warranty check. Access goes through the portal
controller (record rules, then the record as superuser) and creation through the same model methods
as the website's forms."""

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile, status

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.aftersales_portal.controllers.main import MAX_CODE_LENGTH
from odoo.addons.aftersales_portal.controllers.uploads import read_uploads
from odoo.addons.aftersales_portal.models.aftersales_request import PortalOpenRequestError
from odoo.addons.aftersales_portal.tools import text_problem
from odoo.addons.aftersales_portal.tools.inputs import MAX_ID

from ..schemas import (
    AgentRequestIn,
    Error,
    ErrorList,
    RequestDetail,
    RequestOptions,
    RequestSummary,
    WarrantyResult,
)
from .common import (
    AuthEnv,
    PublicEnv,
    RecordPath,
    Upload,
    error_response,
    label,
    not_found,
    portal,
    portal_main,
    rate_limited,
    text,
    utc,
)
from .jobs import photo_of

router = APIRouter(tags=["customer"])

NOT_FOUND = {404: {"model": Error}, 401: {"model": Error}}


def my_request(env, request_id):
    """The request (as superuser) when the key's user may read it (record rules, as the portal's
    request page); 404 otherwise, the same answer whether it exists or not."""
    try:
        return portal()._document_check_access("aftersales.request", request_id)
    except (AccessError, MissingError) as error:
        raise not_found(env, env._("Request not found.")) from error


def request_summary_values(service_request):
    return {
        "id": service_request.id,
        "name": service_request.name,
        "state": service_request.state,
        "status": text(service_request.customer_status),
        "status_label": label(service_request, "customer_status"),
        "customer": text(service_request.partner_id.display_name),
        "create_date": utc(service_request.create_date),
        "unit_count": len(service_request.line_ids),
    }


def timeline(service_request, order):
    """The steps of a service order the customer follows, with their dates (the request page's timeline)."""
    env = order.env
    events = [("received", env._("Received"), service_request.date_received or service_request.create_date)]
    if order.technician_id:
        events.append(("assigned", env._("Technician assigned"), order.date_assigned))
    if order.date_accepted:
        events.append(("accepted", env._("Technician accepted"), order.date_accepted))
    if order.date_on_the_way:
        events.append(("on_the_way", env._("Technician on the way"), order.date_on_the_way))
    if order.state in ("under_repair", "done"):
        events.append(("started", env._("Work started"), order.date_started))
    if order.date_finished:
        events.append(("finished", env._("Work finished"), order.date_finished))
    if order.state == "done":
        events.append(("done", env._("Done"), order.date_finished or order.write_date))
    if order.state == "cancel":
        events.append(("cancelled", env._("Cancelled"), None))
    return [{"event": event, "label": name, "date": utc(date)} for event, name, date in events]


def request_detail(service_request):
    """What the website's request page shows (``service_request`` checked, as superuser)."""
    photos = service_request._get_portal_photos()
    lines = []
    for line in service_request.line_ids:
        order = line.repair_id
        technician = order.technician_id
        lines.append(
            {
                "id": line.id,
                "product": text(line.product_id.display_name),
                "serial": text(line.lot_id.name),
                "failure": text(line.failure_mode_id.display_name),
                "failure_description": text(line.failure_description),
                "photos": [photo_of(att) for att in line.attachment_ids & photos],
                "order": {
                    "id": order.id,
                    "name": order.name,
                    "state": order.state,
                    "state_label": label(order, "state"),
                    "sla_status": text(order.sla_status),
                    "sla_resolution_deadline": utc(order.sla_resolution_deadline),
                    "eta_date": utc(order.eta_date) if order.state != "done" else None,
                    "technician": {
                        "name": technician.name,
                        "phone": text(technician.mobile_phone or technician.work_phone),
                    }
                    if technician
                    else None,
                    "timeline": timeline(service_request, order),
                }
                if order
                else None,
            }
        )
    return RequestDetail(**request_summary_values(service_request), lines=lines)


@router.get(
    "/requests",
    response_model=list[RequestSummary],
    summary="My service requests (customer: my company's; agent: my agency's)",
    responses={401: {"model": Error}},
)
def list_requests(
    env: AuthEnv,
    state_filter: Annotated[Literal["all", "open", "done", "cancelled"], Query(alias="filter")] = "all",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
):
    Request = env["aftersales.request"]
    if not Request.has_access("read"):
        return []
    controller = portal()
    domain = expression.AND(
        [controller._aftersales_request_domain(), controller._aftersales_request_filters()[state_filter]["domain"]]
    )
    # searched as the key's user: the record rules decide; read as superuser like the portal's list
    requests_ = Request.search(domain, order="create_date desc, id desc", limit=limit, offset=offset)
    return [RequestSummary(**request_summary_values(rec)) for rec in requests_.sudo()]


@router.get(
    "/requests/options",
    response_model=RequestOptions,
    summary="Choices of the new-request screen",
    responses={401: {"model": Error}},
)
def request_options(env: AuthEnv):
    main = portal_main()
    # sudo: public catalogue data only (serviceable products and failure names), as the website's form
    products = env["product.product"].sudo().search(main._portal_product_domain(), order="name", limit=500)
    failure_modes = env["aftersales.failure.mode"].sudo().search([], order="name")
    service_types = env["aftersales.service.type"]
    if portal()._aftersales_is_agent():
        # sudo: agents choose the service type of their batch requests, as on the website
        service_types = service_types.sudo().search([])
    return RequestOptions(
        products=[{"id": rec.id, "name": rec.display_name} for rec in products],
        failure_modes=[{"id": rec.id, "name": rec.display_name} for rec in failure_modes],
        units=[
            {
                "code": card.name,
                "product": text(card.product_id.display_name),
                "serial": text(card.lot_id.name),
                "warranty_end": card.date_end or None,
            }
            for card in main._portal_own_units()
        ],
        service_types=[{"id": rec.id, "name": rec.display_name} for rec in service_types],
    )


@router.get(
    "/requests/{request_id}", response_model=RequestDetail, summary="One request and its timeline", responses=NOT_FOUND
)
def read_request(request_id: RecordPath, env: AuthEnv):
    return request_detail(my_request(env, request_id))


@router.post(
    "/requests",
    response_model=RequestDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Ask for service (multipart: fields and photos)",
    responses={400: {"model": ErrorList}, 409: {"model": Error}, 401: {"model": Error}},
)
def create_request(
    env: AuthEnv,
    product_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    serial: Annotated[str | None, Form(description="Serial or warranty card number")] = None,
    unit_code: Annotated[str | None, Form(description="`code` of one of my units (options)")] = None,
    failure_mode_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    description: Annotated[str | None, Form()] = None,
    address: Annotated[str | None, Form()] = None,
    latitude: Annotated[float | None, Form(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Form(ge=-180, le=180)] = None,
    photos: Annotated[list[UploadFile] | None, File(description="JPEG, PNG or WebP")] = None,
    video: Annotated[UploadFile | None, File(description="MP4 or WebM, one")] = None,
):
    """The website's request form for a signed-in customer: the customer is always the key's user's
    contact (never a typed identity); a unit that already has an open request is refused (409)."""
    main = portal_main()
    photo_files, errors = read_uploads(env, [Upload(file) for file in photos or []], kinds=("photo",))
    video_files, video_errors = read_uploads(env, [Upload(video)] if video else [], kinds=("video",), max_files=1)
    errors += video_errors
    product_id = False if unit_code else product_id
    if product_id and not env["product.product"].sudo().search_count(
        [("id", "=", product_id), ("product_tmpl_id", "any", main._portal_product_domain())], limit=1
    ):
        errors.append(env._("Choose the product from the list."))
    if errors:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="\n".join(errors))
    values = {
        "partner_id": env.user.partner_id.id,
        "company_id": env.user.company_id.id,
        "product_id": product_id,
        "serial": unit_code or serial,
        "failure_mode_id": failure_mode_id,
        "description": description,
        "latitude": latitude,
        "longitude": longitude,
        "address": address,
        "attachments": photo_files + video_files,
    }
    try:
        # sudo: a signed-in customer filing for the own contact, as the website's form; the model
        # method applies the business rules
        service_request, dummy = env["aftersales.request"].sudo()._create_from_portal(values)
    except PortalOpenRequestError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(error)) from error
    return request_detail(service_request)


@router.post(
    "/agent/requests",
    response_model=RequestDetail,
    status_code=status.HTTP_201_CREATED,
    summary="File one request with many units for my agency (agents)",
    responses={400: {"model": ErrorList}, 403: {"model": Error}, 401: {"model": Error}},
)
def create_agent_request(body: AgentRequestIn, env: AuthEnv):
    """The website's batch form: units by warranty serial, product serial or product code; one bad
    unit refuses the whole request (400, one text per line) and nothing is created."""
    if not portal()._aftersales_is_agent():
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=env._("Only agents file requests for an agency."))
    service_type = env["aftersales.service.type"].sudo().browse(body.service_type_id or []).exists()
    try:
        # sudo: the user is an agent (checked above); the request is filed for the agent's own agency
        service_request, errors = (
            env["aftersales.request"]
            .sudo()
            ._create_from_agent_portal(
                env.user.partner_id,
                {
                    "customer_name": body.customer_name,
                    "customer_phone": body.customer_phone,
                    "customer_email": body.customer_email,
                    "service_type_id": service_type.id,
                    "rows": [(unit.code, unit.failure or "") for unit in body.units],
                },
            )
        )
    except (UserError, ValidationError) as error:
        errors = [str(error)]
    if errors:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="\n".join(errors))
    return request_detail(service_request)


@router.get(
    "/warranty",
    response_model=WarrantyResult,
    tags=["public"],
    summary="Warranty check by serial or warranty card number (no key needed)",
    responses={400: {"model": Error}, 429: {"model": Error}},
)
def warranty_check(env: PublicEnv, code: Annotated[str, Query(min_length=1, max_length=MAX_CODE_LENGTH)]):
    """The website's warranty check: product, state and end of the warranty, nothing of the owner;
    limited per address with the website's counter."""
    if rate_limited("warranty_check", 20, 600):
        return error_response(
            status.HTTP_429_TOO_MANY_REQUESTS, env._("Too many checks: wait a few minutes and try again.")
        )
    if text_problem(code, MAX_CODE_LENGTH):
        return error_response(
            status.HTTP_400_BAD_REQUEST,
            env._(
                "This is not a serial or warranty card number: use letters and digits only, at most %(max)s.",
                max=MAX_CODE_LENGTH,
            ),
        )
    request.update_context(lang=env.lang)
    result = portal_main()._warranty_public_result(code)
    return WarrantyResult(**{key: value if value is not False else None for key, value in result.items()})
