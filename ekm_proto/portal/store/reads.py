"""Reads of the portal store, for reports, the chart and consumables prediction."""

from __future__ import annotations

import sqlite3
from typing import Any

from ekm_proto.page_counts import RollUp

_DEVICE_COLUMNS = ("serial", "manufacturer", "model", "address", "mac", "asset_number",
                   "location", "zone", "engine_cycles", "discovered_at", "agent", "agent_name",
                   "customer", "first_seen", "last_seen", "available")


class StoreReads:
    db: sqlite3.Connection

    def _dicts(self, query: str, parameters: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(query, parameters)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def devices(self) -> list[dict[str, Any]]:
        return self._dicts(f"SELECT {', '.join(_DEVICE_COLUMNS)} FROM devices ORDER BY serial")

    def device(self, serial: str) -> dict[str, Any] | None:
        found = self._dicts(f"SELECT {', '.join(_DEVICE_COLUMNS)} FROM devices WHERE serial = ?",
                            (serial,))
        return found[0] if found else None

    def readings(self, serial: str | None = None) -> list[tuple[str, float, RollUp]]:
        """Every meter reading as (serial, read_at, roll-up), by device then time."""
        where, parameters = ("WHERE serial = ?", (serial,)) if serial else ("", ())
        rows = self.db.execute(
            "SELECT serial, read_at, mono_small, colour_small, mono_large, colour_large, "
            f"engine_cycles FROM meter_readings {where} ORDER BY serial, read_at, id", parameters)
        return [(s, float(t), RollUp(a, b, c, d, e)) for s, t, a, b, c, d, e in rows]

    def raw_counters(self, serial: str) -> list[dict[str, Any]]:
        """The latest reading's raw counters (the overview's "Latest Raw Page Counts")."""
        return self._dicts(
            "SELECT c.name, c.value, c.class, r.read_at FROM raw_counters c JOIN meter_readings r "
            "ON r.id = c.reading_id WHERE r.id = (SELECT id FROM meter_readings WHERE serial = ? "
            "ORDER BY read_at DESC, id DESC LIMIT 1)", (serial,))

    def alerts(self) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT a.id, a.serial, d.customer, a.opened_at, a.cleared_at, a.code, "
            "a.alert_group, a.severity, a.training, a.vendor_code, a.description, "
            "a.engine_cycles, a.standard_code, a.category, a.triage_step, a.alert_key "
            "FROM alerts a LEFT JOIN devices d ON d.serial = a.serial "
            "ORDER BY a.opened_at DESC, a.id DESC")

    def alert_destinations(self) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for subject, destination in self.db.execute(
                "SELECT subject, destination FROM deliveries WHERE subject LIKE 'alert:%' "
                "ORDER BY id"):
            alert_id = int(str(subject).split(":")[1])
            found.setdefault(alert_id, []).append(destination)
        return found

    def latest_supplies(self) -> list[dict[str, Any]]:
        """Each supply's latest level (with its cartridge number)."""
        return self._dicts(
            "SELECT s.serial, s.supply_index, s.description, s.type, s.colour, s.sku, s.level, "
            "s.max_capacity, s.percent, s.read_at, s.cartridge, d.customer, d.zone, d.location, "
            "d.engine_cycles FROM supply_levels s JOIN (SELECT serial, supply_index, "
            "max(read_at) AS latest FROM supply_levels GROUP BY serial, supply_index) m "
            "ON m.serial = s.serial AND m.supply_index = s.supply_index AND m.latest = s.read_at "
            "LEFT JOIN devices d ON d.serial = s.serial ORDER BY s.serial, s.supply_index")

    def requests(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT id, customer, site, serial, supply_index, cartridge, "
                           "description, sku, reason, percent, days_left, pages_left, raised_at "
                           "FROM consumable_requests ORDER BY id")

    def requested(self) -> set[tuple[str, int, int]]:
        return {(s, int(i), int(c)) for s, i, c in self.db.execute(
            "SELECT serial, supply_index, cartridge FROM consumable_requests")}

    def rejected_messages(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT agent, batch_id, message_id, reason, received_at FROM rejected "
                           "ORDER BY id")

    def deliveries(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT id, destination, subject, status, attempts, detail, "
                           "created_at, done_at FROM deliveries ORDER BY id")

    def changes(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT serial, kind, old, new, at FROM changes ORDER BY at, id")

    def message_ids(self) -> set[str]:
        return {str(m) for (m,) in self.db.execute("SELECT message_id FROM messages")}

    def counts(self) -> dict[str, int]:
        """Rows per table, and copies received and dropped (the de-duplication at work)."""
        tables = ("messages", "devices", "meter_readings", "supply_levels", "alerts", "changes",
                  "rejected", "consumable_requests", "deliveries")
        counts = {t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                  for t in tables}
        counts["duplicates"] = int(self.db.execute(
            "SELECT coalesce(sum(duplicates), 0) FROM agents").fetchone()[0])
        return counts
