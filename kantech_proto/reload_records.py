"""The 24 reload record types of WIRE.md section 4 and the RELOAD_RECORDS packet that carries them.

The layouts live by theme in ``records_access`` (cards, schedules, access levels, holidays, floor
groups), ``records_hardware`` (doors, relays, inputs, outputs, groups, actions, floors),
``records_system`` (site, controller, reader drivers) and ``records_modules`` (serial numbers,
DSC panel, SPI bus); the date/time record is the shared ``KantechDateTime``. This module is the
one place the rest of protolab imports from.

RELOAD_RECORDS data is ``u8 record type, u8 count, count records of that type's size``, so one
packet carries one type; ``max_records_per_packet`` tells a gateway how to batch a reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from kantech_proto import records_behaviour  # noqa: F401  registers CONTROLLER_BEHAVIOUR
from kantech_proto.codes import RecordType
from kantech_proto.datetime_record import DateTimeStruct, KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, EncodeError
from kantech_proto.records_access import (
    AccessLevel,
    CardFlag,
    CardKt100,
    CardKt400,
    Day,
    FloorGroup,
    FloorGroupMask,
    Holiday,
    Holidays,
    Interval,
    ScheduleKt100,
    ScheduleKt400,
    ShortCardFlag,
    ShortInterval,
)
from kantech_proto.records_base import CONTROLLER_BEHAVIOUR, RECORD_SIZES, REGISTRY, ReloadRecord
from kantech_proto.records_hardware import (
    ActionScheduler,
    DoorFlag,
    DoorRecord,
    FloorAssignation,
    FloorButton,
    FloorDefinition,
    InputGroup,
    InputRecord,
    OutputRecord,
    RelayGroup,
    RelayRecord,
)
from kantech_proto.records_modules import (
    DscModule,
    DscZone,
    ModuleSerial,
    SerialNumber,
    SpiBus,
    SpiModule,
)
from kantech_proto.records_system import ControllerRecord, DstRule, GlobalSystem, ReaderDriver

__all__ = [
    "CONTROLLER_BEHAVIOUR", "IP_DATA_BUDGET", "RECORD_CLASSES", "RECORD_LAYOUTS", "RECORD_SIZES",
    "SERIAL_DATA_BUDGET",
    "AccessLevel", "ActionScheduler", "CardFlag", "CardKt100", "CardKt400", "ControllerRecord",
    "Day", "DoorFlag", "DoorRecord", "DscModule", "DscZone", "DstRule", "FloorAssignation",
    "FloorButton", "FloorDefinition", "FloorGroup", "FloorGroupMask", "GlobalSystem", "Holiday",
    "Holidays", "InputGroup", "InputRecord", "Interval", "KantechDateTime", "ModuleSerial",
    "OutputRecord", "ReaderDriver", "Record", "RelayGroup", "RelayRecord", "ReloadRecord",
    "ScheduleKt100", "ScheduleKt400", "SerialNumber", "ShortCardFlag", "ShortInterval", "SpiBus",
    "SpiModule", "decode_record", "decode_reload_records", "encode_record",
    "encode_reload_records", "max_records_per_packet", "record_type_of",
]

Record: TypeAlias = ReloadRecord | KantechDateTime

RECORD_CLASSES: dict[RecordType, type[Any]] = {
    **{t: REGISTRY[t] for t in RecordType if t in REGISTRY},
    RecordType.DATE_TIME: KantechDateTime,
}
#: the plain Construct schema of every type, the reference the compiled parsers must agree with
RECORD_LAYOUTS: dict[RecordType, Any] = {
    **{t: cls.STRUCT for t, cls in REGISTRY.items()}, RecordType.DATE_TIME: DateTimeStruct,
}
assert set(RECORD_CLASSES) == set(RecordType) == set(RECORD_SIZES)

#: most data bytes one IP frame carries: a frame is at most 4096 bytes, of which 9 are framing,
#: leaving 255 AES blocks (4080 bytes) of plaintext, 15 of them the plaintext header
IP_DATA_BUDGET = 4065
#: a serial frame's length byte: at most 255 data bytes. A 512-byte FLOOR_ASSIGNATION record
#: (2 + 512 bytes) therefore cannot travel over a serial loop.
SERIAL_DATA_BUDGET = 255
_HEADER = 2


def _known_type(value: RecordType | int, error: type[Exception]) -> RecordType:
    try:
        return RecordType(value)
    except ValueError:
        raise error(f"unknown reload record type {value!r}") from None


def record_type_of(record: Record) -> RecordType:
    if isinstance(record, ReloadRecord):
        return record.TYPE
    if isinstance(record, KantechDateTime):
        return RecordType.DATE_TIME
    raise EncodeError(f"{record!r} is not a reload record")


def encode_record(record: Record) -> bytes:
    """The record's exact-size bytes; EncodeError for anything that does not fit its layout."""
    record_type_of(record)
    return record.encode()


def decode_record(record_type: RecordType | int, data: bytes) -> Record:
    """One record of ``record_type`` from exactly its size in bytes."""
    cls = RECORD_CLASSES[_known_type(record_type, BadFieldError)]
    decoded: Record = cls.decode(data)
    return decoded


def encode_reload_records(record_type: RecordType | int, records: Sequence[Record]) -> bytes:
    """RELOAD_RECORDS data for 1..255 records, all of ``record_type``."""
    kind = _known_type(record_type, EncodeError)
    if not 1 <= len(records) <= 255:
        raise EncodeError(f"a RELOAD_RECORDS packet carries 1..255 records, not {len(records)}")
    for record in records:
        if record_type_of(record) != kind:
            raise EncodeError(f"a {record_type_of(record).name} record in a {kind.name} packet")
    return bytes((kind, len(records))) + b"".join(record.encode() for record in records)


def decode_reload_records(data: bytes) -> tuple[RecordType, list[Record]]:
    """The record type and the records of RELOAD_RECORDS data (exactly, no padding)."""
    if len(data) < _HEADER:
        raise BadDataSizeError(f"RELOAD_RECORDS needs a record type and a count, got {len(data)}"
                               " bytes")
    kind = _known_type(data[0], BadFieldError)
    count, size = data[1], RECORD_SIZES[kind]
    if count == 0:
        raise BadFieldError("a RELOAD_RECORDS packet carries at least one record")
    if len(data) != _HEADER + count * size:
        raise BadDataSizeError(f"{count} {kind.name} records are {count * size} bytes, got "
                               f"{len(data) - _HEADER}")
    cls = RECORD_CLASSES[kind]
    return kind, [cls.decode(data[i: i + size]) for i in range(_HEADER, len(data), size)]


def max_records_per_packet(record_type: RecordType | int, max_data_bytes: int) -> int:
    """How many records of a type one packet of at most ``max_data_bytes`` data bytes holds.

    Pass ``IP_DATA_BUDGET`` or ``SERIAL_DATA_BUDGET`` (or less, to leave room); EncodeError when
    not even one record fits, so a batching loop cannot spin on zero.
    """
    kind = _known_type(record_type, EncodeError)
    fits = min(255, (max_data_bytes - _HEADER) // RECORD_SIZES[kind])
    if fits < 1:
        raise EncodeError(f"a {kind.name} record ({RECORD_SIZES[kind]} bytes) does not fit "
                          f"{max_data_bytes} data bytes")
    return fits
