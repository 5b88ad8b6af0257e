"""A read-only TFTP server: how an IP-Link hands out firmware (UDP 18001, paper Table 14).

The asyncio adapter around ``tftp_packets`` and ``ReadTransfer``. Only octet read requests are
served: firmware is binary and an IP-Link never accepts uploads this way, so WRQ gets an
access-violation ERROR. Each transfer gets its own socket (RFC 1350's TID), so a stray or
spoofed packet can only reach the transfer it names, and it gets ERROR 5 rather than disturbing
it. Retransmissions run on the server's ``Clock``.
"""

from __future__ import annotations

import asyncio
import collections
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from emulators.kantech.tftp_packets import (
    Error,
    ErrorCode,
    Opcode,
    Request,
    TftpDecodeError,
    UnknownOpcodeError,
    decode_packet,
)
from emulators.kantech.tftp_transfer import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    FirmwareStore,
    ReadTransfer,
)
from protolab.clock import Clock, SystemClock, Timer
from protolab.errors import bind_failure
from protolab.logs import get_logger

TFTP_PORT = 18001

log = get_logger("kantech.tftp")


class _Listener(asyncio.DatagramProtocol):
    def __init__(self, server: TftpServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.server.on_request(data, addr)


class _TransferSocket(asyncio.DatagramProtocol):
    """One transfer's own port (its TID), with its retransmission timer."""

    def __init__(self, server: TftpServer, transfer: ReadTransfer, peer: tuple[str, int],
                 name: str) -> None:
        self.server, self.transfer, self.peer, self.name = server, transfer, peer, name
        self.transport: asyncio.DatagramTransport | None = None
        self._timer: Timer | None = None

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
        return self.server.clock.now()

    def _send(self, datagram: bytes | None) -> None:
        if datagram is not None and self.transport is not None:
            self.transport.sendto(datagram, self.peer)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transfer.done:
            self.close()
        elif self.transfer.deadline is not None:
            self._timer = self.server.clock.call_at(self.transfer.deadline, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._send(self.transfer.timer(self._now()))

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transport is not None:
            self.transport.close()
        self.server.transfer_ended(self)


class TftpServer:
    """``await TftpServer.start(files, host, port)``; ``port=0`` picks a free port."""

    def __init__(self, files: Mapping[str, bytes] | str | Path, *,
                 timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
                 clock: Clock | None = None) -> None:
        self.store = FirmwareStore(files)
        self.clock: Clock = clock or SystemClock()
        self.timeout, self.retries = timeout, retries
        self.stats: collections.Counter[str] = collections.Counter()
        self._listener: _Listener | None = None
        self._transfers: set[_TransferSocket] = set()
        self._opening: set[asyncio.Future[None]] = set()
        self._host = "0.0.0.0"

    @classmethod
    async def start(cls, files: Mapping[str, bytes] | str | Path, host: str = "0.0.0.0",
                    port: int = TFTP_PORT, *, timeout: float = DEFAULT_TIMEOUT,
                    retries: int = DEFAULT_RETRIES, clock: Clock | None = None) -> TftpServer:
        """Serve ``files`` (a name -> bytes mapping or a directory) on ``host:port``;
        AddressUnavailableError when the port cannot be bound."""
        server = cls(files, timeout=timeout, retries=retries, clock=clock)
        server._host = host
        listener = _Listener(server)
        try:
            await asyncio.get_running_loop().create_datagram_endpoint(
                lambda: listener, local_addr=(host, port), family=socket.AF_INET)
        except OSError as exc:
            raise bind_failure(exc, host, port, flag="--tftp-port", port_only=True,
                               what="the TFTP server") from None
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
            transfer.transfer.abort("server closed")
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

    def on_request(self, data: bytes, addr: tuple[str | Any, int]) -> None:
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

    def transfer_ended(self, sock: _TransferSocket) -> None:
        if sock not in self._transfers:
            return
        self._transfers.discard(sock)
        failure = sock.transfer.failed
        self.stats["completed" if failure is None else "failed"] += 1
        log.info("tftp transfer ended", file=sock.name, peer=f"{sock.peer[0]}:{sock.peer[1]}",
                 blocks=sock.transfer.blocks, failure=failure,
                 retransmissions=sock.transfer.retransmissions)
