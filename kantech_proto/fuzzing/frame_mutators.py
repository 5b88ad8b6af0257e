"""Structure-aware mutators: edit what is inside a frame, then rebuild the layers around it (AES,
padding, checksum), so a mutation gets past the integrity checks and reaches the parser behind
them. Each takes ``(data, seed)`` and returns new bytes: the form of atheris's custom mutator,
and a pure function of its arguments, so hypothesis can drive it with drawn seeds.
"""

from __future__ import annotations

import random

from kantech_proto.errors import DecodeError
from kantech_proto.frame_cipher import BLOCK, FrameCipher
from kantech_proto.ip_frame import CHECKSUM_SIZE, OUTER_HEADER, IpFrameCodec
from kantech_proto.serial_frame import serial_checksum
from kantech_proto.wire_profile import DEFAULT_PROFILE, WireProfile
from protolab.byte_edits import mutate_bytes

#: the key protolab's own corpora are encrypted with (any 1..16 ASCII characters would do)
FUZZ_KEY = "fuzz-key-16char"
_VALIDATION_AND_SENDER = bytes.fromhex("3021") + bytes.fromhex("00a0c2123456")


class IpFrameMutator:
    """Mutations of IP frames for one key and wire profile (a site's configuration)."""

    def __init__(self, key: str | bytes = FUZZ_KEY, profile: WireProfile = DEFAULT_PROFILE
                 ) -> None:
        self.profile = profile
        self.codec = IpFrameCodec(key, profile)
        self.cipher = FrameCipher(key, profile)

    def mutate(self, data: bytes, seed: int) -> bytes:
        """Decrypt the frame's section, edit the plaintext (header fields, command, data,
        padding), re-encrypt and re-checksum; a frame that cannot be decrypted gets a fresh
        plaintext. The output always passes the outer checks (sync, length, checksum)."""
        rng = random.Random(seed)
        section = data[OUTER_HEADER:-CHECKSUM_SIZE] \
            if len(data) > OUTER_HEADER + CHECKSUM_SIZE else b""
        if section and len(section) % BLOCK == 0:
            plain = self.cipher.decrypt(section)
        else:
            plain = _VALIDATION_AND_SENDER + rng.randbytes(8)
        plain = mutate_bytes(plain, rng) or bytes(BLOCK)
        plain += bytes(-len(plain) % BLOCK)
        head = bytes((0x99,)) + (4 + len(plain) + CHECKSUM_SIZE).to_bytes(2, "big") + \
            (data[3:7] if len(data) >= 7 else bytes(4))
        body = head + self.cipher.encrypt(plain)
        return body + self.profile.checksum_of(body).to_bytes(2, "big")

    def mutate_data(self, data: bytes, seed: int) -> bytes:
        """Keep an authentic frame's header and command and edit only its message data (an
        event record, reload records, a status reply ...): every output is a valid frame as far
        as the checksum, AES and the 0x3021 validation go, so the message decoders get all the
        mutations. Bytes that are no authentic frame get ``mutate``'s treatment instead."""
        rng = random.Random(seed)
        try:
            frame = self.codec.decode(data)
        except DecodeError:
            return self.mutate(data, seed)
        edited = mutate_bytes(frame.data, rng)[:900]
        return self.codec.encode_raw(frame.site_id, frame.sender_id, frame.sequence,
                                     frame.event_id, int(frame.command), edited)


_DEFAULT = IpFrameMutator()


def mutate_ip_frame(data: bytes, seed: int) -> bytes:
    """``IpFrameMutator().mutate`` for frames under FUZZ_KEY and the default wire profile."""
    return _DEFAULT.mutate(data, seed)


def mutate_serial_frame(data: bytes, seed: int) -> bytes:
    """Edit the bytes, then repair the checksum of the first candidate frame so the mutation
    gets past it and reaches the length, command and resync logic of a loop decoder."""
    rng = random.Random(seed)
    buf = bytearray(mutate_bytes(data, rng))
    if len(buf) >= 4 and rng.random() < 0.7:
        end = min(len(buf), 4 + buf[2]) - 1
        buf[end] = serial_checksum(buf[:end])
    return bytes(buf)
