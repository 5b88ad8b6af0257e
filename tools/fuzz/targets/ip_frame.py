"""Fuzz target: the IP frame decoder and the TCP stream decoder.

The mutator decrypts the section, edits the plaintext, then re-encrypts and re-checksums, so the
mutations get past AES and the checksum and reach the plaintext and data-layout parsers.
"""

from __future__ import annotations

import datetime
import ipaddress
import random

from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation, NakReason
from kantech_proto.controller_status import ComponentResult, ControllerStatus
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import DecodeError
from kantech_proto.frame_cipher import BLOCK, FrameCipher
from kantech_proto.ip_frame import CHECKSUM_SIZE, OUTER_HEADER, IpFrame, IpFrameCodec
from kantech_proto.ip_stream import IpStreamDecoder
from kantech_proto.messages import (
    Ack,
    Announce,
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
from kantech_proto.wire_profile import DEFAULT_PROFILE
from tools.fuzz.mutations import mutate_bytes

KEY = "fuzz-key-16char"
CODEC = IpFrameCodec(KEY)
CIPHER = FrameCipher(KEY, DEFAULT_PROFILE)
MAC = bytes.fromhex("00a0c2123456")


def TestOneInput(data: bytes) -> None:
    try:
        frame = CODEC.decode(data)
    except DecodeError:
        frame = None
    if frame is not None:
        again = CODEC.encode_raw(frame.site_id, frame.sender_id, frame.sequence, frame.event_id,
                                 int(frame.command), frame.data)
        assert again == data, "a decoded frame must re-encode to the same bytes"
    decoder = IpStreamDecoder(CODEC)
    cut = len(data) // 2
    decoder.feed(data[:cut])
    decoder.feed(data[cut:])


def _frame(message: Message, sequence: int = 1, event_id: int = 0) -> bytes:
    return CODEC.encode(IpFrame(0x00010203, MAC, sequence, event_id, message))


def seeds() -> list[bytes]:
    when = KantechDateTime.from_datetime(datetime.datetime(2026, 11, 21, 9, 30, 0))
    status = ControllerStatus(DeviceModel.KT_400, (1, 2, 3), when)
    messages: list[Message] = [
        Pulse(True), StatusQuery(), Ack(), Nak(NakReason.BUSY), SetDateTime(when),
        Announce(DeviceModel.KT_1, (2, 0, 7), "KT1-000123", ipaddress.IPv4Address("127.20.0.1"),
                 ipaddress.IPv4Address("255.0.0.0"), ipaddress.IPv4Address("127.0.0.1")),
        StatusReply(status), ManualOp(ManualOperation.UNLOCK_DOOR_TIMED, ComponentKind.DOOR, 1, 2, 5),
        ManualOpReply((ComponentResult(ComponentKind.DOOR, 1, ManualOperation.UNLOCK_DOOR),)),
        ReloadBegin(0), ReloadEnd(12), FirmwareBlock(7, bytes(range(128))), FirmwareEnd(8, 0xDEADBEEF),
    ]
    return [_frame(m, i, i * 3) for i, m in enumerate(messages)]


def mutate(data: bytes, seed: int) -> bytes:
    """Edit the plaintext of a frame, then rebuild a frame that passes checksum and AES."""
    rng = random.Random(seed)
    section = data[OUTER_HEADER:-CHECKSUM_SIZE] if len(data) > OUTER_HEADER + CHECKSUM_SIZE else b""
    if section and len(section) % BLOCK == 0:
        plain = CIPHER.decrypt(section)
    else:
        plain = bytes.fromhex("3021") + MAC + rng.randbytes(8)
    plain = mutate_bytes(plain, rng)
    plain += bytes(-len(plain) % BLOCK) if rng.random() < 0.9 else b""
    plain = plain or bytes(BLOCK)
    if len(plain) % BLOCK:
        plain += bytes(-len(plain) % BLOCK)
    head = bytes((0x99,)) + (4 + len(plain) + CHECKSUM_SIZE).to_bytes(2, "big") + \
        (data[3:7] if len(data) >= 7 else bytes(4))
    body = head + CIPHER.encrypt(plain)
    return body + DEFAULT_PROFILE.checksum_of(body).to_bytes(2, "big")
