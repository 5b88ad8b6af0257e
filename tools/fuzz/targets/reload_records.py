"""Fuzz target: RELOAD_RECORDS data, and each reload record decoder on its own.

The whole input is tried as RELOAD_RECORDS data; then its first byte picks a record type (1..24,
wrapping) and the rest is tried as one record of that type, as given and cut or zero-filled to the
type's size, so mutations reach every field check. A decoded record must re-encode to the very
bytes it came from (layouts have one encoding) and must give a JSON-friendly ``as_dict``.
"""

from __future__ import annotations

import datetime as dt
import json

from kantech_proto.codes import DeviceModel, ManualOperation, RecordType
from kantech_proto.errors import DecodeError
from kantech_proto.records_hardware import OutputTrigger
from kantech_proto.records_modules import DscPanel, ModuleKind, ZoneType
from kantech_proto.reload_records import (
    RECORD_SIZES,
    AccessLevel,
    ActionScheduler,
    CardFlag,
    CardKt100,
    CardKt400,
    ControllerRecord,
    Day,
    DoorFlag,
    DoorRecord,
    DscModule,
    DscZone,
    DstRule,
    FloorAssignation,
    FloorButton,
    FloorDefinition,
    FloorGroup,
    FloorGroupMask,
    GlobalSystem,
    Holiday,
    Holidays,
    InputGroup,
    InputRecord,
    Interval,
    KantechDateTime,
    ModuleSerial,
    OutputRecord,
    ReaderDriver,
    Record,
    RelayGroup,
    RelayRecord,
    ReloadRecord,
    ScheduleKt100,
    ScheduleKt400,
    SerialNumber,
    ShortInterval,
    SpiBus,
    SpiModule,
    decode_record,
    decode_reload_records,
    encode_record,
    encode_reload_records,
    record_type_of,
)


def _check(record: Record, data: bytes) -> None:
    assert encode_record(record) == data, "a decoded record must re-encode to the same bytes"
    if isinstance(record, ReloadRecord):
        json.dumps(record.as_dict())


def TestOneInput(data: bytes) -> None:
    try:
        record_type, records = decode_reload_records(data)
    except DecodeError:
        pass
    else:
        assert encode_reload_records(record_type, records) == data, "packet must re-encode"
    if not data:
        return
    chosen = RecordType((data[0] - 1) % len(RecordType) + 1)
    size = RECORD_SIZES[chosen]
    for body in (data[1:], data[1: 1 + size].ljust(size, b"\x00")):
        try:
            record = decode_record(chosen, body)
        except DecodeError:
            continue
        _check(record, body)


def samples() -> list[Record]:
    """One valid, non-trivial record of every type."""
    day = dt.date(2026, 3, 2)
    return [
        GlobalSystem(0x00010203, "Site A", dst_start=DstRule(3, 2, 6), dst_end=DstRule(11, 1, 6)),
        ControllerRecord(DeviceModel.KT_400, 0, 5, 4, 4, 16, 4, 8, name="Lobby"),
        ReaderDriver(1, name="ioProx", keypad_map="0123456789*#", prompt_idle="Present card"),
        FloorAssignation((FloorButton(1, 0), FloorButton(0, 0), FloorButton(2, 9))),
        SerialNumber("KT300-000042", 3, (ModuleSerial(ModuleKind.RELAY_8, 1, "R8-1"),)),
        DscModule(DscPanel.POWER_SERIES, 1, 2, access_code="1234",
                  zones=(DscZone(1, 1, ZoneType.DELAY), DscZone(), DscZone(3, 2, ZoneType.FIRE))),
        SpiBus((SpiModule(ModuleKind.INPUT_16, 1, 17, 16),)),
        FloorDefinition(2, -1, 3, name="Parking P1"),
        DoorRecord(1, DoorFlag.RELOCK_ON_CLOSE | DoorFlag.REX_UNLOCKS, contact_input=1,
                   rex_input=2, lock_relay=1, unlock_schedule=2),
        RelayRecord(2, schedule=1),
        InputRecord(5, alarm_relay=2),
        OutputRecord(1, triggers=OutputTrigger.DOOR_FORCED | OutputTrigger.INPUT_ALARM),
        CardKt400(0x00C0FFEE, "123456", "4321", CardFlag.VALID | CardFlag.PIN_REQUIRED,
                  (1, 2, 0, 1), 1, day, dt.date(2027, 3, 1), 10, 42, "Alice"),
        CardKt100(77, "9999", access_level=3, valid_until=day),
        ScheduleKt400(1, (Interval(480, 1020, Day.MON | Day.FRI, 0b1),
                          Interval(1320, 360, Day.SAT))),
        ScheduleKt100(2, (ShortInterval(0, 1440, Day.HOLIDAY | Day.SUN),)),
        AccessLevel(1, (1, 0, 2, 2)),
        FloorGroup(1, (1, 1, 0, 3)),
        FloorGroupMask(1, frozenset({1, 2, 100, 256})),
        Holidays((Holiday(12, 25), Holiday(4, 5, 2, 2026))),
        RelayGroup(1, frozenset({1, 3})),
        InputGroup(2, frozenset({16})),
        ActionScheduler(1, ManualOperation.UNLOCK_DOOR, 1, 2, 0, 480, 0, 0, Day.MON, 0, day),
        KantechDateTime(2026, 3, 2, 8, 30, 0, 0),
    ]


def seeds() -> list[bytes]:
    out = []
    for record in samples():
        kind = record_type_of(record)
        out.append(encode_reload_records(kind, [record]))
        out.append(bytes((kind,)) + encode_record(record))
    return out
