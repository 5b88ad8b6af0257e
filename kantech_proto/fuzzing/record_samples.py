"""One valid, non-trivial object of every kind the parsers read: reload records (every record
type) and controller events (every row of WIRE.md's table 12). The corpora encode them; a test
or a harness can also use them as they are (properties, round trips)."""

from __future__ import annotations

import datetime as dt

from kantech_proto.codes import DeviceModel, ManualOperation
from kantech_proto.controller_events import (
    AccessResult,
    ControllerEvent,
    EventType,
    Source,
)
from kantech_proto.records_hardware import OutputTrigger
from kantech_proto.records_modules import DscPanel, ModuleKind, ZoneType
from kantech_proto.reload_records import (
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
    ScheduleKt100,
    ScheduleKt400,
    SerialNumber,
    ShortInterval,
    SpiBus,
    SpiModule,
)

WHEN = KantechDateTime(2026, 11, 21, 9, 30, 0, 5)


def record_samples() -> list[Record]:
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


def event_samples() -> list[ControllerEvent]:
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
