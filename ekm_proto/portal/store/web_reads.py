"""What the web interface's pages read: portable SQL with ``:name`` parameters, run through
``PortalStore.query`` (no backend-specific functions; dates are computed in Python)."""

from __future__ import annotations

from typing import Any

from ekm_proto.portal.store.database import PortalStore

#: the asset list's sortable columns: URL key -> column of ``devices`` (addresses by their sort
#: key: 10.0.0.9 before 10.0.0.10)
ASSET_SORTS = {"device": "serial", "zone": "zone", "manufacturer": "manufacturer",
               "model": "model", "serial": "serial", "asset": "asset_number", "mac": "mac",
               "ip": "address_key", "cycles": "engine_cycles", "discovered": "discovered_at",
               "location": "location"}

_ASSET_COLUMNS = ("serial, customer, zone, manufacturer, model, asset_number, mac, address, "
                  "engine_cycles, discovered_at, location, last_seen, available")


def customers_and_sites(store: PortalStore) -> list[dict[str, Any]]:
    """One row per customer and site (the zone): devices, unavailable ones, open alerts."""
    rows = store.query(
        "SELECT customer, zone, count(*) AS devices, max(last_seen) AS last_seen, "
        "sum(CASE WHEN available = 0 THEN 1 ELSE 0 END) AS unavailable "
        "FROM devices GROUP BY customer, zone")
    open_alerts: dict[tuple[Any, Any], int] = {}
    for r in store.query(  # from the (few) open alerts to their devices, not the other way
            "SELECT d.customer, d.zone, a.n FROM (SELECT serial, count(*) AS n FROM alerts "
            "WHERE cleared_at IS NULL GROUP BY serial) a JOIN devices d ON d.serial = a.serial"):
        key = (r["customer"], r["zone"])
        open_alerts[key] = open_alerts.get(key, 0) + int(r["n"])
    for row in rows:
        row["open_alerts"] = open_alerts.get((row["customer"], row["zone"]), 0)
    return sorted(rows, key=lambda r: (r["customer"] or "", r["zone"] or ""))


def _asset_filter(customer: str | None, site: str | None) -> tuple[str, dict[str, Any]]:
    """An empty customer or site means none given (NULL) in the store."""
    clauses, params = [], {}
    for column, name, value in (("customer", "customer", customer), ("zone", "site", site)):
        if value == "":
            clauses.append(f"{column} IS NULL")
        elif value is not None:
            clauses.append(f"{column} = :{name}")
            params[name] = value
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def asset_page(store: PortalStore, *, sort: str, descending: bool, offset: int, limit: int,
               customer: str | None = None, site: str | None = None) -> list[dict[str, Any]]:
    """One page of the asset list; ``sort`` is a key of ASSET_SORTS (KeyError otherwise).
    Empty values sort last in either direction (NULLS LAST: SQLite and PostgreSQL)."""
    column = ASSET_SORTS[sort]
    where, params = _asset_filter(customer, site)
    direction = "DESC" if descending else "ASC"
    order = f"{column} {direction} NULLS LAST, serial {direction}"
    # the page's keys first (from the column's index), then only those rows' columns
    return store.query(
        f"SELECT {_ASSET_COLUMNS} FROM devices WHERE serial IN (SELECT serial FROM devices"
        f"{where} ORDER BY {order} LIMIT :limit OFFSET :offset) ORDER BY {order}",
        limit=limit, offset=offset, **params)


def asset_count(store: PortalStore, customer: str | None = None, site: str | None = None) -> int:
    where, params = _asset_filter(customer, site)
    return int(store.query(f"SELECT count(*) AS n FROM devices{where}", **params)[0]["n"])


def latest_reading(store: PortalStore, serial: str) -> dict[str, Any] | None:
    rows = store.query(
        "SELECT id, read_at, mono_small, colour_small, mono_large, colour_large, engine_cycles "
        "FROM meter_readings WHERE serial = :serial ORDER BY read_at DESC, id DESC LIMIT 1",
        serial=serial)
    return rows[0] if rows else None


def raw_counters_with_dates(store: PortalStore, serial: str, readings: int = 400
                            ) -> list[dict[str, Any]]:
    """Each raw counter's latest value and the date it was read (the overview's "Latest Raw
    Page Counts": a counter a model stopped reporting keeps its last date), by name."""
    rows = store.query(
        "SELECT c.name, c.value, c.class, r.read_at FROM raw_counters c JOIN ("
        "SELECT id, read_at FROM meter_readings WHERE serial = :serial "
        "ORDER BY read_at DESC, id DESC LIMIT :readings) r ON r.id = c.reading_id "
        "ORDER BY r.read_at DESC, r.id DESC", serial=serial, readings=readings)
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        latest.setdefault(row["name"], row)
    return [latest[name] for name in sorted(latest)]


def device_alerts(store: PortalStore, serial: str) -> list[dict[str, Any]]:
    """The device's alerts, newest first, in the columns ``reports.alert_row`` reads."""
    return store.query(
        "SELECT a.id, a.serial, d.customer, a.opened_at, a.cleared_at, a.code, a.alert_group, "
        "a.severity, a.training, a.vendor_code, a.description, a.engine_cycles, "
        "a.standard_code, a.category, a.triage_step, a.alert_key FROM alerts a "
        "LEFT JOIN devices d ON d.serial = a.serial WHERE a.serial = :serial "
        "ORDER BY a.opened_at DESC, a.id DESC", serial=serial)


def device_supplies(store: PortalStore, serial: str) -> list[dict[str, Any]]:
    """Each supply's latest level, in the columns ``reports.consumable_row`` reads."""
    return store.query(
        "SELECT s.serial, s.supply_index, s.description, s.type, s.colour, s.sku, s.level, "
        "s.max_capacity, s.percent, s.read_at, s.cartridge, d.customer, d.zone, d.location, "
        "d.engine_cycles FROM supply_levels s JOIN (SELECT supply_index, max(read_at) AS latest "
        "FROM supply_levels WHERE serial = :serial GROUP BY supply_index) m "
        "ON m.supply_index = s.supply_index AND m.latest = s.read_at "
        "LEFT JOIN devices d ON d.serial = s.serial WHERE s.serial = :serial "
        "ORDER BY s.supply_index", serial=serial)


def consumable_requests(store: PortalStore, limit: int = 1000) -> list[dict[str, Any]]:
    return store.query(
        "SELECT id, customer, site, serial, supply_index, cartridge, description, sku, reason, "
        "percent, days_left, pages_left, raised_at FROM consumable_requests "
        "ORDER BY raised_at DESC, id DESC LIMIT :limit", limit=limit)


def agents(store: PortalStore) -> list[dict[str, Any]]:
    """Every agent, its last contact and how many devices it reports."""
    rows = store.query("SELECT agent, name, customer, last_seen, duplicates FROM agents "
                       "ORDER BY agent")
    counts = {r["agent"]: int(r["n"]) for r in store.query(
        "SELECT agent, count(*) AS n FROM devices GROUP BY agent")}
    for row in rows:
        row["devices"] = counts.get(row["agent"], 0)
    return rows


def requested_supplies(store: PortalStore, serial: str) -> set[tuple[str, int, int]]:
    """(serial, supply, cartridge) of the device's consumable requests."""
    return {(serial, int(r["supply_index"]), int(r["cartridge"])) for r in store.query(
        "SELECT supply_index, cartridge FROM consumable_requests WHERE serial = :serial",
        serial=serial)}
