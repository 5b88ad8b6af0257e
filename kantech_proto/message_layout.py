"""Where a command's data ends and which message it decodes to (WIRE.md section 3).

The plaintext carries no data length: the command's layout says where data ends and zero padding
begins. ``measure_data`` encodes that rule in one place for the IP frame codec, and
``decode_message`` turns exactly a command's data into its message.
"""

from __future__ import annotations

from collections.abc import Callable

from kantech_proto.codes import Command
from kantech_proto.controller_events import EVENT_BODY_SIZES
from kantech_proto.controller_status import COMPONENT_RESULT_SIZE, STATUS_SIZE
from kantech_proto.datetime_record import DATETIME_SIZE
from kantech_proto.errors import BadDataSizeError, BadFieldError, UnknownCommandError
from kantech_proto.messages import (
    MESSAGE_TYPES,
    AnnounceStruct,
    FirmwareBlockStruct,
    FirmwareEndStruct,
    ManualOpStruct,
    Message,
)
from kantech_proto.reload_records import RECORD_SIZES

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
