"""A firmware image as the gateway sends it: 128-byte FIRMWARE_BLOCKs, then FIRMWARE_END.

The last block is zero-padded to 128 bytes and the CRC-32 (zlib) covers the image as sent,
padding included; the block number is 16 bits, so an image holds at most 65,536 blocks.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from kantech_proto.errors import ConfigurationError
from kantech_proto.messages import FIRMWARE_CHUNK, FirmwareBlock, FirmwareEnd

MAX_BLOCKS = 0x10000
#: the paper's figure for one block on a serial loop: 130 bytes of data + 4 of protocol
PAPER_FIRMWARE_PACKET = 134


@dataclass(frozen=True, slots=True)
class FirmwareImage:
    """An image cut into blocks: what goes on the wire, in order."""

    size: int
    padded: bytes

    @property
    def block_count(self) -> int:
        return len(self.padded) // FIRMWARE_CHUNK

    @property
    def crc32(self) -> int:
        return zlib.crc32(self.padded)

    def blocks(self) -> list[FirmwareBlock]:
        return [FirmwareBlock(n, self.padded[n * FIRMWARE_CHUNK:(n + 1) * FIRMWARE_CHUNK])
                for n in range(self.block_count)]

    def end(self) -> FirmwareEnd:
        return FirmwareEnd(self.block_count, self.crc32)


def chunk_firmware(image: bytes) -> FirmwareImage:
    """``image`` cut into 128-byte blocks; ConfigurationError for an empty or oversized one."""
    if not image:
        raise ConfigurationError("a firmware image cannot be empty")
    padded = image + bytes(-len(image) % FIRMWARE_CHUNK)
    blocks = len(padded) // FIRMWARE_CHUNK
    if blocks > MAX_BLOCKS:
        raise ConfigurationError(f"a firmware image of {len(image)} bytes is {blocks} blocks: "
                                 f"expected at most {MAX_BLOCKS} ({MAX_BLOCKS * FIRMWARE_CHUNK} "
                                 "bytes)")
    return FirmwareImage(len(image), padded)


@dataclass(frozen=True, slots=True)
class FirmwareReport:
    device: str
    image_bytes: int
    blocks: int
    crc32: int
    frames_out: int
    wire_bytes_out: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"device": self.device, "image_bytes": self.image_bytes, "blocks": self.blocks,
                "crc32": f"0x{self.crc32:08x}", "frames_out": self.frames_out,
                "wire_bytes_out": self.wire_bytes_out,
                "paper_serial_bytes": self.blocks * PAPER_FIRMWARE_PACKET,
                "seconds": round(self.seconds, 4)}
