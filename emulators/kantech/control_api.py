"""HTTP control of a running fleet (loopback only): look at devices and make things happen to them.

A lab test drives the physical world through here (cards at readers, doors, inputs, power) and
watches the gateway see the consequences on the wire. Operations call the model's own test hooks
(``present_card``, ``open_door`` ...); a model without one answers 409, so a simpler model still
runs under the same API. Built on ``protolab.http_api``: errors are ``{"error", "status", ...}``
naming the device, and the server binds to loopback unless another address is named explicitly.
"""

from __future__ import annotations

import enum
from typing import Any

from aiohttp import web

from emulators.kantech.device_runtime import DeviceRuntime
from emulators.kantech.errors import UnknownDeviceError
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech.fleet_stats import fleet_counters
from emulators.kantech.loop_device import LoopDevice
from kantech_proto.codes import RecordType
from protolab.errors import bind_failure
from protolab.http_api import (
    ApiServer,
    BadRequest,
    Conflict,
    NotFound,
    bool_field,
    choice_field,
    int_field,
    json_response,
    make_app,
    path_int,
    read_object,
)

FLEET_KEY = web.AppKey("fleet", KantechFleet)
DOOR_ACTIONS = {"open": "open_door", "close": "close_door", "force": "force_door",
                "hold": "hold_door"}


Device = DeviceRuntime | LoopDevice


def _device(request: web.Request) -> Device:
    """An IP device by index, address or MAC, or a loop controller as ``3@127.20.0.5``."""
    ident = request.match_info["id"]
    fleet = request.app[FLEET_KEY]
    try:
        return fleet.loop_device(ident) if "@" in ident else fleet.get(ident)
    except UnknownDeviceError as exc:
        raise NotFound(str(exc), device=ident) from None


def _call(device: Device, operation: str, *args: Any, **kwargs: Any) -> Any:
    """Run one model hook at the device clock's ``now``, then let the device send what it
    caused. A hook refusing its arguments (a door the model lacks) becomes a 400 naming it."""
    hook = getattr(device.model, operation, None)
    if not callable(hook):
        raise Conflict(f"{device.model.model.name} model has no {operation}",
                       device=device.name)
    result = hook(*args, now=device.now(), **kwargs)
    device.sync()
    # by name: json.dumps writes an IntEnum (AccessResult) as its number before any default
    return result.name if isinstance(result, enum.Enum) else result


async def list_devices(request: web.Request) -> web.Response:
    fleet = request.app[FLEET_KEY]
    return json_response({"devices": [d.snapshot() for d in fleet.devices],
                          "loop_controllers": [d.snapshot() for d in fleet.loop_devices()],
                          **fleet.summary()})


async def get_records(request: web.Request) -> web.Response:
    """What the controller holds, decoded, so a reload can be checked field by field."""
    device = _device(request)
    store = getattr(device.model, "records", None)
    if store is None:
        raise Conflict(f"{device.model.model.name} holds no reload records", device=device.name)
    records = {kind.name: [record.as_dict() if hasattr(record, "as_dict") else record.as_json()
                           for record in store.of_type(kind).values()]
               for kind in RecordType if store.of_type(kind)}
    return json_response({"device": device.name, "counts": store.counts(), "records": records})


async def fleet_stats(request: web.Request) -> web.Response:
    """Fleet-wide counters by reason: frames in and out, rejections, replays, NAKs ..."""
    return json_response(fleet_counters(request.app[FLEET_KEY]))


async def get_device(request: web.Request) -> web.Response:
    return json_response(_device(request).snapshot())


async def present_card(request: web.Request) -> web.Response:
    device = _device(request)
    body = await read_object(request)
    where = {"device": device.name}
    door = int_field(body, "door", 1, 255, default=1, **where)
    card = body.get("card")
    if isinstance(card, bool) or not isinstance(card, int | str):
        raise BadRequest(f"card = {card!r}; expected an integer (32-bit) or a string of digits "
                         "(BCD)", **where)
    pin = body.get("pin")
    if pin is not None and not isinstance(pin, str):
        raise BadRequest(f"pin = {pin!r}; expected a string of digits", **where)
    result = _call(device, "present_card", door, card, pin, **_reader_extras(body, where))
    return json_response({"ok": True, "result": result})


def _reader_extras(body: dict[str, Any], where: dict[str, Any]) -> dict[str, Any]:
    """``exit`` (the door's exit reader) and ``floor`` (a cab reader's button), when given."""
    extras: dict[str, Any] = {}
    if "exit" in body:
        extras["exit"] = bool_field(body, "exit", **where)
    if "floor" in body:
        extras["floor"] = int_field(body, "floor", 1, 255, **where)
    return extras


async def present_pin(request: web.Request) -> web.Response:
    """A PIN typed alone at a PIN_ONLY reader."""
    device = _device(request)
    body = await read_object(request)
    where = {"device": device.name}
    door = int_field(body, "door", 1, 255, default=1, **where)
    pin = body.get("pin")
    if not isinstance(pin, str) or not pin.isdigit():
        raise BadRequest(f"pin = {pin!r}; expected a string of digits", **where)
    result = _call(device, "present_pin", door, pin, **_reader_extras(body, where))
    return json_response({"ok": True, "result": result})


async def set_input_line(request: web.Request) -> web.Response:
    """An input's wiring cut (open), bridged (short) or repaired (normal)."""
    device = _device(request)
    body = await read_object(request)
    line = choice_field(body, "line", ("normal", "open", "short"), device=device.name)
    _call(device, "set_input_line", path_int(request, "n", 0, 255), line)
    return json_response({"ok": True})


async def forgive_passback(request: web.Request) -> web.Response:
    """Forget where one card (``card``) or every card was last seen (anti-passback)."""
    device = _device(request)
    body = await read_object(request)
    card = body.get("card")
    if card is not None and (isinstance(card, bool) or not isinstance(card, int | str)):
        raise BadRequest(f"card = {card!r}; expected a card number, or none for every card",
                         device=device.name)
    return json_response({"ok": True, "forgiven": _call(device, "forgive_passback", card)})


async def door_action(request: web.Request) -> web.Response:
    device = _device(request)
    door = path_int(request, "n", 0, 255)
    result = _call(device, DOOR_ACTIONS[request.match_info["action"]], door)
    return json_response({"ok": True, "result": result})


async def set_input(request: web.Request) -> web.Response:
    device = _device(request)
    body = await read_object(request)
    active = bool_field(body, "active", device=device.name)
    _call(device, "set_input", path_int(request, "n", 0, 255), active)
    return json_response({"ok": True})


async def set_online(request: web.Request) -> web.Response:
    device = _device(request)
    device.set_online(request.match_info["state"] == "online")
    return json_response({"ok": True, "online": device.online})


async def reboot(request: web.Request) -> web.Response:
    _call(_device(request), "reboot")
    return json_response({"ok": True})


ROUTES = [
    web.get("/devices", list_devices),
    web.get("/devices/{id}", get_device),
    web.get("/devices/{id}/records", get_records),
    web.get("/stats", fleet_stats),
    web.post("/devices/{id}/cards", present_card),
    web.post(r"/devices/{id}/doors/{n}/{action:open|close|force|hold}", door_action),
    web.post("/devices/{id}/inputs/{n}", set_input),
    web.post("/devices/{id}/inputs/{n}/line", set_input_line),
    web.post("/devices/{id}/pins", present_pin),
    web.post("/devices/{id}/passback/forgive", forgive_passback),
    web.post(r"/devices/{id}/{state:offline|online}", set_online),
    web.post("/devices/{id}/reboot", reboot),
]


def make_control_app(fleet: KantechFleet) -> web.Application:
    """The control API of ``fleet``; serve it on loopback (it has no authentication)."""
    return make_app(ROUTES, {FLEET_KEY: fleet})


async def start_control_server(fleet: KantechFleet, host: str = "127.0.0.1", port: int = 0, *,
                               allow_remote: bool = False, flag: str = "--control",
                               port_only: bool = False) -> ApiServer:
    """Serve the control API (``server.address``, ``server.url``, ``await server.close()``);
    AddressUnavailableError naming the address when it cannot be bound."""
    try:
        return await ApiServer.start(make_control_app(fleet), host, port,
                                     allow_remote=allow_remote, what="Kantech control API")
    except OSError as exc:
        raise bind_failure(exc, host, port, flag=flag, port_only=port_only,
                           what="the Kantech control API") from None
