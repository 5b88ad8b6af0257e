"""The agent's SQLite database: opened in WAL mode and migrated, loaded into devices at start,
written one transaction per group of batches, and read by the outbox shipper.

``synchronous = NORMAL`` in WAL mode keeps every committed transaction across a killed process
(only a power cut can lose the last ones); a batch is never half written (batch.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ekm_proto.monitor import schema
from ekm_proto.monitor.availability import RESUMED, UNAVAILABLE, Availability
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.counter_catalog import KnownCounter, known
from ekm_proto.monitor.device import Device, LoopState
from ekm_proto.monitor.shipping_payloads import ShippingPayloads
from ekm_proto.monitor.validation import Previous
from ekm_proto.shipping.outbox import SqliteOutbox
from ekm_proto.snmp.types import parse_oid
from protolab.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    message_id: str
    kind: str
    serial: str | None
    payload: dict[str, Any]
    created_at: float


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit); read-only connections are
    what ``protolab monitor devices`` and friends use while the agent writes."""
    if read_only and not path.exists():
        raise ConfigurationError(f"{path}: no such database; expected the --db file of a "
                                 "`protolab monitor run`", source=str(path))
    uri = f"file:{path}?mode=ro" if read_only else str(path)
    try:
        connection = sqlite3.connect(uri, uri=read_only, isolation_level=None,
                                     check_same_thread=False, timeout=30.0)
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(f"{path}: not a usable SQLite database: {exc}",
                                 source=str(path)) from None
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        if read_only:
            _check_readable(connection, path)
        else:
            schema.refuse_foreign(connection, str(path))
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise ConfigurationError(f"{path}: SQLite refused WAL mode ({mode}); expected a "
                                         "file on a local disk", source=str(path))
            connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise ConfigurationError(f"{path}: not a usable SQLite database: {exc}",
                                 source=str(path)) from None
    except ConfigurationError:
        connection.close()
        raise
    return connection


def _check_readable(connection: sqlite3.Connection, path: Path) -> None:
    """A file to read must be a monitor's database of this schema: a read-only connection can
    migrate nothing, and a query on anything else would fail with SQLite's words."""
    found = schema.version(connection)  # reads the header: DatabaseError for a file of another kind
    if found == schema.SCHEMA_VERSION:
        return
    if found == 0:
        raise ConfigurationError(f"{path}: an SQLite database without the monitor's tables; "
                                 "expected the --db file of a `protolab monitor run`",
                                 source=str(path))
    raise ConfigurationError(f"{path}: monitor database schema {found}, this protolab reads "
                             f"{schema.SCHEMA_VERSION}; expected a database `protolab monitor "
                             "run` of this version has opened (it migrates older ones)",
                             source=str(path))


class MonitorStore:
    """See the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = connect(path)
        try:
            self.migrated_from = schema.migrate(self.connection, str(path))
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(f"{path}: not a usable SQLite database: {exc}",
                                     source=str(path)) from None
        self.commits = 0
        #: what the shipper reads: this database's outbox, payloads in the shipping format
        self.outbox = SqliteOutbox(connection=self.connection,
                                   translate=ShippingPayloads(self.connection))

    def close(self) -> None:
        self.connection.close()

    # ---- writing ------------------------------------------------------------------------------

    def commit(self, batches: Iterable[Batch]) -> int:
        """Write ``batches`` in one transaction; returns the statements executed."""
        connection = self.connection
        executed = 0
        connection.execute("BEGIN IMMEDIATE")
        try:
            for batch in batches:
                for sql, values in batch.statements:
                    connection.execute(sql, values)
                executed += len(batch.statements)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        self.commits += 1
        return executed

    # ---- loading ------------------------------------------------------------------------------

    def load_devices(self) -> list[Device]:
        """Every device with what the loops need to carry on: previous counters, open records,
        availability and per-loop state."""
        c = self.connection
        c.row_factory = sqlite3.Row
        try:
            devices = {row["id"]: _device(row) for row in c.execute("SELECT * FROM devices")}
            for row in c.execute("SELECT device_id, name, raw, value, read_at FROM meters"):
                device = devices.get(row["device_id"])
                if device is not None:
                    device.meters[row["name"]] = Previous(row["raw"], row["value"],
                                                          row["read_at"])
            for row in c.execute("SELECT id, device_id, key, opened_at FROM alerts WHERE "
                                 "cleared_at IS NULL"):
                device = devices.get(row["device_id"])
                if device is not None:
                    device.open_alerts[row["key"]] = (row["id"], row["opened_at"])
                    device.availability.unavailable_open |= row["key"] == UNAVAILABLE
                    device.availability.resumed_open |= row["key"] == RESUMED
            for row in c.execute("SELECT * FROM device_loops"):
                device = devices.get(row["device_id"])
                if device is not None:
                    device.loops[row["loop"]] = LoopState(row["last_attempt"], row["last_ok"],
                                                          row["failures"], row["skip_until"],
                                                          row["retry_at"])
        finally:
            c.row_factory = None
        for device in devices.values():  # answers are kept per loop, not on the device row
            answers = [s.last_ok for s in device.loops.values() if s.last_ok is not None]
            if device.availability.last_answer is not None:
                answers.append(device.availability.last_answer)
            device.availability.last_answer = max(answers, default=None)
        return list(devices.values())

    def next_id(self, table: str) -> int:
        assert table in ("devices", "alerts")
        return int(self.connection.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
                   .fetchone()[0])

    def meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def last_pass(self, loop: str) -> tuple[int, float, float | None] | None:
        """(id, started_at, finished_at) of the loop's latest pass."""
        row = self.connection.execute("SELECT id, started_at, finished_at FROM passes WHERE "
                                      "loop = ? ORDER BY id DESC LIMIT 1", (loop,)).fetchone()
        return None if row is None else (int(row[0]), float(row[1]), row[2])

    def next_pass_id(self) -> int:
        return int(self.connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM passes")
                   .fetchone()[0])

    # ---- the outbox (read by the shipper of issue 11) -------------------------------------------

    def outbox_pending(self, limit: int = 100) -> list[OutboxMessage]:
        """The oldest messages not yet settled (acknowledged or refused), in the order written,
        as the monitor wrote them."""
        rows = self.connection.execute(
            "SELECT seq, message_id, kind, serial, payload, created_at FROM outbox WHERE "
            "acked_at IS NULL AND rejected_at IS NULL ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [OutboxMessage(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    def outbox_done(self, message_ids: Iterable[str], at: float = 0.0) -> int:
        """Mark messages the portal acknowledged (at ``at``); returns how many were waiting."""
        ids = list(message_ids)
        before = self.outbox.pending_count()
        self.outbox.mark_acked(ids, at)
        return before - self.outbox.pending_count()

    def outbox_count(self) -> int:
        return self.outbox.pending_count()


def _device(row: sqlite3.Row) -> Device:
    counters = []
    for text in json.loads(row["counters"]):
        oid = parse_oid(text)
        counters.append(known(oid) or KnownCounter(oid, text, "total"))
    device = Device(
        id=row["id"], address=row["address"], port=row["port"], credential=row["credential"],
        serial=row["serial"], mac=row["mac"], manufacturer=row["manufacturer"],
        model=row["model"], name=row["name"], location=row["location"],
        discovered_at=row["discovered_at"], asset_number=row["asset_number"], zone=row["zone"],
        engine_cycles=row["engine_cycles"], enterprise=row["enterprise"],
        device_index=row["device_index"], marker_index=row["marker_index"],
        if_index=row["if_index"], max_speed=row["max_speed"], counters=tuple(counters),
        status=row["status"], uptime_ticks=row["uptime_ticks"], uptime_at=row["uptime_at"],
        rebooted_at=row["rebooted_at"],
        alert_events=row["alert_events"], alert_rows=bool(row["alert_rows"]))
    device.availability = Availability(row["last_answer"], row["silent_since"])
    return device
