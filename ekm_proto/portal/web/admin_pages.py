"""Log-in, log-out, and the alert triage rules and routes (administrators change them; viewers
only see them)."""

from __future__ import annotations

from aiohttp import web

from ekm_proto.portal.rules import DESTINATION_KINDS, RECORD
from ekm_proto.portal.triage import CATEGORIES, STANDARD_CODES
from ekm_proto.portal.web.accounts import authenticate
from ekm_proto.portal.web.context import (
    CLOCK,
    LOGIN_LIMIT,
    RULES,
    SECURE_COOKIES,
    STORE,
    redirect,
    refuse,
    render,
    session_of,
    warn,
)
from ekm_proto.portal.web.sessions import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    TOKEN_LENGTH,
    close_session,
    new_token,
    open_session,
)
from protolab.errors import ConfigurationError
from protolab.logs import get_logger

ROUTES = web.RouteTableDef()
log = get_logger("ekm_proto.portal.web")


def _cookie(request: web.Request, response: web.StreamResponse, name: str, value: str,
            max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                        samesite="Strict", secure=request.app[SECURE_COOKIES])


def login_form(request: web.Request, status: int = 200, error: str | None = None,
               name: str = "") -> web.Response:
    """The form, with a CSRF token in a cookie and a hidden field (no session yet). A token the
    browser holds already is kept: another tab or a stray request (a favicon redirected here)
    must not invalidate a form already on screen."""
    held = request.cookies.get(LOGIN_COOKIE, "")
    token = held if len(held) >= TOKEN_LENGTH and held.isascii() else new_token()
    response = render(request, "login.html", status=status, csrf_token=token, error=error,
                      name=name)
    _cookie(request, response, LOGIN_COOKIE, token, max_age=3600)
    return response


@ROUTES.get("/login")
async def login_page(request: web.Request) -> web.Response:
    return login_form(request)


@ROUTES.post("/login")
async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    store, limiter, now = request.app[STORE], request.app[LOGIN_LIMIT], request.app[CLOCK].now()
    source = request.remote or ""
    wait = limiter.retry_after(source, now)
    if wait is not None:
        warn(request, "log-in-limit", "web log-in refused: too many failures from this address",
             operator=name, retry_after=round(wait))
        minutes = max(1, round(wait / 60))
        response = login_form(request, 429, f"Too many failed log-ins from your address: try "
                                            f"again in {minutes} minute{'s' * (minutes > 1)}.",
                              name)
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response
    role = authenticate(store, name, password)
    if role is None:
        limiter.failed(source, now)
        warn(request, "log-in", "web log-in refused", operator=name)
        return login_form(request, 401, "Wrong operator name or password.", name)
    limiter.succeeded(source)
    token = open_session(store, name, request.app[CLOCK].wall())
    log.info("web log-in", operator=name, role=role, peer=request.remote)
    response = redirect("/")
    _cookie(request, response, SESSION_COOKIE, token)
    response.del_cookie(LOGIN_COOKIE, path="/")
    return response


@ROUTES.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(request.app[STORE], token)
    response = redirect("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


def _rules_page(request: web.Request, status: int = 200, error: str | None = None,
                text: str | None = None, saved: bool = False) -> web.Response:
    editor = request.app[RULES]
    return render(request, "rules.html", status=status, rules=editor.rules,
                  editable=editor.editable, file=editor.path, error=error, saved=saved,
                  text=editor.text() if text is None else text, categories=CATEGORIES,
                  kinds=DESTINATION_KINDS, record=RECORD, codes=STANDARD_CODES)


@ROUTES.get("/rules")
async def rules_page(request: web.Request) -> web.Response:
    return _rules_page(request, saved=request.query.get("saved") == "1")


@ROUTES.post("/rules")
async def change_rules(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    if session is None or not session.admin:
        warn(request, "not admin", "rules change refused: not an administrator",
             operator=session.operator if session else None)
        return refuse(request, 403, "Only an administrator can change the triage rules.")
    text = str((await request.post()).get("rules", ""))
    try:
        request.app[RULES].save(text, session.operator)
    except ConfigurationError as exc:
        return _rules_page(request, 400, error=str(exc), text=text)
    return redirect("/rules?saved=1")
