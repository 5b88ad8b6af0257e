"""The control API: HTTP JSON on loopback for tests and people to drive the printers.

Everything a monitor should notice can be made to happen on demand: print pages, raise and clear
alerts, set supply levels, power save, take a printer off the network, reboot, move, swap. Errors
come back in protolab's shared shape ``{"error": ..., "status": ..., "printer": ..., "address": ...}``
with a 4xx status (protolab.http_api).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from aiohttp import web

from emulators.printers.alerts import JAM_LOCATIONS, kind_for
from emulators.printers.fleet import AddressInUse, PrinterFleet, PrinterNotFound
from emulators.printers.printer_report import alert_json, detail, summary
from emulators.printers.printer_state import (
    F_FORCED_SLEEP,
    SETTABLE_COUNTERS,
    PrinterState,
)
from emulators.printers.profiles import LARGE_SIZES, MEDIA_SIZES, MISSABLE_TABLES
from emulators.printers.snmprec import format_snmprec, walk
from protolab.errors import ConfigurationError
from protolab.http_api import (
    ApiServer,
    BadRequest,
    Conflict,
    NotFound,
    int_field,
    json_response,
    make_app,
    read_object,
)
from protolab.logs import get_logger

FLEET_KEY = web.AppKey("fleet", PrinterFleet)
MAX_PAGES = 100_000
_log = get_logger("printers.control")


def _context(state: PrinterState) -> dict[str, Any]:
    """What every error about one printer carries besides its message."""
    return {"printer": state.index, "address": state.address}


def _printer(request: web.Request) -> tuple[PrinterFleet, PrinterState, float]:
    fleet = request.app[FLEET_KEY]
    try:
        state = fleet.find(request.match_info["id"])
    except PrinterNotFound as exc:
        raise NotFound(str(exc)) from None
    return fleet, state, fleet.refresh(state)


def _where(state: PrinterState) -> str:
    return f"printer {state.index} ({state.address})"


def _bad(state: PrinterState, message: str) -> BadRequest:
    return BadRequest(f"{_where(state)}: {message}", **_context(state))


def _int(data: dict[str, Any], key: str, lo: int, hi: int, state: PrinterState,
         default: int | None = None) -> int:
    return int_field(data, key, lo, hi, default, **_context(state))


def _ok(fleet: PrinterFleet, state: PrinterState, now: float, **extra: Any) -> web.Response:
    return json_response({**extra, "printer": detail(fleet, state, now)})


async def list_printers(request: web.Request) -> web.Response:
    fleet = request.app[FLEET_KEY]
    try:
        offset = int(request.query.get("offset", "0"))
        limit = min(int(request.query.get("limit", "100")), 10_000)
    except ValueError:
        raise BadRequest("offset and limit must be integers; expected ?offset=0&limit=100") \
            from None
    profile = request.query.get("profile")
    printers = fleet.printers
    if profile is None:  # a page of a million printers makes only the printers on the page
        chosen: range | list[int] = range(len(printers))
    else:
        chosen = [slot for slot in range(len(printers)) if _model_name(fleet, slot) == profile]
    now = fleet.sim.now()
    page = [summary(fleet, printers[slot], now)
            for slot in chosen[max(0, offset):max(0, offset) + max(0, limit)]]
    return json_response({"total": len(chosen), "offset": offset, "printers": page})


def _model_name(fleet: PrinterFleet, slot: int) -> str:
    """The profile of a printer, without making it (a swapped-in one has its own)."""
    state = fleet.printers.existing(slot)
    return state.model.name if state is not None else fleet.plan(slot).name


async def show_printer(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    return json_response(detail(fleet, state, now))


async def print_pages(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    data = await read_object(request)
    pages = _int(data, "pages", 1, MAX_PAGES, state)
    size = data.get("size", "A4")
    if size not in MEDIA_SIZES:
        raise _bad(state, f"size {size!r}; expected one of " + ", ".join(MEDIA_SIZES))
    profile = state.model.profile
    large = size in LARGE_SIZES
    colour = bool(data.get("color", data.get("colour", False)))
    if large and not profile.a3:
        raise BadRequest(f"{_where(state)}: {profile.model} cannot print {size}; expected A4 or "
                         "another size its trays hold", **_context(state))
    if colour and not profile.color:
        raise BadRequest(f"{_where(state)}: {profile.model} is a mono printer; "
                         "expected color false", **_context(state))
    printed = state.print_pages(now, pages, colour, large, bool(data.get("duplex", False)))
    _log.info("printer.print", printer=state.index, address=state.address, requested=pages,
              printed=printed, colour=colour, size=size)
    return _ok(fleet, state, now, requested=pages, printed=printed)


async def scan_pages(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    data = await read_object(request)
    pages = _int(data, "pages", 1, MAX_PAGES, state)
    state.scan_pages(now, pages, bool(data.get("color", False)))
    return _ok(fleet, state, now, scanned=pages)


async def raise_alert(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    data = await read_object(request)
    code = data.get("code")
    if not isinstance(code, str | int) or isinstance(code, bool):
        raise BadRequest(f"{_where(state)}: code = {code!r}; expected a name like \"jam\" or a "
                         "PrtAlertCodeTC number", **_context(state))
    try:
        kind = kind_for(code)
    except ValueError as exc:
        raise _bad(state, str(exc)) from None
    group_index = _int(data, "index", 1, 65535, state, 1)
    location = _int(data, "location", -2, 2**31 - 1, state,
                    13200 if kind == "jam" else -2)
    text = data.get("description")
    alert = state.inject_alert(kind, group_index, now, location,
                               text if isinstance(text, str) else None)
    _log.info("printer.alert", printer=state.index, address=state.address, kind=kind,
              index=alert.index)
    body = {"alert": alert_json(state, alert, now), "printer": detail(fleet, state, now)}
    return json_response(body, status=201)


async def clear_alert(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    try:
        index = int(request.match_info["index"])
    except ValueError:
        raise BadRequest("alert index must be an integer") from None
    alert = state.resolve_alert(index, now)
    if alert is None:
        present = ", ".join(str(a.index) for a in state.alerts or ()) or "none"
        raise NotFound(f"{_where(state)}: no alert {index}; active alerts: {present}", **_context(state))
    return _ok(fleet, state, now, cleared=alert_json(state, alert, now))


def _position(state: PrinterState, request: web.Request, what: str) -> int:
    profile = state.model.profile
    indices = [s.index for s in profile.supplies] if what == "supply" else [
        t.index for t in profile.trays]
    try:
        index = int(request.match_info["index"])
    except ValueError:
        raise BadRequest(f"{what} index must be an integer") from None
    if index not in indices:
        raise NotFound(f"{_where(state)}: no {what} {index}; expected one of "
                       + ", ".join(map(str, indices)), **_context(state))
    return indices.index(index)


async def set_supply(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    position = _position(state, request, "supply")
    data = await read_object(request)
    level = data.get("level")
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 <= level <= 100:
        raise BadRequest(f"{_where(state)}: level = {level!r}; expected percent remaining "
                         "0..100", **_context(state))
    state.set_supply_level(position, level / 100.0, now)
    return _ok(fleet, state, now)


async def set_tray(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    position = _position(state, request, "tray")
    data = await read_object(request)
    capacity = state.model.tray_capacity[position]
    state.refill_tray(position, now, _int(data, "sheets", 0, capacity, state, capacity))
    return _ok(fleet, state, now)


async def power_save(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    data = await read_object(request)
    on = request.method == "POST" and bool(data.get("on", True))
    if on:
        state.flags |= F_FORCED_SLEEP
    else:
        state.flags &= ~F_FORCED_SLEEP
        state.last_activity = max(state.last_activity, now)
    return _ok(fleet, state, now)


async def offline(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    fleet.set_reachable(state, False)
    _log.info("printer.offline", printer=state.index, address=state.address)
    return _ok(fleet, state, now)


async def online(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    fleet.set_reachable(state, True)
    return _ok(fleet, state, now)


async def reboot(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    state.reboot(now)
    _log.info("printer.reboot", printer=state.index, address=state.address, boots=state.boots)
    return _ok(fleet, state, now)


async def move(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    data = await read_object(request)
    address = data.get("address")
    if not isinstance(address, str):
        raise _bad(state, f"address = {address!r}; expected \"127.x.y.z\"")
    try:
        new = str(ipaddress.IPv4Address(address))
    except ValueError:
        raise _bad(state, f"address = {address!r}; expected an IPv4 address like "
                          "\"127.30.5.5\"") from None
    old = state.address
    try:
        fleet.move(state, new)
    except AddressInUse as exc:
        raise Conflict(str(exc), **_context(state)) from None
    _log.info("printer.move", printer=state.index, old=old, new=state.address)
    return _ok(fleet, state, now, moved_from=old)


async def swap(request: web.Request) -> web.Response:
    fleet, state, _ = _printer(request)
    data = await read_object(request)
    profile = data.get("profile")
    old = state.serial
    try:
        fresh = fleet.swap(state, profile if isinstance(profile, str) else None)
    except ConfigurationError as exc:
        raise BadRequest(str(exc), **_context(state)) from None
    _log.info("printer.swap", printer=fresh.index, address=fresh.address, old=old, new=fresh.serial)
    return _ok(fleet, fresh, fleet.refresh(fresh), replaced_serial=old)


async def quirks(request: web.Request) -> web.Response:
    fleet, state, now = _printer(request)
    data = await read_object(request)
    missing = data.get("missing")
    if missing is not None and (not isinstance(missing, list)
                                or any(not isinstance(m, str) or m not in MISSABLE_TABLES
                                       for m in missing)):
        raise BadRequest(f"{_where(state)}: missing = {missing!r}; expected a list of: "
                         + ", ".join(MISSABLE_TABLES), **_context(state))
    delay, drop = data.get("response_delay"), data.get("drop_rate")
    for key, value, hi in (("response_delay", delay, 60.0), ("drop_rate", drop, 1.0)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not 0 <= value <= hi):
            raise BadRequest(f"{_where(state)}: {key} = {value!r}; expected a number 0..{hi}",
                             **_context(state))
    integer = data.get("counter_as_integer")
    fleet.set_quirks(state, counter_as_integer=None if integer is None else bool(integer),
                     missing=missing, response_delay=delay, drop_rate=drop)
    return _ok(fleet, state, now)


async def set_counter(request: web.Request) -> web.Response:
    """A raw page counter set to a value (wraps at 2^32 or 2^24 - 1, counters going backwards or
    jumping: what a monitor's validation must catch)."""
    fleet, state, now = _printer(request)
    data = await read_object(request)
    name = data.get("counter")
    if not isinstance(name, str) or name not in SETTABLE_COUNTERS:
        raise _bad(state, f"counter = {name!r}; expected one of " + ", ".join(SETTABLE_COUNTERS))
    state.set_counter(name, _int(data, "value", 0, 2**40, state))
    return _ok(fleet, state, now)


async def export(request: web.Request) -> web.Response:
    fleet, state, _ = _printer(request)
    return web.Response(text=format_snmprec(walk(fleet.view_of(state))), content_type="text/plain")


async def profiles(request: web.Request) -> web.Response:
    fleet = request.app[FLEET_KEY]
    return json_response([
        {"name": m.name, "vendor": m.profile.vendor, "model": m.profile.model,
         "color": m.profile.color, "a3": m.profile.a3, "oids": len(m.layout),
         "jam_locations": list(JAM_LOCATIONS)} for m in fleet.models.values()])


def create_app(fleet: PrinterFleet) -> web.Application:
    p = "/printers/{id}"
    return make_app([
        web.get("/printers", list_printers), web.get(p, show_printer),
        web.get("/profiles", profiles), web.get(p + "/snmprec", export),
        web.post(p + "/print", print_pages), web.post(p + "/scan", scan_pages),
        web.post(p + "/alerts", raise_alert), web.delete(p + "/alerts/{index}", clear_alert),
        web.post(p + "/supplies/{index}", set_supply), web.post(p + "/trays/{index}", set_tray),
        web.post(p + "/power-save", power_save), web.delete(p + "/power-save", power_save),
        web.post(p + "/offline", offline), web.post(p + "/online", online),
        web.post(p + "/reboot", reboot), web.post(p + "/move", move), web.post(p + "/swap", swap),
        web.post(p + "/quirks", quirks), web.post(p + "/counters", set_counter),
    ], {FLEET_KEY: fleet})


async def start_control(fleet: PrinterFleet, host: str, port: int, *,
                        allow_remote: bool = False) -> ApiServer:
    """Serve the API (loopback only unless ``allow_remote``); ``address`` says where it listens."""
    return await ApiServer.start(create_app(fleet), host, port, allow_remote=allow_remote,
                                 what="printer control API")
