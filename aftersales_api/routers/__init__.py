"""The routes of the mobile API, mounted by the ``fastapi.endpoint`` record of app ``aftersales``."""

from fastapi import APIRouter

from . import jobs, requests, session

API_DESCRIPTION = """\
REST API of the after-sales technician and customer apps.

**Authentication**: `POST /token` with a login and password gives an API key (scope `aftersales_api`);
send it as `Authorization: Bearer <key>`. Every call then runs as that user, with the same rights and
record rules as the website's portal: another user's job or request answers 404.

**Errors** are JSON `{"detail": ...}`: 400 refused input (translated text), 401 missing or wrong key,
403 not allowed, 404 not found or not yours, 409 conflict, 422 malformed body, 429 too many attempts.
Send `Accept-Language: fa` for Persian texts.
"""

OPENAPI_TAGS = [
    {"name": "session", "description": "Sign in, signed-in user, sign out"},
    {"name": "technician", "description": "My jobs, their steps and work reports"},
    {"name": "customer", "description": "My requests, their timeline, new requests"},
    {"name": "public", "description": "Without a key"},
]

api_router = APIRouter()
api_router.include_router(session.router)
api_router.include_router(jobs.router)
api_router.include_router(requests.router)

__all__ = ["API_DESCRIPTION", "OPENAPI_TAGS", "api_router"]
