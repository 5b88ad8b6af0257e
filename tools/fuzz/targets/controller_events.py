"""Fuzz target: the EVENT data decoder.

A decoded event must re-encode to the very bytes it came from (one encoding per event) and give
a JSON-friendly ``as_dict``.
"""

from __future__ import annotations

import json

from kantech_proto.controller_events import (
    AccessResult,
    ControllerEvent,
    EventType,
    Source,
    decode_event,
    encode_event,
)
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import DecodeError

WHEN = KantechDateTime(2026, 11, 21, 9, 30, 0, 5)


def TestOneInput(data: bytes) -> None:
    try:
        event = decode_event(data)
    except DecodeError:
        return
    assert encode_event(event) == data, "a decoded event must re-encode to the same bytes"
    json.dumps(event.as_dict())


def samples() -> list[ControllerEvent]:
    """One event of every table 12 row."""
    e = EventType
    return [
        ControllerEvent.system(WHEN, e.POWER_UP, 0x020007),
        ControllerEvent(WHEN, 1, e.COMMAND_DONE),
        ControllerEvent.system(WHEN, e.CARDS_INTERNAL, 5000),
        ControllerEvent(WHEN, 2, e.DOOR_FORCED_OPEN),
        ControllerEvent(WHEN, 1, e.DOOR_UNLOCKED, source=Source.SCHEDULE),
        ControllerEvent(WHEN, 7, e.INPUT_ALARM),
        ControllerEvent(WHEN, 7, e.INPUT_SHUNTED, source=Source.MANUAL),
        ControllerEvent(WHEN, 7, e.INPUT_TEMP_SHUNTED, minutes=5),
        ControllerEvent(WHEN, 8, e.INPUT_TROUBLE_SHORT),
        ControllerEvent(WHEN, 3, e.RELAY_ACTIVATED, source=Source.INPUT),
        ControllerEvent(WHEN, 1, e.OUTPUT_ACTIVATED),
        ControllerEvent(WHEN, 1, e.STANDALONE_DOOR_UNLOCKED, schedule=4),
        ControllerEvent(WHEN, 1, e.STANDALONE_DOOR_DISABLED),
        ControllerEvent(WHEN, 2, e.STANDALONE_RELAY_ACTIVATED, schedule=1),
        ControllerEvent.access(WHEN, 1, 0x00C0FFEE),
        ControllerEvent.access(WHEN, 2, "00123456789", AccessResult.OUTSIDE_SCHEDULE),
        ControllerEvent.floor_selection(WHEN, 1, 42, 12),
        ControllerEvent.floor_selection(WHEN, 1, "4242", 3, valid=False),
    ]


def seeds() -> list[bytes]:
    return [encode_event(event) for event in samples()]
