"""Firmware transfer checks (WIRE.md: FIRMWARE_BLOCK u16 number + 128 bytes, FIRMWARE_END u16
count + CRC-32 (zlib.crc32) of the image)."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from emulators.kantech.firmware_update import AcceptedImage, FirmwareReceiver, bump_build
from kantech_proto.codes import NakReason


def chunks(image: bytes) -> list[bytes]:
    return [image[i: i + 128].ljust(128, b"\x00") for i in range(0, len(image), 128)]


def send(rx: FirmwareReceiver, blocks: list[bytes], order: list[int] | None = None) -> None:
    for n in order if order is not None else range(len(blocks)):
        rx.block(n, blocks[n])


@given(st.binary(min_size=1, max_size=1000))
def test_in_order_image_is_accepted_with_unpadded_crc(image: bytes) -> None:
    rx = FirmwareReceiver()
    blocks = chunks(image)
    send(rx, blocks)
    outcome = rx.end(len(blocks), zlib.crc32(image))
    assert isinstance(outcome, AcceptedImage)


def test_crc_over_padded_image_is_accepted_too() -> None:
    blocks = chunks(b"\x01" * 200)
    rx = FirmwareReceiver()
    send(rx, blocks)
    assert isinstance(rx.end(2, zlib.crc32(b"".join(blocks))), AcceptedImage)


def test_crc_mismatch_is_bad_data() -> None:
    blocks = chunks(b"abc" * 100)
    rx = FirmwareReceiver()
    send(rx, blocks)
    assert rx.end(len(blocks), zlib.crc32(b"abc" * 100) ^ 1) == NakReason.BAD_DATA


def test_out_of_order_or_missing_blocks_are_bad_data() -> None:
    image = bytes(range(256)) * 2
    blocks = chunks(image)
    rx = FirmwareReceiver()
    send(rx, blocks, [0, 2, 1, 3])
    assert rx.end(4, zlib.crc32(image)) == NakReason.BAD_DATA
    send(rx, blocks, [0, 1, 3])
    assert rx.end(4, zlib.crc32(image)) == NakReason.BAD_DATA
    send(rx, blocks, [0, 1, 2])
    assert rx.end(4, zlib.crc32(image)) == NakReason.BAD_DATA


def test_repeated_last_block_is_a_harmless_retransmission() -> None:
    image = b"\x55" * 384
    rx = FirmwareReceiver()
    send(rx, chunks(image), [0, 1, 1, 2])
    assert isinstance(rx.end(3, zlib.crc32(image)), AcceptedImage)


def test_version_marker() -> None:
    image = b"KTFW\x02\x05\x07" + bytes(300)
    rx = FirmwareReceiver()
    send(rx, chunks(image))
    outcome = rx.end(3, zlib.crc32(image))
    assert isinstance(outcome, AcceptedImage) and outcome.version == (2, 5, 7)


def test_zero_blocks_is_bad_data() -> None:
    assert FirmwareReceiver().end(0, 0) == NakReason.BAD_DATA


def test_bump_build_carries() -> None:
    assert bump_build((1, 0, 0)) == (1, 0, 1)
    assert bump_build((1, 2, 255)) == (1, 3, 0)
