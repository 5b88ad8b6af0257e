"""The monitor's outbox payloads (``messages``) as the shipping format's records (ekm-1).

The monitor writes what it knows, in its own words (ISO times, severity names, the day a meter
report covers); the portal reads ``ekm_proto.shipping.records``. This is the one place that
turns the first into the second, when a row is read for shipping, so a row resent after a
restart is the same message. A row with nothing to ship (tray levels: the format has no tray
element; the "monitoring resumed" record, which the cleared unavailability already tells the
portal; a meter report without readings) gives a reason instead of a payload; it leaves the
pending set with that reason.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from ekm_proto.monitor.alerts import SEVERITY_NAMES, TRAINING_NAMES
from ekm_proto.monitor.availability import UNAVAILABLE
from ekm_proto.monitor.counter_catalog import LIFE_COUNT
from ekm_proto.page_counts import roll_up
from ekm_proto.printer_mib import textual_conventions as tc
from ekm_proto.shipping.errors import BadRecordError
from ekm_proto.shipping.outbox import OutboxRow

_SEVERITY = {name: number for number, name in SEVERITY_NAMES.items()}
_TRAINING = {name: number for number, name in TRAINING_NAMES.items()}
#: the monitor's counter meanings as the roll-up's counter classes
COUNTER_CLASS = {"total": "total", "mono": "mono", "colour": "colour",
                 "mono_small": "mono-small", "colour_small": "colour-small",
                 "mono_large": "mono-large", "colour_large": "colour-large", "scans": "scans",
                 "scans_mono": "scans", "scans_colour": "scans", "power_on": "other"}
_KEY = re.compile(r"[A-Za-z0-9._:\-]{1,64}")


def _seconds(text: Any, where: str) -> float:
    if not isinstance(text, str):
        raise BadRecordError(f"{where}: {text!r}; expected an ISO 8601 UTC time")
    try:
        return datetime.datetime.fromisoformat(text).timestamp()
    except ValueError:
        raise BadRecordError(f"{where}: {text!r}; expected an ISO 8601 UTC time") from None


def _key(key: str) -> str:
    """The alert's key as the format's identifiers allow (a digest when it does not fit)."""
    return key if _KEY.fullmatch(key) else "k-" + hashlib.sha1(key.encode()).hexdigest()[:20]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def asset(row: OutboxRow) -> dict[str, Any]:
    p = row.payload
    return {"serial": p["serial"], "manufacturer": p["manufacturer"], "model": p["model"],
            "address": p["address"], "mac": p.get("mac") or "", "at": row.created_at,
            "asset_number": _text(p.get("asset_number")), "location": _text(p.get("location")),
            "zone": _text(p.get("zone")), "engine_cycles": p.get("engine_cycles"),
            "discovered_at": _seconds(p["discovered_at"], "discovered_at")
            if p.get("discovered_at") else None}


def meters(row: OutboxRow) -> dict[str, Any]:
    """The day's latest good readings (or the latest on request) with their roll-up. Several
    counters of one class (a vendor total beside prtMarkerLifeCount) would be counted twice:
    the first of a class is classed, the others go as ``other``."""
    readings = sorted(row.payload.get("readings") or (), key=lambda r: r["name"] != LIFE_COUNT)
    counters, seen = [], set()
    for reading in readings:
        kind = COUNTER_CLASS.get(reading.get("meaning", ""), "other")
        if kind in seen and kind not in ("scans", "other"):
            kind = "other"
        seen.add(kind)
        counters.append({"name": reading["name"], "value": reading["value"], "kind": kind})
    counters.sort(key=lambda c: c["name"])
    times = [_seconds(r["read_at"], "read_at") for r in readings]
    rollup = roll_up((c["name"], c["value"], c["kind"]) for c in counters)
    return {"serial": row.payload["serial"], "read_at": max(times, default=row.created_at),
            "counters": counters,
            "rollup": {"mono_small": rollup.mono_small, "colour_small": rollup.colour_small,
                       "mono_large": rollup.mono_large, "colour_large": rollup.colour_large,
                       "engine_cycles": rollup.engine_cycles}}


def supplies(row: OutboxRow) -> dict[str, Any]:
    p = row.payload
    return {"serial": p["serial"], "read_at": _seconds(p["read_at"], "read_at"),
            "supplies": [{"index": s["index"], "description": s["description"],
                          "type": s["type"], "level": s["level"],
                          "max_capacity": s["max_capacity"], "colour": _text(s.get("colour"))}
                         for s in p.get("supplies") or ()]}


def change(row: OutboxRow) -> dict[str, Any]:
    p = row.payload
    return {"serial": p["serial"], "kind": p["kind"], "at": _seconds(p["at"], "at"),
            "old": _text(p.get("old")), "new": _text(p.get("new"))}


class ShippingPayloads:
    """``translate`` for the shipping outbox over the monitor's database: a cleared alert's
    message names its record, whose code and texts are read from the alerts table."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __call__(self, row: OutboxRow) -> OutboxRow | str:
        kind = row.kind
        try:
            if kind == "trays":
                return "kept by the agent: the ekm-1 format has no tray levels"
            if kind == "meters" and not row.payload.get("readings"):
                return "kept by the agent: no good reading to report (a zero reading would " \
                       "read as usage)"
            if kind == "availability":
                payload = self.availability(row)
                if payload is None:
                    return "kept by the agent: the portal learns of it from the availability"
            elif kind == "alert":
                payload = self.alert(row)
            else:
                payload = {"asset": asset, "meters": meters, "supplies": supplies,
                           "change": change}[kind](row)
        except KeyError as exc:
            raise BadRecordError(f"outbox row {row.seq} ({kind}): {exc} is missing or unknown"
                                 ) from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise BadRecordError(f"outbox row {row.seq} ({kind}): {exc}") from None
        return OutboxRow(row.seq, row.message_id, kind, payload, row.created_at)

    def _record(self, alert_id: int) -> Mapping[str, Any]:
        found = self.connection.execute(
            "SELECT code, grp, location, severity, training, description, engine_cycles "
            "FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if found is None:
            raise BadRecordError(f"alert record {alert_id} is not in the alerts table")
        names = ("code", "group", "location", "severity", "training", "description",
                 "engine_cycles")
        return dict(zip(names, found, strict=True))

    def alert(self, row: OutboxRow) -> dict[str, Any]:
        p = row.payload
        record: Mapping[str, Any] = p if p["event"] == "opened" else self._record(p["alert_id"])
        code = record.get("code")
        return {"serial": p["serial"], "event": p["event"], "key": _key(p["key"]),
                "code": code if isinstance(code, int) else tc.ALERT_CODES["other"],
                "group": tc.ALERT_GROUPS.get(record["group"], tc.ALERT_GROUPS["other"]),
                "severity": _SEVERITY.get(record["severity"], 1),
                "training": _TRAINING.get(record["training"], 2),
                "description": record.get("description") or "",
                "location": record.get("location"), "engine_cycles": record.get("engine_cycles"),
                "opened_at": _seconds(p["opened_at"], "opened_at"),
                "cleared_at": _seconds(p["cleared_at"], "cleared_at")
                if p["event"] == "cleared" else None}

    def availability(self, row: OutboxRow) -> dict[str, Any] | None:
        p = row.payload
        if p["key"] != UNAVAILABLE:  # RESUMED: the record of the recovery itself
            return None
        if p["event"] == "opened":
            return {"serial": p["serial"], "available": False,
                    "at": _seconds(p["opened_at"], "opened_at"),
                    "reason": p.get("description") or ""}
        return {"serial": p["serial"], "available": True,
                "at": _seconds(p["cleared_at"], "cleared_at"),
                "reason": f"Monitoring resumed after {p.get('duration', '?')}",
                "since": _seconds(p["opened_at"], "opened_at")}
