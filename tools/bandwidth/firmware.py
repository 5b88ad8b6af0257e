"""What a firmware reload costs: blocks, and bytes with the protocol's and TCP/IP's overhead.

A block carries 128 bytes of image in a 130-byte FIRMWARE_BLOCK (WIRE.md: u16 block number + 128
bytes), the paper's "130 for reload". On a serial loop that is a 134-byte frame, the paper's
packet; an IP controller gets it in a 0x99 frame. The paper adds 54 bytes of TCP/IP per packet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from protolab.errors import ConfigurationError
from tools.bandwidth.tables_firmware import IMAGES_BY_MODEL, FirmwareImage
from tools.bandwidth.tables_protocols import PACKET_OVERHEAD
from tools.bandwidth.wire_sizes import (
    BLOCK_IMAGE_BYTES,
    FIRMWARE_BLOCK,
    FIRMWARE_END,
    MAX_FIRMWARE_BLOCKS,
    data_size,
    ip_frame_size,
    serial_size,
    tunnel_frame_size,
)

KILOBYTES = (1000, 1024)


@dataclass(frozen=True, slots=True)
class FirmwareTransfer:
    image: FirmwareImage
    controllers: int
    kilobyte: int

    @property
    def image_bytes(self) -> int:
        return self.image.image_bytes(self.kilobyte)

    @property
    def blocks(self) -> int:
        return math.ceil(self.image_bytes / BLOCK_IMAGE_BYTES)

    @property
    def packet_data(self) -> int:
        return data_size(FIRMWARE_BLOCK)

    @property
    def packet(self) -> int:
        """One block with the protocol's framing: serial frame or IP frame."""
        return serial_size(FIRMWARE_BLOCK) if self.image.link == "serial" \
            else ip_frame_size(FIRMWARE_BLOCK)

    @property
    def end_packet(self) -> int:
        return serial_size(FIRMWARE_END) if self.image.link == "serial" \
            else ip_frame_size(FIRMWARE_END)

    def figures(self) -> dict[str, int]:
        """Per controller and for all controllers: data, with protocol, with TCP/IP."""
        per = {"payload_bytes": self.blocks * self.packet_data,
               "protocol_bytes": self.blocks * self.packet,
               "tcpip_bytes": self.blocks * (self.packet + PACKET_OVERHEAD)}
        return {**{f"{k}_per_controller": v for k, v in per.items()},
                **{f"{k}_total": v * self.controllers for k, v in per.items()}}

    def notes(self) -> list[str]:
        notes = []
        if self.blocks > MAX_FIRMWARE_BLOCKS:
            notes.append(f"{self.blocks} blocks do not fit FIRMWARE_END's 16-bit block count "
                         f"(at most {MAX_FIRMWARE_BLOCKS}, {MAX_FIRMWARE_BLOCKS * 128:,} bytes): "
                         "WIRE.md cannot send this image block by block")
        if self.image.link == "serial" and self.kilobyte == 1024:
            notes.append(f"the paper's 500 packets read {self.image.text} as "
                         f"{self.image.image_bytes(1000):,} bytes (500 x 128); "
                         "--kilobyte 1000 reproduces it")
        if self.image.link == "serial":
            tunnel = tunnel_frame_size(FIRMWARE_BLOCK)
            notes.append(f"through an IP-Link each {self.packet}-byte serial frame travels in a "
                         f"{tunnel}-byte TUNNEL IP frame ({tunnel + PACKET_OVERHEAD} with TCP/IP); "
                         "the paper's 188 leaves the IP frame out")
        notes.append(f"one FIRMWARE_END follows ({self.end_packet} bytes with the protocol)")
        return notes

    def as_json(self) -> dict[str, Any]:
        return {"model": self.image.model, "image": self.image.label, "size": self.image.text,
                "kilobyte": self.kilobyte, "image_bytes": self.image_bytes,
                "link": self.image.link, "controllers": self.controllers,
                "blocks": self.blocks, "block_image_bytes": BLOCK_IMAGE_BYTES,
                "packet_data_bytes": self.packet_data, "packet_bytes": self.packet,
                "tcpip_packet_bytes": self.packet + PACKET_OVERHEAD,
                "end_packet_bytes": self.end_packet, **self.figures(), "notes": self.notes()}


def firmware_transfer(model: str, controllers: int, kilobyte: int = 1024) -> FirmwareTransfer:
    image = IMAGES_BY_MODEL.get(model)
    if image is None:
        raise ConfigurationError(f"--model {model!r}: expected one of "
                                 + ", ".join(IMAGES_BY_MODEL))
    if controllers < 1:
        raise ConfigurationError(f"--controllers {controllers}: expected at least 1")
    if kilobyte not in KILOBYTES:
        raise ConfigurationError(f"--kilobyte {kilobyte}: expected 1000 or 1024")
    return FirmwareTransfer(image, controllers, kilobyte)
