"""One message of every WIRE.md command, one event of every type, and the fields the dissector
must show for each (a helper, not a test module)."""

from __future__ import annotations

import ipaddress
from typing import Any

import construct as c

from kantech_proto.codes import (
    Command,
    ComponentKind,
    DeviceModel,
    ManualOperation,
    NakReason,
    RecordType,
)
from kantech_proto.controller_events import ControllerEvent, encode_event
from kantech_proto.controller_status import (
    COMPONENT_RESULT_SIZE,
    ComponentResult,
    ComponentResultStruct,
    ControllerStatus,
    ControllerStatusStruct,
    DoorFlag,
    DoorLockState,
    DoorStatus,
    OperationResult,
    SystemFlag,
)
from kantech_proto.datetime_record import DATETIME_SIZE, DateTimeStruct, KantechDateTime
from kantech_proto.event_types import EVENT_ROWS, EventType, Source
from kantech_proto.ip_frame import IpFrame
from kantech_proto.message_layout import decode_message
from kantech_proto.messages import (
    Ack,
    Announce,
    AnnounceStruct,
    Discover,
    Event,
    FirmwareBlock,
    FirmwareBlockStruct,
    FirmwareEnd,
    FirmwareEndStruct,
    ManualOp,
    ManualOpReply,
    ManualOpStruct,
    Message,
    Nak,
    Poll,
    Pulse,
    ReloadBegin,
    ReloadEnd,
    ReloadRecords,
    SetDateTime,
    StatusQuery,
    StatusReply,
    Tunnel,
)
from kantech_proto.reload_records import RECORD_CLASSES, RECORD_LAYOUTS, RECORD_SIZES
from kantech_proto.serial_frame import Presence, SerialFrame
from tests.tools.wireshark.expected_fields import displays_of, expected

WHEN = KantechDateTime(2026, 5, 4, 13, 14, 15, 0)
#: WIRE.md's one-field layouts, written from its table
BYTE = {"pulse": c.Struct("events_waiting" / c.Int8ub), "nak": c.Struct("reason" / c.Int8ub),
        "begin": c.Struct("scope" / c.Int8ub), "end": c.Struct("record_count" / c.Int32ub),
        "records": c.Struct("record_type" / c.Int8ub, "count" / c.Int8ub),
        "component": c.Struct("component" / c.Int8ub)}


def event_of(event_type: EventType, n: int = 0) -> ControllerEvent:
    row = EVENT_ROWS[event_type]
    digits = "12345678901234567890"[: 20 if row.size == 11 else 16]
    values: dict[str, Any] = {"card_number": 0x00C0FFEE + n, "card_digits": digits[: 5 + n % 9],
                              "floor": 7 + n % 5, "source": Source.CARD, "schedule": 3,
                              "minutes": 15, "value": 0x010203 + n}
    component = 0 if row.controller_wide else 1 + n % 4
    return ControllerEvent(WHEN, component, event_type,
                           **{name: values[name] for name in row.fields})


def status() -> ControllerStatus:
    return ControllerStatus(
        DeviceModel.KT_400, (2, 7, 19), WHEN, SystemFlag.TAMPER | SystemFlag.EVENTS_PENDING, 3,
        (DoorStatus(DoorLockState.UNLOCKED_TIMED, DoorFlag.OPEN | DoorFlag.REX_ACTIVE),
         DoorStatus(DoorLockState.DISABLED)), 4, 0b0101, 0b0001, 16, 0xF00F, 0x0100, 0x0002,
        0x8000, 4, 0b1010, 1200, 12, 20, 1300, 86400, 0xDEADBEEF)


def command_samples(records: list[Any]) -> list[Message]:
    """One message per WIRE.md command code, in code order."""
    card = next(r for r in records if getattr(r, "TYPE", None) == RecordType.CARD_KT400)
    return [
        Pulse(True), Discover(),
        Announce(DeviceModel.KT_1, (4, 1, 200), "KT1-00042", ipaddress.IPv4Address("127.20.0.7"),
                 ipaddress.IPv4Address("255.255.0.0"), ipaddress.IPv4Address("127.20.0.254")),
        Ack(), Nak(NakReason.BAD_SEQUENCE), Poll(), StatusQuery(), StatusReply(status()),
        SetDateTime(WHEN),
        ManualOp(ManualOperation.ACTIVATE_RELAY_TIMED, ComponentKind.RELAY, 2, 3, 90),
        ManualOpReply((ComponentResult(ComponentKind.RELAY, 2, ManualOperation.ACTIVATE_RELAY,
                                       OperationResult.DONE, 1, 0, 90),
                       ComponentResult(ComponentKind.RELAY, 3, ManualOperation.ACTIVATE_RELAY,
                                       OperationResult.BUSY, 0, 2, 0))),
        ReloadBegin(int(RecordType.DOOR)), ReloadRecords(int(RecordType.CARD_KT400), (card, card)),
        ReloadEnd(1234), Event(event_of(EventType.ACCESS_GRANTED)),
        FirmwareBlock(513, bytes(range(128))), FirmwareEnd(512, 0x12345678),
        Tunnel((SerialFrame(3, Command.POLL), Presence(4),
                SerialFrame(5, Command.EVENT, encode_event(event_of(EventType.DOOR_FORCED_OPEN))),
                SerialFrame(6, Command.SET_DATETIME, WHEN.encode()))),
    ]


def expected_data(message: Message) -> dict[str, list[str]]:
    """The fields of a message's data (not its frame header)."""
    data = message.encode_data()
    cmd = message.COMMAND
    fixed = {
        Command.PULSE: ("kantech.pulse", BYTE["pulse"], {}),
        Command.ANNOUNCE: ("kantech.announce", AnnounceStruct, {
            "serial_number": "text", "ip": "ipv4", "netmask": "ipv4", "gateway": "ipv4"}),
        Command.NAK: ("kantech.nak", BYTE["nak"], {}),
        Command.STATUS_REPLY: ("kantech.status", ControllerStatusStruct, {}),
        Command.SET_DATETIME: ("kantech.datetime", DateTimeStruct, {}),
        Command.MANUAL_OP: ("kantech.manual_op", ManualOpStruct, {}),
        Command.RELOAD_BEGIN: ("kantech.reload", BYTE["begin"], {}),
        Command.RELOAD_END: ("kantech.reload", BYTE["end"], {}),
        Command.FIRMWARE_BLOCK: ("kantech.firmware_block", FirmwareBlockStruct, {}),
        Command.FIRMWARE_END: ("kantech.firmware_end", FirmwareEndStruct, {}),
    }
    if cmd in fixed:
        prefix, layout, displays = fixed[cmd]
        return expected(prefix, layout, data, displays)
    out: dict[str, list[str]] = {}
    if cmd == Command.MANUAL_OP_REPLY:
        for i in range(0, len(data), COMPONENT_RESULT_SIZE):
            expected("kantech.result", ComponentResultStruct, data[i:i + 8], into=out)
    elif cmd == Command.RELOAD_RECORDS:
        kind = RecordType(data[0])
        expected("kantech.reload", BYTE["records"], data[:2], into=out)
        size = RECORD_SIZES[kind]
        displays = displays_of(getattr(RECORD_CLASSES[kind], "KINDS", {}))
        for i in range(2, len(data), size):
            expected(f"kantech.rec.{kind.name.lower()}", RECORD_LAYOUTS[kind], data[i:i + size],
                     displays, into=out)
    elif cmd == Command.EVENT:
        expected("kantech.event.timestamp", DateTimeStruct, data[:DATETIME_SIZE], into=out)
        expected("kantech.event", BYTE["component"], data[DATETIME_SIZE:DATETIME_SIZE + 1],
                 into=out)
        row = EVENT_ROWS[EventType(data[DATETIME_SIZE + 1])]
        expected("kantech.event", row.layout, data[DATETIME_SIZE + 1:], {"card_digits": "bcd"},
                 into=out)
    elif cmd == Command.TUNNEL:
        assert isinstance(message, Tunnel)
        for item in message.items:
            merge(out, expected_serial(item))
    return out


def expected_serial(item: SerialFrame | Presence) -> dict[str, list[str]]:
    if isinstance(item, Presence):
        return {"kantech.serial.presence": [str(item.address)]}
    wire = item.encode()
    out = {"kantech.serial.address": [str(wire[0])], "kantech.serial.command": [str(wire[1])],
           "kantech.serial.length": [str(wire[2])], "kantech.serial.checksum": [str(wire[-1])],
           "kantech.serial.checksum.status": ["1"]}  # every encoded frame's checksum is good
    if item.data:
        out["kantech.serial.data"] = [item.data.hex()]
        merge(out, expected_data(decode_message(item.command, item.data)))
    return out


def expected_header(frame: IpFrame, wire: bytes, *, twin: bool) -> dict[str, list[str]]:
    return {
        "kantech.sync": ["9a" if twin else "99"], "kantech.length": [str(len(wire) - 3)],
        "kantech.site_id": [str(frame.site_id)], "kantech.validation": ["3021"],
        "kantech.sender_id": [frame.sender_id.hex()], "kantech.sequence": [str(frame.sequence)],
        "kantech.event_id": [str(frame.event_id)],
        "kantech.command": [str(int(frame.message.COMMAND))],
    }


def merge(into: dict[str, list[str]], more: dict[str, list[str]]) -> dict[str, list[str]]:
    for key, values in more.items():
        into.setdefault(key, []).extend(values)
    return into
