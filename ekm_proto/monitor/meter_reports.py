"""Meters reported once a day (the latest good reading of each counter that day) and on demand
(the latest counts now), as outbox messages. Days are the agent's local days; a day is reported
the first time the agent looks after it ended, so a day the agent was stopped through is
reported when it comes back."""

from __future__ import annotations

import sqlite3
from typing import Any

from ekm_proto.durations import iso
from ekm_proto.monitor import messages
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.registry import Registry


def _reading(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    name, oid, meaning, raw, value, read_at = row
    return {"name": name, "oid": oid, "meaning": meaning, "raw": raw, "value": value,
            "read_at": iso(read_at)}


def daily_reports(connection: sqlite3.Connection, registry: Registry, today: str,
                  at: float) -> list[Batch]:
    """One batch per device and finished day not yet reported: the message and the mark."""
    rows = connection.execute(
        "SELECT device_id, day, name, oid, meaning, raw, value, read_at FROM meter_days "
        "WHERE reported = 0 AND day < ? ORDER BY device_id, day, name", (today,)).fetchall()
    grouped: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for device_id, day, *reading in rows:
        grouped.setdefault((device_id, day), []).append(_reading(tuple(reading)))
    batches = []
    for (device_id, day), readings in grouped.items():
        batch = Batch("meter-report", at)
        device = registry.devices.get(device_id)
        if device is not None:
            batch.outbox("meters", device.serial, messages.meters(device.serial, readings,
                                                                  day=day))
        batch.add("UPDATE meter_days SET reported = 1 WHERE device_id = ? AND day = ?",
                  device_id, day)
        batches.append(batch)
    return batches


def latest_counts(connection: sqlite3.Connection, serial: str,
                  at: float) -> tuple[Batch, list[dict[str, Any]]] | None:
    """The latest good counts of the device with ``serial``, queued for the portal (the
    overview's "Get Latest Counts"); None for an unknown serial."""
    found = connection.execute("SELECT id FROM devices WHERE serial = ? ORDER BY "
                               "status = 'active' DESC, id DESC LIMIT 1", (serial,)).fetchone()
    if found is None:
        return None
    readings = [_reading(tuple(row)) for row in connection.execute(
        "SELECT name, oid, meaning, raw, value, read_at FROM meters WHERE device_id = ? "
        "ORDER BY name", (found[0],))]
    batch = Batch("latest-counts", at)
    batch.outbox("meters", serial, messages.meters(serial, readings, day=None, requested=True))
    return batch, readings
