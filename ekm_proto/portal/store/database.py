"""Writes of the portal store: messages once, agents, devices, readings, alerts, requests,
deliveries. Portable SQL (SQLite and PostgreSQL): upserts with ``ON CONFLICT``, new ids with
``RETURNING``.

Exactly once across portal processes: a message is stored by whichever transaction inserts its
(agent, message id) row first; another process holding a copy waits on that row, then finds it
there and skips the message, so only the winner applies and routes it. Deliveries are claimed
by a conditional update before they are sent, so two dispatchers never send the same one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ekm_proto.page_counts import RollUp
from ekm_proto.portal.store.address_order import address_sort_key
from ekm_proto.portal.store.reads import StoreReads
from ekm_proto.shipping.records import AlertEvent, Asset, Change, MeterReading, SupplyLevels

#: a level this many points above the last one means a new cartridge was fitted
REFILL_STEP = 10.0
#: seconds a dispatcher holds a delivery it is sending before another may try it
CLAIM_SECONDS = 300.0
#: rows of one multi-row INSERT (a portal batch is 100 messages): far below SQLite's limit of
#: 32,766 parameters and PostgreSQL's 65,535
_ROWS = 500
_LATER = "CASE WHEN excluded.{0} > devices.{0} THEN excluded.{0} ELSE devices.{0} END"


class PortalStore(StoreReads):
    """The portal database (a file path, ``sqlite:///...`` or ``postgresql://...``), at the
    newest schema; ``transaction()`` around each received batch."""

    # -- messages and agents ------------------------------------------------------------------
    def remember_messages(self, agent: str, messages: Sequence[tuple[str, str]], now: float
                          ) -> set[str]:
        """The ids of ``messages`` ((message id, kind)) this agent had not sent before, now
        stored; every other one (sent before, or twice in this batch) counts as the agent's
        duplicate. One statement per ``_ROWS`` messages: on PostgreSQL each is a round trip."""
        new: set[str] = set()
        for start in range(0, len(messages), _ROWS):
            chunk = messages[start:start + _ROWS]
            params: dict[str, Any] = {"agent": agent, "now": now}
            for i, (message_id, kind) in enumerate(chunk):
                params[f"id{i}"], params[f"kind{i}"] = message_id, kind
            values = ", ".join(f"(:agent, :id{i}, :kind{i}, :now)" for i in range(len(chunk)))
            _, rows = self._run(
                f"INSERT INTO messages (agent, message_id, kind, received_at) VALUES {values} "
                "ON CONFLICT (agent, message_id) DO NOTHING RETURNING message_id", params)
            new.update(row[0] for row in rows)
        if len(messages) > len(new):
            self.execute("UPDATE agents SET duplicates = duplicates + :copies WHERE agent = :agent",
                         copies=len(messages) - len(new), agent=agent)
        return new

    def touch_agent(self, agent: str, name: str, customer: str | None, now: float) -> None:
        """The agent (its JID) was in contact now, calling itself ``name`` (its site)."""
        self.execute(
            "INSERT INTO agents (agent, name, customer, first_seen, last_seen) "
            "VALUES (:agent, :name, :customer, :now, :now) "
            "ON CONFLICT (agent) DO UPDATE SET name = excluded.name, "
            "customer = excluded.customer, last_seen = excluded.last_seen",
            agent=agent, name=name, customer=customer, now=now)

    def add_rejected(self, agent: str, batch_id: str | None, message_id: str | None,
                     reason: str, payload: str | None, now: float) -> None:
        self.execute("INSERT INTO rejected (agent, batch_id, message_id, reason, payload, "
                     "received_at) VALUES (:agent, :batch_id, :message_id, :reason, :payload, "
                     ":now)", agent=agent, batch_id=batch_id, message_id=message_id,
                     reason=reason, payload=payload, now=now)

    # -- devices ------------------------------------------------------------------------------
    def touch_devices(self, agent: str, agent_name: str, customer: str | None,
                      seen: Mapping[str, float]) -> None:
        """Make sure each of the agent's devices (serial -> when last heard of) exists and note
        when it was last heard of; one statement per ``_ROWS`` devices."""
        devices = list(seen.items())
        for start in range(0, len(devices), _ROWS):
            chunk = devices[start:start + _ROWS]
            params: dict[str, Any] = {"agent": agent, "name": agent_name, "customer": customer}
            for i, (serial, at) in enumerate(chunk):
                params[f"serial{i}"], params[f"seen{i}"] = serial, at
            values = ", ".join(f"(:agent, :serial{i}, :name, :customer, :seen{i}, :seen{i})"
                               for i in range(len(chunk)))
            self.execute(
                "INSERT INTO devices (agent, serial, agent_name, customer, first_seen, last_seen) "
                f"VALUES {values} ON CONFLICT (agent, serial) DO UPDATE SET "
                "agent_name = excluded.agent_name, customer = excluded.customer, "
                f"last_seen = {_LATER.format('last_seen')}", **params)

    def update_asset(self, asset: Asset, agent: str) -> None:
        self.execute(
            "UPDATE devices SET manufacturer = :manufacturer, model = :model, address = :address, "
            "address_key = :address_key, mac = :mac, asset_number = :asset_number, "
            "location = :location, zone = :zone, "
            "engine_cycles = coalesce(:engine_cycles, engine_cycles), "
            "discovered_at = coalesce(:discovered_at, discovered_at) "
            "WHERE agent = :agent AND serial = :serial",
            manufacturer=asset.manufacturer, model=asset.model, address=asset.address,
            address_key=address_sort_key(asset.address), mac=asset.mac,
            asset_number=asset.asset_number, location=asset.location, zone=asset.zone,
            engine_cycles=asset.engine_cycles, discovered_at=asset.discovered_at, agent=agent,
            serial=asset.serial)

    def set_available(self, serial: str, agent: str, available: bool) -> None:
        self.execute("UPDATE devices SET available = :available WHERE agent = :agent AND "
                     "serial = :serial", available=int(available), agent=agent, serial=serial)

    # -- readings -----------------------------------------------------------------------------
    def add_meter_reading(self, reading: MeterReading, agent: str, message_id: str) -> int:
        r = reading.rollup
        reading_id = int(self._scalar(
            "INSERT INTO meter_readings (agent, serial, read_at, message_id, mono_small, "
            "colour_small, mono_large, colour_large, engine_cycles) VALUES (:agent, :serial, "
            ":read_at, :message_id, :mono_small, :colour_small, :mono_large, :colour_large, "
            ":engine_cycles) RETURNING id", agent=agent, serial=reading.serial,
            read_at=reading.read_at, message_id=message_id, mono_small=r.mono_small,
            colour_small=r.colour_small, mono_large=r.mono_large, colour_large=r.colour_large,
            engine_cycles=r.engine_cycles))
        if reading.counters:
            self._run("INSERT INTO raw_counters (reading_id, name, value, class) VALUES "
                      "(:reading, :name, :value, :kind)",
                      [{"reading": reading_id, "name": c.name, "value": c.value, "kind": c.kind}
                       for c in reading.counters])
        if r.engine_cycles is not None:
            self.execute("UPDATE devices SET engine_cycles = :cycles WHERE agent = :agent AND "
                         "serial = :serial", cycles=r.engine_cycles, agent=agent,
                         serial=reading.serial)
        return reading_id

    def add_supply_levels(self, levels: SupplyLevels, agent: str, message_id: str) -> list[int]:
        """Store the levels; the cartridge number of each supply (it grows on a refill)."""
        cartridges = []
        for supply in levels.supplies:
            last = self._one(
                "SELECT percent, cartridge FROM supply_levels WHERE agent = :agent AND "
                "serial = :serial AND supply_index = :index AND read_at <= :at "
                "ORDER BY read_at DESC, id DESC LIMIT 1",
                agent=agent, serial=levels.serial, index=supply.index, at=levels.read_at)
            percent = supply.percent
            cartridge = 1 if last is None else int(last[1])
            if last is not None and percent is not None and last[0] is not None \
                    and percent > float(last[0]) + REFILL_STEP:
                cartridge += 1
            self.execute(
                "INSERT INTO supply_levels (agent, serial, supply_index, read_at, message_id, "
                "description, type, colour, sku, level, max_capacity, percent, cartridge) "
                "VALUES (:agent, :serial, :index, :at, :message_id, :description, :type, "
                ":colour, :sku, :level, :max_capacity, :percent, :cartridge)",
                agent=agent, serial=levels.serial, index=supply.index, at=levels.read_at,
                message_id=message_id, description=supply.description, type=supply.type,
                colour=supply.colour, sku=supply.sku, level=supply.level,
                max_capacity=supply.max_capacity, percent=percent, cartridge=cartridge)
            cartridges.append(cartridge)
        return cartridges

    # -- alerts and changes ---------------------------------------------------------------------
    def record_alert(self, alert: AlertEvent, agent: str, message_id: str,
                     triage: tuple[str, str, str]) -> tuple[int, bool]:
        """Open or clear an alert; (alert id, whether this changed anything)."""
        standard, category, step = triage
        existing = self._one(
            "SELECT id, cleared_at FROM alerts WHERE agent = :agent AND serial = :serial AND "
            "alert_key = :key AND opened_at = :opened", agent=agent, serial=alert.serial,
            key=alert.key, opened=alert.opened_at)
        cleared = alert.cleared_at if alert.event == "cleared" else None
        if existing is None:
            alert_id = self._scalar(
                "INSERT INTO alerts (agent, serial, alert_key, opened_at, cleared_at, code, "
                "alert_group, severity, training, location, vendor_code, description, "
                "engine_cycles, standard_code, category, triage_step, message_id) VALUES "
                "(:agent, :serial, :key, :opened, :cleared, :code, :group, :severity, :training, "
                ":location, :vendor, :description, :cycles, :standard, :category, :step, "
                ":message_id) RETURNING id",
                agent=agent, serial=alert.serial, key=alert.key, opened=alert.opened_at,
                cleared=cleared, code=alert.code, group=alert.group, severity=alert.severity,
                training=alert.training, location=alert.location, vendor=alert.vendor_code,
                description=alert.description, cycles=alert.engine_cycles, standard=standard,
                category=category, step=step, message_id=message_id)
            return int(alert_id), True
        if cleared is not None and existing[1] is None:
            self.execute("UPDATE alerts SET cleared_at = :cleared WHERE id = :id",
                         cleared=cleared, id=existing[0])
            return int(existing[0]), True
        return int(existing[0]), False

    def _open_availability(self, serial: str, agent: str) -> Any:
        return self._one("SELECT id, opened_at FROM alerts WHERE agent = :agent AND "
                         "serial = :serial AND category = 'availability' AND cleared_at IS NULL",
                         agent=agent, serial=serial)

    def open_availability_alert(self, serial: str, agent: str, since: float, reason: str,
                                message_id: str) -> tuple[int, bool]:
        """The device went away: one open availability alert at a time."""
        row = self._open_availability(serial, agent)
        if row is not None:
            return int(row[0]), False
        alert_id = self._scalar(
            "INSERT INTO alerts (agent, serial, alert_key, opened_at, description, "
            "standard_code, category, triage_step, message_id) VALUES (:agent, :serial, "
            "'availability', :since, :reason, 'UNAVAILABLE', 'availability', 'availability', "
            ":message_id) ON CONFLICT (agent, serial, alert_key, opened_at) DO NOTHING "
            "RETURNING id", agent=agent, serial=serial, since=since, reason=reason,
            message_id=message_id)
        return int(alert_id or 0), alert_id is not None

    def clear_availability_alert(self, serial: str, agent: str, at: float
                                 ) -> tuple[int, float] | None:
        """Close the open availability alert: (its id, when it opened), or None if none."""
        row = self._open_availability(serial, agent)
        if row is None:
            return None
        self.execute("UPDATE alerts SET cleared_at = :at WHERE id = :id", at=at, id=row[0])
        return int(row[0]), float(row[1])

    def add_change(self, change: Change, agent: str, message_id: str) -> int:
        return int(self._scalar(
            "INSERT INTO changes (agent, serial, kind, old, new, at, message_id) VALUES "
            "(:agent, :serial, :kind, :old, :new, :at, :message_id) RETURNING id",
            agent=agent, serial=change.serial, kind=change.kind, old=change.old, new=change.new,
            at=change.at, message_id=message_id))

    # -- consumable requests and deliveries -------------------------------------------------------
    def add_request(self, *, customer: str, site: str, serial: str, supply_index: int,
                    cartridge: int, description: str, sku: str | None, reason: str,
                    percent: float | None, days_left: float | None, pages_left: int | None,
                    now: float, agent: str) -> int | None:
        """A consumable request, unless this cartridge already has one (then None)."""
        request_id = self._scalar(
            "INSERT INTO consumable_requests (customer, site, agent, serial, supply_index, "
            "cartridge, description, sku, reason, percent, days_left, pages_left, raised_at) "
            "VALUES (:customer, :site, :agent, :serial, :index, :cartridge, :description, :sku, "
            ":reason, :percent, :days_left, :pages_left, :now) "
            "ON CONFLICT (agent, serial, supply_index, cartridge) DO NOTHING RETURNING id",
            customer=customer, site=site, agent=agent, serial=serial, index=supply_index,
            cartridge=cartridge, description=description, sku=sku, reason=reason,
            percent=percent, days_left=days_left, pages_left=pages_left, now=now)
        return None if request_id is None else int(request_id)

    def add_delivery(self, destination: str, subject: str, notice: dict[str, Any], now: float
                     ) -> None:
        self.execute("INSERT INTO deliveries (destination, subject, notice, status, next_at, "
                     "created_at) VALUES (:destination, :subject, :notice, 'pending', :now, :now)",
                     destination=destination, subject=subject,
                     notice=json.dumps(notice, sort_keys=True), now=now)

    def due_deliveries(self, now: float, limit: int = 50
                       ) -> list[tuple[int, str, str, dict[str, Any], int]]:
        """Deliveries due now, each claimed for this caller (another process skips it until
        ``CLAIM_SECONDS`` pass or it is marked done or failed)."""
        claimed = []
        for row in self._rows("SELECT id, destination, subject, notice, attempts, next_at "
                              "FROM deliveries WHERE status = 'pending' AND next_at <= :now "
                              "ORDER BY id LIMIT :limit", now=now, limit=limit):
            if self.execute("UPDATE deliveries SET next_at = :until WHERE id = :id AND "
                            "status = 'pending' AND next_at = :seen",
                            until=now + CLAIM_SECONDS, id=row[0], seen=row[5]):
                claimed.append((int(row[0]), row[1], row[2], json.loads(row[3]), int(row[4])))
        return claimed

    def delivery_done(self, delivery_id: int, detail: str, now: float) -> None:
        self.execute("UPDATE deliveries SET status = 'done', attempts = attempts + 1, "
                     "detail = :detail, done_at = :now WHERE id = :id",
                     detail=detail, now=now, id=delivery_id)

    def delivery_failed(self, delivery_id: int, detail: str, retry_at: float | None) -> None:
        self.execute(
            "UPDATE deliveries SET status = :status, attempts = attempts + 1, detail = :detail, "
            "next_at = coalesce(:retry_at, next_at) WHERE id = :id",
            status="pending" if retry_at is not None else "failed", detail=detail,
            retry_at=retry_at, id=delivery_id)

    # -- what consumables prediction reads --------------------------------------------------------
    def supply_history(self, serial: str, supply_index: int, cartridge: int,
                       agent: str | None = None) -> list[tuple[float, float]]:
        """(read_at, percent) of one cartridge, oldest first."""
        mine = "" if agent is None else " AND agent = :agent"
        return [(float(a), float(p)) for a, p in self._rows(
            "SELECT read_at, percent FROM supply_levels WHERE serial = :serial AND "
            f"supply_index = :index AND cartridge = :cartridge AND percent IS NOT NULL{mine} "
            "ORDER BY read_at", serial=serial, index=supply_index, cartridge=cartridge,
            agent=agent)]

    def rollup_at(self, serial: str, at: float, agent: str | None = None) -> RollUp | None:
        """The latest roll-up read at or before ``at`` (the earliest one if none is)."""
        mine = "" if agent is None else " AND agent = :agent"
        query = ("SELECT mono_small, colour_small, mono_large, colour_large, engine_cycles "
                 f"FROM meter_readings WHERE serial = :serial{mine} AND read_at {{}} :at "
                 "ORDER BY read_at {} LIMIT 1")
        row = (self._one(query.format("<=", "DESC"), serial=serial, at=at, agent=agent)
               or self._one(query.format(">", "ASC"), serial=serial, at=at, agent=agent))
        return None if row is None else RollUp(*row)
