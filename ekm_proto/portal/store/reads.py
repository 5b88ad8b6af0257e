"""Reads of the portal store, for reports, the chart, consumables prediction and the agents list.

A device is an agent's serial: two agents may report the same serial (two customers' printers of
one model line), so reads that take a serial also take the agent, or pick every agent's device.
"""

from __future__ import annotations

from typing import Any

from ekm_proto.page_counts import RollUp
from ekm_proto.portal.store.connection import StoreConnection

_DEVICE_COLUMNS = ("serial", "manufacturer", "model", "address", "mac", "asset_number",
                   "location", "zone", "engine_cycles", "discovered_at", "agent", "agent_name",
                   "customer", "first_seen", "last_seen", "available")


def _of(value: str | None, column: str = "agent") -> str:
    """The condition that picks the rows of one agent (serial), or every one's."""
    return "1 = 1" if value is None else f"{column} = :{column}"


class StoreReads(StoreConnection):
    def devices(self) -> list[dict[str, Any]]:
        return self.query(f"SELECT {', '.join(_DEVICE_COLUMNS)} FROM devices "
                          "ORDER BY serial, agent")

    def device(self, serial: str, agent: str | None = None) -> dict[str, Any] | None:
        """The device with this serial (of this agent; the first agent's if none is given)."""
        found = self.query(f"SELECT {', '.join(_DEVICE_COLUMNS)} FROM devices WHERE serial = "
                           f":serial AND {_of(agent)} ORDER BY agent LIMIT 1",
                           serial=serial, agent=agent)
        return found[0] if found else None

    def agents(self) -> list[dict[str, Any]]:
        """Each agent (its JID), the customer and site it reports, its last contact and devices."""
        return self.query(
            "SELECT a.agent AS jid, a.customer, a.name AS site, a.first_seen, "
            "a.last_seen AS last_contact, a.duplicates, "
            "(SELECT count(*) FROM devices d WHERE d.agent = a.agent) AS devices, "
            "(SELECT count(*) FROM messages m WHERE m.agent = a.agent) AS messages "
            "FROM agents a ORDER BY a.agent")

    def readings(self, serial: str | None = None, agent: str | None = None
                 ) -> list[tuple[str, float, RollUp]]:
        """Every meter reading as (serial, read_at, roll-up), by device then time."""
        rows = self._rows(
            "SELECT serial, read_at, mono_small, colour_small, mono_large, colour_large, "
            f"engine_cycles FROM meter_readings WHERE {_of(serial, 'serial')} AND {_of(agent)} "
            "ORDER BY serial, agent, read_at, id", serial=serial, agent=agent)
        return [(s, float(t), RollUp(a, b, c, d, e)) for s, t, a, b, c, d, e in rows]

    def raw_counters(self, serial: str, agent: str | None = None) -> list[dict[str, Any]]:
        """The latest reading's raw counters (the overview's "Latest Raw Page Counts")."""
        return self.query(
            "SELECT c.name, c.value, c.class, r.read_at FROM raw_counters c JOIN meter_readings r "
            "ON r.id = c.reading_id WHERE r.id = (SELECT id FROM meter_readings WHERE serial = "
            f":serial AND {_of(agent)} ORDER BY read_at DESC, id DESC LIMIT 1) ORDER BY c.name",
            serial=serial, agent=agent)

    def alerts(self) -> list[dict[str, Any]]:
        return self.query(
            "SELECT a.id, a.serial, a.agent, d.customer, a.opened_at, a.cleared_at, a.code, "
            "a.alert_group, a.severity, a.training, a.vendor_code, a.description, "
            "a.engine_cycles, a.standard_code, a.category, a.triage_step, a.alert_key "
            "FROM alerts a LEFT JOIN devices d ON d.agent = a.agent AND d.serial = a.serial "
            "ORDER BY a.opened_at DESC, a.id DESC")

    def alert_destinations(self) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for subject, destination in self._rows(
                "SELECT subject, destination FROM deliveries WHERE subject LIKE 'alert:%' "
                "ORDER BY id"):
            alert_id = int(str(subject).split(":")[1])
            found.setdefault(alert_id, []).append(destination)
        return found

    def latest_supplies(self) -> list[dict[str, Any]]:
        """Each supply's latest level (with its cartridge number)."""
        return self.query(
            "SELECT s.serial, s.agent, s.supply_index, s.description, s.type, s.colour, s.sku, "
            "s.level, s.max_capacity, s.percent, s.read_at, s.cartridge, d.customer, d.zone, "
            "d.location, d.engine_cycles FROM supply_levels s JOIN (SELECT agent, serial, "
            "supply_index, max(read_at) AS latest FROM supply_levels "
            "GROUP BY agent, serial, supply_index) m ON m.agent = s.agent AND m.serial = s.serial "
            "AND m.supply_index = s.supply_index AND m.latest = s.read_at "
            "LEFT JOIN devices d ON d.agent = s.agent AND d.serial = s.serial "
            "ORDER BY s.serial, s.agent, s.supply_index")

    def requests(self) -> list[dict[str, Any]]:
        return self.query("SELECT id, customer, site, serial, agent, supply_index, cartridge, "
                          "description, sku, reason, percent, days_left, pages_left, raised_at "
                          "FROM consumable_requests ORDER BY id")

    def requested(self) -> set[tuple[str, int, int]]:
        return {(s, int(i), int(c)) for s, i, c in self._rows(
            "SELECT serial, supply_index, cartridge FROM consumable_requests")}

    def rejected_messages(self) -> list[dict[str, Any]]:
        return self.query("SELECT agent, batch_id, message_id, reason, received_at FROM rejected "
                          "ORDER BY id")

    def deliveries(self) -> list[dict[str, Any]]:
        return self.query("SELECT id, destination, subject, status, attempts, detail, "
                          "created_at, done_at FROM deliveries ORDER BY id")

    def changes(self) -> list[dict[str, Any]]:
        return self.query("SELECT serial, kind, old, new, at FROM changes ORDER BY at, id")

    def message_ids(self) -> set[str]:
        return {str(m) for (m,) in self._rows("SELECT message_id FROM messages")}

    def counts(self) -> dict[str, int]:
        """Rows per table, and copies received and dropped (the de-duplication at work)."""
        tables = ("messages", "devices", "meter_readings", "supply_levels", "alerts", "changes",
                  "rejected", "consumable_requests", "deliveries")
        counts = {t: int(self._scalar(f"SELECT count(*) FROM {t}")) for t in tables}
        counts["duplicates"] = int(self._scalar(
            "SELECT coalesce(sum(duplicates), 0) FROM agents"))
        return counts
