"""The 0x99-framed, AES-128 IP message (WIRE.md section 1): encode and decode one frame.

Order of checks on decode follows what a receiver can know at each step: framing first (sync,
length, size cap), then integrity (checksum), then the key (0x3021 validation), then the command's
data layout and padding. Each failure raises the precise DecodeError subclass.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import construct as c

from kantech_proto.codes import Command
from kantech_proto.errors import (
    BadDataSizeError,
    BadLengthError,
    BadSyncError,
    ChecksumMismatchError,
    DecodeError,
    EncodeError,
    FrameTooLongError,
    NonZeroPaddingError,
    TruncatedError,
    WrongKeyError,
)
from kantech_proto.frame_cipher import BLOCK, FrameCipher
from kantech_proto.message_layout import decode_message, measure_data
from kantech_proto.messages import Message
from kantech_proto.wire_profile import DEFAULT_PROFILE, WireProfile

SYNC = 0x99
VALIDATION = 0x3021
MAX_FRAME = 4096
OUTER_HEADER = 7  # sync, length, site id
CHECKSUM_SIZE = 2
PLAIN_HEADER = 15  # validation, sender id, sequence, event id, command
SENDER_ID_SIZE = 6
MIN_FRAME = OUTER_HEADER + BLOCK + CHECKSUM_SIZE  # 25: one PULSE

OuterHeader = c.Struct(
    "sync" / c.Const(bytes((SYNC,))) * "always 0x99",
    "length" / c.Int16ub * "bytes after this field, checksum included: 4 + 16k + 2",
    "site_id" / c.Int32ub * "the EntraPass site id (PkData), in clear",
)

PlainHeader = c.Struct(
    ("validation" / c.Const(VALIDATION.to_bytes(2, "big"))
     * "always 0x3021: anything else was made with another key"),
    ("sender_id" / c.Bytes(SENDER_ID_SIZE)
     * "the device's MAC when a device sends; a session id the gateway chose when it sends"),
    "sequence" / c.Int16ub * "+1 per message from that sender, wraps to 0 after 0xFFFF",
    "event_id" / c.Int32ub * "0 when the device starts the exchange; a reply copies the request's",
    "command" / c.Int8ub * "the command code (Command)",
)

# The hot path reads the two fixed headers with struct formats equal to the schemas above
# (a test checks they agree); Construct's per-call overhead alone would cost half the budget.
FAST_OUTER = struct.Struct(">BHI")
FAST_PLAIN = struct.Struct(">H6sHIB")


@dataclass(frozen=True, slots=True)
class FrameHeader:
    """What an authentic frame says before its data: known once the checksum and the 0x3021
    validation passed, so a receiver can answer a frame whose data it cannot use (NAK)."""

    site_id: int
    sender_id: bytes
    sequence: int
    event_id: int
    command: int


@dataclass(frozen=True, slots=True)
class IpFrame:
    """One decoded (or to-be-encoded) IP message; ``wire_size`` is the whole frame's size in
    bytes when it was decoded (0 when built to be sent)."""

    site_id: int
    sender_id: bytes
    sequence: int
    event_id: int
    message: Message
    data: bytes = field(default=b"", compare=False, repr=False)
    wire_size: int = field(default=0, compare=False, repr=False)

    @property
    def command(self) -> Command:
        return self.message.COMMAND


class IpFrameCodec:
    """Encodes and decodes frames for one key and wire profile (one site's configuration)."""

    __slots__ = ("_cipher", "profile")

    def __init__(self, key: str | bytes, profile: WireProfile = DEFAULT_PROFILE) -> None:
        self.profile = profile
        self._cipher = FrameCipher(key, profile)

    def encode(self, frame: IpFrame) -> bytes:
        return self.encode_raw(frame.site_id, frame.sender_id, frame.sequence, frame.event_id,
                               int(frame.message.COMMAND), frame.message.encode_data())

    def encode_raw(self, site_id: int, sender_id: bytes, sequence: int, event_id: int,
                   command: int, data: bytes) -> bytes:
        """Build a frame from already-encoded data (the CLI and fuzz mutators use this)."""
        if len(sender_id) != SENDER_ID_SIZE:
            raise EncodeError(f"sender id must be {SENDER_ID_SIZE} bytes, got {len(sender_id)}")
        if not 0 <= sequence <= 0xFFFF:
            raise EncodeError(f"sequence {sequence} does not fit 16 bits")
        if not 0 <= event_id <= 0xFFFFFFFF or not 0 <= site_id <= 0xFFFFFFFF:
            raise EncodeError("event id and site id are 32-bit unsigned values")
        if not 0 <= command <= 0xFF:
            raise EncodeError(f"command {command} does not fit a byte")
        plain = b"".join((VALIDATION.to_bytes(2, "big"), sender_id, sequence.to_bytes(2, "big"),
                          event_id.to_bytes(4, "big"), bytes((command,)), data))
        plain += bytes(-len(plain) % BLOCK)
        total = OUTER_HEADER + len(plain) + CHECKSUM_SIZE
        if total > MAX_FRAME:
            raise EncodeError(f"a frame of {total} bytes exceeds the {MAX_FRAME}-byte limit")
        head = FAST_OUTER.pack(SYNC, total - 3, site_id)  # length counts what follows it
        body = head + self._cipher.encrypt(plain)
        return body + self.profile.checksum_of(body).to_bytes(2, "big")

    def check_outer(self, data: bytes) -> tuple[int, int]:
        """Framing and checksum only (no key needed): returns (site id, total size)."""
        if len(data) < OUTER_HEADER:
            raise TruncatedError(f"{len(data)} bytes cannot hold a frame header")
        sync, length, site_id = FAST_OUTER.unpack_from(data)
        if sync != SYNC:
            raise BadSyncError(f"frame starts with 0x{sync:02x}, expected 0x99")
        total = length + 3
        if total > MAX_FRAME:
            raise FrameTooLongError(f"length field says {total} bytes; at most {MAX_FRAME}")
        cipher_len = length - 4 - CHECKSUM_SIZE
        if cipher_len < BLOCK or cipher_len % BLOCK:
            raise BadLengthError(f"length field {length} does not give whole AES blocks "
                                 f"(expected 4 + 16k + 2)")
        if len(data) < total:
            raise TruncatedError(f"length field says {total} bytes, only {len(data)} present")
        if len(data) > total:
            raise BadLengthError(f"length field says {total} bytes, {len(data)} present")
        expected = self.profile.checksum_of(data[:-CHECKSUM_SIZE])
        found = int.from_bytes(data[-CHECKSUM_SIZE:], "big")
        if expected != found:
            raise ChecksumMismatchError(
                f"checksum 0x{found:04x}, expected 0x{expected:04x} ({self.profile.checksum})")
        return site_id, total

    def decode(self, data: bytes) -> IpFrame:
        """Decode exactly one whole frame, raising the precise DecodeError for what is wrong.

        An error found after the 0x3021 validation (unknown command, data that does not fit)
        carries the frame's ``FrameHeader`` as ``error.header``: the frame is authentic, and its
        sender deserves an answer (WIRE.md section 3's NAK reasons)."""
        site_id, total = self.check_outer(data)
        plain = self._cipher.decrypt(data[OUTER_HEADER:-CHECKSUM_SIZE])
        validation, sender_id, sequence, event_id, command = FAST_PLAIN.unpack_from(plain)
        if validation != VALIDATION:
            raise WrongKeyError(f"decrypted validation field is 0x{validation:04x}, "
                                f"expected 0x3021: the frame was made with another key")
        try:
            message, data_bytes = _decode_data(command, plain[PLAIN_HEADER:])
        except DecodeError as exc:
            exc.header = FrameHeader(site_id, sender_id, sequence, event_id, command)
            raise
        return IpFrame(site_id, sender_id, sequence, event_id, message, data_bytes, total)


def _decode_data(command: int, rest: bytes) -> tuple[Message, bytes]:
    """The command's message and data bytes from the plaintext after the header."""
    size = measure_data(command, rest)
    if size > len(rest):
        raise BadDataSizeError(f"{_name(command)} needs {size} data bytes, "
                               f"the frame holds {len(rest)}")
    padding = rest[size:]
    if len(padding) >= BLOCK:
        raise BadDataSizeError(f"{_name(command)} data ends {len(padding)} bytes before the "
                               f"end: more than one block of padding")
    if padding.count(0) != len(padding):
        raise NonZeroPaddingError(f"padding after {_name(command)} data is not all zero")
    data_bytes = rest[:size]
    return decode_message(command, data_bytes), data_bytes


def _name(command: int) -> str:
    try:
        return Command(command).name
    except ValueError:
        return f"command 0x{command:02x}"
