"""Controller events: the data of an EVENT command (WIRE.md section 5, paper table 12).

Data = date/time (7) + component index (1) + body, the body's first byte being the message type
(``EventType``) and its size fixed by the type's table 12 row. One dataclass carries every kind:
the body fields a type's row does not have stay ``None``, so an event is built and compared the
same way whatever its row, and the encoder can refuse a field the wire would drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kantech_proto.datetime_record import DATETIME_SIZE, KantechDateTime
from kantech_proto.errors import (
    BadDataSizeError,
    BadFieldError,
    DecodeError,
    EncodeError,
    FieldValueError,
)
from kantech_proto.event_types import (
    ACCESS_BCD,
    EVENT_BODY_SIZES,
    EVENT_ROWS,
    AccessResult,
    EventType,
    Row,
    Source,
    access_event_type,
    access_result_of,
)
from kantech_proto.record_kinds import decode_bcd, encode_bcd

__all__ = [
    "EVENT_BODY_SIZES", "EVENT_HEADER_SIZE", "SERIAL_OVERHEAD", "AccessResult", "ControllerEvent",
    "EventType", "Source", "decode_event", "encode_event", "event_wire_size",
]

EVENT_HEADER_SIZE = DATETIME_SIZE + 1
SERIAL_OVERHEAD = 4  # address, command, length, checksum (WIRE.md section 2)
BODY_FIELDS = ("card_number", "card_digits", "floor", "source", "schedule", "minutes", "value")
_LIMITS = {"card_number": (0, 0xFFFFFFFF), "floor": (1, 255), "schedule": (1, 255),
           "minutes": (0, 255), "value": (0, 0xFFFFFF)}


def _digits_size(row: Row) -> int:
    return 10 if row is ACCESS_BCD else 8


@dataclass(frozen=True, slots=True)
class ControllerEvent:
    """One event as a controller reports it; ``component`` 0 only for controller-wide rows."""

    timestamp: KantechDateTime
    component: int
    event_type: EventType
    card_number: int | None = None  # access / floor results, 32-bit card
    card_digits: str | None = None  # access / floor results, BCD card (20 / 16 digits at most)
    floor: int | None = None  # floor selection results
    source: Source | None = None  # door and relay status, shunt reports
    schedule: int | None = None  # stand-alone unlock and relay reports
    minutes: int | None = None  # temporary shunt reports
    value: int | None = None  # system reports, card counts (24 bits)

    @classmethod
    def access(cls, timestamp: KantechDateTime, door: int, card: int | str,
               result: AccessResult = AccessResult.GRANTED) -> ControllerEvent:
        """An access request result: an int card is the 32-bit form, a str of digits the BCD."""
        if isinstance(card, str):
            return cls(timestamp, door, access_event_type(result, bcd=True), card_digits=card)
        return cls(timestamp, door, access_event_type(result), card_number=card)

    @classmethod
    def floor_selection(cls, timestamp: KantechDateTime, door: int, card: int | str, floor: int,
                        valid: bool = True) -> ControllerEvent:
        if isinstance(card, str):
            kind = EventType.FLOOR_VALID_BCD if valid else EventType.FLOOR_INVALID_BCD
            return cls(timestamp, door, kind, card_digits=card, floor=floor)
        kind = EventType.FLOOR_VALID if valid else EventType.FLOOR_INVALID
        return cls(timestamp, door, kind, card_number=card, floor=floor)

    @classmethod
    def system(cls, timestamp: KantechDateTime, event_type: EventType,
               value: int = 0) -> ControllerEvent:
        """A controller-wide report (system report or card count), component 0."""
        return cls(timestamp, 0, event_type, value=value)

    @property
    def row(self) -> Row:
        return EVENT_ROWS[self.event_type]

    @property
    def access_result(self) -> AccessResult | None:
        return access_result_of(self.event_type)

    def encode(self) -> bytes:
        return encode_event(self)

    @classmethod
    def decode(cls, data: bytes, *, plain: bool = False) -> ControllerEvent:
        return decode_event(data, plain=plain)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "timestamp": self.timestamp.as_json(), "component": self.component,
            "event_type": self.event_type.name, "code": f"0x{int(self.event_type):02x}",
            "row": self.row.title,
        }
        for name in self.row.fields:
            value = getattr(self, name)
            out[name] = value.name if isinstance(value, Source) else value
        if self.access_result is not None:
            out["access_result"] = self.access_result.name
        return out


def _check_component(row: Row, component: int) -> None:
    lowest = 0 if row.controller_wide else 1
    if not lowest <= component <= 255:
        raise FieldValueError(f"component {component} is outside {lowest}..255 for a {row.title}")


def _body_to_wire(row: Row, name: str, value: Any) -> Any:
    if name == "card_digits":
        if not isinstance(value, str) or not value:
            raise FieldValueError(f"card_digits must be 1..{2 * _digits_size(row)} digits")
        return encode_bcd(value, _digits_size(row))
    if name == "source":
        return int(Source(value))
    if not isinstance(value, int) or isinstance(value, bool):
        raise FieldValueError(f"{name} must be an integer, got {value!r}")
    lo, hi = _LIMITS[name]
    if not lo <= value <= hi:
        raise FieldValueError(f"{name} {value} is outside {lo}..{hi}")
    return value


def _body_from_wire(name: str, raw: Any) -> Any:
    if name == "card_digits":
        digits = decode_bcd(bytes(raw))
        if not digits:
            raise FieldValueError("a BCD card number has at least one digit")
        return digits
    if name == "source":
        return Source(raw)
    lo, hi = _LIMITS[name]
    if not lo <= raw <= hi:
        raise FieldValueError(f"{name} {raw} is outside {lo}..{hi}")
    return raw


def encode_event(event: ControllerEvent) -> bytes:
    """EVENT data: exactly 7 + 1 + the type's body size; EncodeError for what does not fit."""
    try:
        row = EVENT_ROWS[EventType(event.event_type)]
    except ValueError:
        raise EncodeError(f"unknown event type {event.event_type!r}") from None
    try:
        _check_component(row, event.component)
        raw: dict[str, Any] = {"event_type": int(event.event_type)}
        for name in BODY_FIELDS:
            value = getattr(event, name)
            if name in row.fields:
                if value is None:
                    raise FieldValueError(f"the {row.title} body needs {name}")
                raw[name] = _body_to_wire(row, name, value)
            elif value is not None:
                raise FieldValueError(f"the {row.title} body has no {name} (got {value!r})")
        body = row.layout.build(raw)
    except (FieldValueError, ValueError, TypeError) as exc:
        raise EncodeError(f"{event.event_type!r}: {exc}") from None
    return event.timestamp.encode() + bytes((event.component,)) + body


def decode_event(data: bytes, *, plain: bool = False) -> ControllerEvent:
    """One event from exactly its bytes; ``plain`` parses with the reference (uncompiled) layout."""
    if len(data) <= EVENT_HEADER_SIZE:
        raise BadDataSizeError(f"an event needs a date/time, a component and a message type, "
                               f"got {len(data)} bytes")
    code = data[EVENT_HEADER_SIZE]
    try:
        event_type = EventType(code)
    except ValueError:
        raise BadFieldError(f"unknown event message type 0x{code:02x}") from None
    row = EVENT_ROWS[event_type]
    if len(data) != EVENT_HEADER_SIZE + row.size:
        raise BadDataSizeError(f"a {event_type.name} event is {EVENT_HEADER_SIZE + row.size} "
                               f"bytes, got {len(data)}")
    timestamp = KantechDateTime.decode(bytes(data[:DATETIME_SIZE]))
    try:
        raw = row.parse(bytes(data[EVENT_HEADER_SIZE:]), plain=plain)
    except Exception as exc:  # compiled parsers leak struct.error and friends
        raise DecodeError(f"{event_type.name} body does not parse: {exc}") from None
    try:
        _check_component(row, data[DATETIME_SIZE])
        body = {name: _body_from_wire(name, raw[name]) for name in row.fields}
    except (FieldValueError, ValueError) as exc:
        raise BadFieldError(f"{event_type.name}: {exc}") from None
    return ControllerEvent(timestamp, data[DATETIME_SIZE], event_type, **body)


def event_wire_size(event_type: EventType | int, serial: bool = True) -> int:
    """Bytes one event costs: 7 + 1 + body, plus the serial frame's 4 when ``serial``.

    The paper's example: an access with a 32-bit card is 7 + 1 + 5 = 13, 17 on the serial link.
    """
    size = EVENT_HEADER_SIZE + EVENT_BODY_SIZES[EventType(event_type)]
    return size + SERIAL_OVERHEAD if serial else size

