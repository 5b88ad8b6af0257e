"""Fuzz target: the IP frame decoder and the TCP stream decoder.

The mutator decrypts the section, edits the plaintext, then re-encrypts and re-checksums, so the
mutations get past AES and the checksum and reach the plaintext and data-layout parsers.
"""

from __future__ import annotations

from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import FUZZ_KEY as KEY
from kantech_proto.fuzzing import ip_frame_seeds as seeds
from kantech_proto.fuzzing import mutate_ip_frame as mutate
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.ip_stream import IpStreamDecoder

__all__ = ["KEY", "TestOneInput", "mutate", "seeds"]
CODEC = IpFrameCodec(KEY)


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
