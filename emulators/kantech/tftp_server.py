"""A read-only RFC 1350 TFTP server: how an IP-Link hands out firmware (UDP 18001, paper Table 14).

Sans-IO core (packet codec, ``ReadTransfer`` state machine) plus a thin asyncio adapter
(``TftpServer``). Only octet read requests are served: firmware is binary and an IP-Link never
accepts uploads this way, so WRQ gets an access-violation ERROR. Each transfer gets its own socket
(RFC 1350's TID), so a stray or spoofed packet can only reach the transfer it names, and it gets
ERROR 5 rather than disturbing it. The server answers only the ACK of the block in flight, never
a duplicate ACK, which avoids the "Sorcerer's Apprentice" doubling of RFC 1123 4.2.3.1.
"""

from __future__ import annotations

import asyncio
import collections
import enum
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from protolab.logs import get_logger

TFTP_PORT = 18001
BLOCK_SIZE = 512
DEFAULT_TIMEOUT = 1.0
DEFAULT_RETRIES = 5

log = get_logger("kantech.tftp")


class Opcode(enum.IntEnum):
    RRQ = 1
    WRQ = 2
    DATA = 3
    ACK = 4
    ERROR = 5


class ErrorCode(enum.IntEnum):
    NOT_DEFINED = 0
    FILE_NOT_FOUND = 1
    ACCESS_VIOLATION = 2
    DISK_FULL = 3
    ILLEGAL_OPERATION = 4
    UNKNOWN_TID = 5
    FILE_EXISTS = 6
    NO_SUCH_USER = 7


class TftpDecodeError(ValueError):
    """Not a TFTP packet at all: dropped and counted, never answered."""


class UnknownOpcodeError(TftpDecodeError):
    """Two bytes of opcode that RFC 1350 does not define: answered with ERROR 4."""


@dataclass(frozen=True, slots=True)
class Request:
    opcode: Opcode  # RRQ or WRQ
    filename: str
    mode: str

    def encode(self) -> bytes:
        return (int(self.opcode).to_bytes(2, "big") + self.filename.encode("ascii") + b"\0"
                + self.mode.encode("ascii") + b"\0")


@dataclass(frozen=True, slots=True)
class Data:
    block: int
    payload: bytes

    def encode(self) -> bytes:
        return Opcode.DATA.to_bytes(2, "big") + self.block.to_bytes(2, "big") + self.payload


@dataclass(frozen=True, slots=True)
class Ack:
    block: int

    def encode(self) -> bytes:
        return Opcode.ACK.to_bytes(2, "big") + self.block.to_bytes(2, "big")


@dataclass(frozen=True, slots=True)
class Error:
    code: ErrorCode
    message: str

    def encode(self) -> bytes:
        return (Opcode.ERROR.to_bytes(2, "big") + int(self.code).to_bytes(2, "big")
                + self.message.encode("ascii", "replace") + b"\0")


Packet = Request | Data | Ack | Error


def decode_packet(data: bytes) -> Packet:
    if len(data) < 2:
        raise TftpDecodeError(f"{len(data)} bytes: shorter than an opcode")
    code = int.from_bytes(data[:2], "big")
    body = data[2:]
    if code in (Opcode.RRQ, Opcode.WRQ):
        parts = body.split(b"\0")
        # filename NUL mode NUL, then RFC 2347 options we ignore (pairs of NUL-terminated strings)
        if len(parts) < 3 or parts[-1] != b"" or not parts[0] or not parts[1]:
            raise TftpDecodeError("request is not filename NUL mode NUL")
        try:
            filename, mode = parts[0].decode("ascii"), parts[1].decode("ascii").lower()
        except UnicodeDecodeError:
            raise TftpDecodeError("request filename or mode is not ASCII") from None
        return Request(Opcode(code), filename, mode)
    if code == Opcode.DATA:
        if len(body) < 2 or len(body) > 2 + BLOCK_SIZE:
            raise TftpDecodeError(f"DATA of {len(data)} bytes")
        return Data(int.from_bytes(body[:2], "big"), bytes(body[2:]))
    if code == Opcode.ACK:
        if len(body) != 2:
            raise TftpDecodeError(f"ACK of {len(data)} bytes")
        return Ack(int.from_bytes(body, "big"))
    if code == Opcode.ERROR:
        if len(body) < 3 or body[-1] != 0:
            raise TftpDecodeError("ERROR is not code, message NUL")
        number = int.from_bytes(body[:2], "big")
        reason = ErrorCode(number) if number in ErrorCode._value2member_map_ else \
            ErrorCode.NOT_DEFINED
        return Error(reason, body[2:-1].decode("ascii", "replace"))
    raise UnknownOpcodeError(f"opcode {code} is not in RFC 1350")


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


class _Listener(asyncio.DatagramProtocol):
    def __init__(self, server: TftpServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.server._on_request(data, addr)


class _TransferSocket(asyncio.DatagramProtocol):
    """One transfer's own port (its TID), with its retransmission timer."""

    def __init__(self, server: TftpServer, transfer: ReadTransfer, peer: tuple[str, int],
                 name: str) -> None:
        self.server, self.transfer, self.peer, self.name = server, transfer, peer, name
        self.transport: asyncio.DatagramTransport | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)
        self._send(self.transfer.start(self._now()))

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        if (addr[0], addr[1]) != self.peer:
            self.server.stats["unknown_tid"] += 1
            if self.transport is not None:
                self.transport.sendto(Error(ErrorCode.UNKNOWN_TID, "unknown TID").encode(), addr)
            return
        try:
            packet = decode_packet(data)
        except TftpDecodeError:
            self.server.stats["garbage"] += 1
            return
        self._send(self.transfer.receive(packet, self._now()))

    def error_received(self, exc: Exception) -> None:
        log.debug("tftp transfer socket error", file=self.name, error=str(exc))

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _send(self, datagram: bytes | None) -> None:
        if datagram is not None and self.transport is not None:
            self.transport.sendto(datagram, self.peer)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transfer.done:
            self.close()
        elif self.transfer.deadline is not None:
            self._timer = asyncio.get_running_loop().call_at(self.transfer.deadline,
                                                             self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._send(self.transfer.timer(self._now()))

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transport is not None:
            self.transport.close()
        self.server._finished(self)


class TftpServer:
    """``await TftpServer.start(files, host, port)``; ``port=0`` picks a free port."""

    def __init__(self, files: Mapping[str, bytes] | str | Path, *,
                 timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES) -> None:
        self.store = FirmwareStore(files)
        self.timeout, self.retries = timeout, retries
        self.stats: collections.Counter[str] = collections.Counter()
        self._listener: _Listener | None = None
        self._transfers: set[_TransferSocket] = set()
        self._opening: set[asyncio.Future[None]] = set()
        self._host = "0.0.0.0"

    @classmethod
    async def start(cls, files: Mapping[str, bytes] | str | Path, host: str = "0.0.0.0",
                    port: int = TFTP_PORT, **options: Any) -> TftpServer:
        server = cls(files, **options)
        server._host = host
        listener = _Listener(server)
        await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: listener, local_addr=(host, port), family=socket.AF_INET)
        server._listener = listener
        log.info("tftp server listening", address=f"{host}:{server.local_address[1]}")
        return server

    @property
    def local_address(self) -> tuple[str, int]:
        assert self._listener is not None and self._listener.transport is not None
        host, port = self._listener.transport.get_extra_info("sockname")[:2]
        return host, port

    @property
    def active_transfers(self) -> int:
        return len(self._transfers)

    def close(self) -> None:
        for task in list(self._opening):
            task.cancel()
        for transfer in list(self._transfers):
            if not transfer.transfer.done:
                transfer.transfer._finish("server closed")
            transfer.close()
        if self._listener is not None and self._listener.transport is not None:
            self._listener.transport.close()

    async def __aenter__(self) -> TftpServer:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def _reply(self, packet: Error, addr: tuple[str | Any, int]) -> None:
        if self._listener is not None and self._listener.transport is not None:
            self._listener.transport.sendto(packet.encode(), addr)

    def _on_request(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        try:
            packet = decode_packet(data)
        except UnknownOpcodeError as exc:
            self.stats["garbage"] += 1
            self._reply(Error(ErrorCode.ILLEGAL_OPERATION, str(exc)), addr)
            return
        except TftpDecodeError:
            self.stats["garbage"] += 1
            return
        if isinstance(packet, Error):
            return  # never answer an error
        if not isinstance(packet, Request):
            self.stats["illegal"] += 1
            self._reply(Error(ErrorCode.ILLEGAL_OPERATION, "no transfer on this port"), addr)
            return
        if packet.opcode == Opcode.WRQ:
            self.stats["write_refused"] += 1
            self._reply(Error(ErrorCode.ACCESS_VIOLATION, "read-only: firmware is not "
                              "uploaded to an IP-Link"), addr)
            return
        if packet.mode != "octet":
            self.stats["mode_refused"] += 1
            self._reply(Error(ErrorCode.ILLEGAL_OPERATION, "only octet mode is served"), addr)
            return
        content = self.store.get(packet.filename)
        if content is None:
            self.stats["not_found"] += 1
            self._reply(Error(ErrorCode.FILE_NOT_FOUND, f"no image {packet.filename!r}"), addr)
            return
        self.stats["transfers"] += 1
        task = asyncio.ensure_future(self._open_transfer(packet.filename, content,
                                                         (addr[0], addr[1])))
        self._opening.add(task)
        task.add_done_callback(self._opening.discard)

    async def _open_transfer(self, name: str, content: bytes, peer: tuple[str, int]) -> None:
        transfer = ReadTransfer(content, timeout=self.timeout, retries=self.retries)
        sock = _TransferSocket(self, transfer, peer, name)
        self._transfers.add(sock)
        try:
            await asyncio.get_running_loop().create_datagram_endpoint(
                lambda: sock, local_addr=(self._host, 0), family=socket.AF_INET)
        except OSError as exc:
            self._transfers.discard(sock)
            log.warning("cannot open a tftp transfer socket", file=name, error=str(exc))

    def _finished(self, sock: _TransferSocket) -> None:
        if sock not in self._transfers:
            return
        self._transfers.discard(sock)
        failure = sock.transfer.failed
        self.stats["completed" if failure is None else "failed"] += 1
        log.info("tftp transfer ended", file=sock.name, peer=f"{sock.peer[0]}:{sock.peer[1]}",
                 blocks=sock.transfer.blocks, failure=failure,
                 retransmissions=sock.transfer.retransmissions)
