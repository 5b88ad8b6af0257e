"""Fuzz target: the TFTP packets an IP-Link's firmware server reads (RFC 1350), and its sender.

Invariants beyond "only TftpDecodeError escapes": a decoded packet encodes to bytes that decode to
the same packet; the lock-step sender takes any decoded packet at any time without raising, and
after it is done it stays done and silent.
"""

from __future__ import annotations

from emulators.kantech.tftp_packets import (
    BLOCK_SIZE,
    Ack,
    Data,
    Error,
    ErrorCode,
    Opcode,
    Request,
    TftpDecodeError,
    decode_packet,
)
from emulators.kantech.tftp_transfer import ReadTransfer


def TestOneInput(data: bytes) -> None:
    try:
        packet = decode_packet(data)
    except TftpDecodeError:
        return
    assert decode_packet(packet.encode()) == packet, "a decoded packet must survive a re-encode"
    transfer = ReadTransfer(bytes(range(256)) * 5, timeout=1.0, retries=1)
    transfer.start(0.0)
    for step in range(4):  # the same packet over and over, with the retry timer in between
        transfer.receive(packet, step + 0.5)
        transfer.timer(step + 1.0)
    if transfer.done:
        assert transfer.receive(packet, 10.0) is None and transfer.timer(11.0) is None


def seeds() -> list[bytes]:
    return [
        Request(Opcode.RRQ, "iplink.bin", "octet").encode(),
        Request(Opcode.WRQ, "upload.bin", "netascii").encode(),
        Request(Opcode.RRQ, "f.bin", "octet").encode() + b"blksize\x001428\x00",
        Data(1, bytes(BLOCK_SIZE)).encode(),
        Data(65535, b"").encode(),
        Ack(1).encode(),
        Ack(3).encode(),
        Error(ErrorCode.FILE_NOT_FOUND, "no image").encode(),
    ]
