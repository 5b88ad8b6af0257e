"""What the agent ships to the portal, as outbox payloads (JSON objects): one function per
message kind, so the format is written down in one place. Issue 11's shipper turns these into
the portal's XML; times are ISO 8601 UTC, devices are named by serial.

Kinds: ``asset`` (a device registered or its identity changed), ``change`` (move, swap, name,
location, MAC, reboot, gone), ``alert`` and ``availability`` (a record opened or cleared),
``meters`` (the day's latest good readings, or the latest on request), ``supplies`` and
``trays`` (levels, when they change).
"""

from __future__ import annotations

from typing import Any

from ekm_proto.durations import format_duration, iso
from ekm_proto.monitor.alerts import Condition
from ekm_proto.monitor.device import Device


def asset(device: Device) -> dict[str, Any]:
    return {"serial": device.serial, "manufacturer": device.manufacturer,
            "model": device.model, "mac": device.mac, "address": device.address,
            "name": device.name, "location": device.location,
            "asset_number": device.asset_number, "zone": device.zone,
            "engine_cycles": device.engine_cycles, "discovered_at": iso(device.discovered_at),
            "status": device.status}


def change(device: Device, kind: str, old: str, new: str, at: float) -> dict[str, Any]:
    return {"serial": device.serial, "address": device.address, "kind": kind, "old": old,
            "new": new, "at": iso(at)}


def opened(device: Device, alert_id: int, condition: Condition, opened_at: float
           ) -> dict[str, Any]:
    return {"serial": device.serial, "alert_id": alert_id, "event": "opened",
            "key": condition.key, "code": condition.code, "code_name": condition.code_name,
            "group": condition.group,
            "group_index": condition.group_index, "location": condition.location,
            "severity": condition.severity, "training": condition.training,
            "description": condition.description, "engine_cycles": device.engine_cycles,
            "opened_at": iso(opened_at)}


def cleared(device: Device, alert_id: int, key: str, opened_at: float,
            cleared_at: float) -> dict[str, Any]:
    """A record cleared: the portal has its opening message; this names it, when it cleared and
    how long it lasted."""
    return {"serial": device.serial, "alert_id": alert_id, "event": "cleared", "key": key,
            "opened_at": iso(opened_at), "cleared_at": iso(cleared_at),
            "duration": format_duration(cleared_at - opened_at)}


def meters(serial: str, readings: list[dict[str, Any]], *, day: str | None,
           requested: bool = False) -> dict[str, Any]:
    return {"serial": serial, "day": day, "requested": requested,
            "readings": readings}


def levels(device: Device, key: str, rows: list[dict[str, Any]], at: float) -> dict[str, Any]:
    return {"serial": device.serial, "read_at": iso(at), key: rows}
