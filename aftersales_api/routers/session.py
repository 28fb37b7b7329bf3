"""Sign-in of the apps: an API key for a login and password, the signed-in user, sign-out."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import HTTPAuthorizationCredentials

from odoo import fields
from odoo.exceptions import AccessDenied

from odoo.addons.base.models.res_users import KEY_CRYPT_CONTEXT

from ..schemas import Error, Me, TokenIn, TokenOut
from .common import (
    API_SCOPE,
    AuthEnv,
    PublicEnv,
    bearer_scheme,
    error_response,
    rate_limited,
    text,
    utc,
)

router = APIRouter(tags=["session"])

DEFAULT_TOKEN_DAYS = 90


def me_of(user):
    """The signed-in user as the apps see it, with the roles that decide which screens they show."""
    roles = []
    if user.share:
        roles.append("customer")
    if user.has_group("aftersales_portal.group_aftersales_portal_agent"):
        roles.append("agent")
    # sudo: only whether the user is a technician is read, from the user's own employee record
    if user.env["hr.employee"].sudo().search_count([("user_id", "=", user.id), ("is_technician", "=", True)], limit=1):
        roles.append("technician")
    return Me(id=user.id, name=user.name, login=user.login, lang=text(user.lang), roles=roles)


def check_password(env, login, password):
    """The user of ``login`` when ``password`` is theirs, checked as Odoo's login does (``_login``):
    the same password check and the same cooldown after repeated failures from one address, on the
    request's own cursor.

    :raise AccessDenied: unknown login, wrong password, or the address on cooldown
    """
    Users = env["res.users"].sudo()
    with Users._assert_can_auth(user=login):
        user = Users.search(Users._get_login_domain(login), order=Users._get_login_order(), limit=1)
        if not user:
            raise AccessDenied()
        user.with_user(user)._check_credentials(
            {"type": "password", "login": login, "password": password}, {"interactive": True}
        )
    return user


@router.post(
    "/token",
    response_model=TokenOut,
    status_code=status.HTTP_201_CREATED,
    summary="Get an API key for a login and password",
    responses={401: {"model": Error}, 429: {"model": Error}},
)
def create_token(body: TokenIn, env: PublicEnv):
    """Checks the password as the login page does (Odoo's login cooldown after repeated failures)
    and, within a per-address limit shared by all workers, returns a new API key of scope
    `aftersales_api` that expires after `aftersales_api.token_days` days (90 by default)."""
    if rate_limited("api_token", 10, 600):
        return error_response(
            status.HTTP_429_TOO_MANY_REQUESTS, env._("Too many sign-in attempts: wait a few minutes and try again.")
        )
    refused = env._("Wrong login or password.")
    try:
        user = check_password(env, body.login, body.password)
    except AccessDenied:
        # answered, not raised: the attempt stays counted
        return error_response(status.HTTP_401_UNAUTHORIZED, refused)
    if user._mfa_type():
        return error_response(
            status.HTTP_401_UNAUTHORIZED,
            env._("Two-factor authentication is on for this account: create an API key in your account security page."),
        )
    try:
        days = max(int(env["ir.config_parameter"].sudo().get_param("aftersales_api.token_days", DEFAULT_TOKEN_DAYS)), 1)
    except (TypeError, ValueError):
        days = DEFAULT_TOKEN_DAYS
    expires_at = fields.Datetime.now() + timedelta(days=days)
    name = env._("Mobile app")
    if body.device and body.device.isprintable():
        name = f"{name} ({body.device.strip()})"
    # sudo: the password was checked above; the key is created for that user only, with an expiry
    key = env["res.users.apikeys"].with_user(user).sudo()._generate(API_SCOPE, name, expires_at)
    return TokenOut(token=key, expires_at=utc(expires_at), user=me_of(user))


@router.delete(
    "/token",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke the API key of this call (sign out)",
    responses={401: {"model": Error}},
)
def revoke_token(
    env: AuthEnv,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
):
    key = credentials.credentials
    env.cr.execute(
        "SELECT id, key FROM res_users_apikeys WHERE user_id = %s AND index = %s",
        [env.uid, key[:8]],
    )
    key_ids = [key_id for key_id, hashed in env.cr.fetchall() if KEY_CRYPT_CONTEXT.verify(key, hashed)]
    # sudo: the key was just verified to be the caller's own (portal users cannot read key records)
    env["res.users.apikeys"].sudo().browse(key_ids).unlink()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=Me, summary="The signed-in user and roles", responses={401: {"model": Error}})
def read_me(env: AuthEnv):
    return me_of(env.user)
