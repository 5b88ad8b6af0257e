"""SmartLink command lines (WIRE.md section 7): ``<STX>"KEY=VALUE"<FS>"KEY=VALUE"<FS>...<ETX>``.

One byte per character; STX 0x02, FS 0x1C and ETX 0x03 are single bytes, the quotes are part of
the line and every pair, the last one included, is followed by FS. There is no escaping, so a
key or value can hold neither a quote nor a control byte; the first '=' splits key from value,
so a value may contain '=' but a key may not.

The white paper writes lines in a human notation where control bytes appear as ``<2>``, ``<28>``,
``<3>``; ``format_notation``/``parse_notation`` speak it. The paper counts its example as 50
bytes, which is the length of that notation text; on the wire the same line is 40 bytes
(``len(cmd.encode())`` vs ``notation_length(cmd)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kantech_proto.errors import (
    BadFieldError,
    BadLengthError,
    BadSyncError,
    DecodeError,
    EncodeError,
    FrameTooLongError,
    TruncatedError,
)

STX = 0x02
FS = 0x1C
ETX = 0x03
QUOTE = ord('"')
EQUALS = ord("=")
#: a stream decoder gives up on a line this long without its ETX (WIRE.md sets no limit)
MAX_LINE = 4096

_FRAMING = frozenset((STX, FS, ETX))
_NOTATION_ESCAPE = re.compile(r"<(\d{1,3})>")


class SmartLinkDecodeError(DecodeError):
    """Any byte string that is not a well-formed SmartLink command line."""

    reason = "smartlink"


class MissingStxError(SmartLinkDecodeError, BadSyncError):
    reason = "smartlink-missing-stx"


class MissingEtxError(SmartLinkDecodeError, TruncatedError):
    """The bytes end before the ETX that closes the line."""

    reason = "smartlink-missing-etx"


class TrailingBytesError(SmartLinkDecodeError, BadLengthError):
    reason = "smartlink-trailing-bytes"


class LineTooLongError(SmartLinkDecodeError, FrameTooLongError):
    reason = "smartlink-too-long"


class MissingQuoteError(SmartLinkDecodeError, BadFieldError):
    reason = "smartlink-missing-quote"


class MissingSeparatorError(SmartLinkDecodeError, BadFieldError):
    """A pair not followed by FS (the paper's line ends ``<28><3>``, not ``<3>``)."""

    reason = "smartlink-missing-fs"


class MissingEqualsError(SmartLinkDecodeError, BadFieldError):
    reason = "smartlink-missing-equals"


class EmptyKeyError(SmartLinkDecodeError, BadFieldError):
    reason = "smartlink-empty-key"


class EmptyLineError(SmartLinkDecodeError, BadFieldError):
    """STX then ETX with no pair: nothing to execute."""

    reason = "smartlink-empty-line"


class ControlByteError(SmartLinkDecodeError, BadFieldError):
    reason = "smartlink-control-byte"


class NonAsciiError(SmartLinkDecodeError, BadFieldError):
    reason = "smartlink-non-ascii"


class NotationError(SmartLinkDecodeError, BadFieldError):
    """Notation text that names no byte: ``<300>``, or a character outside ASCII."""

    reason = "smartlink-bad-notation"


def _text_problem(text: str, *, is_key: bool) -> str | None:
    if is_key and not text:
        return "empty key"
    for ch in text:
        if ord(ch) > 0x7E or ord(ch) < 0x20:
            return f"character {ch!r} is not printable ASCII"
        if ch == '"' or (is_key and ch == "="):
            return f"character {ch!r} cannot be written in a {'key' if is_key else 'value'}"
    return None


@dataclass(frozen=True, slots=True)
class SmartLinkCommand:
    """The ordered pairs of one command line; construction refuses what cannot be written."""

    pairs: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        pairs = tuple((str(k), str(v)) for k, v in self.pairs)
        object.__setattr__(self, "pairs", pairs)
        if not pairs:
            raise EncodeError("a command line needs at least one KEY=VALUE pair")
        for key, value in pairs:
            problem = _text_problem(key, is_key=True) or _text_problem(value, is_key=False)
            if problem:
                raise EncodeError(f"pair {key!r}={value!r}: {problem}")

    @classmethod
    def make(cls, command: str, **fields: str | int) -> SmartLinkCommand:
        """``make("ACTIVATERELAY", RELAYID=525)``: COMMAND first, as the paper writes it."""
        return cls((("COMMAND", command), *((k, str(v)) for k, v in fields.items())))

    @property
    def command(self) -> str | None:
        return self.get("COMMAND")

    def get(self, key: str, default: str | None = None) -> str | None:
        """The first value under ``key`` (keys are case-sensitive; duplicates are kept)."""
        for k, v in self.pairs:
            if k == key:
                return v
        return default

    def encode(self) -> bytes:
        out = bytearray((STX,))
        for key, value in self.pairs:
            out += b'"' + key.encode("ascii") + b"=" + value.encode("ascii") + b'"'
            out.append(FS)
        out.append(ETX)
        return bytes(out)


def decode_smartlink(data: bytes | bytearray | memoryview) -> SmartLinkCommand:
    """Exactly one line, STX to ETX, with the precise error for the first rule broken."""
    data = bytes(data)
    if not data or data[0] != STX:
        raise MissingStxError("a command line starts with STX (0x02)")
    n = len(data)
    pos = 1
    pairs: list[tuple[str, str]] = []
    while True:
        if pos >= n:
            raise MissingEtxError(f"line ends at byte {n} without ETX")
        if data[pos] == ETX:
            pos += 1
            break
        if data[pos] != QUOTE:
            raise MissingQuoteError(f"byte {pos} is 0x{data[pos]:02x}, not the '\"' opening a pair")
        end = pos + 1
        while end < n and data[end] != QUOTE:
            b = data[end]
            if b in _FRAMING:
                raise MissingQuoteError(f"pair opened at byte {pos} not closed before 0x{b:02x}")
            if b < 0x20 or b == 0x7F:
                raise ControlByteError(f"control byte 0x{b:02x} at byte {end}")
            if b > 0x7F:
                raise NonAsciiError(f"byte 0x{b:02x} at {end} is not ASCII")
            end += 1
        if end >= n:
            raise MissingEtxError(f"line ends inside the pair opened at byte {pos}")
        key, equals, value = data[pos + 1:end].partition(b"=")
        if not equals:
            raise MissingEqualsError(f"pair at byte {pos} has no '='")
        if not key:
            raise EmptyKeyError(f"pair at byte {pos} has an empty key")
        pairs.append((key.decode("ascii"), value.decode("ascii")))
        pos = end + 1
        if pos >= n:
            raise MissingEtxError(f"line ends after the pair at byte {end}")
        if data[pos] != FS:
            raise MissingSeparatorError(f"byte {pos} is 0x{data[pos]:02x}, not FS after a pair")
        pos += 1
    if pos != n:
        raise TrailingBytesError(f"{n - pos} bytes after ETX")
    if not pairs:
        raise EmptyLineError("no KEY=VALUE pair between STX and ETX")
    return SmartLinkCommand(tuple(pairs))


def format_notation(cmd: SmartLinkCommand) -> str:
    """The paper's notation: control bytes as ``<N>``. '<' itself is written ``<60>`` so the
    text always parses back to the same line."""
    return "".join(f"<{b}>" if b < 0x20 or b == 0x3C else chr(b) for b in cmd.encode())


def notation_length(cmd: SmartLinkCommand) -> int:
    """What the paper counts as "bytes" for a command line: 50 for its example, 40 on the wire."""
    return len(format_notation(cmd))


def parse_notation(text: str) -> SmartLinkCommand:
    """Notation back to a command. A '<' that does not open ``<N>`` is taken literally."""
    out = bytearray()
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _NOTATION_ESCAPE.match(text, pos)
        if match:
            value = int(match.group(1))
            if value > 0x7F:
                raise NotationError(f"<{value}> at {pos} is not an ASCII byte")
            out.append(value)
            pos = match.end()
            continue
        if ord(text[pos]) > 0x7F:
            raise NotationError(f"character {text[pos]!r} at {pos} is not ASCII")
        out.append(ord(text[pos]))
        pos += 1
    return decode_smartlink(out)


@dataclass(slots=True)
class SmartLinkStreamDecoder:
    """Lines out of a byte stream; bytes before an STX are dropped and a bad or unfinished line
    is abandoned at the next STX, so one broken line never costs the line after it."""

    max_line: int = MAX_LINE
    lines: int = field(default=0, init=False)
    bad_lines: int = field(default=0, init=False)
    dropped_bytes: int = field(default=0, init=False)
    last_error: DecodeError | None = field(default=None, init=False, repr=False)
    _buffer: bytearray = field(default_factory=bytearray, init=False, repr=False)

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def feed(self, data: bytes | bytearray | memoryview) -> list[SmartLinkCommand]:
        buf = self._buffer
        buf += data
        out: list[SmartLinkCommand] = []
        pos = 0
        while True:
            start = buf.find(STX, pos)
            if start < 0:
                self.dropped_bytes += len(buf) - pos
                pos = len(buf)
                break
            self.dropped_bytes += start - pos
            pos = start
            etx = buf.find(ETX, start + 1)
            restart = buf.find(STX, start + 1, etx if etx >= 0 else len(buf))
            # the same limit whether or not the ETX has arrived yet, so chunking changes nothing
            end = restart if restart >= 0 else (etx + 1 if etx >= 0 else len(buf))
            if end - start > self.max_line:
                self._reject(LineTooLongError(f"no ETX within {self.max_line} bytes"), end - start)
                pos = end
                continue
            if restart >= 0:
                self._reject(MissingEtxError(f"new STX before the ETX of the line at {start}"),
                             restart - start)
                pos = restart
                continue
            if etx < 0:
                break
            try:
                out.append(decode_smartlink(buf[start:etx + 1]))
                self.lines += 1
            except DecodeError as exc:
                self._reject(exc, etx + 1 - start)
            pos = etx + 1
        del buf[:pos]
        return out

    def _reject(self, error: DecodeError, size: int) -> None:
        self.bad_lines += 1
        self.dropped_bytes += size
        self.last_error = error
