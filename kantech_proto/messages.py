"""One typed message per WIRE.md section 3 command, with its data layout.

The plaintext carries no data length: the command's layout says where data ends and zero padding
begins. ``measure_data`` encodes that rule in one place for the IP frame codec.
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, ClassVar, TypeAlias

import construct as c

from kantech_proto.codes import Command, ComponentKind, DeviceModel, ManualOperation, NakReason
from kantech_proto.controller_events import (
    EVENT_BODY_SIZES,
    ControllerEvent,
    decode_event,
    encode_event,
)
from kantech_proto.controller_status import (
    COMPONENT_RESULT_SIZE,
    STATUS_SIZE,
    ComponentResult,
    ControllerStatus,
)
from kantech_proto.datetime_record import DATETIME_SIZE, KantechDateTime
from kantech_proto.errors import (
    BadDataSizeError,
    BadFieldError,
    DecodeError,
    EncodeError,
    UnknownCommandError,
)
from kantech_proto.reload_records import RECORD_SIZES, decode_reload_records, encode_reload_records
from kantech_proto.serial_frame import Presence, SerialFrame, decode_serial_frame, encode_presence

FIRMWARE_CHUNK = 128
SERIAL_NUMBER_SIZE = 16

AnnounceStruct = c.Struct(
    "model" / c.Int8ub,
    "firmware" / c.Array(3, c.Int8ub),
    "serial_number" / c.Bytes(SERIAL_NUMBER_SIZE),
    "ip" / c.Bytes(4),
    "netmask" / c.Bytes(4),
    "gateway" / c.Bytes(4),
)
ManualOpStruct = c.Struct(
    "operation" / c.Int8ub,
    "kind" / c.Int8ub,
    "first_index" / c.Int8ub,
    "count" / c.Int8ub,
    "duration" / c.Int16ub,
)
FirmwareBlockStruct = c.Struct("block_number" / c.Int16ub, "chunk" / c.Bytes(FIRMWARE_CHUNK))
FirmwareEndStruct = c.Struct("block_count" / c.Int16ub, "crc32" / c.Int32ub)

_ANNOUNCE = AnnounceStruct.compile()
_MANUAL_OP = ManualOpStruct.compile()
_FIRMWARE_BLOCK = FirmwareBlockStruct.compile()
_FIRMWARE_END = FirmwareEndStruct.compile()


def _parse(parser: Any, data: bytes, what: str) -> Any:
    try:
        return parser.parse(data)
    except Exception as exc:  # compiled parsers leak struct.error and friends
        raise DecodeError(f"{what} does not parse: {exc}") from None


@dataclass(frozen=True, slots=True)
class Pulse:
    """Heartbeat; bit 0 tells the gateway to come and fetch events."""

    COMMAND: ClassVar[Command] = Command.PULSE
    events_waiting: bool = False

    def encode_data(self) -> bytes:
        return b"\x01" if self.events_waiting else b"\x00"

    @classmethod
    def decode_data(cls, data: bytes) -> Pulse:
        if data[0] > 1:
            raise BadFieldError(f"PULSE flags 0x{data[0]:02x}: only bit 0 is defined")
        return cls(bool(data[0]))


@dataclass(frozen=True, slots=True)
class _Empty:
    def encode_data(self) -> bytes:
        return b""

    @classmethod
    def decode_data(cls, data: bytes) -> Any:
        return cls()


@dataclass(frozen=True, slots=True)
class Discover(_Empty):
    COMMAND: ClassVar[Command] = Command.DISCOVER


@dataclass(frozen=True, slots=True)
class Ack(_Empty):
    COMMAND: ClassVar[Command] = Command.ACK


@dataclass(frozen=True, slots=True)
class Poll(_Empty):
    COMMAND: ClassVar[Command] = Command.POLL


@dataclass(frozen=True, slots=True)
class StatusQuery(_Empty):
    COMMAND: ClassVar[Command] = Command.STATUS_QUERY


@dataclass(frozen=True, slots=True)
class Announce:
    """A device telling who it is: sent at start-up and in answer to DISCOVER."""

    COMMAND: ClassVar[Command] = Command.ANNOUNCE
    model: DeviceModel
    firmware: tuple[int, int, int]
    serial_number: str
    ip: ipaddress.IPv4Address
    netmask: ipaddress.IPv4Address
    gateway: ipaddress.IPv4Address

    def encode_data(self) -> bytes:
        try:
            serial = self.serial_number.encode("ascii")
        except UnicodeEncodeError:
            raise EncodeError("serial number must be ASCII") from None
        if len(serial) > SERIAL_NUMBER_SIZE or b"\x00" in serial:
            raise EncodeError(f"serial number must be 0..16 ASCII characters: {self.serial_number!r}")
        if any(not 0 <= part <= 255 for part in self.firmware):
            raise EncodeError(f"firmware parts must be 0..255: {self.firmware}")
        return AnnounceStruct.build({
            "model": int(self.model), "firmware": list(self.firmware),
            "serial_number": serial.ljust(SERIAL_NUMBER_SIZE, b"\x00"),
            "ip": self.ip.packed, "netmask": self.netmask.packed, "gateway": self.gateway.packed,
        })

    @classmethod
    def decode_data(cls, data: bytes) -> Announce:
        raw = _parse(_ANNOUNCE, data, "ANNOUNCE")
        try:
            model = DeviceModel(raw.model)
        except ValueError:
            raise BadFieldError(f"unknown device model {raw.model}") from None
        serial = bytes(raw.serial_number).rstrip(b"\x00")
        if b"\x00" in serial or any(b > 0x7E or b < 0x20 for b in serial):
            raise BadFieldError("serial number must be printable ASCII, zero-padded at the end")
        return cls(model, (raw.firmware[0], raw.firmware[1], raw.firmware[2]), serial.decode(),
                   ipaddress.IPv4Address(raw.ip), ipaddress.IPv4Address(raw.netmask),
                   ipaddress.IPv4Address(raw.gateway))


@dataclass(frozen=True, slots=True)
class Nak:
    COMMAND: ClassVar[Command] = Command.NAK
    reason: NakReason

    def encode_data(self) -> bytes:
        return bytes((int(self.reason),))

    @classmethod
    def decode_data(cls, data: bytes) -> Nak:
        try:
            return cls(NakReason(data[0]))
        except ValueError:
            raise BadFieldError(f"unknown NAK reason {data[0]}") from None


@dataclass(frozen=True, slots=True)
class StatusReply:
    COMMAND: ClassVar[Command] = Command.STATUS_REPLY
    status: ControllerStatus

    def encode_data(self) -> bytes:
        return self.status.encode()

    @classmethod
    def decode_data(cls, data: bytes) -> StatusReply:
        return cls(ControllerStatus.decode(data))


@dataclass(frozen=True, slots=True)
class SetDateTime:
    COMMAND: ClassVar[Command] = Command.SET_DATETIME
    when: KantechDateTime

    def encode_data(self) -> bytes:
        return self.when.encode()

    @classmethod
    def decode_data(cls, data: bytes) -> SetDateTime:
        return cls(KantechDateTime.decode(data))


@dataclass(frozen=True, slots=True)
class ManualOp:
    """A manual operation on ``count`` components of one kind from ``first_index`` (1-based)."""

    COMMAND: ClassVar[Command] = Command.MANUAL_OP
    operation: ManualOperation
    kind: ComponentKind
    first_index: int = 1
    count: int = 1
    duration: int = 0

    def encode_data(self) -> bytes:
        if not 1 <= self.first_index <= 255 or not 1 <= self.count <= 255:
            raise EncodeError("first index and count must be 1..255")
        if not 0 <= self.duration <= 0xFFFF:
            raise EncodeError(f"duration {self.duration} s does not fit 16 bits")
        return ManualOpStruct.build({"operation": int(self.operation), "kind": int(self.kind),
                                     "first_index": self.first_index, "count": self.count,
                                     "duration": self.duration})

    @classmethod
    def decode_data(cls, data: bytes) -> ManualOp:
        raw = _parse(_MANUAL_OP, data, "MANUAL_OP")
        if raw.first_index == 0 or raw.count == 0:
            raise BadFieldError("component indexes count from 1 and count must be at least 1")
        try:
            return cls(ManualOperation(raw.operation), ComponentKind(raw.kind), raw.first_index,
                       raw.count, raw.duration)
        except ValueError as exc:
            raise BadFieldError(f"bad manual operation: {exc}") from None


@dataclass(frozen=True, slots=True)
class ManualOpReply:
    """One 8-byte result per activated component."""

    COMMAND: ClassVar[Command] = Command.MANUAL_OP_REPLY
    results: tuple[ComponentResult, ...]

    def encode_data(self) -> bytes:
        return b"".join(result.encode() for result in self.results)

    @classmethod
    def decode_data(cls, data: bytes) -> ManualOpReply:
        size = COMPONENT_RESULT_SIZE
        return cls(tuple(ComponentResult.decode(data[i: i + size])
                         for i in range(0, len(data), size)))


@dataclass(frozen=True, slots=True)
class ReloadBegin:
    """Start of a reload; scope 0 is everything, else one record type."""

    COMMAND: ClassVar[Command] = Command.RELOAD_BEGIN
    scope: int = 0

    def encode_data(self) -> bytes:
        if self.scope and self.scope not in RECORD_SIZES:
            raise EncodeError(f"reload scope {self.scope} is neither 0 nor a record type")
        return bytes((self.scope,))

    @classmethod
    def decode_data(cls, data: bytes) -> ReloadBegin:
        if data[0] and data[0] not in RECORD_SIZES:
            raise BadFieldError(f"reload scope {data[0]} is neither 0 (all) nor a record type")
        return cls(data[0])


@dataclass(frozen=True, slots=True)
class ReloadRecords:
    COMMAND: ClassVar[Command] = Command.RELOAD_RECORDS
    record_type: int
    records: tuple[Any, ...]

    def encode_data(self) -> bytes:
        return encode_reload_records(self.record_type, self.records)

    @classmethod
    def decode_data(cls, data: bytes) -> ReloadRecords:
        record_type, records = decode_reload_records(data)
        return cls(int(record_type), tuple(records))


@dataclass(frozen=True, slots=True)
class ReloadEnd:
    COMMAND: ClassVar[Command] = Command.RELOAD_END
    record_count: int

    def encode_data(self) -> bytes:
        if not 0 <= self.record_count <= 0xFFFFFFFF:
            raise EncodeError("record count does not fit 32 bits")
        return self.record_count.to_bytes(4, "big")

    @classmethod
    def decode_data(cls, data: bytes) -> ReloadEnd:
        return cls(int.from_bytes(data, "big"))


@dataclass(frozen=True, slots=True)
class Event:
    COMMAND: ClassVar[Command] = Command.EVENT
    event: ControllerEvent

    def encode_data(self) -> bytes:
        return encode_event(self.event)

    @classmethod
    def decode_data(cls, data: bytes) -> Event:
        return cls(decode_event(data))


@dataclass(frozen=True, slots=True)
class FirmwareBlock:
    COMMAND: ClassVar[Command] = Command.FIRMWARE_BLOCK
    block_number: int
    chunk: bytes

    def encode_data(self) -> bytes:
        if len(self.chunk) != FIRMWARE_CHUNK:
            raise EncodeError(f"a firmware block carries {FIRMWARE_CHUNK} bytes, "
                              f"got {len(self.chunk)} (pad the last one)")
        if not 0 <= self.block_number <= 0xFFFF:
            raise EncodeError("block number does not fit 16 bits")
        return self.block_number.to_bytes(2, "big") + self.chunk

    @classmethod
    def decode_data(cls, data: bytes) -> FirmwareBlock:
        raw = _parse(_FIRMWARE_BLOCK, data, "FIRMWARE_BLOCK")
        return cls(raw.block_number, bytes(raw.chunk))


@dataclass(frozen=True, slots=True)
class FirmwareEnd:
    COMMAND: ClassVar[Command] = Command.FIRMWARE_END
    block_count: int
    crc32: int

    def encode_data(self) -> bytes:
        try:
            return FirmwareEndStruct.build({"block_count": self.block_count, "crc32": self.crc32})
        except (c.ConstructError, ValueError, TypeError) as exc:
            raise EncodeError(f"FIRMWARE_END fields do not fit: {exc}") from None

    @classmethod
    def decode_data(cls, data: bytes) -> FirmwareEnd:
        raw = _parse(_FIRMWARE_END, data, "FIRMWARE_END")
        return cls(raw.block_count, raw.crc32)


TunnelItem: TypeAlias = SerialFrame | Presence


@dataclass(frozen=True, slots=True)
class Tunnel:
    """Whole serial frames (and presence bytes) carried to or from an IP-Link's loop."""

    COMMAND: ClassVar[Command] = Command.TUNNEL
    items: tuple[TunnelItem, ...]

    def encode_data(self) -> bytes:
        if not self.items:
            raise EncodeError("a TUNNEL carries at least one serial frame")
        return b"".join(encode_presence(item.address) if isinstance(item, Presence)
                        else item.encode() for item in self.items)

    @classmethod
    def decode_data(cls, data: bytes) -> Tunnel:
        items: list[TunnelItem] = []
        offset = 0
        while offset < len(data):
            if data[offset] & 0x80:
                if data[offset] == 0x80:
                    raise BadFieldError("presence byte 0x80 names no loop address")
                items.append(Presence(data[offset] & 0x7F))
                offset += 1
                continue
            size = 4 + data[offset + 2]
            items.append(decode_serial_frame(data[offset: offset + size]))
            offset += size
        return cls(tuple(items))


Message: TypeAlias = (
    Pulse | Discover | Announce | Ack | Nak | Poll | StatusQuery | StatusReply | SetDateTime
    | ManualOp | ManualOpReply | ReloadBegin | ReloadRecords | ReloadEnd | Event | FirmwareBlock
    | FirmwareEnd | Tunnel
)

MESSAGE_TYPES: dict[Command, type[Any]] = {cls.COMMAND: cls for cls in (
    Pulse, Discover, Announce, Ack, Nak, Poll, StatusQuery, StatusReply, SetDateTime, ManualOp,
    ManualOpReply, ReloadBegin, ReloadRecords, ReloadEnd, Event, FirmwareBlock, FirmwareEnd, Tunnel,
)}

FIXED_DATA_SIZES: dict[Command, int] = {
    Command.PULSE: 1, Command.DISCOVER: 0, Command.ANNOUNCE: AnnounceStruct.sizeof(),
    Command.ACK: 0, Command.NAK: 1, Command.POLL: 0, Command.STATUS_QUERY: 0,
    Command.STATUS_REPLY: STATUS_SIZE, Command.SET_DATETIME: DATETIME_SIZE,
    Command.MANUAL_OP: ManualOpStruct.sizeof(), Command.RELOAD_BEGIN: 1, Command.RELOAD_END: 4,
    Command.FIRMWARE_BLOCK: FirmwareBlockStruct.sizeof(),
    Command.FIRMWARE_END: FirmwareEndStruct.sizeof(),
}


def _records_size(buf: bytes) -> int:
    if len(buf) < 2:
        raise BadDataSizeError("RELOAD_RECORDS needs a record type and a count")
    size = RECORD_SIZES.get(buf[0])  # type: ignore[call-overload]
    if size is None:
        raise BadFieldError(f"unknown reload record type {buf[0]}")
    return 2 + buf[1] * size


def _results_size(buf: bytes) -> int:
    offset = 0
    while offset + COMPONENT_RESULT_SIZE <= len(buf) and buf[offset]:
        offset += COMPONENT_RESULT_SIZE
    if offset == 0:
        raise BadDataSizeError("MANUAL_OP_REPLY carries at least one 8-byte component result")
    return offset


def _event_size(buf: bytes) -> int:
    header = DATETIME_SIZE + 1
    if len(buf) <= header:
        raise BadDataSizeError("EVENT needs a date/time, a component and a message type")
    body = EVENT_BODY_SIZES.get(buf[header])  # type: ignore[call-overload]
    if body is None:
        raise BadFieldError(f"unknown event message type 0x{buf[header]:02x}")
    return header + body


def _tunnel_size(buf: bytes) -> int:
    offset = 0
    while offset < len(buf) and buf[offset]:
        if buf[offset] & 0x80:
            offset += 1
        elif offset + 3 <= len(buf):
            offset += 4 + buf[offset + 2]
        else:
            break
    if offset == 0:
        raise BadDataSizeError("TUNNEL carries at least one serial frame")
    return offset


_VARIABLE_SIZES: dict[Command, Callable[[bytes], int]] = {
    Command.RELOAD_RECORDS: _records_size,
    Command.MANUAL_OP_REPLY: _results_size,
    Command.EVENT: _event_size,
    Command.TUNNEL: _tunnel_size,
}


def measure_data(command: int, buf: bytes) -> int:
    """How many bytes of ``buf`` (the plaintext after the header) are this command's data."""
    fixed = FIXED_DATA_SIZES.get(command)  # type: ignore[call-overload]
    if fixed is not None:
        return fixed
    measure = _VARIABLE_SIZES.get(command)  # type: ignore[call-overload]
    if measure is None:
        raise UnknownCommandError(f"command code 0x{command:02x} is not in WIRE.md section 3")
    return measure(buf)


def decode_message(command: int, data: bytes) -> Message:
    """Decode exactly ``data`` as the data of ``command`` (no padding)."""
    cls = MESSAGE_TYPES.get(command)  # type: ignore[call-overload]
    if cls is None:
        raise UnknownCommandError(f"command code 0x{command:02x} is not in WIRE.md section 3")
    fixed = FIXED_DATA_SIZES.get(command)  # type: ignore[call-overload]
    if fixed is not None and len(data) != fixed:
        raise BadDataSizeError(
            f"{Command(command).name} carries {fixed} data bytes, got {len(data)}")
    if fixed is None and measure_data(command, data) != len(data):
        raise BadDataSizeError(f"{Command(command).name} data of {len(data)} bytes does not "
                               f"match its layout")
    message: Message = cls.decode_data(data)
    return message


def message_fields(message: Message) -> dict[str, Any]:
    """The decoded fields of a message as JSON-friendly values (for the CLI and logs)."""
    if isinstance(message, StatusReply):
        return {"status": message.status.as_dict()}
    if isinstance(message, ManualOpReply):
        return {"results": [r.as_dict() for r in message.results]}
    if isinstance(message, Event):
        return {"event": message.event.as_dict()}
    if isinstance(message, ReloadRecords):
        return {"record_type": message.record_type, "count": len(message.records),
                "records": [_jsonable(r) for r in message.records]}
    if isinstance(message, Tunnel):
        return {"items": [{"presence": item.address} if isinstance(item, Presence) else
                          {"address": item.address, "command": Command(item.command).name,
                           "data": item.data.hex()} for item in message.items]}
    return {f.name: _jsonable(getattr(message, f.name)) for f in fields(message)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, KantechDateTime):
        return value.as_json()
    if isinstance(value, ipaddress.IPv4Address):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    return str(value)
