"""Receiving a firmware image: FIRMWARE_BLOCK packets, then FIRMWARE_END to check and accept it.

Blocks must arrive in order from 0; sending the last block again (a retransmission after a lost
ACK) is harmless, anything else out of order spoils the transfer, which FIRMWARE_END then refuses
with NAK(BAD_DATA), as it refuses missing blocks or a CRC-32 (zlib.crc32) mismatch.

The last block is padded to 128 bytes with zeros and WIRE.md does not say whether the CRC covers
that padding, so both are accepted: the CRC of the whole padded image, or of the image with some
of the last block's trailing zeros left out.

Version marker (protolab's): an image starting with ``b"KTFW"`` and three bytes major, minor,
build carries that version; any other image bumps the build number of the running firmware.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from kantech_proto.codes import NakReason
from kantech_proto.messages import FIRMWARE_CHUNK

VERSION_MARKER = b"KTFW"
MAX_BLOCKS = 0x10000


@dataclass(frozen=True, slots=True)
class AcceptedImage:
    size: int
    crc32: int
    version: tuple[int, int, int] | None  # from the version marker, None without one


def bump_build(version: tuple[int, int, int]) -> tuple[int, int, int]:
    """The next build of a version; the minor (then major) number carries past 255."""
    major, minor, build = version
    if build < 255:
        return major, minor, build + 1
    if minor < 255:
        return major, minor + 1, 0
    return (major + 1) % 256, 0, 0


def image_version(image: bytes) -> tuple[int, int, int] | None:
    if len(image) >= len(VERSION_MARKER) + 3 and image.startswith(VERSION_MARKER):
        major, minor, build = image[len(VERSION_MARKER): len(VERSION_MARKER) + 3]
        return major, minor, build
    return None


class FirmwareReceiver:
    """The blocks of one transfer, from its first FIRMWARE_BLOCK to its FIRMWARE_END."""

    def __init__(self) -> None:
        self._blocks: list[bytes] = []
        self._broken = False

    @property
    def receiving(self) -> bool:
        return bool(self._blocks) or self._broken

    def block(self, number: int, chunk: bytes) -> None:
        if number == len(self._blocks) and not self._broken:
            self._blocks.append(bytes(chunk))
        elif self._blocks and number == len(self._blocks) - 1 and not self._broken:
            self._blocks[-1] = bytes(chunk)
        else:
            self._broken = True

    def end(self, block_count: int, crc32: int) -> AcceptedImage | NakReason:
        """Check the transfer and forget it; the accepted image's facts, or why it is refused."""
        blocks, broken = self._blocks, self._broken
        self.reset()
        if broken or block_count == 0 or block_count != len(blocks):
            return NakReason.BAD_DATA
        if any(len(b) != FIRMWARE_CHUNK for b in blocks):
            return NakReason.BAD_DATA
        head = b"".join(blocks[:-1])
        base = zlib.crc32(head)
        last = blocks[-1]
        for size in range(FIRMWARE_CHUNK, 0, -1):
            if size < FIRMWARE_CHUNK and last[size] != 0:
                break
            if zlib.crc32(last[:size], base) == crc32:
                image = head + last[:size]
                return AcceptedImage(len(image), crc32, image_version(image))
        return NakReason.BAD_DATA

    def reset(self) -> None:
        self._blocks = []
        self._broken = False
