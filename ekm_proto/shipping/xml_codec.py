"""Records to the schema's elements and back (``ekm-1.xsd``): one function per direction.

Only this module knows element and attribute names. Reading assumes the element was validated
against the schema first (``envelope`` does that); anything still wrong becomes BadRecordError.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from lxml import etree

from ekm_proto.page_counts import RollUp
from ekm_proto.shipping import NAMESPACE
from ekm_proto.shipping.errors import BadRecordError
from ekm_proto.shipping.records import (
    KIND_OF,
    AlertEvent,
    Asset,
    Availability,
    Change,
    Counter,
    Message,
    MeterReading,
    Record,
    Supply,
    SupplyLevels,
)

_NS = f"{{{NAMESPACE}}}"


def format_time(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(int(seconds), datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> float:
    return datetime.datetime.fromisoformat(text).timestamp()


def _set(element: Any, **attributes: object) -> Any:
    for name, value in attributes.items():
        if value is None:
            continue
        key = name.rstrip("_").replace("_", "-")
        if isinstance(value, bool):
            element.set(key, "true" if value else "false")
        else:
            element.set(key, str(value))
    return element


def _time(seconds: float | None) -> str | None:
    return None if seconds is None else format_time(seconds)


def record_element(message: Message) -> Any:
    """The element for one message (its id on the element)."""
    record = message.record
    tag = _NS + KIND_OF[type(record)]
    element = etree.Element(tag)
    _set(element, id=message.message_id, serial=record.serial)
    if isinstance(record, Asset):
        _set(element, manufacturer=record.manufacturer, model=record.model,
             address=record.address, mac=record.mac, asset_number=record.asset_number,
             location=record.location, zone=record.zone, engine_cycles=record.engine_cycles,
             discovered=_time(record.discovered_at), at=format_time(record.at))
    elif isinstance(record, MeterReading):
        _set(element, read=format_time(record.read_at))
        for counter in record.counters:
            _set(etree.SubElement(element, _NS + "counter"), name=counter.name,
                 value=counter.value, class_=counter.kind)
        r = record.rollup
        _set(etree.SubElement(element, _NS + "rollup"), mono_small=r.mono_small,
             colour_small=r.colour_small, mono_large=r.mono_large, colour_large=r.colour_large,
             engine_cycles=r.engine_cycles)
    elif isinstance(record, SupplyLevels):
        _set(element, read=format_time(record.read_at))
        for s in record.supplies:
            _set(etree.SubElement(element, _NS + "supply"), index=s.index,
                 description=s.description, type=s.type, colour=s.colour, sku=s.sku,
                 level=s.level, max_capacity=s.max_capacity)
    elif isinstance(record, AlertEvent):
        _set(element, event=record.event, key=record.key, code=record.code, group=record.group,
             severity=record.severity, training=record.training, location=record.location,
             vendor_code=record.vendor_code, engine_cycles=record.engine_cycles,
             opened=format_time(record.opened_at), cleared=_time(record.cleared_at))
        element.text = record.description
    elif isinstance(record, Change):
        _set(element, kind=record.kind, old=record.old, new=record.new, at=format_time(record.at))
    else:
        _set(element, available=record.available, at=format_time(record.at),
             since=_time(record.since))
        element.text = record.reason
    return element


class _Attributes:
    def __init__(self, element: Any) -> None:
        self.element = element

    def text(self, name: str) -> str:
        value = self.element.get(name)
        if value is None:
            raise BadRecordError(f"<{etree.QName(self.element).localname}> has no {name}")
        return str(value)

    def maybe(self, name: str, convert: Callable[[str], Any] = str) -> Any:
        value = self.element.get(name)
        return None if value is None else convert(value)

    def integer(self, name: str) -> int:
        return int(self.text(name))

    def time(self, name: str) -> float:
        return parse_time(self.text(name))


def message_from_element(element: Any) -> Message:
    """The message an element of a validated batch carries."""
    kind = etree.QName(element).localname
    a = _Attributes(element)
    try:
        record = _READERS[kind](element, a)
        return Message(a.text("id"), kind, record)
    except KeyError:
        raise BadRecordError(f"<{kind}> is not a record of the format") from None
    except ValueError as exc:
        raise BadRecordError(f"<{kind} id={element.get('id')!r}>: {exc}") from None


def _asset(_: Any, a: _Attributes) -> Record:
    return Asset(a.text("serial"), a.text("manufacturer"), a.text("model"), a.text("address"),
                 a.text("mac"), a.time("at"), a.maybe("asset-number"), a.maybe("location"),
                 a.maybe("zone"), a.maybe("engine-cycles", int), a.maybe("discovered", parse_time))


def _meters(element: Any, a: _Attributes) -> Record:
    counters = tuple(Counter(c.get("name"), int(c.get("value")), c.get("class"))
                     for c in element.iterfind(_NS + "counter"))
    r = _Attributes(element.find(_NS + "rollup"))
    rollup = RollUp(r.integer("mono-small"), r.integer("colour-small"), r.integer("mono-large"),
                    r.integer("colour-large"), r.maybe("engine-cycles", int))
    return MeterReading(a.text("serial"), a.time("read"), counters, rollup)


def _supplies(element: Any, a: _Attributes) -> Record:
    supplies = []
    for s in element.iterfind(_NS + "supply"):
        sa = _Attributes(s)
        supplies.append(Supply(sa.integer("index"), sa.text("description"), sa.text("type"),
                               sa.integer("level"), sa.integer("max-capacity"),
                               sa.maybe("colour"), sa.maybe("sku")))
    return SupplyLevels(a.text("serial"), a.time("read"), tuple(supplies))


def _alert(element: Any, a: _Attributes) -> Record:
    return AlertEvent(a.text("serial"), a.text("event"), a.text("key"), a.integer("code"),
                      a.integer("group"), a.integer("severity"), a.integer("training"),
                      element.text or "", a.time("opened"), a.maybe("cleared", parse_time),
                      a.maybe("location", int), a.maybe("vendor-code"),
                      a.maybe("engine-cycles", int))


def _change(_: Any, a: _Attributes) -> Record:
    return Change(a.text("serial"), a.text("kind"), a.time("at"), a.maybe("old"), a.maybe("new"))


def _availability(element: Any, a: _Attributes) -> Record:
    return Availability(a.text("serial"), a.text("available") in ("true", "1"), a.time("at"),
                        element.text or "", a.maybe("since", parse_time))


_READERS: dict[str, Callable[[Any, _Attributes], Record]] = {
    "asset": _asset, "meters": _meters, "supplies": _supplies, "alert": _alert,
    "change": _change, "availability": _availability}
