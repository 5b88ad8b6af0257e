"""Writes of the portal store: messages once, devices, readings, alerts, requests, deliveries."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ekm_proto.page_counts import RollUp
from ekm_proto.portal.store.reads import StoreReads
from ekm_proto.portal.store.schema import SCHEMA_VERSION, TABLES
from ekm_proto.shipping.records import AlertEvent, Asset, Change, MeterReading, SupplyLevels
from protolab.errors import ConfigurationError

#: a level this many points above the last one means a new cartridge was fitted
REFILL_STEP = 10.0


class PortalStore(StoreReads):
    """One SQLite file in WAL mode; ``transaction()`` around each received batch."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(TABLES)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        except sqlite3.Error as exc:
            raise ConfigurationError(f"{self.path}: cannot open the portal database: {exc}",
                                     source=str(self.path)) from None

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- portable statements (the web interface's SQL, ``:name`` parameters) ------------------
    def query(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts; ``sql`` is portable SQL text with ``:name`` parameters."""
        return self._dicts(sql, params)

    def execute(self, sql: str, **params: Any) -> int:
        """Run one statement (autocommit outside ``transaction()``); the rows it changed."""
        return int(self.db.execute(sql, params).rowcount)

    # -- messages and agents ------------------------------------------------------------------
    def remember_message(self, agent: str, message_id: str, kind: str, now: float) -> bool:
        """True the first time this agent's message id is seen (store it), False for a copy."""
        cursor = self.db.execute("INSERT OR IGNORE INTO messages VALUES (?, ?, ?, ?)",
                                 (agent, message_id, kind, now))
        if cursor.rowcount == 0:
            self.db.execute("UPDATE agents SET duplicates = duplicates + 1 WHERE agent = ?",
                            (agent,))
            return False
        return True

    def touch_agent(self, agent: str, name: str, customer: str | None, now: float) -> None:
        self.db.execute(
            "INSERT INTO agents (agent, name, customer, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (agent) DO UPDATE SET name = excluded.name, "
            "customer = excluded.customer, last_seen = excluded.last_seen",
            (agent, name, customer, now))

    def add_rejected(self, agent: str, batch_id: str | None, message_id: str | None,
                     reason: str, payload: str | None, now: float) -> None:
        self.db.execute("INSERT INTO rejected (agent, batch_id, message_id, reason, payload, "
                        "received_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (agent, batch_id, message_id, reason, payload, now))

    # -- devices ------------------------------------------------------------------------------
    def touch_device(self, serial: str, agent: str, agent_name: str, customer: str | None,
                     seen: float) -> None:
        """Make sure the device exists and note when it was last heard of."""
        self.db.execute(
            "INSERT INTO devices (serial, agent, agent_name, customer, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (serial) DO UPDATE SET agent = excluded.agent, "
            "agent_name = excluded.agent_name, customer = excluded.customer, "
            "last_seen = max(devices.last_seen, excluded.last_seen)",
            (serial, agent, agent_name, customer, seen, seen))

    def update_asset(self, asset: Asset) -> None:
        self.db.execute(
            "UPDATE devices SET manufacturer = ?, model = ?, address = ?, mac = ?, "
            "asset_number = ?, location = ?, zone = ?, engine_cycles = coalesce(?, engine_cycles), "
            "discovered_at = coalesce(?, discovered_at) WHERE serial = ?",
            (asset.manufacturer, asset.model, asset.address, asset.mac, asset.asset_number,
             asset.location, asset.zone, asset.engine_cycles, asset.discovered_at, asset.serial))

    def set_available(self, serial: str, available: bool) -> None:
        self.db.execute("UPDATE devices SET available = ? WHERE serial = ?",
                        (int(available), serial))

    # -- readings -----------------------------------------------------------------------------
    def add_meter_reading(self, reading: MeterReading, message_id: str) -> int:
        r = reading.rollup
        cursor = self.db.execute(
            "INSERT INTO meter_readings (serial, read_at, message_id, mono_small, colour_small, "
            "mono_large, colour_large, engine_cycles) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (reading.serial, reading.read_at, message_id, r.mono_small, r.colour_small,
             r.mono_large, r.colour_large, r.engine_cycles))
        reading_id = int(cursor.lastrowid or 0)
        self.db.executemany("INSERT INTO raw_counters VALUES (?, ?, ?, ?)",
                            [(reading_id, c.name, c.value, c.kind) for c in reading.counters])
        if r.engine_cycles is not None:
            self.db.execute("UPDATE devices SET engine_cycles = ? WHERE serial = ?",
                            (r.engine_cycles, reading.serial))
        return reading_id

    def add_supply_levels(self, levels: SupplyLevels, message_id: str) -> list[int]:
        """Store the levels; the cartridge number of each supply (it grows on a refill)."""
        cartridges = []
        for supply in levels.supplies:
            last = self.db.execute(
                "SELECT percent, cartridge FROM supply_levels WHERE serial = ? AND "
                "supply_index = ? AND read_at <= ? ORDER BY read_at DESC, id DESC LIMIT 1",
                (levels.serial, supply.index, levels.read_at)).fetchone()
            percent = supply.percent
            cartridge = 1 if last is None else int(last[1])
            if last is not None and percent is not None and last[0] is not None \
                    and percent > float(last[0]) + REFILL_STEP:
                cartridge += 1
            self.db.execute(
                "INSERT INTO supply_levels (serial, supply_index, read_at, message_id, "
                "description, type, colour, sku, level, max_capacity, percent, cartridge) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (levels.serial, supply.index, levels.read_at, message_id, supply.description,
                 supply.type, supply.colour, supply.sku, supply.level, supply.max_capacity,
                 percent, cartridge))
            cartridges.append(cartridge)
        return cartridges

    # -- alerts and changes ---------------------------------------------------------------------
    def record_alert(self, alert: AlertEvent, message_id: str, triage: tuple[str, str, str]
                     ) -> tuple[int, bool]:
        """Open or clear an alert; (alert id, whether this changed anything)."""
        standard, category, step = triage
        existing = self.db.execute(
            "SELECT id, cleared_at FROM alerts WHERE serial = ? AND alert_key = ? AND "
            "opened_at = ?", (alert.serial, alert.key, alert.opened_at)).fetchone()
        cleared = alert.cleared_at if alert.event == "cleared" else None
        if existing is None:
            cursor = self.db.execute(
                "INSERT INTO alerts (serial, alert_key, opened_at, cleared_at, code, alert_group, "
                "severity, training, location, vendor_code, description, engine_cycles, "
                "standard_code, category, triage_step, message_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (alert.serial, alert.key, alert.opened_at, cleared, alert.code, alert.group,
                 alert.severity, alert.training, alert.location, alert.vendor_code,
                 alert.description, alert.engine_cycles, standard, category, step, message_id))
            return int(cursor.lastrowid or 0), True
        if cleared is not None and existing[1] is None:
            self.db.execute("UPDATE alerts SET cleared_at = ? WHERE id = ?", (cleared, existing[0]))
            return int(existing[0]), True
        return int(existing[0]), False

    def open_availability_alert(self, serial: str, since: float, reason: str, message_id: str
                                ) -> tuple[int, bool]:
        """The device went away: one open availability alert at a time."""
        row = self.db.execute("SELECT id FROM alerts WHERE serial = ? AND category = "
                              "'availability' AND cleared_at IS NULL", (serial,)).fetchone()
        if row is not None:
            return int(row[0]), False
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO alerts (serial, alert_key, opened_at, description, "
            "standard_code, category, triage_step, message_id) "
            "VALUES (?, 'availability', ?, ?, 'UNAVAILABLE', 'availability', 'availability', ?)",
            (serial, since, reason, message_id))
        return int(cursor.lastrowid or 0), cursor.rowcount > 0

    def clear_availability_alert(self, serial: str, at: float) -> tuple[int, float] | None:
        """Close the open availability alert: (its id, when it opened), or None if none."""
        row = self.db.execute("SELECT id, opened_at FROM alerts WHERE serial = ? AND category = "
                              "'availability' AND cleared_at IS NULL", (serial,)).fetchone()
        if row is None:
            return None
        self.db.execute("UPDATE alerts SET cleared_at = ? WHERE id = ?", (at, row[0]))
        return int(row[0]), float(row[1])

    def add_change(self, change: Change, message_id: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO changes (serial, kind, old, new, at, message_id) VALUES (?, ?, ?, ?, ?, ?)",
            (change.serial, change.kind, change.old, change.new, change.at, message_id))
        return int(cursor.lastrowid or 0)

    # -- consumable requests and deliveries -------------------------------------------------------
    def add_request(self, *, customer: str, site: str, serial: str, supply_index: int,
                    cartridge: int, description: str, sku: str | None, reason: str,
                    percent: float | None, days_left: float | None, pages_left: int | None,
                    now: float) -> int | None:
        """A consumable request, unless this cartridge already has one (then None)."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO consumable_requests (customer, site, serial, supply_index, "
            "cartridge, description, sku, reason, percent, days_left, pages_left, raised_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (customer, site, serial, supply_index, cartridge, description, sku, reason, percent,
             days_left, pages_left, now))
        return int(cursor.lastrowid or 0) if cursor.rowcount else None

    def add_delivery(self, destination: str, subject: str, notice: dict[str, Any], now: float
                     ) -> None:
        self.db.execute("INSERT INTO deliveries (destination, subject, notice, status, next_at, "
                        "created_at) VALUES (?, ?, ?, 'pending', ?, ?)",
                        (destination, subject, json.dumps(notice, sort_keys=True), now, now))

    def due_deliveries(self, now: float, limit: int = 50) -> list[tuple[int, str, str, dict[str, Any], int]]:
        rows = self.db.execute(
            "SELECT id, destination, subject, notice, attempts FROM deliveries WHERE "
            "status = 'pending' AND next_at <= ? ORDER BY id LIMIT ?", (now, limit)).fetchall()
        return [(int(i), d, s, json.loads(n), int(a)) for i, d, s, n, a in rows]

    def delivery_done(self, delivery_id: int, detail: str, now: float) -> None:
        self.db.execute("UPDATE deliveries SET status = 'done', attempts = attempts + 1, "
                        "detail = ?, done_at = ? WHERE id = ?", (detail, now, delivery_id))

    def delivery_failed(self, delivery_id: int, detail: str, retry_at: float | None) -> None:
        self.db.execute(
            "UPDATE deliveries SET status = ?, attempts = attempts + 1, detail = ?, "
            "next_at = coalesce(?, next_at) WHERE id = ?",
            ("pending" if retry_at is not None else "failed", detail, retry_at, delivery_id))

    # -- what consumables prediction reads --------------------------------------------------------
    def supply_history(self, serial: str, supply_index: int, cartridge: int
                       ) -> list[tuple[float, float]]:
        """(read_at, percent) of one cartridge, oldest first."""
        return [(float(a), float(p)) for a, p in self.db.execute(
            "SELECT read_at, percent FROM supply_levels WHERE serial = ? AND supply_index = ? "
            "AND cartridge = ? AND percent IS NOT NULL ORDER BY read_at",
            (serial, supply_index, cartridge))]

    def rollup_at(self, serial: str, at: float) -> RollUp | None:
        """The latest roll-up read at or before ``at`` (the earliest one if none is)."""
        query = ("SELECT mono_small, colour_small, mono_large, colour_large, engine_cycles "
                 "FROM meter_readings WHERE serial = ? AND read_at {} ? ORDER BY read_at {} LIMIT 1")
        row = (self.db.execute(query.format("<=", "DESC"), (serial, at)).fetchone()
               or self.db.execute(query.format(">", "ASC"), (serial, at)).fetchone())
        return None if row is None else RollUp(*row)
