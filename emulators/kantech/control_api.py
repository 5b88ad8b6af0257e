"""HTTP control of a running fleet (loopback only): look at devices and make things happen to them.

A lab test drives the physical world through here (cards at readers, doors, inputs, power) and
watches the gateway see the consequences on the wire. Operations call the model's own test hooks
(``present_card``, ``open_door`` ...); a model without one answers 409, so a simpler model still
runs under the same API.
"""

from __future__ import annotations

import enum
import json
from typing import Any

from aiohttp import web

from emulators.kantech.device_runtime import DeviceRuntime
from emulators.kantech.fleet_runtime import KantechFleet

FLEET_KEY = web.AppKey("fleet", KantechFleet)
DOOR_ACTIONS = {"open": "open_door", "close": "close_door", "force": "force_door",
                "hold": "hold_door"}


class _Conflict(Exception):
    pass


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message, "status": status}, status=status)


def _device(request: web.Request) -> DeviceRuntime:
    ident = request.match_info["id"]
    try:
        return request.app[FLEET_KEY].get(ident)
    except KeyError:
        raise web.HTTPNotFound(text=json.dumps({"error": f"no device {ident!r}", "status": 404}),
                               content_type="application/json") from None


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _bad("the body is not JSON") from None
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object")
    return body


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message, "status": 400}),
                              content_type="application/json")


def _int_field(body: dict[str, Any], name: str, default: int | None = None) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(f"{name!r} must be an integer")
    return value


def _call(device: DeviceRuntime, operation: str, *args: Any, **kwargs: Any) -> Any:
    """Run one model hook at the loop's ``now``, then let the device send what it caused."""
    hook = getattr(device.model, operation, None)
    if not callable(hook):
        raise _Conflict(f"{device.config.model.name} model has no {operation}")
    try:
        result = hook(*args, now=device.now(), **kwargs)
    except ValueError as exc:
        raise _bad(str(exc)) from None
    device.sync()
    return result


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.name
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except _Conflict as exc:
        return _error(409, str(exc))
    except web.HTTPException as exc:
        if exc.content_type == "application/json":
            raise
        return _error(exc.status, exc.reason)


async def list_devices(request: web.Request) -> web.Response:
    fleet = request.app[FLEET_KEY]
    return web.json_response({"devices": [d.snapshot() for d in fleet.devices],
                              **fleet.summary()}, dumps=_dumps)


async def get_device(request: web.Request) -> web.Response:
    return web.json_response(_device(request).snapshot(), dumps=_dumps)


async def present_card(request: web.Request) -> web.Response:
    device = _device(request)
    body = await _body(request)
    door = _int_field(body, "door", 1)
    card = body.get("card")
    if isinstance(card, bool) or not isinstance(card, int | str):
        raise _bad("'card' must be an integer (32-bit) or a string of digits (BCD)")
    pin = body.get("pin")
    if pin is not None and not isinstance(pin, str):
        raise _bad("'pin' must be a string")
    result = _call(device, "present_card", door, card, pin)
    return web.json_response({"ok": True, "result": _json_value(result)})


async def door_action(request: web.Request) -> web.Response:
    device = _device(request)
    action = request.match_info["action"]
    door = _path_int(request, "n")
    result = _call(device, DOOR_ACTIONS[action], door)
    return web.json_response({"ok": True, "result": _json_value(result)})


async def set_input(request: web.Request) -> web.Response:
    device = _device(request)
    body = await _body(request)
    active = body.get("active")
    if not isinstance(active, bool):
        raise _bad("'active' must be true or false")
    _call(device, "set_input", _path_int(request, "n"), active)
    return web.json_response({"ok": True})


async def set_online(request: web.Request) -> web.Response:
    device = _device(request)
    device.set_online(request.match_info["state"] == "online")
    return web.json_response({"ok": True, "online": device.online})


async def reboot(request: web.Request) -> web.Response:
    device = _device(request)
    _call(device, "reboot")
    return web.json_response({"ok": True})


def _path_int(request: web.Request, name: str) -> int:
    text = request.match_info[name]
    if not text.isdigit():
        raise _bad(f"{name} must be a number, not {text!r}")
    return int(text)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_json_value)


def make_control_app(fleet: KantechFleet) -> web.Application:
    """The control API of ``fleet``; serve it on loopback only (it has no authentication)."""
    app = web.Application(middlewares=[_errors])
    app[FLEET_KEY] = fleet
    app.router.add_get("/devices", list_devices)
    app.router.add_get("/devices/{id}", get_device)
    app.router.add_post("/devices/{id}/cards", present_card)
    app.router.add_post("/devices/{id}/doors/{n}/{action:open|close|force|hold}", door_action)
    app.router.add_post("/devices/{id}/inputs/{n}", set_input)
    app.router.add_post("/devices/{id}/{state:offline|online}", set_online)
    app.router.add_post("/devices/{id}/reboot", reboot)
    return app


async def start_control_server(fleet: KantechFleet, host: str = "127.0.0.1",
                               port: int = 0) -> tuple[web.AppRunner, tuple[str, int]]:
    """Serve the control API; returns the runner (``await runner.cleanup()``) and the address."""
    runner = web.AppRunner(make_control_app(fleet), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    bound = sockets[0].getsockname()[:2] if sockets else (host, port)
    return runner, (bound[0], bound[1])
