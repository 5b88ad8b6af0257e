"""Fuzz target: the serial loop codec, one frame at a time and as a stream cut at data-chosen points.

Invariants beyond "only DecodeError escapes": a decoded frame re-encodes to the same bytes; the
stream decoder gives the same items whatever the chunking; every byte fed is accounted for (in an
item, dropped, or pending); a decoder never holds a whole frame's worth of bytes.
"""

from __future__ import annotations

from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import mutate_serial_frame as mutate
from kantech_proto.fuzzing import serial_frame_seeds as seeds
from kantech_proto.serial_frame import (
    MAX_FRAME,
    SerialItem,
    SerialStreamDecoder,
    decode_serial_frame,
)

__all__ = ["MAX_LEN", "TestOneInput", "mutate", "seeds"]

MAX_LEN = 4 * MAX_FRAME  # a stream of a few frames; longer inputs only repeat the scan


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
