"""Reports from the portal store: assets, meters by month, alerts, consumables (and requests,
rejected messages), as rows a CSV file, a JSON array or a table for people is made from."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Sequence
from typing import Any

from ekm_proto.durations import format_duration
from ekm_proto.portal.consumables import is_colour_supply, pages_of, predict
from ekm_proto.portal.errors import PortalError
from ekm_proto.portal.intake import iso
from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.triage import (
    native_vendor_code,
    severity_text,
    training_text,
)

KINDS = ("assets", "meters", "alerts", "consumables", "requests", "rejected")
Rows = list[dict[str, Any]]


def report(store: PortalStore, kind: str) -> Rows:
    """The rows of one report; PortalError for an unknown kind."""
    builders = {"assets": _assets, "meters": meters_by_month, "alerts": _alerts,
                "consumables": _consumables, "requests": _requests, "rejected": _rejected}
    if kind not in builders:
        raise PortalError(f"unknown report {kind!r}; expected one of " + ", ".join(KINDS))
    return builders[kind](store)


def _assets(store: PortalStore) -> Rows:
    return [{"serial": d["serial"], "manufacturer": d["manufacturer"], "model": d["model"],
             "address": d["address"], "mac": d["mac"], "asset_number": d["asset_number"],
             "location": d["location"], "zone": d["zone"], "engine_cycles": d["engine_cycles"],
             "discovered_at": iso(d["discovered_at"]), "customer": d["customer"],
             "agent": d["agent"], "agent_name": d["agent_name"],
             "available": bool(d["available"]), "last_seen": iso(d["last_seen"])}
            for d in store.devices()]


def _month(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m")


def meters_by_month(store: PortalStore, serial: str | None = None, agent: str | None = None
                    ) -> Rows:
    """Pages used per device and month: the last reading of the month minus the last one before
    it (the first reading of the device's first month stands for its start). A device is an
    agent's serial: two agents reporting the same serial are two devices, never one sum."""
    agents = [agent] if agent is not None else [a["jid"] for a in store.agents()]
    rows: Rows = []
    for one in agents:
        rows.extend(_months_of(store.readings(serial, one), one))
    return rows


def _months_of(readings: list[tuple[str, float, Any]], agent: str) -> Rows:
    rows: Rows = []
    last_of: dict[tuple[str, str], Any] = {}
    first_of: dict[str, Any] = {}
    order: list[tuple[str, str]] = []
    for device, read_at, rollup in readings:
        key = (device, _month(read_at))
        if key not in last_of:
            order.append(key)
        last_of[key] = rollup
        first_of.setdefault(device, rollup)
    previous: dict[str, Any] = {}
    for device, month in order:
        end = last_of[(device, month)]
        start = previous.get(device, first_of[device])
        previous[device] = end
        rows.append({"serial": device, "agent": agent, "month": month,
                     "mono_pages": end.mono_pages - start.mono_pages,
                     "colour_pages": end.colour_pages - start.colour_pages,
                     "total_pages": end.total_pages - start.total_pages,
                     "mono_a4": end.mono_a4 - start.mono_a4,
                     "colour_a4": end.colour_a4 - start.colour_a4,
                     "total_a4": end.total_a4 - start.total_a4,
                     "total_pages_to_date": end.total_pages})
    return rows


def _alerts(store: PortalStore) -> Rows:
    destinations = store.alert_destinations()
    return [alert_row(a, destinations.get(a["id"], [])) for a in store.alerts()]


def alert_row(a: dict[str, Any], routed_to: list[str]) -> dict[str, Any]:
    """One stored alert as the overview's alert tables show it."""
    availability = a["category"] == "availability"
    native = native_vendor_code(a["vendor_code"], a["description"])
    reason = a["description"]
    if native and not reason.startswith(native):
        reason = f"{native} {reason}"
    return {
        "date": iso(a["opened_at"]), "serial": a["serial"], "customer": a["customer"],
        "engine_cycles": a["engine_cycles"], "alert_class": a["category"].title(),
        "standard_code": a["standard_code"],
        "severity": severity_text(None if availability else a["severity"]),
        "training": training_text(None if availability else a["training"]),
        "reason": reason, "cleared": iso(a["cleared_at"]),
        "duration": (format_duration(a["cleared_at"] - a["opened_at"])
                     if a["cleared_at"] is not None else None),
        "routed_to": " ".join(sorted(set(routed_to))) or "record"}


def _consumables(store: PortalStore) -> Rows:
    requested = store.requested()
    return [consumable_row(store, s, requested) for s in store.latest_supplies()]


def consumable_row(store: PortalStore, s: dict[str, Any], requested: set[tuple[str, int, int]]
                   ) -> dict[str, Any]:
    """One supply's latest level with its prediction (the overview's consumables table)."""
    history = store.supply_history(s["serial"], s["supply_index"], s["cartridge"])
    colour = is_colour_supply(s["colour"], s["description"])
    before = store.rollup_at(s["serial"], history[0][0]) if history else None
    after = store.rollup_at(s["serial"], s["read_at"])
    prediction = predict(history, None if before is None else pages_of(before, colour),
                         None if after is None else pages_of(after, colour))
    return {
        "serial": s["serial"], "customer": s["customer"],
        "site": s["zone"] or s["location"], "index": s["supply_index"],
        "description": s["description"], "sku": s["sku"], "type": s["type"],
        "colour": s["colour"], "percent": None if s["percent"] is None
        else round(s["percent"]), "days_left": None if prediction.days_left is None
        else round(prediction.days_left), "pages_left": prediction.pages_left,
        "last_updated": iso(s["read_at"]), "engine_cycles": s["engine_cycles"],
        "request": (s["serial"], s["supply_index"], s["cartridge"]) in requested}


def _requests(store: PortalStore) -> Rows:
    return [{**r, "raised_at": iso(r["raised_at"])} for r in store.requests()]


def _rejected(store: PortalStore) -> Rows:
    return [{**r, "received_at": iso(r["received_at"])} for r in store.rejected_messages()]


def to_csv(rows: Rows, columns: Sequence[str] | None = None) -> str:
    out = io.StringIO()
    names = list(columns or (rows[0].keys() if rows else []))
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in names})
    return out.getvalue()


def to_json(rows: Rows) -> str:
    return json.dumps(rows, indent=1)


def to_table(rows: Rows) -> str:
    if not rows:
        return "(nothing yet)\n"
    names = list(rows[0].keys())
    cells = [[("" if r.get(n) is None else str(r.get(n)))[:60] for n in names] for r in rows]
    widths = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines) + "\n"
