"""Firmware sizes and the packets a firmware reload is sent in ("Reloading firmware to
controllers")."""

from __future__ import annotations

from dataclasses import dataclass

from tools.bandwidth.paper_table import PaperTable, Row


@dataclass(frozen=True, slots=True)
class FirmwareImage:
    """One image of the paper's list: ``size`` in ``unit`` ("kb" or "mb"; whether a kb is 1000
    or 1024 bytes the paper leaves to the reader). ``link`` is how the gateway reaches that
    controller: "serial" (KT-100/KT-300 on a loop) or "ip"."""

    model: str
    label: str
    size: int
    unit: str
    link: str

    @property
    def text(self) -> str:
        return f"{self.size}{self.unit}"

    def image_bytes(self, kilobyte: int) -> int:
        return self.size * kilobyte ** (2 if self.unit == "mb" else 1)


IMAGES = (
    FirmwareImage("KT-100", "KT-100 Application", 64, "kb", "serial"),
    FirmwareImage("KT-300", "KT-300 Application", 64, "kb", "serial"),
    FirmwareImage("KT-NCC", "KT-NCC OS and Application", 8, "mb", "ip"),
    FirmwareImage("KT-400", "KT-400 OS and Application", 6, "mb", "ip"),
    FirmwareImage("KT-400-v1", "KT-400 v1 OS and Application", 10, "mb", "ip"),
    FirmwareImage("KT-1", "KT-1 OS and Application", 10, "mb", "ip"),
    FirmwareImage("KT-400-app", "KT-400 Application", 450, "kb", "ip"),
    FirmwareImage("KT-400-v1-app", "KT-400 v1 Application", 900, "kb", "ip"),
    FirmwareImage("KT-1-app", "KT-1 Application", 913, "kb", "ip"),
    FirmwareImage("KTES-app", "KTES Application", 380, "kb", "ip"),
)
IMAGES_BY_MODEL = {image.model: image for image in IMAGES}

#: "per packets of 134 bytes (130 for reload and 4 for the protocol)"
PACKET_DATA = 130
PACKET_PROTOCOL = 4
PACKET = 134
#: "with the TCP/IP protocol, 500 packets of 188 bytes will be sent to the controllers"
PAPER_TCPIP_PACKET = 188
PAPER_PACKETS = 500
#: the example: "500 packets x 188 bytes x 16 Controllers = ... 1,504 Mb to transfer"
PAPER_EXAMPLE_CONTROLLERS = 16
PAPER_EXAMPLE_RESULT = "1,504 Mb"

FIRMWARE = PaperTable(
    "firmware", "Controllers' firmware size", ("Image", "Size"),
    tuple(Row(image.label, (image.text,), None) for image in IMAGES),
    notes=(f"Reloading goes one controller at a time, in packets of {PACKET} bytes "
           f"({PACKET_DATA} for reload and {PACKET_PROTOCOL} for the protocol); with TCP/IP, "
           f"{PAPER_PACKETS} packets of {PAPER_TCPIP_PACKET} bytes for a KT-100/KT-300.",),
)

TABLES = (FIRMWARE,)
