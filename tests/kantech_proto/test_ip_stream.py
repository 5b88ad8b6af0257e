from hypothesis import given, settings
from hypothesis import strategies as st

from kantech_proto.codes import NakReason
from kantech_proto.errors import DecodeError
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.ip_stream import IpStreamDecoder
from kantech_proto.messages import Nak, Pulse, StatusQuery

CODEC = IpFrameCodec("stream-key")
MAC = bytes.fromhex("00a0c2000001")
FRAMES = [IpFrame(5, MAC, i, i, msg) for i, msg in
          enumerate([Pulse(False), StatusQuery(), Nak(NakReason.BAD_DATA), Pulse(True)])]
WIRE = [CODEC.encode(f) for f in FRAMES]


def frames_of(items):
    return [i for i in items if not isinstance(i, DecodeError)]


@given(st.lists(st.integers(1, 40), max_size=20))
def test_any_split_gives_the_same_frames(cuts):
    stream = b"".join(WIRE)
    decoder = IpStreamDecoder(CODEC)
    out, pos = [], 0
    for cut in cuts:
        out += decoder.feed(stream[pos: pos + cut])
        pos += cut
    out += decoder.feed(stream[pos:])
    assert out == FRAMES
    assert decoder.pending == 0


def test_garbage_between_frames_is_skipped_and_counted():
    garbage = b"\x00\x99\x00\x05junk\x99"  # includes sync bytes with impossible lengths
    decoder = IpStreamDecoder(CODEC)
    out = decoder.feed(garbage + WIRE[0] + garbage + WIRE[1])
    assert frames_of(out) == FRAMES[:2]
    assert decoder.stats.bad_frames >= 2
    assert decoder.stats.dropped_bytes >= len(garbage)


def test_a_corrupted_frame_costs_only_itself():
    broken = bytearray(WIRE[1])
    broken[10] ^= 0xFF
    decoder = IpStreamDecoder(CODEC)
    out = decoder.feed(WIRE[0] + bytes(broken) + WIRE[2] + WIRE[3])
    assert frames_of(out) == [FRAMES[0], FRAMES[2], FRAMES[3]]
    assert any(isinstance(i, DecodeError) for i in out)


def test_a_fake_long_length_delays_but_does_not_swallow_frames():
    fake = b"\x99\x0f\xf6"  # a plausible length: 4089 bytes in all, 254 blocks
    decoder = IpStreamDecoder(CODEC)
    out = decoder.feed(fake + b"".join(WIRE))
    assert frames_of(out) == []  # still waiting for the fake frame's bytes
    out = decoder.feed(bytes(4100))  # the stream goes on; the fake frame fails its checksum
    assert frames_of(out) == FRAMES


@settings(max_examples=200)
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_random_noise_around_valid_frames(before, after):
    decoder = IpStreamDecoder(CODEC)
    out = decoder.feed(before + WIRE[0] + WIRE[1] + after + bytes(4200))
    got = frames_of(out)
    for frame in FRAMES[:2]:
        assert frame in got
