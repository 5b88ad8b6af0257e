"""One firmware file going out over TFTP (sans-IO), and where the files come from.

``ReadTransfer`` is RFC 1350's lock-step sender: a DATA, its ACK, the next DATA; it answers only
the ACK of the block in flight, never a duplicate ACK, which avoids the "Sorcerer's Apprentice"
doubling of RFC 1123 4.2.3.1. Time comes in as ``now``; the adapter owns the timer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from emulators.kantech.tftp_packets import (
    BLOCK_SIZE,
    Ack,
    Data,
    Error,
    ErrorCode,
    Packet,
)

DEFAULT_TIMEOUT = 1.0
DEFAULT_RETRIES = 5


class ReadTransfer:
    """One file going out, lock-step: a DATA, its ACK, the next DATA. Time comes in as ``now``.

    A file of exactly k*512 bytes ends with an empty block k+1, so the client can tell the end.
    Block numbers wrap at 65536 so images over 32 MB still go out (what tftp-hpa expects).
    """

    def __init__(self, content: bytes, *, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES) -> None:
        self.content = content
        self.timeout, self.retries = timeout, retries
        self.blocks = len(content) // BLOCK_SIZE + 1
        self.sent_index = 0  # 1-based index of the block in flight, 0 before start
        self.attempts = 0
        self.deadline: float | None = None
        self.done = False
        self.failed: str | None = None
        self.retransmissions = 0

    def _block(self, index: int) -> Data:
        start = (index - 1) * BLOCK_SIZE
        return Data(index & 0xFFFF, self.content[start:start + BLOCK_SIZE])

    def start(self, now: float) -> bytes:
        return self._send(1, now)

    def _send(self, index: int, now: float) -> bytes:
        self.sent_index, self.attempts = index, 1
        self.deadline = now + self.timeout
        return self._block(index).encode()

    def receive(self, packet: Packet, now: float) -> bytes | None:
        """The client's packet; returns the next datagram to send, if any."""
        if self.done:
            return None
        if isinstance(packet, Error):
            self._finish(f"client error {packet.code.name}: {packet.message}")
            return None
        if not isinstance(packet, Ack):
            self._finish("client sent something other than ACK")
            return Error(ErrorCode.ILLEGAL_OPERATION, "expected ACK").encode()
        if packet.block != self.sent_index & 0xFFFF:
            return None  # a duplicate or stale ACK: answering it doubles the traffic
        if self.sent_index == self.blocks:
            self._finish(None)
            return None
        return self._send(self.sent_index + 1, now)

    def timer(self, now: float) -> bytes | None:
        """Retransmit the block in flight, or give up after ``retries`` attempts."""
        if self.done or self.deadline is None or now < self.deadline:
            return None
        if self.attempts > self.retries:
            self._finish("timed out")
            return Error(ErrorCode.NOT_DEFINED, "timed out").encode()
        self.attempts += 1
        self.retransmissions += 1
        self.deadline = now + self.timeout
        return self._block(self.sent_index).encode()

    def abort(self, reason: str) -> None:
        """End the transfer from this side (the server is closing)."""
        if not self.done:
            self._finish(reason)

    def _finish(self, failure: str | None) -> None:
        self.done, self.failed, self.deadline = True, failure, None


class FirmwareStore:
    """Images by name, from memory or a directory; a name is never a path."""

    def __init__(self, source: Mapping[str, bytes] | str | Path) -> None:
        self._files = dict(source) if isinstance(source, Mapping) else None
        self._root = None if isinstance(source, Mapping) else Path(source).resolve()

    def get(self, name: str) -> bytes | None:
        if self._files is not None:
            return self._files.get(name)
        assert self._root is not None
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            return None
        path = self._root / name
        try:
            return path.read_bytes() if path.is_file() else None
        except OSError:
            return None
