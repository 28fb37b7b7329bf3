"""The technician app: my jobs, one job, its steps and its work report. Each route checks, through
the portal controller, that the job's technician is the key's user, then calls the same model
method as the job page of the website."""

from typing import Annotated

from fastapi import APIRouter, Body, File, Form, UploadFile, status

from odoo.exceptions import AccessError

from odoo.addons.aftersales_portal.controllers.uploads import read_uploads

from ..schemas import Error, JobDetail, JobSummary, StepIn, Worklog, WorklogErrors, WorklogOut
from .common import AuthEnv, RecordPath, Upload, error_response, label, not_found, portal, text, utc

router = APIRouter(tags=["technician"])

JOB_STEPS = ("accept", "decline", "on_my_way", "check_in", "check_out")
NOT_FOUND = {404: {"model": Error}, 401: {"model": Error}}


def my_job(env, job_id):
    """The job (as superuser, like the portal's) when the key's user is its technician; 404 otherwise,
    the same answer whether the job exists or not."""
    try:
        return portal()._aftersales_job_check(job_id)
    except AccessError as error:
        raise not_found(env, env._("Job not found.")) from error


def job_summary_values(order):
    return {
        "id": order.id,
        "name": order.name,
        "state": order.state,
        "state_label": label(order, "state"),
        "dispatch_state": text(order.dispatch_state),
        "dispatch_state_label": label(order, "dispatch_state"),
        "customer": text(order.partner_id.display_name),
        "product": text(order.product_id.display_name),
        "serial": text(order.lot_id.name),
        "schedule_date": utc(order.schedule_date),
        "eta_date": utc(order.eta_date),
        "date_on_the_way": utc(order.date_on_the_way),
    }


def photo_of(attachment):
    return {"id": attachment.id, "name": attachment.name, "mimetype": text(attachment.mimetype)}


def worklog_of(worklog):
    if not worklog:
        return None
    return Worklog(
        id=worklog.id,
        name=worklog.name,
        state=worklog.state,
        state_label=label(worklog, "state"),
        date_start=utc(worklog.date_start),
        date_end=utc(worklog.date_end),
        duration_hours=worklog.duration_hours,
        work_description=text(worklog.work_description),
        result=text(worklog.result),
        lot_name_confirmed=text(worklog.lot_name_confirmed),
        signed_by=text(worklog.signed_by),
        has_signature=bool(worklog.signature),
        action_ids=worklog.action_ids.ids,
        parts=[
            {
                "product": part.product_id.display_name,
                "code": text(part.product_id.default_code),
                "quantity": part.quantity,
            }
            for part in worklog.part_ids
        ],
        photos_before=[photo_of(att) for att in worklog.photo_before_ids],
        photos_after=[photo_of(att) for att in worklog.photo_after_ids],
        rejection_reason=text(worklog.rejection_reason),
    )


def job_steps(order, worklog):
    """The buttons of the website's job page for this job now (same conditions as its template)."""
    steps = []
    if order.dispatch_state == "offered":
        steps += ["accept", "decline"]
    if order.state in ("draft", "confirmed") and order.dispatch_state == "accepted":
        if not order.date_on_the_way:
            steps.append("on_my_way")
        steps.append("check_in")
    if worklog.state in ("draft", "rejected"):
        steps.append("worklog")
        if not worklog.date_end:
            steps.append("check_out")
        steps.append("submit")
    return steps


def job_detail(order):
    """Everything the website's job page shows of the job (``order`` checked, as superuser)."""
    env = order.env
    controller = portal()
    worklog = controller._aftersales_current_worklog(order)
    partner = order.partner_id
    return JobDetail(
        **job_summary_values(order),
        customer_phone=text(partner.phone),
        customer_mobile=text(partner.mobile),
        address=text(partner._display_address(without_company=True).strip()),
        map_url=text(controller._aftersales_map_url(partner)),
        failure=text(order.failure_mode_id.display_name),
        failure_description=text(order.reported_failure_description),
        sla_status=text(order.sla_status),
        sla_resolution_deadline=utc(order.sla_resolution_deadline),
        steps=job_steps(order, worklog),
        worklog=worklog_of(worklog),
        worklog_actions=[
            {"id": action.id, "code": action.code, "name": action.name}
            for action in env["aftersales.worklog.action"].search([])
        ],
        worklog_results=[{"value": value, "label": name} for value, name in order._portal_worklog_results().items()],
    )


@router.get("/jobs", response_model=list[JobSummary], summary="My open jobs", responses={401: {"model": Error}})
def list_jobs(env: AuthEnv):
    # sudo: the portal's domain keeps only the orders whose technician is the key's user
    orders = (
        env["repair.order"].sudo().search(portal()._aftersales_job_domain(), order="schedule_date, priority desc, id")
    )
    return [JobSummary(**job_summary_values(order)) for order in orders]


@router.get("/jobs/{job_id}", response_model=JobDetail, summary="One of my jobs", responses=NOT_FOUND)
def read_job(job_id: RecordPath, env: AuthEnv):
    return job_detail(my_job(env, job_id))


def _make_step_route(step):
    def job_step(job_id: RecordPath, env: AuthEnv, body: Annotated[StepIn | None, Body()] = None):
        order = my_job(env, job_id)
        body = body or StepIn()
        # the order is the key's user's job (checked above), as superuser: see the method
        order._portal_job_step(step, body.latitude or False, body.longitude or False, reason=body.reason)
        if step == "decline":
            return None
        return job_detail(order)

    job_step.__name__ = f"job_{step}"
    job_step.__doc__ = (
        "The job page's button of the same name; `latitude`/`longitude` stamp the position (on my way, "
        "check in, check out), `reason` is the reason of a decline. Refused now: 400 with the reason; "
        "nothing is changed. A declined job is no longer yours: the answer is empty (204)."
    )
    router.post(
        f"/jobs/{{job_id}}/{step}",
        response_model=None if step == "decline" else JobDetail,
        summary=f"Job step: {step.replace('_', ' ')}",
        status_code=status.HTTP_204_NO_CONTENT if step == "decline" else status.HTTP_200_OK,
        responses={400: {"model": Error}, **NOT_FOUND},
    )(job_step)


for _step in JOB_STEPS:
    _make_step_route(_step)


def _worklog_answer(order, result):
    if result["errors"]:
        # answered, not raised: what was valid stays saved on the draft, as on the website
        return error_response(
            status.HTTP_400_BAD_REQUEST,
            "\n".join(result["errors"]),
            errors=result["errors"],
            saved=bool(result.get("saved")),
            unsaved_codes=list(result.get("unsaved_codes") or []) + list(result.get("refused_codes") or []),
            job=job_detail(order).model_dump(mode="json"),
        )
    return WorklogOut(message=result["message"], job=job_detail(order))


def _current_action_ids(order):
    return order._get_portal_open_worklog().action_ids.ids


@router.post(
    "/jobs/{job_id}/worklog",
    response_model=WorklogOut,
    summary="Save the work report (multipart: fields and photos)",
    responses={400: {"model": WorklogErrors}, **NOT_FOUND},
)
def post_worklog(
    job_id: RecordPath,
    env: AuthEnv,
    work_description: Annotated[str | None, Form(max_length=4000)] = None,
    result: Annotated[str | None, Form(max_length=32)] = None,
    lot_name_confirmed: Annotated[str | None, Form(max_length=64)] = None,
    signed_by: Annotated[str | None, Form(max_length=128)] = None,
    signature: Annotated[str | None, Form(description="PNG, as a data URL or plain base64")] = None,
    part_codes: Annotated[str | None, Form(description="Part codes scanned, separated by blanks")] = None,
    action_ids: Annotated[
        list[int] | None, Form(description="Actions done (repeat the field); not sent: unchanged; 0: none")
    ] = None,
    latitude: Annotated[float | None, Form(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Form(ge=-180, le=180)] = None,
    check_out: Annotated[bool, Form()] = False,
    submit: Annotated[bool, Form(description="Submit for approval (checks out first when needed)")] = False,
    photo_before: Annotated[list[UploadFile] | None, File(description="JPEG, PNG or WebP")] = None,
    photo_after: Annotated[list[UploadFile] | None, File(description="JPEG, PNG or WebP")] = None,
):
    """The job page's report form: every valid input is saved on the draft report, then it is checked
    out and submitted when asked. Inputs that are refused (a photo too large or not an image, a
    signature that is not a PNG, unknown part codes) give 400 with one text each, and they are not
    stored; what was valid stays saved (`saved`), so that nothing typed is lost."""
    order = my_job(env, job_id)
    post = {
        key: value
        for key, value in {
            "work_description": work_description,
            "result": result,
            "lot_name_confirmed": lot_name_confirmed,
            "signed_by": signed_by,
            "part_codes": part_codes,
            "latitude": latitude,
            "longitude": longitude,
        }.items()
        if value is not None
    }
    if signature:
        post["signature"] = signature if signature.startswith("data:") else f"data:image/png;base64,{signature}"
    if check_out:
        post["check_out"] = "1"
    if submit:
        post["submit"] = "1"
    before, before_errors = read_uploads(env, [Upload(file) for file in photo_before or []], kinds=("photo",))
    after, after_errors = read_uploads(env, [Upload(file) for file in photo_after or []], kinds=("photo",))
    # sudo record from the technician check above, as the website's form does (see the method)
    outcome = order._portal_post_worklog(
        post,
        action_ids=_current_action_ids(order) if action_ids is None else action_ids,
        photos_before=before,
        photos_after=after,
        upload_errors=before_errors + after_errors,
    )
    return _worklog_answer(order, outcome)


@router.post(
    "/jobs/{job_id}/submit",
    response_model=WorklogOut,
    summary="Submit the work report for approval",
    responses={400: {"model": WorklogErrors}, **NOT_FOUND},
)
def submit_worklog(job_id: RecordPath, env: AuthEnv, body: Annotated[StepIn | None, Body()] = None):
    """The report's Submit button: checks out first (time and position) when not done yet, then
    sends the report for approval; refused: 400 with every reason at once."""
    order = my_job(env, job_id)
    body = body or StepIn()
    post = {"submit": "1"}
    if body.latitude is not None:
        post["latitude"] = body.latitude
    if body.longitude is not None:
        post["longitude"] = body.longitude
    outcome = order._portal_post_worklog(post, action_ids=_current_action_ids(order))
    return _worklog_answer(order, outcome)
