import binascii
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import strategies as st

from kantech_proto.codes import ComponentKind, ManualOperation, NakReason
from kantech_proto.errors import (
    BadDataSizeError,
    BadLengthError,
    BadSyncError,
    ChecksumMismatchError,
    EncodeError,
    FrameTooLongError,
    NonZeroPaddingError,
    TruncatedError,
    UnknownCommandError,
    WrongKeyError,
)
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import FirmwareBlock, ManualOp, Nak, Pulse, StatusQuery
from kantech_proto.wire_profile import WireProfile

KEY = "site-key"
MAC = bytes.fromhex("00a0c2abcdef")
CODEC = IpFrameCodec(KEY)


def raw_frame(plain: bytes, *, key: str = KEY, site: int = 1, length: int | None = None,
              fix_checksum: bool = True) -> bytes:
    """A frame assembled by hand: AES-CBC (zero IV) + CRC-16/CCITT-FALSE, as WIRE.md says."""
    enc = Cipher(algorithms.AES(key.encode().ljust(16, b"\0")), modes.CBC(bytes(16))).encryptor()
    cipher = enc.update(plain) + enc.finalize()
    body = struct.pack(">BHI", 0x99, length if length is not None else len(cipher) + 6, site)
    body += cipher
    crc = binascii.crc_hqx(body, 0xFFFF) if fix_checksum else 0
    return body + struct.pack(">H", crc)


def plain(command: int, data: bytes = b"", seq: int = 1, event: int = 0) -> bytes:
    out = struct.pack(">H6sHIB", 0x3021, MAC, seq, event, command) + data
    return out + bytes(-len(out) % 16)


def test_pulse_is_one_block_and_25_bytes():
    wire = CODEC.encode(IpFrame(1, MAC, 1, 0, Pulse(True)))
    assert len(wire) == 25
    assert wire == raw_frame(plain(0x01, b"\x01"))


def test_decodes_a_hand_built_frame():
    frame = CODEC.decode(raw_frame(plain(0x05, b"\x03", seq=0xBEEF, event=0x01020304), site=77))
    assert (frame.site_id, frame.sender_id, frame.sequence, frame.event_id) == (
        77, MAC, 0xBEEF, 0x01020304)
    assert frame.message == Nak(NakReason.BUSY)


@pytest.mark.parametrize(("wire", "error"), [
    (b"", TruncatedError),
    (b"\x98" + raw_frame(plain(0x12))[1:], BadSyncError),
    (raw_frame(plain(0x12), length=23), BadLengthError),  # 4 + 17 + 2: not whole blocks
    (raw_frame(plain(0x12))[:-1], TruncatedError),
    (raw_frame(plain(0x12)) + b"\x00", BadLengthError),
    (raw_frame(plain(0x12), fix_checksum=False), ChecksumMismatchError),
    (raw_frame(plain(0x12), key="another-key"), WrongKeyError),
    (raw_frame(plain(0x12)[:15] + b"\x01"), NonZeroPaddingError),
    (raw_frame(plain(0x12) + bytes(16)), BadDataSizeError),  # a whole extra block of padding
    (raw_frame(plain(0x7E)), UnknownCommandError),
    (raw_frame(plain(0x03, b"\x01" * 10)), BadDataSizeError),  # ANNOUNCE needs 32 bytes
])
def test_each_rule_has_its_precise_error(wire, error):
    with pytest.raises(error):
        CODEC.decode(wire)


def test_frames_over_4096_bytes_are_too_long():
    with pytest.raises(FrameTooLongError):
        CODEC.decode(struct.pack(">BHI", 0x99, 4096, 1) + bytes(4096))
    with pytest.raises(EncodeError):
        CODEC.encode_raw(1, MAC, 1, 1, 0x60, bytes(4100))


def test_sum16_and_ecb_profile():
    codec = IpFrameCodec(KEY, WireProfile.from_names("sum16", "ecb"))
    wire = codec.encode(IpFrame(9, MAC, 3, 4, StatusQuery()))
    assert int.from_bytes(wire[-2:], "big") == sum(wire[:-2]) & 0xFFFF
    assert codec.decode(wire).message == StatusQuery()
    with pytest.raises((ChecksumMismatchError, WrongKeyError)):
        CODEC.decode(wire)


frames = st.builds(
    IpFrame,
    site_id=st.integers(0, 2**32 - 1),
    sender_id=st.binary(min_size=6, max_size=6),
    sequence=st.integers(0, 0xFFFF),
    event_id=st.integers(0, 2**32 - 1),
    message=st.one_of(
        st.builds(Pulse, st.booleans()),
        st.just(StatusQuery()),
        st.builds(Nak, st.sampled_from(NakReason)),
        st.builds(ManualOp, st.sampled_from(ManualOperation), st.sampled_from(ComponentKind),
                  st.integers(1, 255), st.integers(1, 255), st.integers(0, 0xFFFF)),
        st.builds(FirmwareBlock, st.integers(0, 0xFFFF), st.binary(min_size=128, max_size=128)),
    ),
)


@given(frames)
def test_round_trip(frame):
    wire = CODEC.encode(frame)
    assert (len(wire) - 9) % 16 == 0
    assert CODEC.decode(wire) == frame


@given(st.binary(min_size=7, max_size=7))
def test_fast_outer_header_agrees_with_the_declarative_schema(head):
    from kantech_proto.ip_frame import FAST_OUTER, OuterHeader

    sync, length, site = FAST_OUTER.unpack(head)
    if sync != 0x99:
        return
    ref = OuterHeader.parse(head)
    assert (ref.length, ref.site_id) == (length, site)


@given(st.binary(min_size=6, max_size=6), st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1),
       st.integers(0, 255))
def test_fast_plain_header_agrees_with_the_declarative_schema(sender, seq, event, command):
    from kantech_proto.ip_frame import FAST_PLAIN, PlainHeader

    built = PlainHeader.build({"sender_id": sender, "sequence": seq, "event_id": event,
                               "command": command})
    assert FAST_PLAIN.unpack(built) == (0x3021, sender, seq, event, command)
