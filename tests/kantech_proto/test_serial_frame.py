"""The serial loop codec (WIRE.md section 2): vectors worked out by hand, round trips, resync."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantech_proto.codes import Command
from kantech_proto.errors import (
    BadFieldError,
    BadLengthError,
    ChecksumMismatchError,
    EncodeError,
    TruncatedError,
    UnknownCommandError,
)
from kantech_proto.serial_frame import (
    _COMPILED,
    MAX_FRAME,
    Presence,
    SerialChecksumError,
    SerialFrame,
    SerialItem,
    SerialLayout,
    SerialStreamDecoder,
    decode_serial_frame,
    encode_presence,
    poll_frame,
)

frames = st.builds(SerialFrame, st.integers(1, 127), st.sampled_from(Command),
                   st.binary(max_size=255))
presences = st.builds(Presence, st.integers(1, 127))
items = st.lists(st.one_of(frames, presences), max_size=12)


def wire(seq: list[SerialItem]) -> bytes:
    return b"".join(item.encode() for item in seq)


def feed_all(decoder: SerialStreamDecoder, chunks: list[bytes]) -> list[SerialItem]:
    return [item for chunk in chunks for item in decoder.feed(chunk)]


def is_subsequence(wanted: list[SerialItem], got: list[SerialItem]) -> bool:
    it = iter(got)
    return all(any(w == g for g in it) for w in wanted)


# --- known answers, checksums done by hand ------------------------------------------------------

def test_poll_of_address_5() -> None:
    # 0x05 + 0x10 + 0x00 = 0x15; two's complement 0x100 - 0x15 = 0xEB
    assert 0x100 - (0x05 + 0x10 + 0x00) == 0xEB
    expected = bytes((0x05, 0x10, 0x00, 0xEB))
    assert poll_frame(5) == expected
    assert SerialFrame(5, Command.POLL).encode() == expected
    assert decode_serial_frame(expected) == SerialFrame(5, Command.POLL, b"")
    assert len(expected) == 4  # paper, table 11: gateway query 4 bytes


def test_ack_to_address_127_and_nak_with_reason() -> None:
    # 0x7F + 0x04 + 0x00 = 0x83 -> 0x7D
    assert (0x7F + 0x04 + 0x00 + 0x7D) % 256 == 0
    assert SerialFrame(127, Command.ACK).encode() == bytes((0x7F, 0x04, 0x00, 0x7D))
    # NAK "bad data" (2) from address 1: 1 + 5 + 1 + 2 = 9 -> 0xF7
    assert (0x01 + 0x05 + 0x01 + 0x02 + 0xF7) % 256 == 0
    nak = bytes((0x01, 0x05, 0x01, 0x02, 0xF7))
    assert SerialFrame(1, Command.NAK, b"\x02").encode() == nak
    assert decode_serial_frame(nak) == SerialFrame(1, Command.NAK, b"\x02")


def test_firmware_block_is_134_bytes() -> None:
    data = bytes((0x00, 0x07)) + bytes(range(128))  # block 7, 128 image bytes
    # 3 + 0x50 + 130 + (7 + 0 + 1 + ... + 127) = 3 + 80 + 130 + 8135 = 8348 = 32 * 256 + 156
    assert 3 + 80 + 130 + 7 + 127 * 128 // 2 == 8348 == 32 * 256 + 156
    checksum = 256 - 156
    expected = bytes((0x03, 0x50, 0x82)) + data + bytes((checksum,))
    assert len(expected) == 134  # paper: 130 for reload and 4 for the protocol
    assert SerialFrame(3, Command.FIRMWARE_BLOCK, data).encode() == expected
    assert decode_serial_frame(expected).data == data


def test_presence_is_one_byte_with_the_high_bit() -> None:
    assert encode_presence(5) == b"\x85"
    assert encode_presence(1) == b"\x81"
    assert Presence(127).encode() == b"\xff"
    for bad in (0, 128):
        with pytest.raises(EncodeError):
            Presence(bad)


def test_event_of_an_access_costs_17_bytes() -> None:
    # WIRE.md 5 / paper: 7 + 1 + 5 data bytes of a 32-bit-card access, plus 4 of framing
    assert SerialFrame(9, Command.EVENT, bytes(13)).wire_size == 17 == len(
        SerialFrame(9, Command.EVENT, bytes(13)).encode())


# --- construction and decode errors -------------------------------------------------------------

@pytest.mark.parametrize("args", [(0, Command.POLL, b""), (128, Command.POLL, b""),
                                  (5, Command.TUNNEL, bytes(256)), (5, 0x11, b"")])
def test_unencodable_frames_are_refused(args: tuple[int, int, bytes]) -> None:
    with pytest.raises(EncodeError):
        SerialFrame(*args)  # type: ignore[arg-type]


def test_command_given_as_int_becomes_the_enum() -> None:
    frame = SerialFrame(5, 0x10, bytearray(b"x"))  # type: ignore[arg-type]
    assert frame.command is Command.POLL and frame.data == b"x" and type(frame.data) is bytes


def with_checksum(body: bytes) -> bytes:
    return body + bytes(((-sum(body)) & 0xFF,))


@pytest.mark.parametrize(("data", "error"), [
    (b"", TruncatedError),
    (b"\x05\x10\x00", TruncatedError),
    (with_checksum(b"\x05\x10\x02\xaa"), TruncatedError),  # length says 2, one data byte here
    (poll_frame(5) + b"\x00", BadLengthError),
    (with_checksum(b"\x05\x05\x00") + b"\xff", BadLengthError),
    (b"\x05\x10\x00\xec", SerialChecksumError),
    (with_checksum(b"\x05\x11\x00"), UnknownCommandError),
    (with_checksum(b"\x00\x10\x00"), BadFieldError),
    (with_checksum(b"\x80\x10\x00"), BadFieldError),
    (with_checksum(b"\xff\x04\x00"), BadFieldError),
])
def test_decode_errors_are_precise(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        decode_serial_frame(data)


def test_checksum_error_is_a_checksum_mismatch() -> None:
    assert issubclass(SerialChecksumError, ChecksumMismatchError)
    with pytest.raises(ChecksumMismatchError):
        decode_serial_frame(b"\x05\x10\x00\x00")


# --- round trips and the compiled layout --------------------------------------------------------

@given(frames)
def test_round_trip(frame: SerialFrame) -> None:
    raw = frame.encode()
    assert len(raw) == 4 + len(frame.data)
    assert sum(raw) % 256 == 0
    assert decode_serial_frame(raw) == frame


@given(st.integers(0, 255), st.integers(0, 255), st.binary(max_size=255), st.binary(max_size=3))
def test_compiled_and_plain_layout_agree(address: int, command: int, data: bytes,
                                         tail: bytes) -> None:
    value = {"address": address, "command": command, "data": data}
    built = SerialLayout.build(value)
    assert _COMPILED.build(value) == built == bytes((address, command, len(data))) + data
    plain, compiled = SerialLayout.parse(built + tail), _COMPILED.parse(built + tail)
    for name in ("address", "command", "length", "data"):
        assert plain[name] == compiled[name]


# --- the stream decoder -------------------------------------------------------------------------

@given(items, st.lists(st.integers(0, 4000), max_size=20))
def test_every_split_gives_the_same_items(seq: list[SerialItem], cuts: list[int]) -> None:
    raw = wire(seq)
    points = sorted({c % (len(raw) + 1) for c in cuts} | {0, len(raw)})
    chunks = [raw[a:b] for a, b in itertools.pairwise(points)]
    decoder = SerialStreamDecoder()
    assert feed_all(decoder, chunks) == seq
    assert decoder.pending == 0 and decoder.dropped_bytes == 0 and decoder.bad_frames == 0


def test_byte_by_byte() -> None:
    seq: list[SerialItem] = [SerialFrame(3, Command.STATUS_REPLY, bytes(range(63))), Presence(3),
                             SerialFrame(4, Command.POLL)]
    decoder = SerialStreamDecoder()
    assert feed_all(decoder, [bytes((b,)) for b in wire(seq)]) == seq


def test_truncated_tail_is_kept_until_completed() -> None:
    raw = SerialFrame(12, Command.MANUAL_OP, b"\x01\x01\x01\x01\x00\x05").encode()
    decoder = SerialStreamDecoder()
    assert decoder.feed(raw[:-1]) == []
    assert decoder.pending == len(raw) - 1
    assert decoder.feed(raw[-1:]) == [SerialFrame(12, Command.MANUAL_OP,
                                                  b"\x01\x01\x01\x01\x00\x05")]
    assert decoder.pending == 0


def test_noise_bytes_before_between_and_after() -> None:
    seq: list[SerialItem] = [SerialFrame(5, Command.ACK), Presence(9),
                             SerialFrame(6, Command.NAK, b"\x03")]
    raw = b"\x00\x80\x00" + seq[0].encode() + b"\x80" + seq[1].encode() + b"\x00\x00" + \
        seq[2].encode() + b"\x80"
    decoder = SerialStreamDecoder()
    assert decoder.feed(raw) == seq
    assert decoder.dropped_bytes == 7 and decoder.bad_frames == 0 and decoder.pending == 0


def test_bad_candidates_cost_one_byte_each() -> None:
    good = SerialFrame(7, Command.STATUS_QUERY)
    unknown = b"\x05\x11"  # 0x11 is not a command: rejected as soon as it is seen
    bad_sum = b"\x05\x10\x00\x00"  # a poll with a wrong checksum
    decoder = SerialStreamDecoder()
    assert decoder.feed(unknown + good.encode()) == [good]
    # 05 11: command 0x11 unknown; then 11 07: address 17, command 0x07 unknown; then 07 12 ...
    assert decoder.bad_frames == 2 and decoder.dropped_bytes == 2
    assert decoder.last_dropped == unknown
    assert isinstance(decoder.last_error, UnknownCommandError)
    decoder = SerialStreamDecoder()
    assert decoder.feed(bad_sum + good.encode()) == [good]
    # 05 10 00 00 fails its checksum, then 10 00 has command 0x00, then 00 is noise
    assert decoder.bad_frames == 2 and decoder.last_dropped == bad_sum
    decoder = SerialStreamDecoder()
    # a PULSE with one data byte and a wrong checksum; then 01 01 ff starts a 259-byte candidate
    assert decoder.feed(b"\x05\x01\x01\xff\x00") == []
    assert isinstance(decoder.last_error, SerialChecksumError)
    assert decoder.bad_frames == 1 and decoder.pending == 4


def test_bogus_length_delays_but_does_not_hide_frames() -> None:
    polls: list[SerialItem] = [SerialFrame(a, Command.POLL) for a in range(1, 71)]
    decoder = SerialStreamDecoder()
    out = decoder.feed(b"\x05\x10\xfe")  # announces a 258-byte frame that is not coming
    out += feed_all(decoder, [p.encode() for p in polls])
    got = [item for item in out if isinstance(item, SerialFrame)]
    assert got == polls
    assert decoder.bad_frames >= 1


def test_flush_releases_frames_behind_a_stuck_candidate() -> None:
    good = SerialFrame(3, Command.POLL)
    decoder = SerialStreamDecoder()
    assert decoder.feed(b"\x05\x10\x05" + good.encode()) == []
    assert decoder.flush() == [good]
    assert decoder.pending == 0 and decoder.bad_frames == 3
    assert isinstance(decoder.last_error, TruncatedError)
    assert decoder.flush() == []


@given(items, st.binary(max_size=40), st.binary(max_size=40), st.binary(max_size=40),
       st.integers(1, 64))
def test_garbage_anywhere_never_hides_a_valid_item(seq: list[SerialItem], before: bytes,
                                                   between: bytes, after: bytes,
                                                   chunk: int) -> None:
    half = len(seq) // 2
    raw = before + wire(seq[:half]) + between + wire(seq[half:]) + after
    decoder = SerialStreamDecoder()
    out = feed_all(decoder, [raw[i:i + chunk] for i in range(0, len(raw), chunk)])
    out += decoder.flush()
    assert decoder.pending == 0
    if not is_subsequence(seq, out):
        # the only way to lose an item: garbage plus its first bytes forged a checksum-valid frame
        forged = Counter(f for f in out if isinstance(f, SerialFrame)) - Counter(
            f for f in seq if isinstance(f, SerialFrame))
        assert forged, (raw.hex(), out)


@given(st.lists(st.binary(max_size=300), max_size=30))
def test_random_bytes_bounded_and_accounted(chunks: list[bytes]) -> None:
    decoder = SerialStreamDecoder()
    out: list[SerialItem] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
        assert decoder.pending < MAX_FRAME
    consumed = sum(len(item.encode()) for item in out)
    assert consumed + decoder.dropped_bytes + decoder.pending == sum(map(len, chunks))


def test_long_noisy_stream_keeps_every_frame_among_noise_bytes() -> None:
    rng = random.Random(7)
    seq: list[SerialItem] = []
    raw = bytearray()
    for _ in range(500):
        raw += bytes(rng.choice((0x00, 0x80)) for _ in range(rng.randrange(3)))
        item: SerialItem = (Presence(rng.randrange(1, 128)) if rng.random() < 0.3 else
                            SerialFrame(rng.randrange(1, 128), rng.choice(list(Command)),
                                        rng.randbytes(rng.randrange(40))))
        seq.append(item)
        raw += item.encode()
    decoder = SerialStreamDecoder()
    assert feed_all(decoder, [bytes(raw[i:i + 97]) for i in range(0, len(raw), 97)]) == seq
