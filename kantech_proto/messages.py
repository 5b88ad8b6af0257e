"""One typed message per WIRE.md section 3 command, with its data layout.

Each message encodes and decodes its own data; which message a command code means, and where a
command's data ends, are ``message_layout``'s job (``decode_message``, ``measure_data``).
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias, TypeVar

import construct as c

from kantech_proto.codes import Command, ComponentKind, DeviceModel, ManualOperation, NakReason
from kantech_proto.controller_events import (
    ControllerEvent,
    decode_event,
    encode_event,
)
from kantech_proto.controller_status import (
    COMPONENT_RESULT_SIZE,
    ComponentResult,
    ControllerStatus,
)
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import (
    BadFieldError,
    DecodeError,
    EncodeError,
)
from kantech_proto.message_structs import (
    FAST_ANNOUNCE,
    FIRMWARE_CHUNK,
    SERIAL_NUMBER_SIZE,
    AnnounceStruct,
    FirmwareBlockStruct,
    FirmwareEndStruct,
    ManualOpStruct,
)
from kantech_proto.reload_records import RECORD_SIZES, decode_reload_records, encode_reload_records
from kantech_proto.serial_frame import Presence, SerialFrame, decode_serial_frame, encode_presence

E = TypeVar("E", bound=enum.IntEnum)

_ANNOUNCE = AnnounceStruct.compile()
_MANUAL_OP = ManualOpStruct.compile()
_FIRMWARE_BLOCK = FirmwareBlockStruct.compile()
_FIRMWARE_END = FirmwareEndStruct.compile()


def _parse(parser: Any, data: bytes, what: str) -> Any:
    try:
        return parser.parse(data)
    except Exception as exc:  # compiled parsers leak struct.error and friends
        raise DecodeError(f"{what} does not parse: {exc}") from None


def _member(kind: type[E], value: int, what: str) -> E:
    """``kind(value)``, or a BadFieldError naming the field and the values it takes."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(f"{int(m)} ({m.name})" for m in kind)
        raise BadFieldError(f"{what} {value}: expected one of {choices}") from None


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
        # the struct twin of AnnounceStruct (a test checks they agree): a fleet announces
        # 100,000 times at start, and Construct's build costs ten times a struct.pack
        return FAST_ANNOUNCE.pack(int(self.model), *self.firmware,
                                  serial.ljust(SERIAL_NUMBER_SIZE, b"\x00"), self.ip.packed,
                                  self.netmask.packed, self.gateway.packed)

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
    """A refusal; ``detail`` (the field and what was expected) is for the refusing side's log
    and never travels: the wire carries the reason byte only."""

    COMMAND: ClassVar[Command] = Command.NAK
    reason: NakReason
    detail: str = field(default="", compare=False)

    def encode_data(self) -> bytes:
        return bytes((int(self.reason),))

    @classmethod
    def decode_data(cls, data: bytes) -> Nak:
        return cls(_member(NakReason, data[0], "NAK reason"))


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
            raise BadFieldError(f"MANUAL_OP first_index {raw.first_index}, count {raw.count}: "
                                "expected both 1..255 (component indexes count from 1)")
        return cls(_member(ManualOperation, raw.operation, "MANUAL_OP operation"),
                   _member(ComponentKind, raw.kind, "MANUAL_OP kind"), raw.first_index,
                   raw.count, raw.duration)


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
