"""The RS-485 loop link between a gateway (or IP-Link) and KT-100/KT-200/KT-300 controllers.

WIRE.md section 2: address, command, length, data, checksum; four bytes of overhead, so a poll is
4 bytes and a firmware block (130 data bytes) is the paper's 134. A controller with nothing to say
answers a poll with a single presence byte, 0x80 | address, which is not a frame at all.

The link has no sync byte, so a receiver finds frames by their shape: an address byte 1..127, a
known command code, a length, and a checksum that makes every byte sum to 0 mod 256. A byte with
the high bit set where a frame could start is a presence; 0x00 and 0x80 can start nothing. After a
bad candidate the stream decoder drops only its first byte and looks again, so garbage can delay a
valid frame (while a bogus length is waited for) but cannot hide it, unless garbage plus the start
of that frame happen to form a checksum-valid frame (1 chance in 256 per such candidate: the price
of an 8-bit checksum). Sans-IO: bytes in, frames out, no clock; ``flush`` is for whoever owns one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import construct as c

from kantech_proto.codes import Command
from kantech_proto.errors import (
    BadFieldError,
    BadLengthError,
    ChecksumMismatchError,
    DecodeError,
    EncodeError,
    TruncatedError,
    UnknownCommandError,
)

MIN_ADDRESS = 1
MAX_ADDRESS = 127
MAX_DATA = 255
HEADER_SIZE = 3  # address, command, length
OVERHEAD = HEADER_SIZE + 1  # + checksum
MAX_FRAME = OVERHEAD + MAX_DATA  # 259: the most look-ahead a receiver ever needs
PRESENCE_FLAG = 0x80
FIRMWARE_BLOCK_DATA = 130

#: The reference layout. The checksum is not in it on purpose: construct's Checksum cannot be
#: compiled, and checking it in Python first lets the hot path use the compiled parser.
SerialLayout = c.Struct(
    "address" / c.Int8ub,
    "command" / c.Int8ub,
    "length" / c.Rebuild(c.Int8ub, c.len_(c.this.data)),
    "data" / c.Bytes(c.this.length),
)
_COMPILED = SerialLayout.compile()
_KNOWN_COMMANDS = frozenset(int(code) for code in Command)


class SerialChecksumError(ChecksumMismatchError):
    """The bytes of a serial frame do not sum to 0 mod 256."""


def serial_checksum(body: bytes | bytearray | memoryview) -> int:
    """The byte that makes ``body`` plus itself sum to 0 mod 256 (two's complement of the sum)."""
    return -sum(body) & 0xFF


def _check_address(address: int) -> None:
    if not MIN_ADDRESS <= address <= MAX_ADDRESS:
        raise EncodeError(f"serial address {address} is outside {MIN_ADDRESS}..{MAX_ADDRESS}")


@dataclass(frozen=True, slots=True)
class SerialFrame:
    """One frame on the loop; construction refuses what could not go on the wire."""

    address: int
    command: Command
    data: bytes = b""

    def __post_init__(self) -> None:
        _check_address(self.address)
        if not isinstance(self.command, Command):
            try:
                object.__setattr__(self, "command", Command(self.command))
            except ValueError:
                raise EncodeError(f"command 0x{self.command:02x} is not in WIRE.md section 3") \
                    from None
        if not isinstance(self.data, bytes):
            object.__setattr__(self, "data", bytes(self.data))
        if len(self.data) > MAX_DATA:
            raise EncodeError(f"{len(self.data)} data bytes; a serial frame carries at most "
                              f"{MAX_DATA}")

    def encode(self) -> bytes:
        body = _COMPILED.build({"address": self.address, "command": int(self.command),
                                "data": self.data})
        return body + bytes((serial_checksum(body),))

    @property
    def wire_size(self) -> int:
        """Bytes on the wire, for the bandwidth figures the paper gives."""
        return OVERHEAD + len(self.data)


@dataclass(frozen=True, slots=True)
class Presence:
    """A controller's one-byte "nothing to send" answer to a poll."""

    address: int

    def __post_init__(self) -> None:
        _check_address(self.address)

    def encode(self) -> bytes:
        return bytes((PRESENCE_FLAG | self.address,))


SerialItem = SerialFrame | Presence


def encode_presence(address: int) -> bytes:
    return Presence(address).encode()


def poll_frame(address: int) -> bytes:
    """The 4 bytes the gateway sends to each controller of the loop in turn."""
    return SerialFrame(address, Command.POLL).encode()


def decode_serial_frame(data: bytes | bytearray | memoryview) -> SerialFrame:
    """Exactly one frame. Checks go framing, then checksum, then fields: a frame with a bad
    checksum says nothing trustworthy about its address or command."""
    data = bytes(data)
    if len(data) < OVERHEAD:
        raise TruncatedError(f"{len(data)} bytes; a serial frame has at least {OVERHEAD}")
    total = OVERHEAD + data[2]
    if len(data) < total:
        raise TruncatedError(f"length byte announces {total} bytes, only {len(data)} present")
    if len(data) > total:
        raise BadLengthError(f"length byte announces {total} bytes, {len(data)} present")
    if sum(data) & 0xFF:
        raise SerialChecksumError(f"checksum 0x{data[-1]:02x}, expected "
                                  f"0x{serial_checksum(data[:-1]):02x}")
    try:
        parsed: Any = _COMPILED.parse(data[:-1])
    except c.ConstructError as exc:  # unreachable after the checks above; kept as a guard
        raise TruncatedError(str(exc)) from exc
    address, code = parsed.address, parsed.command
    if not MIN_ADDRESS <= address <= MAX_ADDRESS:
        raise BadFieldError(f"serial address {address} is outside {MIN_ADDRESS}..{MAX_ADDRESS}")
    if code not in _KNOWN_COMMANDS:
        raise UnknownCommandError(f"command 0x{code:02x} is not in WIRE.md section 3")
    return SerialFrame(address, Command(code), parsed.data)


@dataclass(slots=True)
class SerialStreamDecoder:
    """Feed it bytes as they arrive; it returns whole frames and presence bytes, never raises.

    Bytes are accounted for exactly: every byte fed ends up in a returned frame or presence, in
    ``dropped_bytes``, or still ``pending``.
    """

    frames: int = field(default=0, init=False)
    presences: int = field(default=0, init=False)
    bad_frames: int = field(default=0, init=False)
    dropped_bytes: int = field(default=0, init=False)
    last_error: DecodeError | None = field(default=None, init=False, repr=False)
    #: the bytes dropped during the latest ``feed``/``flush``, for whoever logs garbage
    last_dropped: bytes = field(default=b"", init=False, repr=False)
    _buffer: bytearray = field(default_factory=bytearray, init=False, repr=False)

    @property
    def pending(self) -> int:
        """Bytes held while the rest of a candidate frame is awaited (at most 258)."""
        return len(self._buffer)

    def feed(self, data: bytes | bytearray | memoryview) -> list[SerialItem]:
        self._buffer += data
        return self._scan(final=False)

    def flush(self) -> list[SerialItem]:
        """The line went idle: what is pending will never be completed, so treat each
        incomplete candidate as noise. Whole frames queued behind a bogus length come out."""
        return self._scan(final=True)

    def _scan(self, *, final: bool) -> list[SerialItem]:
        buf = self._buffer
        out: list[SerialItem] = []
        dropped = bytearray()
        i, n = 0, len(buf)
        while i < n:
            first = buf[i]
            if first > PRESENCE_FLAG:
                out.append(Presence(first & 0x7F))
                self.presences += 1
                i += 1
                continue
            if first == 0 or first == PRESENCE_FLAG:
                dropped.append(first)
                i += 1
                continue
            error: DecodeError | None = None
            if i + 1 < n and buf[i + 1] not in _KNOWN_COMMANDS:
                error = UnknownCommandError(f"command 0x{buf[i + 1]:02x} is not in WIRE.md "
                                            "section 3")
            elif i + 2 < n and i + OVERHEAD + buf[i + 2] <= n:
                end = i + OVERHEAD + buf[i + 2]
                try:
                    frame = decode_serial_frame(buf[i:end])
                except DecodeError as exc:
                    error = exc
                else:
                    out.append(frame)
                    self.frames += 1
                    i = end
                    continue
            elif not final:
                break  # a candidate still being received
            else:
                error = TruncatedError(f"line idle with {n - i} bytes of an incomplete frame")
            self.bad_frames += 1
            self.last_error = error
            dropped.append(first)
            i += 1
        del buf[:i]
        self.dropped_bytes += len(dropped)
        self.last_dropped = bytes(dropped)
        return out
