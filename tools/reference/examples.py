"""One example of every reload record type and every event type, encoded by kantech_proto's
own encoders: the hex a gateway author can compare byte for byte with what their code builds."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from kantech_proto.codes import DeviceModel, ManualOperation, RecordType
from kantech_proto.controller_events import ControllerEvent, encode_event
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import EVENT_ROWS, AccessResult, EventType, Source, access_result_of
from kantech_proto.records_access import (
    EVERY_DAY,
    WEEKDAYS,
    AccessLevel,
    CardFlag,
    CardKt100,
    CardKt400,
    Day,
    Holiday,
    Holidays,
    Interval,
    ScheduleKt100,
    ScheduleKt400,
    ShortInterval,
)
from kantech_proto.records_actions import ActionFlag, ActionScheduler, InputGroup, RelayGroup
from kantech_proto.records_elevator import (
    FloorAssignation,
    FloorButton,
    FloorDefinition,
    FloorGroup,
    FloorGroupMask,
)
from kantech_proto.records_hardware import (
    DoorFlag,
    DoorRecord,
    InputRecord,
    OutputRecord,
    OutputTrigger,
    ReaderMode,
    RelayRecord,
)
from kantech_proto.records_modules import (
    DscModule,
    DscPanel,
    DscZone,
    ModuleKind,
    ModuleSerial,
    SerialNumber,
    SpiBus,
    SpiModule,
    ZoneType,
)
from kantech_proto.records_system import ControllerRecord, DstRule, GlobalSystem, ReaderDriver
from kantech_proto.reload_records import encode_record

STAMP = KantechDateTime(2026, 3, 2, 8, 30, 15, 0)

RECORDS: dict[RecordType, Any] = {
    RecordType.GLOBAL_SYSTEM: GlobalSystem(4242, "Protolab HQ", utc_offset=-300,
                                           dst_start=DstRule(3, 2, 6, 2),
                                           dst_end=DstRule(11, 1, 6, 2)),
    RecordType.CONTROLLER: ControllerRecord(DeviceModel.KT_400, first_site_door=1, door_count=2,
                                            relay_count=4, input_count=16, output_count=4,
                                            reader_count=2, name="Front building"),
    RecordType.READER_DRIVER: ReaderDriver(1, name="Wiegand 26", prompt_idle="Present card"),
    RecordType.FLOOR_ASSIGNATION: FloorAssignation((FloorButton(1, 9), FloorButton(2, 10))),
    RecordType.SERIAL_NUMBER: SerialNumber("KT300-000042", 3, (
        ModuleSerial(ModuleKind.RELAY_8, 1, "REL8-0007"),)),
    RecordType.DSC_MODULE: DscModule(DscPanel.POWER_SERIES, 1, 2, access_code="1234",
                                     zones=(DscZone(5, 1, ZoneType.DELAY),)),
    RecordType.SPI_MODULE: SpiBus((SpiModule(ModuleKind.INPUT_16, 1, 17, 16),)),
    RecordType.FLOOR_DEFINITION: FloorDefinition(3, 3, name="Third floor"),
    RecordType.DOOR: DoorRecord(1, DoorFlag.PASSBACK | DoorFlag.PASSBACK_SOFT, unlock_time=5,
                                open_time=30, unlock_schedule=2, entry_reader=1, exit_reader=2,
                                reader_mode=ReaderMode.CARD_AND_PIN),
    RecordType.RELAY: RelayRecord(2, pulse_time=10),
    RecordType.INPUT: InputRecord(5, alarm_delay=15),
    RecordType.OUTPUT: OutputRecord(1, on_time=30,
                                    triggers=OutputTrigger.DOOR_FORCED | OutputTrigger.DURESS),
    RecordType.CARD_KT400: CardKt400(1001, pin="1234", flags=CardFlag.VALID,
                                     access_levels=(1, 1, 0, 2),
                                     valid_until=_dt.date(2027, 12, 31), user_name="A. Tester"),
    RecordType.CARD_KT100: CardKt100(2002, access_level=1),
    RecordType.SCHEDULE_KT400: ScheduleKt400(1, (Interval(8 * 60, 18 * 60, WEEKDAYS),
                                                 Interval(9 * 60, 12 * 60, Day.SAT))),
    RecordType.SCHEDULE_KT100: ScheduleKt100(1, (ShortInterval(0, 1440, EVERY_DAY),)),
    RecordType.ACCESS_LEVEL: AccessLevel(1, (1, 1, 2)),
    RecordType.FLOOR_GROUP: FloorGroup(1, (1, 0, 1)),
    RecordType.FLOOR_GROUP_MASK: FloorGroupMask(1, frozenset({1, 3})),
    RecordType.HOLIDAYS: Holidays((Holiday(12, 25), Holiday(7, 1, 2, 2026))),
    RecordType.RELAY_GROUP: RelayGroup(1, frozenset({1, 2})),
    RecordType.INPUT_GROUP: InputGroup(1, frozenset({3, 4, 5})),
    RecordType.ACTION_SCHEDULER: ActionScheduler(1, ManualOperation.UNLOCK_DOOR_TIMED, 1, 1,
                                                 3600, at=8 * 60, days=WEEKDAYS,
                                                 flags=ActionFlag.REPORT),
    RecordType.DATE_TIME: STAMP,
}


def record_hex(record_type: RecordType) -> str:
    return encode_record(RECORDS[record_type]).hex()


def example_event(event_type: EventType) -> ControllerEvent:
    """A plausible event of ``event_type`` (door or point 1, card 1001, floor 3 ...)."""
    row = EVENT_ROWS[event_type]
    values: dict[str, Any] = {}
    for name in row.fields:
        values[name] = {"card_number": 1001, "card_digits": "123456789012", "floor": 3,
                        "source": Source.MANUAL, "schedule": 2, "minutes": 15,
                        "value": 5}[name]
    component = 0 if row.controller_wide else 1
    return ControllerEvent(STAMP, component, event_type, **values)


def event_hex(event_type: EventType) -> str:
    return encode_event(example_event(event_type)).hex()


def access_meaning(event_type: EventType) -> str:
    result = access_result_of(event_type)
    return "" if result is None else f"access result {AccessResult(result).name}"
