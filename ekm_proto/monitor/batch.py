"""A batch: everything one read of one device (or one discovery, one daily report) changes in
the database, committed as a whole or not at all, with the outbox messages it produces.

Batches are built while the device is read (plain SQL statements and their values, in order) and
committed by the store, several to a transaction; a process killed before the commit loses whole
batches, never half of one, and the loops read those devices again after a restart.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from ekm_proto.monitor.alerts import Condition
from ekm_proto.monitor.device import Device, LoopState
from ekm_proto.snmp.types import format_oid

Statement = tuple[str, tuple[Any, ...]]
_DEVICE_COLUMNS = (
    "address", "port", "credential", "serial", "mac", "manufacturer", "model", "name",
    "location", "asset_number", "zone", "engine_cycles", "discovered_at", "enterprise",
    "device_index", "marker_index", "if_index", "max_speed", "status")
_UPDATABLE = frozenset((*_DEVICE_COLUMNS, "counters", "available", "last_answer", "silent_since",
                        "uptime_ticks", "uptime_at", "rebooted_at", "alert_events", "alert_rows"))


def counters_json(device: Device) -> str:
    """The vendor counters a device answers, as the database keeps them."""
    return json.dumps([format_oid(c.oid) for c in device.counters])


class Batch:
    """Statements in order; ``outbox`` messages go in the same transaction as the data."""

    __slots__ = ("at", "loop", "messages", "statements")

    def __init__(self, loop: str, at: float) -> None:
        self.loop = loop
        self.at = at
        self.statements: list[Statement] = []
        self.messages = 0

    def __len__(self) -> int:
        return len(self.statements)

    def add(self, sql: str, *values: Any) -> None:
        self.statements.append((sql, values))

    def outbox(self, kind: str, serial: str | None, payload: dict[str, Any]) -> str:
        """Queue a message for the portal; returns its unique message id."""
        message_id = uuid.uuid4().hex
        self.add("INSERT INTO outbox (message_id, kind, serial, payload, created_at) "
                 "VALUES (?, ?, ?, ?, ?)", message_id, kind, serial,
                 json.dumps(payload, separators=(",", ":"), sort_keys=True), self.at)
        self.messages += 1
        return message_id

    # ---- devices ------------------------------------------------------------------------------

    def insert_device(self, device: Device) -> None:
        columns = (*_DEVICE_COLUMNS, "counters", "updated_at")
        values = [getattr(device, c) for c in _DEVICE_COLUMNS]
        values.append(counters_json(device))
        values.append(self.at)
        self.add(f"INSERT INTO devices (id, {', '.join(columns)}) VALUES "
                 f"(?, {', '.join('?' for _ in columns)})", device.id, *values)

    def update_device(self, device_id: int, **fields: Any) -> None:
        unknown = set(fields) - _UPDATABLE
        assert not unknown, unknown
        names = sorted(fields)
        self.add(f"UPDATE devices SET {', '.join(f'{n} = ?' for n in names)}, updated_at = ? "
                 "WHERE id = ?", *(fields[n] for n in names), self.at, device_id)

    def loop_state(self, device_id: int, loop: str, state: LoopState) -> None:
        self.add("INSERT OR REPLACE INTO device_loops (device_id, loop, last_attempt, last_ok, "
                 "failures, skip_until, retry_at) VALUES (?, ?, ?, ?, ?, ?, ?)", device_id, loop,
                 state.last_attempt, state.last_ok, state.failures, state.skip_until,
                 state.retry_at)

    # ---- readings -----------------------------------------------------------------------------

    def meter(self, device_id: int, day: str, name: str, oid: str, meaning: str, raw: int,
              value: int) -> None:
        for table, extra in (("meters", ()), ("meter_days", (day,))):
            key = "device_id, day, name" if extra else "device_id, name"
            self.add(f"INSERT INTO {table} ({key}, oid, meaning, raw, value, read_at) VALUES "
                     f"(?, {'?, ' if extra else ''}?, ?, ?, ?, ?, ?) ON CONFLICT ({key}) DO "
                     "UPDATE SET oid = excluded.oid, meaning = excluded.meaning, raw = "
                     "excluded.raw, value = excluded.value, read_at = excluded.read_at",
                     device_id, *extra, name, oid, meaning, raw, value, self.at)

    def rejection(self, device: Device, name: str, value: str, reason: str) -> None:
        self.add("INSERT INTO rejections (device_id, serial, loop, name, value, reason, at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", device.id, device.serial, self.loop, name,
                 value, reason, self.at)

    def supply(self, device_id: int, row: dict[str, Any]) -> None:
        self.add("INSERT OR REPLACE INTO supplies (device_id, idx, description, type, colour, "
                 "unit, class, level, max_capacity, percent, read_at) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", device_id, row["index"],
                 row["description"], row["type"], row["colour"], row["unit"], row["class"],
                 row["level"], row["max_capacity"], row["percent"], self.at)

    def tray(self, device_id: int, row: dict[str, Any]) -> None:
        self.add("INSERT OR REPLACE INTO trays (device_id, idx, name, media, level, max_capacity,"
                 " status, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", device_id, row["index"],
                 row["name"], row["media"], row["level"], row["max_capacity"], row["status"],
                 self.at)

    # ---- records ------------------------------------------------------------------------------

    def open_alert(self, alert_id: int, device: Device, condition: Condition) -> None:
        self.add("INSERT INTO alerts (id, device_id, key, source, code, code_name, grp, "
                 "group_index, location, severity, training, description, engine_cycles, "
                 "opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", alert_id,
                 device.id, condition.key, condition.source, condition.code, condition.code_name,
                 condition.group, condition.group_index, condition.location, condition.severity,
                 condition.training, condition.description, device.engine_cycles, self.at)

    def clear_alert(self, alert_id: int) -> None:
        self.add("UPDATE alerts SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL",
                 self.at, alert_id)

    def change(self, device: Device, kind: str, old: str, new: str) -> None:
        self.add("INSERT INTO changes (device_id, serial, kind, old, new, at) VALUES "
                 "(?, ?, ?, ?, ?, ?)", device.id, device.serial, kind, old, new, self.at)

    def meta(self, key: str, value: str) -> None:
        self.add("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value)
