"""The decrypted twin of a capture: each 0x99 frame's ciphertext replaced by its plaintext.

The result has the frame's length, so the twin's packets line up one for one (and byte for byte
in TCP sequence numbers) with the raw capture. The sync byte becomes ``DECRYPTED_SYNC`` (0x9A) so
a reader, and the dissector, can tell a decrypted frame from a frame that did not decrypt.
"""

from __future__ import annotations

from kantech_proto.errors import DecodeError
from kantech_proto.frame_cipher import FrameCipher
from kantech_proto.ip_frame import CHECKSUM_SIZE, OUTER_HEADER, SYNC, VALIDATION, IpFrameCodec
from kantech_proto.wire_profile import DEFAULT_PROFILE, WireProfile

DECRYPTED_SYNC = 0x9A
_VALIDATION = VALIDATION.to_bytes(2, "big")


class DecryptedTwin:
    """Decrypts with one site's key and wire profile."""

    def __init__(self, key: str | bytes, profile: WireProfile = DEFAULT_PROFILE) -> None:
        self._codec = IpFrameCodec(key, profile)
        self._cipher = FrameCipher(key, profile)

    def transform(self, payload: bytes) -> bytes:
        """Whole frames at the start of ``payload`` that decrypt are replaced; from the first
        byte that is not such a frame on, the payload is kept as it was."""
        out = bytearray()
        offset = 0
        while offset < len(payload) and payload[offset] == SYNC:
            plain = self._decrypt_at(payload, offset)
            if plain is None:
                break
            frame_end = offset + OUTER_HEADER + len(plain) + CHECKSUM_SIZE
            out.append(DECRYPTED_SYNC)
            out += payload[offset + 1: offset + OUTER_HEADER]
            out += plain
            out += payload[frame_end - CHECKSUM_SIZE: frame_end]
            offset = frame_end
        return bytes(out) + payload[offset:]

    def _decrypt_at(self, payload: bytes, offset: int) -> bytes | None:
        if len(payload) - offset < OUTER_HEADER:
            return None
        total = int.from_bytes(payload[offset + 1: offset + 3], "big") + 3
        frame = payload[offset: offset + total]
        try:
            self._codec.check_outer(frame)
            plain = self._cipher.decrypt(frame[OUTER_HEADER:-CHECKSUM_SIZE])
        except DecodeError:
            return None
        return plain if plain[:2] == _VALIDATION else None
