"""The settable parts of WIRE.md ("kt-v1"), so captures from real equipment match without code.

Everything WIRE.md marks "(profile)" lives here; everything else is fixed in the codecs.
"""

from __future__ import annotations

import binascii
import enum
from dataclasses import dataclass

from kantech_proto.errors import ConfigurationError

AES_KEY_BYTES = 16


class ChecksumKind(enum.StrEnum):
    CRC16_CCITT_FALSE = "crc16-ccitt-false"
    SUM16 = "sum16"


class AesMode(enum.StrEnum):
    CBC_ZERO_IV = "cbc-zero-iv"
    ECB = "ecb"


class KeyPadding(enum.StrEnum):
    """How a key text shorter than 16 characters becomes 16 bytes. WIRE.md: right-pad with 0x00."""

    ZERO_RIGHT = "zero-right"


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor (check 0x29B1)."""
    return binascii.crc_hqx(data, 0xFFFF)


def sum16(data: bytes) -> int:
    """Sum of the bytes modulo 65536."""
    return sum(data) & 0xFFFF


_CHECKSUMS = {ChecksumKind.CRC16_CCITT_FALSE: crc16_ccitt_false, ChecksumKind.SUM16: sum16}


@dataclass(frozen=True, slots=True)
class WireProfile:
    """WIRE.md's profile knobs with their defaults."""

    checksum: ChecksumKind = ChecksumKind.CRC16_CCITT_FALSE
    aes_mode: AesMode = AesMode.CBC_ZERO_IV
    key_padding: KeyPadding = KeyPadding.ZERO_RIGHT

    @classmethod
    def from_names(
        cls, checksum: str = "crc16-ccitt-false", aes_mode: str = "cbc-zero-iv",
        key_padding: str = "zero-right",
    ) -> WireProfile:
        """Build from the names users type on the command line or in a fleet file."""
        try:
            return cls(ChecksumKind(checksum), AesMode(aes_mode), KeyPadding(key_padding))
        except ValueError as exc:
            raise ConfigurationError(f"unknown wire profile setting: {exc}") from None

    def checksum_of(self, data: bytes) -> int:
        return _CHECKSUMS[self.checksum](data)

    def key_bytes(self, key: str | bytes) -> bytes:
        """The 16-byte AES key for a configured key text (ASCII, at most 16 characters)."""
        if isinstance(key, bytes):
            raw = key
        else:
            try:
                raw = key.encode("ascii")
            except UnicodeEncodeError:
                raise ConfigurationError("the AES key must be ASCII text") from None
        if len(raw) > AES_KEY_BYTES:
            raise ConfigurationError(
                f"the AES key has {len(raw)} characters; at most {AES_KEY_BYTES} are allowed"
            )
        if any(b > 0x7F for b in raw):
            raise ConfigurationError("the AES key must be ASCII text")
        return raw.ljust(AES_KEY_BYTES, b"\x00")


DEFAULT_PROFILE = WireProfile()
