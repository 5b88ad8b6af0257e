"""The one base every HTTP JSON API of protolab is built on (device control APIs, later the
monitor's and the portal's): one error shape, one way to read bodies and validate fields, and
binding to loopback unless the user names another address explicitly.

Errors are ``{"error": message, "status": code, ...context}``: a handler raises ``BadRequest``,
``NotFound`` or ``Conflict`` (with context such as the device and its address) and the middleware
renders it; any other ``ProtolabError`` a handler lets through is a 400 naming what was wrong.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import ssl
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from aiohttp import web

from protolab.errors import ConfigurationError, ProtolabError
from protolab.logs import get_logger

E = TypeVar("E", bound=enum.Enum)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_log = get_logger("protolab.http")


class ApiError(ProtolabError):
    """A request the API refuses; ``status`` is the HTTP code, ``context`` goes into the body."""

    status = 400

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.context = context


class BadRequest(ApiError):
    status = 400


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


def json_value(value: Any) -> Any:
    """What ``json.dumps`` cannot encode by itself: enums by name, bytes as hex, else text."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return str(value)


def plain(value: Any) -> Any:
    """``value`` with enums replaced by their names at any depth (``json.dumps`` would write an
    IntEnum as a bare number without asking ``default``)."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def json_response(body: Any, status: int = 200) -> web.Response:
    return web.json_response(plain(body), status=status,
                             dumps=lambda v: json.dumps(v, default=json_value))


def error_response(status: int, message: str, **context: Any) -> web.Response:
    return json_response({"error": message, "status": status, **context}, status=status)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, str(exc), **exc.context)
    except ProtolabError as exc:
        return error_response(400, str(exc))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return error_response(exc.status, exc.reason)


def make_app(routes: list[web.RouteDef], keys: Mapping[web.AppKey[Any], Any] | None = None
             ) -> web.Application:
    """An application with the shared error handling and ``keys`` stored in it."""
    app = web.Application(middlewares=[_errors])
    for key, value in (keys or {}).items():
        app[key] = value
    app.add_routes(routes)
    return app


async def read_object(request: web.Request) -> dict[str, Any]:
    """The JSON object in the body ({} when there is no body); BadRequest otherwise."""
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the request body is not JSON; expected a JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest(f"the request body is a JSON {type(body).__name__}; "
                         "expected a JSON object")
    return body


def int_field(body: Mapping[str, Any], key: str, lo: int, hi: int, default: int | None = None,
              **context: Any) -> int:
    """An integer in ``lo..hi`` (booleans are not integers); BadRequest naming the key."""
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise BadRequest(f"{key} = {value!r}; expected an integer {lo}..{hi}", **context)
    return value


def number_field(body: Mapping[str, Any], key: str, lo: float, hi: float,
                 default: float | None = None, **context: Any) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise BadRequest(f"{key} = {value!r}; expected a number {lo}..{hi}", **context)
    return float(value)


def bool_field(body: Mapping[str, Any], key: str, default: bool | None = None,
               **context: Any) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise BadRequest(f"{key} = {value!r}; expected true or false", **context)
    return value


def choice_field(body: Mapping[str, Any], key: str, choices: Mapping[str, Any] | tuple[str, ...],
                 default: str | None = None, **context: Any) -> str:
    """One of the named choices (an enum's names, a table's keys, a tuple of words)."""
    value = body.get(key, default)
    if not isinstance(value, str) or value not in choices:
        raise BadRequest(f"{key} = {value!r}; expected one of: {', '.join(choices)}", **context)
    return value


def enum_field(body: Mapping[str, Any], key: str, kind: type[E], default: E | None = None,
               **context: Any) -> E:
    """An enum member by name (case-insensitive) or by value."""
    value = body.get(key, default)
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        member = kind.__members__.get(value.upper().replace("-", "_"))
        if member is not None:
            return member
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            return kind(value)
        except ValueError:
            pass
    raise BadRequest(f"{key} = {value!r}; expected one of: "
                     f"{', '.join(m.lower() for m in kind.__members__)}", **context)


def path_int(request: web.Request, name: str, lo: int = 0, hi: int = 2**31 - 1) -> int:
    text = request.match_info[name]
    if not text.isdigit() or not lo <= int(text) <= hi:
        raise BadRequest(f"{name} must be a number {lo}..{hi}, not {text!r}")
    return int(text)


def check_bind_address(host: str, *, allow_remote: bool = False, what: str = "control API"
                       ) -> None:
    """Loopback only, unless the user explicitly named another address (``allow_remote``):
    these APIs have no authentication."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ConfigurationError(f"{what} address {host!r} is not an IP address; "
                                 "expected 127.0.0.1 or another loopback address") from None
    if not address.is_loopback and not allow_remote:
        raise ConfigurationError(f"{what} address {host} is not a loopback address; expected "
                                 "127.x.y.z (pass it explicitly to serve other hosts)")


class ApiServer:
    """A running API: ``await ApiServer.start(app, host, port)``; ``address`` is where it
    really listens (port 0 picks a free one); ``await server.close()``."""

    def __init__(self, runner: web.AppRunner, address: tuple[str, int], scheme: str = "http"
                 ) -> None:
        self.runner = runner
        self.address = address
        self.scheme = scheme

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.address[0]}:{self.address[1]}"

    @classmethod
    async def start(cls, app: web.Application, host: str = "127.0.0.1", port: int = 0, *,
                    allow_remote: bool = False, what: str = "control API",
                    ssl_context: ssl.SSLContext | None = None) -> ApiServer:
        """``ssl_context``: serve HTTPS (the portal's web interface)."""
        check_bind_address(host, allow_remote=allow_remote, what=what)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port, ssl_context=ssl_context)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        bound = next(iter(runner.addresses), (host, port))
        server = cls(runner, (str(bound[0]), int(bound[1])),
                     "https" if ssl_context is not None else "http")
        _log.info("api.listening", what=what, url=server.url)
        return server

    async def close(self) -> None:
        await self.runner.cleanup()
