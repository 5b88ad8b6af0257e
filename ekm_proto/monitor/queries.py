"""What ``protolab monitor devices|alerts|meters|supplies|trays|changes|rejections`` show: the
database as lists of plain objects (JSON for programs, tables for people). Read-only; safe while
the agent writes (WAL)."""

from __future__ import annotations

import sqlite3
from typing import Any

from ekm_proto.durations import format_duration, iso

KINDS = ("devices", "alerts", "meters", "supplies", "trays", "changes", "rejections")


def _rows(connection: sqlite3.Connection, sql: str, *times: str) -> list[dict[str, Any]]:
    """The query's rows as objects, the ``times`` columns as ISO 8601 UTC."""
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        for name in times:
            row[name] = iso(row[name])
    return rows


def devices(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = _rows(connection, "SELECT address, port, serial, manufacturer, model, mac, name, "
                 "location, asset_number, zone, engine_cycles, available, status, credential, "
                 "discovered_at, last_answer FROM devices ORDER BY id", "discovered_at",
                 "last_answer")
    for row in rows:
        row["available"] = bool(row["available"]) and row["status"] == "active"
    return rows


def meters(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(connection, "SELECT d.serial, m.name, m.value, m.raw, m.meaning, m.oid, "
                 "m.read_at FROM meters m JOIN devices d ON d.id = m.device_id "
                 "ORDER BY d.id, m.name", "read_at")


def supplies(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(connection, "SELECT d.serial, s.idx AS \"index\", s.description, s.type, "
                 "s.colour, s.level, s.max_capacity, s.percent, s.unit, s.class, s.read_at "
                 "FROM supplies s JOIN devices d ON d.id = s.device_id ORDER BY d.id, s.idx",
                 "read_at")


def trays(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(connection, "SELECT d.serial, t.idx AS \"index\", t.name, t.media, t.level, "
                 "t.max_capacity, t.status, t.read_at FROM trays t JOIN devices d ON "
                 "d.id = t.device_id ORDER BY d.id, t.idx", "read_at")


def alerts(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = _rows(connection, "SELECT a.id, d.serial, d.address, a.code, a.code_name, "
                 "a.grp AS \"group\", a.group_index, a.severity, a.training, a.description, "
                 "a.source, a.engine_cycles, a.opened_at, a.cleared_at FROM alerts a JOIN "
                 "devices d ON d.id = a.device_id ORDER BY a.opened_at DESC, a.id DESC")
    for row in rows:
        cleared = row["cleared_at"]
        row["duration"] = None if cleared is None else format_duration(cleared - row["opened_at"])
        row["opened_at"], row["cleared_at"] = iso(row["opened_at"]), iso(cleared)
    return rows


def changes(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(connection, "SELECT serial, kind, old, new, at FROM changes ORDER BY id", "at")


def rejections(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(connection, "SELECT serial, loop, name, value, reason, at FROM rejections "
                 "ORDER BY id", "at")


def query(connection: sqlite3.Connection, kind: str) -> list[dict[str, Any]]:
    return {"devices": devices, "alerts": alerts, "meters": meters, "supplies": supplies,
            "trays": trays, "changes": changes, "rejections": rejections}[kind](connection)
