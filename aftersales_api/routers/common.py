"""What every route shares: the API key check, the portal controllers whose rules the routes reuse,
uploads, dates, labels and error answers."""

from datetime import timezone
from typing import Annotated

from fastapi import Depends, HTTPException, Path, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.responses import JSONResponse

from odoo.api import Environment
from odoo.http import request

from odoo.addons.aftersales_portal.controllers.main import AftersalesPortalMain, rate_allowed
from odoo.addons.aftersales_portal.controllers.portal import AftersalesCustomerPortal
from odoo.addons.aftersales_portal.tools.inputs import MAX_ID
from odoo.addons.fastapi.dependencies import odoo_env

API_SCOPE = "aftersales_api"
MAX_KEY_LENGTH = 128

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An Odoo API key of scope `aftersales_api`, from `POST /token`, sent as `Authorization: Bearer <key>`.",
)


def unauthorized(env, message=None):
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=message or env._("Sign in again: the key is missing, wrong, revoked or expired."),
        headers={"WWW-Authenticate": "Bearer"},
    )


def not_found(env, message):
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=message)


def key_user_id(env, key):
    """The id of the active user owning the API key (scope ``aftersales_api`` or a global key), else None."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return None
    return env["res.users.apikeys"]._check_credentials(scope=API_SCOPE, key=key)


def authenticated_env(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    env: Annotated[Environment, Depends(odoo_env)],
) -> Environment:
    """The environment of the key's user: every route behind it runs with that user's rights and
    record rules, never as the endpoint's technical user.

    The request's own environment is switched too, so that the portal controllers' helpers
    (which read ``request.env``) see the same user. Without ``Accept-Language`` the user's language
    is used.
    """
    uid = key_user_id(env, credentials.credentials if credentials else None)
    if not uid:
        raise unauthorized(env)
    user = env["res.users"].sudo().browse(uid)
    context = {key: value for key, value in env.context.items() if key != "allowed_company_ids"}
    if not request.httprequest.headers.get("Accept-Language") and user.lang:
        context["lang"] = user.lang
    request.update_env(user=uid, context=context, su=False)
    return env(user=uid, context=context, su=False)


AuthEnv = Annotated[Environment, Depends(authenticated_env)]
# a record id in a path: out of the database's range is a malformed request (422), never a 500
RecordPath = Annotated[int, Path(ge=1, le=MAX_ID)]
PublicEnv = Annotated[Environment, Depends(odoo_env)]


def portal():
    """The customer portal controller: its access checks and domains are the API's."""
    return AftersalesCustomerPortal()


def portal_main():
    return AftersalesPortalMain()


def rate_limited(bucket, default_limit, default_window):
    """Count one hit of the client on ``bucket`` (shared with the website's counters); True when over."""
    return not rate_allowed(bucket, default_limit, default_window)


def error_response(status_code, detail, **extra):
    """An error answer that keeps the transaction: used where something must stay written (a rate
    counter, a draft report saved before the refusal)."""
    return JSONResponse(status_code=status_code, content={"detail": detail, **extra})


def utc(value):
    """An Odoo UTC datetime made explicit (serialized with ``Z``), or None."""
    return value.replace(tzinfo=timezone.utc) if value else None


def label(record, field_name):
    """The translated label of a selection value of ``record``."""
    value = record[field_name]
    if not value:
        return None
    return dict(record._fields[field_name]._description_selection(record.env)).get(value, value)


def text(value):
    """A char/text field value or None (Odoo gives False for empty)."""
    return value or None


class Upload:
    """A FastAPI ``UploadFile`` seen as the werkzeug ``FileStorage`` the portal's upload check reads."""

    def __init__(self, upload):
        self.filename = upload.filename
        self.stream = upload.file
