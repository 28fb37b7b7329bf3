"""Request and response bodies of the mobile API (pydantic), as the OpenAPI document describes them.

Dates and times are ISO 8601 in UTC (``...Z``); ids are Odoo record ids; texts are in the language of
the call (``Accept-Language``, else the user's language).
"""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from odoo.addons.aftersales_portal.tools.inputs import MAX_ID

Latitude = Field(default=None, ge=-90, le=90, description="Position of the phone (WGS84 degrees)")
Longitude = Field(default=None, ge=-180, le=180, description="Position of the phone (WGS84 degrees)")


def _no_nul(value):
    """PostgreSQL cannot hold a NUL character: such a text is a malformed request (422)."""
    if value is not None and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


# a text of a request body; the model methods check the rest (length, control characters), translated
Text = Annotated[str, AfterValidator(_no_nul)]


class StrictBody(BaseModel):
    """A request body: unknown keys are refused (422), so that no field can be slipped in."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- errors
class Error(BaseModel):
    detail: str = Field(description="What went wrong, translated")


class ErrorList(Error):
    errors: list[str] = Field(default_factory=list, description="One translated text per refused input")


# ---------------------------------------------------------------- session
class TokenIn(StrictBody):
    login: Text = Field(min_length=1, max_length=128)
    password: Text = Field(min_length=1, max_length=256)
    device: Text | None = Field(default=None, max_length=64, description="Name of the phone, shown in the key list")


class Choice(BaseModel):
    value: str
    label: str


class Named(BaseModel):
    id: int
    name: str


class Me(BaseModel):
    id: int
    name: str
    login: str
    lang: str | None
    roles: list[Literal["customer", "agent", "technician"]] = Field(
        description="customer: may file and follow requests; agent: files for an agency; technician: has jobs"
    )


class TokenOut(BaseModel):
    token: str = Field(description="The API key: send it as `Authorization: Bearer <token>`")
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: Me


# ---------------------------------------------------------------- technician jobs
class StepIn(StrictBody):
    latitude: float | None = Latitude
    longitude: float | None = Longitude
    reason: str | None = Field(default=None, max_length=1000, description="Why the job is declined (decline)")


class Photo(BaseModel):
    id: int
    name: str
    mimetype: str | None


class WorklogPart(BaseModel):
    product: str
    code: str | None
    quantity: float


class Worklog(BaseModel):
    id: int
    name: str
    state: str
    state_label: str
    date_start: datetime | None
    date_end: datetime | None
    duration_hours: float
    work_description: str | None
    result: str | None
    lot_name_confirmed: str | None
    signed_by: str | None
    has_signature: bool
    action_ids: list[int]
    parts: list[WorklogPart]
    photos_before: list[Photo]
    photos_after: list[Photo]
    rejection_reason: str | None


class JobSummary(BaseModel):
    id: int
    name: str
    state: str
    state_label: str
    dispatch_state: str | None
    dispatch_state_label: str | None
    customer: str | None
    product: str | None
    serial: str | None
    schedule_date: datetime | None
    eta_date: datetime | None
    date_on_the_way: datetime | None


class Action(BaseModel):
    id: int
    code: str
    name: str


class JobDetail(JobSummary):
    customer_phone: str | None
    customer_mobile: str | None
    address: str | None
    map_url: str | None
    failure: str | None
    failure_description: str | None
    sla_status: str | None
    sla_resolution_deadline: datetime | None
    steps: list[str] = Field(
        description="Buttons the job page shows now (accept, decline, on_my_way, check_in, check_out, "
        "worklog, submit); the server checks each step again"
    )
    worklog: Worklog | None
    worklog_actions: list[Action]
    worklog_results: list[Choice]


class WorklogOut(BaseModel):
    message: str
    job: JobDetail


class WorklogErrors(ErrorList):
    saved: bool = Field(description="Whether the valid inputs were saved on the draft report")
    unsaved_codes: list[str] = Field(description="Part codes that were not added")
    job: JobDetail | None = None


# ---------------------------------------------------------------- requests
class TimelineEvent(BaseModel):
    event: Literal["received", "assigned", "accepted", "on_the_way", "started", "finished", "done", "cancelled"]
    label: str
    date: datetime | None


class Technician(BaseModel):
    name: str
    phone: str | None


class ServiceOrder(BaseModel):
    id: int
    name: str
    state: str
    state_label: str
    sla_status: str | None
    sla_resolution_deadline: datetime | None
    eta_date: datetime | None
    technician: Technician | None
    timeline: list[TimelineEvent]


class RequestLine(BaseModel):
    id: int
    product: str | None
    serial: str | None
    failure: str | None
    failure_description: str | None
    photos: list[Photo]
    order: ServiceOrder | None


class RequestSummary(BaseModel):
    id: int
    name: str
    state: str
    status: str | None = Field(description="Status for the customer")
    status_label: str | None
    customer: str | None
    create_date: datetime | None
    unit_count: int


class RequestDetail(RequestSummary):
    lines: list[RequestLine]


class Unit(BaseModel):
    code: str = Field(description="Warranty card number, to send as `unit_code` with a new request")
    product: str | None
    serial: str | None
    warranty_end: date | None


class RequestOptions(BaseModel):
    products: list[Named]
    failure_modes: list[Named]
    units: list[Unit] = Field(description="The customer's own units (warranty cards)")
    service_types: list[Named] = Field(description="For agents' requests")


class AgentUnitIn(StrictBody):
    code: str = Field(min_length=1, max_length=64, description="Warranty serial, product serial or product code")
    failure: str | None = Field(default=None, max_length=1000)


class AgentRequestIn(StrictBody):
    customer_name: str | None = Field(default=None, max_length=128)
    customer_phone: str | None = Field(default=None, max_length=32)
    customer_email: str | None = Field(default=None, max_length=128)
    service_type_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    units: list[AgentUnitIn] = Field(min_length=1, max_length=1000)


# ---------------------------------------------------------------- warranty
class WarrantyResult(BaseModel):
    status: str = Field(description="found, not_found (or another status of the lookup)")
    product: str | None = None
    state: str | None = None
    state_label: str | None = None
    under_warranty: bool | None = None
    date_end: date | None = None
    days_left: int | None = None
    has_warranty: bool | None = None
