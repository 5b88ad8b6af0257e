"""The six kinds of message an agent ships, as plain data: what an outbox row's payload holds.

An outbox row is (message id, kind, payload dict); ``record_from_payload`` turns the dict into one
of these dataclasses, checking every field, and ``to_payload`` turns it back. The XML codec
(``xml_codec``) maps the dataclasses to and from the schema's elements, so the monitor never
writes XML and the portal never reads it. Times are POSIX seconds (UTC).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ekm_proto.page_counts import COUNTER_CLASSES, RollUp, roll_up
from ekm_proto.shipping.errors import BadRecordError

CHANGE_KINDS = ("new", "move", "swap", "mac", "name", "location", "agent", "gone")


@dataclass(frozen=True, slots=True)
class Asset:
    """Who the device is and where (the overview's asset list row)."""

    serial: str
    manufacturer: str
    model: str
    address: str
    mac: str
    at: float
    asset_number: str | None = None
    location: str | None = None
    zone: str | None = None
    engine_cycles: int | None = None
    discovered_at: float | None = None


@dataclass(frozen=True, slots=True)
class Counter:
    name: str
    value: int
    kind: str | None = None  # one of page_counts.COUNTER_CLASSES, when the agent knows it


@dataclass(frozen=True, slots=True)
class MeterReading:
    """The day's reading: raw counters as the model names them, and their roll-up."""

    serial: str
    read_at: float
    counters: tuple[Counter, ...]
    rollup: RollUp


@dataclass(frozen=True, slots=True)
class Supply:
    index: int
    description: str
    type: str
    level: int
    max_capacity: int
    colour: str | None = None
    sku: str | None = None

    @property
    def percent(self) -> float | None:
        """Level as a percentage, or None when the printer gives no number (-1, -2, -3)."""
        if self.level < 0 or self.max_capacity <= 0:
            return None
        return min(100.0, 100.0 * self.level / self.max_capacity)


@dataclass(frozen=True, slots=True)
class SupplyLevels:
    serial: str
    read_at: float
    supplies: tuple[Supply, ...]


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """A native alert opening or clearing (prtAlertTable numbers; ``key`` pairs the two)."""

    serial: str
    event: str  # "opened" or "cleared"
    key: str
    code: int
    group: int
    severity: int
    training: int
    description: str
    opened_at: float
    cleared_at: float | None = None
    location: int | None = None
    vendor_code: str | None = None
    engine_cycles: int | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """A move or change the agent saw (``kind`` one of ``CHANGE_KINDS``)."""

    serial: str
    kind: str
    at: float
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True, slots=True)
class Availability:
    """The device stopped answering (``available`` False) or answers again."""

    serial: str
    available: bool
    at: float
    reason: str = ""
    since: float | None = None


Record: TypeAlias = Asset | MeterReading | SupplyLevels | AlertEvent | Change | Availability

KINDS: dict[str, type] = {"asset": Asset, "meters": MeterReading, "supplies": SupplyLevels,
                          "alert": AlertEvent, "change": Change, "availability": Availability}
KIND_OF: dict[type, str] = {cls: name for name, cls in KINDS.items()}


@dataclass(frozen=True, slots=True)
class Message:
    """One record with the id it travels under."""

    message_id: str
    kind: str
    record: Record = field(compare=True)


def to_payload(record: Record) -> dict[str, Any]:
    """The plain dict an outbox row stores for ``record`` (JSON-ready)."""
    data = dataclasses.asdict(record)
    if isinstance(record, MeterReading):
        data["rollup"] = dataclasses.asdict(record.rollup)
    return data


def record_from_payload(kind: str, payload: Mapping[str, Any], *, where: str = "payload"
                        ) -> Record:
    """The record an outbox row describes; BadRecordError naming ``where`` and the field."""
    if kind not in KINDS:
        raise BadRecordError(f"{where}: unknown kind {kind!r}; expected one of "
                             + ", ".join(KINDS))
    if not isinstance(payload, Mapping):
        raise BadRecordError(f"{where}: the {kind} payload is {type(payload).__name__}, "
                             "expected an object")
    reader = _Fields(payload, f"{where} ({kind})")
    record: Record
    if kind == "asset":
        record = Asset(reader.text("serial"), reader.text("manufacturer"), reader.text("model"),
                       reader.text("address"), _mac(reader, "mac"), reader.time("at"),
                       reader.text("asset_number", None), reader.text("location", None),
                       reader.text("zone", None), reader.count("engine_cycles", None),
                       reader.time("discovered_at", None))
    elif kind == "meters":
        counters = tuple(_counter(_Fields(c, f"{where} (meters) counter #{i + 1}"))
                         for i, c in enumerate(reader.items("counters")))
        given = payload.get("rollup")
        if given is None:
            rollup = roll_up((c.name, c.value, c.kind) for c in counters)
        else:
            r = _Fields(given, f"{where} (meters) rollup")
            rollup = RollUp(r.count("mono_small"), r.count("colour_small"), r.count("mono_large"),
                            r.count("colour_large"), r.count("engine_cycles", None))
        record = MeterReading(reader.text("serial"), reader.time("read_at"), counters, rollup)
    elif kind == "supplies":
        supplies = tuple(_supply(_Fields(s, f"{where} (supplies) supply #{i + 1}"))
                         for i, s in enumerate(reader.items("supplies")))
        if not supplies:
            raise BadRecordError(f"{where} (supplies): no supplies; expected at least one")
        record = SupplyLevels(reader.text("serial"), reader.time("read_at"), supplies)
    elif kind == "alert":
        event = reader.text("event")
        if event not in ("opened", "cleared"):
            raise BadRecordError(f"{where} (alert): event {event!r}; expected opened or cleared")
        if event == "cleared" and payload.get("cleared_at") is None:
            raise BadRecordError(f"{where} (alert): cleared_at is missing; a cleared alert "
                                 "needs the time it cleared")
        record = AlertEvent(reader.text("serial"), event, reader.text("key"), reader.integer("code"),
                            reader.integer("group"), reader.integer("severity"),
                            reader.integer("training"), reader.text("description", ""),
                            reader.time("opened_at"), reader.time("cleared_at", None),
                            reader.integer("location", None), reader.text("vendor_code", None),
                            reader.count("engine_cycles", None))
    elif kind == "change":
        change = reader.text("kind")
        if change not in CHANGE_KINDS:
            raise BadRecordError(f"{where} (change): kind {change!r}; expected one of "
                                 + ", ".join(CHANGE_KINDS))
        record = Change(reader.text("serial"), change, reader.time("at"),
                        reader.text("old", None), reader.text("new", None))
    else:
        available = payload.get("available")
        if not isinstance(available, bool):
            raise BadRecordError(f"{where} (availability): available = {available!r}; "
                                 "expected true or false")
        record = Availability(reader.text("serial"), available, reader.time("at"),
                              reader.text("reason", ""), reader.time("since", None))
    return record


def _counter(r: _Fields) -> Counter:
    kind = r.text("kind", None)
    if kind is not None and kind not in COUNTER_CLASSES:
        raise r.bad("kind", "one of " + ", ".join(COUNTER_CLASSES))
    return Counter(r.text("name"), r.count("value"), kind)


def _supply(r: _Fields) -> Supply:
    return Supply(r.count("index"), r.text("description"), r.text("type"), r.integer("level"),
                  r.integer("max_capacity"), r.text("colour", None), r.text("sku", None))


def _mac(r: _Fields, key: str) -> str:
    text = r.text(key, "").replace(":", "").replace("-", "").upper()
    if text and (len(text) != 12 or any(c not in "0123456789ABCDEF" for c in text)):
        raise r.bad(key, "a MAC address (12 hex digits, colons allowed) or empty")
    return text


_REQUIRED: Any = object()


class _Fields:
    """Typed reads of one payload object; every error names the field and what was expected."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise BadRecordError(f"{where}: {type(data).__name__}; expected an object")
        self.data, self.where = data, where

    def bad(self, key: str, expected: str) -> BadRecordError:
        return BadRecordError(f"{self.where}: {key} = {self.data.get(key)!r}; expected {expected}")

    def _get(self, key: str, default: Any, expected: str) -> Any:
        value = self.data.get(key)
        if value is None:
            if default is _REQUIRED:
                raise BadRecordError(f"{self.where}: {key} is missing; expected {expected}")
            return default
        return value

    def text(self, key: str, default: Any = _REQUIRED) -> Any:
        value = self._get(key, default, "text")
        if value is not default and (not isinstance(value, str) or len(value) > 512):
            raise self.bad(key, "text of at most 512 characters")
        return value

    def integer(self, key: str, default: Any = _REQUIRED) -> Any:
        value = self._get(key, default, "an integer")
        if value is not default and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.bad(key, "an integer")
        return value

    def count(self, key: str, default: Any = _REQUIRED) -> Any:
        value = self.integer(key, default)
        if value is not default and value < 0:
            raise self.bad(key, "a count (0 or more)")
        return value

    def time(self, key: str, default: Any = _REQUIRED) -> Any:
        value = self._get(key, default, "POSIX seconds")
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not 0 <= value < 253402300800:
            raise self.bad(key, "POSIX seconds (UTC) before the year 10000")
        return float(int(value))

    def items(self, key: str) -> list[Any]:
        value = self._get(key, _REQUIRED, "a list")
        if not isinstance(value, list | tuple):
            raise self.bad(key, "a list")
        return list(value)
