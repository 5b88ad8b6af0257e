"""Seed corpora: valid inputs built with the encoders, so a fuzzer starts from messages that
parse and mutates from there. ``*_samples`` give the objects (one of every kind), ``*_seeds``
their wire bytes."""

from __future__ import annotations

import datetime
import ipaddress

from kantech_proto.codes import Command, ComponentKind, DeviceModel, ManualOperation, NakReason
from kantech_proto.controller_events import encode_event
from kantech_proto.controller_status import ComponentResult, ControllerStatus
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.fuzzing.frame_mutators import FUZZ_KEY
from kantech_proto.fuzzing.record_samples import event_samples, record_samples
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import (
    Ack,
    Announce,
    Event,
    FirmwareBlock,
    FirmwareEnd,
    ManualOp,
    ManualOpReply,
    Message,
    Nak,
    Pulse,
    ReloadBegin,
    ReloadEnd,
    SetDateTime,
    StatusQuery,
    StatusReply,
)
from kantech_proto.reload_records import encode_record, encode_reload_records, record_type_of
from kantech_proto.serial_frame import Presence, SerialFrame, SerialItem

SENDER = bytes.fromhex("00a0c2123456")
SITE_ID = 0x00010203


def message_samples() -> list[Message]:
    """One message of most commands a gateway and a controller exchange."""
    when = KantechDateTime.from_datetime(datetime.datetime(2026, 11, 21, 9, 30, 0))
    status = ControllerStatus(DeviceModel.KT_400, (1, 2, 3), when)
    return [
        Pulse(True), StatusQuery(), Ack(), Nak(NakReason.BUSY), SetDateTime(when),
        Announce(DeviceModel.KT_1, (2, 0, 7), "KT1-000123", ipaddress.IPv4Address("127.20.0.1"),
                 ipaddress.IPv4Address("255.0.0.0"), ipaddress.IPv4Address("127.0.0.1")),
        StatusReply(status),
        ManualOp(ManualOperation.UNLOCK_DOOR_TIMED, ComponentKind.DOOR, 1, 2, 5),
        ManualOpReply((ComponentResult(ComponentKind.DOOR, 1, ManualOperation.UNLOCK_DOOR),)),
        ReloadBegin(0), ReloadEnd(12), FirmwareBlock(7, bytes(range(128))),
        FirmwareEnd(8, 0xDEADBEEF),
    ]


def ip_frame_seeds(codec: IpFrameCodec | None = None) -> list[bytes]:
    """``message_samples`` as frames (under FUZZ_KEY unless ``codec`` says otherwise)."""
    codec = codec or IpFrameCodec(FUZZ_KEY)
    return [codec.encode(IpFrame(SITE_ID, SENDER, i, i * 3, message))
            for i, message in enumerate(message_samples())]


def event_frame_seeds(codec: IpFrameCodec | None = None) -> list[bytes]:
    """Every ``event_samples`` event in an EVENT frame: what a gateway's event parser reads."""
    codec = codec or IpFrameCodec(FUZZ_KEY)
    return [codec.encode(IpFrame(SITE_ID, SENDER, i + 1, i + 1, Event(event)))
            for i, event in enumerate(event_samples())]


def event_seeds() -> list[bytes]:
    """EVENT data (one controller event each)."""
    return [encode_event(event) for event in event_samples()]


def reload_record_seeds() -> list[bytes]:
    """For every record type: RELOAD_RECORDS data holding one record, and the type byte
    followed by the record alone."""
    out = []
    for record in record_samples():
        kind = record_type_of(record)
        out.append(encode_reload_records(kind, [record]))
        out.append(bytes((kind,)) + encode_record(record))
    return out


def serial_frame_seeds() -> list[bytes]:
    """Loop frames one by one, all of them back to back, and a stream with garbage between."""
    frames: list[SerialItem] = [
        SerialFrame(5, Command.POLL), Presence(5), SerialFrame(127, Command.ACK),
        SerialFrame(1, Command.NAK, b"\x02"),
        SerialFrame(3, Command.FIRMWARE_BLOCK, b"\x00\x07" + bytes(range(128))),
        SerialFrame(9, Command.EVENT, bytes(13)),
        SerialFrame(12, Command.STATUS_REPLY, bytes(range(63))),
        SerialFrame(2, Command.TUNNEL, bytes(255)),
    ]
    out = [item.encode() for item in frames]
    out.append(b"".join(out))
    out.append(b"\x00\x80\x05\x11" + out[0] + b"\x05\x10\xfe" + out[2])
    return out

