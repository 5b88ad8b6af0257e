"""Controller events: table 12 body sizes, round trips, hand-built bytes, the paper's 17 bytes."""

import datetime as dt
import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kantech_proto.controller_events import (
    EVENT_BODY_SIZES,
    AccessResult,
    ControllerEvent,
    EventType,
    Source,
    decode_event,
    encode_event,
    event_wire_size,
)
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, DecodeError, EncodeError
from kantech_proto.event_causes import ACCESS_RESULT_CAUSES, EVENT_CAUSES

E = EventType
WHEN = KantechDateTime(2026, 11, 21, 18, 34, 5, 5)
STAMP = bytes([26, 11, 21, 18, 34, 5, 5])  # WIRE.md section 3's date/time record, by hand


def codes(first, last):
    return [E(code) for code in range(first, last + 1)]


# paper, table 12: the body bytes of each controller message row, type byte included
ACCESS_32 = codes(0x80, 0x8F)
ACCESS_BCD = codes(0x90, 0x9F)
FLOOR_32, FLOOR_BCD = [E.FLOOR_VALID, E.FLOOR_INVALID], [E.FLOOR_VALID_BCD, E.FLOOR_INVALID_BCD]
SYSTEM = codes(0x01, 0x0B)
CARD_COUNTS = [E.CARDS_INTERNAL, E.CARDS_EXTERNAL]
COMMAND = [E.COMMAND_DONE, E.COMMAND_REFUSED]
SOURCED = ([E.INPUT_SHUNTED, E.INPUT_UNSHUNTED], [E.RELAY_ACTIVATED, E.RELAY_DEACTIVATED],
           codes(0x28, 0x2B))  # shunt inputs, relay activation status, door status: 2 each
TEMP_SHUNT = [E.INPUT_TEMP_SHUNTED, E.INPUT_TEMP_SHUNT_ENDED]
SCHEDULED = [E.STANDALONE_DOOR_UNLOCKED, E.STANDALONE_DOOR_RELOCKED,
             E.STANDALONE_RELAY_ACTIVATED, E.STANDALONE_RELAY_DEACTIVATED]
ONE_BYTE = [*codes(0x20, 0x25), E.INPUT_ALARM, E.INPUT_RESTORED, *codes(0x38, 0x3A),
            E.OUTPUT_ACTIVATED, E.OUTPUT_DEACTIVATED, E.STANDALONE_DOOR_DISABLED,
            E.STANDALONE_DOOR_ENABLED]  # door, inputs in alarm, supervised, output, disabling
TABLE_12 = {
    **dict.fromkeys(SYSTEM, 4), **dict.fromkeys(COMMAND, 1), **dict.fromkeys(ONE_BYTE, 1),
    **dict.fromkeys(SOURCED[0] + SOURCED[1] + SOURCED[2], 2), **dict.fromkeys(TEMP_SHUNT, 2),
    **dict.fromkeys(CARD_COUNTS, 4), **dict.fromkeys(ACCESS_32, 5),
    **dict.fromkeys(ACCESS_BCD, 11), **dict.fromkeys(FLOOR_32, 6), **dict.fromkeys(FLOOR_BCD, 10),
    **dict.fromkeys(SCHEDULED, 2),
}


def test_every_type_has_its_table_12_body_size():
    assert EVENT_BODY_SIZES == TABLE_12
    assert set(TABLE_12) == set(EventType)


def test_access_codes_carry_the_result_in_the_low_nibble():
    for result in AccessResult:
        assert E(0x80 | result).name == "ACCESS_" + (
            "" if result.name.startswith("GRANTED") else "DENIED_") + result.name
        assert E(0x90 | result).name == E(0x80 | result).name + "_BCD"
    assert ControllerEvent.access(WHEN, 1, 5, AccessResult.EXPIRED).access_result == \
        AccessResult.EXPIRED
    assert ControllerEvent.system(WHEN, E.AC_FAIL).access_result is None


timestamps = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2255, 12, 31, 23, 59, 59)).map(
    lambda d: KantechDateTime.from_datetime(d.replace(microsecond=0)))


@st.composite
def events(draw, event_type=None):
    kind = draw(st.sampled_from(list(EventType))) if event_type is None else event_type
    body = {}
    if kind in ACCESS_32 + FLOOR_32:
        body["card_number"] = draw(st.integers(0, 0xFFFFFFFF))
    if kind in ACCESS_BCD + FLOOR_BCD:
        body["card_digits"] = draw(st.text("0123456789", min_size=1,
                                           max_size=20 if kind in ACCESS_BCD else 16))
    if kind in FLOOR_32 + FLOOR_BCD:
        body["floor"] = draw(st.integers(1, 255))
    if kind in SOURCED[0] + SOURCED[1] + SOURCED[2]:
        body["source"] = draw(st.sampled_from(Source))
    if kind in SCHEDULED:
        body["schedule"] = draw(st.integers(1, 255))
    if kind in TEMP_SHUNT:
        body["minutes"] = draw(st.integers(0, 255))
    if kind in SYSTEM + CARD_COUNTS:
        body["value"] = draw(st.integers(0, 0xFFFFFF))
    lowest = 0 if kind in SYSTEM + CARD_COUNTS + COMMAND else 1
    return ControllerEvent(draw(timestamps), draw(st.integers(lowest, 255)), kind, **body)


@pytest.mark.parametrize("event_type", list(EventType))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_round_trip_every_type(event_type, data):
    event = data.draw(events(event_type))
    wire = encode_event(event)
    assert len(wire) == 7 + 1 + TABLE_12[event_type] == event_wire_size(event_type, serial=False)
    assert wire[:7] == event.timestamp.encode() and wire[8] == event_type
    assert decode_event(wire) == event
    json.dumps(event.as_dict())


def _outcome(data, plain):
    try:
        return decode_event(data, plain=plain)
    except DecodeError as exc:
        return type(exc)


@settings(max_examples=300, deadline=None)
@given(event=events(), spot=st.integers(0, 30), byte=st.integers(0, 255), noise=st.binary(
    min_size=9, max_size=20))
def test_compiled_and_plain_layouts_agree(event, spot, byte, noise):
    wire = encode_event(event)
    mutated = bytearray(wire)
    mutated[spot % len(wire)] = byte
    for data in (wire, bytes(mutated), noise, STAMP + b"\x01" + noise[:1] + noise):
        assert _outcome(data, plain=False) == _outcome(data, plain=True)


def test_paper_17_bytes_per_access():
    event = ControllerEvent.access(WHEN, 1, 0x00C0FFEE)
    wire = encode_event(event)
    assert wire == STAMP + struct.pack(">BBI", 1, 0x80, 0x00C0FFEE)
    assert len(wire) == 7 + 1 + 5 == 13
    assert event_wire_size(E.ACCESS_GRANTED) == 17 == len(wire) + 4
    assert event_wire_size(E.ACCESS_GRANTED_BCD) == 7 + 1 + 11 + 4


def test_known_answers():
    bcd = ControllerEvent.access(WHEN, 2, "0123456789", AccessResult.LOST_STOLEN)
    assert encode_event(bcd) == STAMP + b"\x02\x96" + bytes.fromhex("0123456789ffffffffff")
    floor = ControllerEvent.floor_selection(WHEN, 1, 77, 12, valid=False)
    assert encode_event(floor) == STAMP + struct.pack(">BBIB", 1, 0xA1, 77, 12)
    floor_bcd = ControllerEvent.floor_selection(WHEN, 1, "4321", 3)
    assert encode_event(floor_bcd) == STAMP + b"\x01\xb0\x43\x21" + b"\xff" * 6 + b"\x03"
    status = ControllerEvent(WHEN, 3, E.DOOR_UNLOCKED_TIMED, source=Source.MANUAL)
    assert encode_event(status) == STAMP + bytes([3, 0x2A, 1])
    power = ControllerEvent.system(WHEN, E.POWER_UP, value=0x020007)  # firmware 2.0.7
    assert encode_event(power) == STAMP + bytes([0, 0x01, 2, 0, 7])
    assert encode_event(ControllerEvent(WHEN, 4, E.DOOR_FORCED_OPEN)) == STAMP + b"\x04\x22"
    for event in (bcd, floor, floor_bcd, status, power):
        assert decode_event(encode_event(event)) == event
    assert bcd.as_dict()["access_result"] == "LOST_STOLEN"
    assert status.as_dict()["source"] == "MANUAL"


def _event(component, body):
    return STAMP + bytes([component]) + body


@pytest.mark.parametrize(("data", "error"), [
    (b"", BadDataSizeError),
    (STAMP + b"\x01", BadDataSizeError),  # no message type
    (_event(1, b"\x00"), BadFieldError),  # type 0 is not defined
    (_event(1, b"\x7f"), BadFieldError),
    (_event(1, b"\xff\x00\x00\x00\x00"), BadFieldError),
    (_event(1, b"\x80\x00\x00\x00"), BadDataSizeError),  # a 32-bit access body is 5 bytes
    (_event(1, b"\x80\x00\x00\x00\x01\x00"), BadDataSizeError),
    (_event(1, b"\x22\x00"), BadDataSizeError),  # a door report is its type byte alone
    (bytes([26, 13, 1, 0, 0, 0, 0]) + b"\x01\x22", BadFieldError),  # month 13
    (_event(0, b"\x22"), BadFieldError),  # a door report names a door
    (_event(1, b"\x29\x09"), BadFieldError),  # source 9
    (_event(1, b"\x90" + bytes.fromhex("12a4ffffffffffffffff")), BadFieldError),  # nibble A
    (_event(1, b"\x90" + bytes.fromhex("12f4ffffffffffffffff")), BadFieldError),  # after filler
    (_event(1, b"\x90" + b"\xff" * 10), BadFieldError),  # no digit at all
    (_event(1, b"\xa0\x00\x00\x00\x01\x00"), BadFieldError),  # floor 0
    (_event(1, b"\x50\x00"), BadFieldError),  # stand-alone unlock by schedule 0
])
def test_bad_bytes_raise_the_precise_error(data, error):
    with pytest.raises(error):
        decode_event(data)


@pytest.mark.parametrize("event", [
    ControllerEvent(WHEN, 1, E.ACCESS_GRANTED),  # no card number
    ControllerEvent(WHEN, 1, E.DOOR_OPENED, card_number=5),  # a field the body does not have
    ControllerEvent(WHEN, 0, E.DOOR_OPENED),
    ControllerEvent(WHEN, 256, E.AC_FAIL, value=0),
    ControllerEvent.access(WHEN, 1, 1 << 32),
    ControllerEvent.access(WHEN, 1, "1" * 21),
    ControllerEvent.access(WHEN, 1, ""),
    ControllerEvent.access(WHEN, 1, "12x"),
    ControllerEvent.floor_selection(WHEN, 1, "1" * 17, 1),
    ControllerEvent.floor_selection(WHEN, 1, 5, 0),
    ControllerEvent.system(WHEN, E.RELOAD_DONE, value=1 << 24),
    ControllerEvent(WHEN, 1, E.RELAY_ACTIVATED, source=0),  # type: ignore[arg-type]
    ControllerEvent(WHEN, 1, 0x7F),  # type: ignore[arg-type]
    ControllerEvent(KantechDateTime(1999, 1, 1, 0, 0, 0, 4), 1, E.DOOR_OPENED),
])
def test_unencodable_events_are_encode_errors(event):
    with pytest.raises(EncodeError):
        encode_event(event)


def test_every_event_type_and_access_result_says_what_causes_it():
    assert set(EVENT_CAUSES) == set(EventType)
    assert set(ACCESS_RESULT_CAUSES) == set(AccessResult)
    assert all(text and "\n" not in text for text in EVENT_CAUSES.values())
    assert "anti-passback" in EVENT_CAUSES[E.ACCESS_GRANTED_PASSBACK_BCD]
