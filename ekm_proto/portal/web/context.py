"""What every page handler reaches through the application: the store, the clock, the
templates, the rules editor; and how a page is rendered."""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web

from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.web.formatting import FILTERS
from ekm_proto.portal.web.login_limit import LoginLimiter
from ekm_proto.portal.web.rules_editor import RulesEditor
from ekm_proto.portal.web.sessions import Session
from protolab.clock import Clock
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

STORE = web.AppKey("store", PortalStore)
CLOCK = web.AppKey("clock", Clock)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
RULES = web.AppKey("rules", RulesEditor)
SECURE_COOKIES = web.AppKey("secure_cookies", bool)
THROTTLE = web.AppKey("throttle", LogThrottle)
LOGIN_LIMIT = web.AppKey("login_limit", LoginLimiter)
SESSION = web.RequestKey("session", Session)  # set only for a logged-in operator


_log = get_logger("ekm_proto.portal.web")


def warn(request: web.Request, reason: str, event: str, **fields: object) -> None:
    """A refusal worth a log line, at most one per reason every few seconds: anyone who can
    reach the port can cause them by the thousand."""
    passed_over = request.app[THROTTLE].allow(request.app[CLOCK].now(), reason)
    if passed_over is not None:
        _log.warning(event, peer=request.remote, path=request.path, passed_over=passed_over,
                     **fields)


def templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("ekm_proto.portal.web", "templates"),
        autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined)
    environment.filters.update(FILTERS)
    return environment


def session_of(request: web.Request) -> Session | None:
    return request.get(SESSION)


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    """A page; every page gets the session (or None) for its menu and CSRF fields."""
    page = request.app[TEMPLATES].get_template(template)
    text = page.render(session=session_of(request), path=request.path, **context)
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def redirect(location: str) -> web.Response:
    """See Other: after a form, the browser GETs ``location``."""
    return web.Response(status=303, headers={"Location": location})


def refuse(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, status_code=status, message=message)
