"""Fuzz target: SmartLink command lines, the <N> notation and the line stream decoder.

Invariants beyond "only DecodeError escapes": a decoded line re-encodes to the same bytes and
survives a trip through the notation; the stream decoder gives the same lines whatever the
chunking and accounts for every byte.
"""

from __future__ import annotations

import random

from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import mutate_bytes
from kantech_proto.smartlink import (
    ETX,
    FS,
    STX,
    SmartLinkCommand,
    SmartLinkStreamDecoder,
    decode_smartlink,
    format_notation,
    parse_notation,
)

_MAX_LINE = 256  # the limit's logic does not depend on its value; a small one keeps inputs short
#: three lines at the limit: room for a line too long, a line cut by the next STX and a good one;
#: longer inputs only repeat the scan (and ran 5x slower under instrumentation)
MAX_LEN = 3 * _MAX_LINE


def _stream(chunks: list[bytes]) -> tuple[list[SmartLinkCommand], SmartLinkStreamDecoder]:
    decoder = SmartLinkStreamDecoder(max_line=_MAX_LINE)
    lines = [line for chunk in chunks for line in decoder.feed(chunk)]
    return lines, decoder


def TestOneInput(data: bytes) -> None:
    try:
        cmd = decode_smartlink(data)
    except DecodeError:
        pass
    else:
        assert cmd.encode() == data, "a decoded line must re-encode to the same bytes"
        assert parse_notation(format_notation(cmd)) == cmd, "notation must round-trip"

    try:
        parse_notation(data.decode("latin-1"))
    except DecodeError:
        pass

    whole, reference = _stream([data])
    step = 1 + (data[0] % 23 if data else 0)
    lines, decoder = _stream([data[i:i + step] for i in range(0, len(data), step)])
    assert lines == whole, "chunking changed what the stream decoder found"
    assert (decoder.dropped_bytes, decoder.bad_lines) == (reference.dropped_bytes,
                                                          reference.bad_lines)
    assert decoder.pending <= _MAX_LINE
    consumed = sum(len(line.encode()) for line in lines)
    assert consumed + decoder.dropped_bytes + decoder.pending == len(data), "bytes unaccounted"


def seeds() -> list[bytes]:
    paper = SmartLinkCommand.make("ACTIVATERELAY", RELAYID=525).encode()
    other = SmartLinkCommand((("COMMAND", "UNLOCKDOOR"), ("DOORID", "12"), ("TIME", "5"),
                              ("NOTE", "a=b <c>"))).encode()
    return [paper, other, paper + other, b"xx" + paper[:9] + other + b"\x00",
            bytes((STX, ETX)), b'\x02"A=B"\x1c\x03']


def mutate(data: bytes, seed: int) -> bytes:
    """Byte edits biased towards the framing bytes and quotes that steer the parser."""
    rng = random.Random(seed)
    buf = bytearray(mutate_bytes(data, rng))
    if buf and rng.random() < 0.5:
        buf[rng.randrange(len(buf))] = rng.choice((STX, FS, ETX, ord('"'), ord("="), ord("<")))
    return bytes(buf)
