"""The firmware an IP-Link serves over TFTP (paper table 14: UDP 18001), and serving it."""

from __future__ import annotations

from emulators.kantech.tftp_server import TftpServer
from protolab.clock import Clock

IMAGE_SIZE = 64 * 1024


def firmware_image(firmware: tuple[int, int, int], size: int = IMAGE_SIZE) -> bytes:
    """The image an IP-Link serves over TFTP: the "KTFW" version marker the controller models
    read, then deterministic filler, so a fetched image can be checked byte for byte."""
    head = b"KTFW" + bytes(firmware)
    body = bytes((i * 31 + 7) & 0xFF for i in range(size - len(head)))
    return head + body


def firmware_files(firmware: tuple[int, int, int]) -> dict[str, bytes]:
    """What an IP-Link running ``firmware`` offers: ``iplink.bin`` and ``iplink-1.0.0.bin``."""
    image = firmware_image(firmware)
    version = ".".join(map(str, firmware))
    return {"iplink.bin": image, f"iplink-{version}.bin": image}


async def serve_firmware(host: str, port: int, firmware: tuple[int, int, int],
                         clock: Clock | None = None) -> TftpServer:
    """Start the IP-Link's TFTP server on ``host:port``."""
    return await TftpServer.start(firmware_files(firmware), host=host, port=port, clock=clock)
