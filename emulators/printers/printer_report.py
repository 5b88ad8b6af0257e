"""A printer as JSON for people and tests: what a monitor would conclude, in plain names.

The control API and the command line both show printers; the report reads only the state and the
profile, so it can never disagree with what the MIB serves.
"""

from __future__ import annotations

import time
from typing import Any

from ekm_proto.printer_mib import textual_conventions as tc
from emulators.printers.alerts import describe, kind_of
from emulators.printers.fleet import PrinterFleet
from emulators.printers.printer_state import F_FORCED_SLEEP, F_UNREACHABLE, SOURCES, PrinterState

DEVICE_STATUS = {1: "unknown", 2: "running", 3: "warning", 4: "testing", 5: "down"}
PRINTER_STATUS = {1: "other", 2: "unknown", 3: "idle", 4: "printing", 5: "warmup"}
_NAMES = {table_name: {v: k for k, v in table.items()} for table_name, table in (
    ("severity", tc.SEVERITIES), ("training", tc.TRAININGS), ("group", tc.ALERT_GROUPS),
    ("supply", tc.SUPPLY_TYPES), ("unit", tc.SUPPLY_UNITS), ("input", tc.INPUT_TYPES))}


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def printer_status(state: PrinterState, now: float) -> str:
    _, device, _ = state.status()
    if device == tc.DEVICE_DOWN:
        return PRINTER_STATUS[tc.PRINTER_OTHER]
    if now < state.busy_until:
        warming = now - state.boot_time < state.model.warmup_s
        return PRINTER_STATUS[tc.PRINTER_WARMUP if warming else tc.PRINTER_PRINTING]
    return PRINTER_STATUS[tc.PRINTER_IDLE]


def summary(fleet: PrinterFleet, state: PrinterState, now: float) -> dict[str, Any]:
    """One line of GET /printers."""
    _, device, _ = state.status()
    return {"id": state.index, "address": state.address, "profile": state.model.name,
            "serial": state.serial, "mac": state.mac.hex(":").upper(),
            "status": DEVICE_STATUS[device], "engine_cycles": state.total,
            "alerts": len(state.alerts or ()), "answers_snmp": fleet.answers(state, now)}


def alert_json(state: PrinterState, alert: Any, now: float) -> dict[str, Any]:
    kind = kind_of(alert)
    return {"index": alert.index, "kind": alert.kind, "code": kind.code,
            "severity": _NAMES["severity"].get(kind.severity, str(kind.severity)),
            "training": _NAMES["training"].get(kind.training, str(kind.training)),
            "group": _NAMES["group"].get(kind.group, str(kind.group)),
            "group_index": alert.group_index, "location": alert.location,
            "description": describe(alert, state.model.profile), "raised_at": _iso(alert.raised_at),
            "age_seconds": round(max(0.0, now - alert.raised_at), 1)}


def detail(fleet: PrinterFleet, state: PrinterState, now: float) -> dict[str, Any]:
    """GET /printers/{id}: identity, status, counters, supplies, trays, alerts, quirks."""
    profile = state.model.profile
    bits, device, blocked = state.status()
    integer, missing = state.model.layout_key(state.layout)
    supplies = []
    for position, spec in enumerate(profile.supplies):
        supplies.append({
            "index": spec.index, "description": spec.description,
            "type": _NAMES["supply"].get(spec.type, str(spec.type)),
            "class": "receptacle" if spec.filled else "consumable", "colorant": spec.colorant,
            "unit": _NAMES["unit"].get(spec.unit, str(spec.unit)), "max_capacity": spec.max_capacity,
            "remaining_percent": round(state.levels[position] * 100, 2)})
    trays = [{"index": t.index, "name": t.name, "size": t.size, "media": t.media_name,
              "type": _NAMES["input"].get(t.type, str(t.type)), "capacity": t.capacity,
              "sheets": state.trays[position], "level_reporting": t.level_reporting}
             for position, t in enumerate(profile.trays)]
    return {
        **summary(fleet, state, now),
        "vendor": profile.vendor, "model": profile.model, "sys_name": state.sys_name,
        "sys_object_id": ".".join(map(str, profile.sys_object_id)),
        "engine_id": state.engine_id.hex(), "engine_boots": state.boots,
        "uptime_seconds": round(now - state.boot_time, 1), "now": _iso(now),
        "offline": bool(state.flags & F_UNREACHABLE), "sleeping": state.sleeping(now),
        "forced_sleep": bool(state.flags & F_FORCED_SLEEP),
        "printer_status": printer_status(state, now), "errors": tc.bit_names(bits),
        "blocked": blocked, "device_status_code": device,
        "counters": {name: state.counter(name) for name in SOURCES},
        "supplies": supplies, "trays": trays,
        "alerts": [alert_json(state, a, now) for a in sorted(state.alerts or (),
                                                               key=lambda a: a.index)],
        "quirks": {"counter_as_integer": integer, "missing": list(missing),
                   "response_delay": state.delay, "drop_rate": state.drop_rate,
                   "sleep_mode": profile.power.sleep_mode,
                   "switched_off": profile.power.switched_off},
        "pending_events": [{"at": _iso(at), "action": action, "arg": arg}
                           for at, action, arg in state.events or ()],
        "settings": dict(state.settings or {}),
    }
