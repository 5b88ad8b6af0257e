"""Fuzz target: the capture's decrypted twin, which reads whatever bytes a runtime sent.

The twin must never fail and never change a byte count; every frame it decrypted (sync now
0x9A) must re-encrypt to exactly the bytes sent, and every other byte must be left as it was.
"""

from __future__ import annotations

from kantech_proto.frame_cipher import FrameCipher
from kantech_proto.ip_frame import CHECKSUM_SIZE, OUTER_HEADER, SYNC
from kantech_proto.wire_profile import DEFAULT_PROFILE
from tools.capture.decrypted_twin import DECRYPTED_SYNC, DecryptedTwin
from tools.fuzz.targets import ip_frame

TWIN = DecryptedTwin(ip_frame.KEY)
CIPHER = FrameCipher(ip_frame.KEY, DEFAULT_PROFILE)


def TestOneInput(data: bytes) -> None:
    out = TWIN.transform(data)
    assert len(out) == len(data), "the twin changes no byte count"
    offset = 0
    while offset < len(out) and out[offset] == DECRYPTED_SYNC and data[offset] == SYNC:
        total = int.from_bytes(data[offset + 1: offset + 3], "big") + 3
        section = slice(offset + OUTER_HEADER, offset + total - CHECKSUM_SIZE)
        assert CIPHER.encrypt(out[section]) == data[section], "plaintext re-encrypts as sent"
        assert out[offset + 1: section.start] == data[offset + 1: section.start]
        assert out[section.stop: offset + total] == data[section.stop: offset + total]
        offset += total
    assert out[offset:] == data[offset:], "bytes that are no decryptable frame stay as sent"


def seeds() -> list[bytes]:
    frames = ip_frame.seeds()
    return [*frames, frames[0] + frames[1], frames[2] + b"\x99\x00", b"\x99" + bytes(30)]


def mutate(data: bytes, seed: int) -> bytes:
    """Keep frames decryptable (checksum and AES rebuilt) so the twin's path is exercised."""
    return ip_frame.mutate(data, seed)
