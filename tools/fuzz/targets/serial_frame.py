"""Fuzz target: the serial loop codec, one frame at a time and as a stream cut at data-chosen points.

Invariants beyond "only DecodeError escapes": a decoded frame re-encodes to the same bytes; the
stream decoder gives the same items whatever the chunking; every byte fed is accounted for (in an
item, dropped, or pending); a decoder never holds a whole frame's worth of bytes.
"""

from __future__ import annotations

import random

from kantech_proto.codes import Command
from kantech_proto.errors import DecodeError
from kantech_proto.serial_frame import (
    MAX_FRAME,
    Presence,
    SerialFrame,
    SerialItem,
    SerialStreamDecoder,
    decode_serial_frame,
    serial_checksum,
)
from tools.fuzz.mutations import mutate_bytes


def _chunks(data: bytes) -> list[bytes]:
    """Cut points taken from the data itself, so the fuzzer explores the splits too."""
    out, pos, i = [], 0, 0
    while pos < len(data):
        size = 1 + data[i % len(data)] % 37
        out.append(data[pos:pos + size])
        pos += size
        i += 1
    return out


def _run_stream(chunks: list[bytes]) -> tuple[list[SerialItem], SerialStreamDecoder]:
    decoder = SerialStreamDecoder()
    items: list[SerialItem] = []
    for chunk in chunks:
        items += decoder.feed(chunk)
        assert decoder.pending < MAX_FRAME, "the decoder holds more than one frame's look-ahead"
    return items, decoder


def TestOneInput(data: bytes) -> None:
    try:
        frame = decode_serial_frame(data)
    except DecodeError:
        pass
    else:
        assert frame.encode() == data, "a decoded frame must re-encode to the same bytes"

    whole, reference = _run_stream([data])
    items, decoder = _run_stream(_chunks(data))
    assert items == whole, "chunking changed what the stream decoder found"
    assert (decoder.dropped_bytes, decoder.bad_frames) == (reference.dropped_bytes,
                                                           reference.bad_frames)
    consumed = sum(len(item.encode()) for item in items)
    assert consumed + decoder.dropped_bytes + decoder.pending == len(data), "bytes unaccounted"
    items += decoder.flush()
    assert decoder.pending == 0
    consumed = sum(len(item.encode()) for item in items)
    assert consumed + decoder.dropped_bytes == len(data), "bytes unaccounted after flush"


def seeds() -> list[bytes]:
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


def mutate(data: bytes, seed: int) -> bytes:
    """Edit the bytes, then repair the checksum of the first candidate so the mutation gets past
    it and reaches the length, command and resync logic."""
    rng = random.Random(seed)
    buf = bytearray(mutate_bytes(data, rng))
    if len(buf) >= 4 and rng.random() < 0.7:
        end = min(len(buf), 4 + buf[2]) - 1
        buf[end] = serial_checksum(buf[:end])
    return bytes(buf)
