"""The web application: routes, templates, and the guard every request passes (log-in, CSRF on
every POST, admin-only changes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.web import admin_pages, fleet_pages
from ekm_proto.portal.web.context import (
    CLOCK,
    LOGIN_LIMIT,
    RULES,
    SECURE_COOKIES,
    SESSION,
    STORE,
    TEMPLATES,
    THROTTLE,
    redirect,
    refuse,
    templates,
    warn,
)
from ekm_proto.portal.web.login_limit import LoginLimiter
from ekm_proto.portal.web.rules_editor import RulesEditor
from ekm_proto.portal.web.sessions import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Session,
    find_session,
    same_token,
)
from protolab.clock import Clock
from protolab.log_throttle import LogThrottle

#: reachable without a session (the root shows the log-in form to anyone not logged in)
PUBLIC = frozenset({"/login", "/"})
_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                       "img-src 'self' data:; form-action 'self'; "
                                       "frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await _checked(request, handler)
    except web.HTTPException as exc:  # no route, wrong method, a body too large...
        if exc.status < 400:
            raise
        response = refuse(request, exc.status, f"{exc.reason}: {request.method} {request.path}")
    return _secured(request, response)


async def _checked(request: web.Request, handler: Handler) -> web.StreamResponse:
    store, clock = request.app[STORE], request.app[CLOCK]
    session: Session | None = find_session(store, request.cookies.get(SESSION_COOKIE),
                                           clock.wall())
    if session is not None:
        request[SESSION] = session
    if request.method == "POST":
        form = await request.post()
        expected = (session.csrf_token if session is not None and request.path != "/login"
                    else request.cookies.get(LOGIN_COOKIE, ""))
        if not same_token(form.get("csrf_token"), expected):
            warn(request, "csrf", "web form refused: missing or wrong CSRF token",
                 cookies=sorted(request.cookies), fields=sorted(form),
                 operator=session.operator if session else None)
            return refuse(request, 403, "This form has expired or did not come from this "
                                        "portal: reload the page and try again.")
    if session is None and request.path not in PUBLIC:
        if request.method == "POST":
            return refuse(request, 403, "Log in first.")
        return redirect("/login")
    return await handler(request)


def _secured(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    if request.app[SECURE_COOKIES]:  # served over HTTPS (or behind a proxy that is)
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def create_app(store: PortalStore, clock: Clock, rules: RulesEditor | None = None, *,
               secure_cookies: bool = True, login_limit: LoginLimiter | None = None
               ) -> web.Application:
    """``secure_cookies`` False only for a plain-HTTP lab whose browser would drop them (and
    then no Strict-Transport-Security either); ``login_limit`` slows password guessing."""
    app = web.Application(middlewares=[guard], client_max_size=1024 * 1024)
    app[STORE], app[CLOCK], app[TEMPLATES] = store, clock, templates()
    app[RULES] = rules or RulesEditor(None)
    app[SECURE_COOKIES] = secure_cookies
    app[THROTTLE] = LogThrottle(10.0)
    app[LOGIN_LIMIT] = login_limit or LoginLimiter()
    app.add_routes(fleet_pages.ROUTES)
    app.add_routes(admin_pages.ROUTES)
    return app
