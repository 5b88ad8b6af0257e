"""The asyncio UDP adapter: one socket for every agent address, answers sent from the right address.

A single socket bound to 0.0.0.0 with IP_PKTINFO receives for every 127.x.y.z (or any address
routed to the host); ``recvmsg`` reports each datagram's destination, which picks the agent, and
``sendmsg`` with an IP_PKTINFO control message makes the answer leave from that same address, as a
real printer's would (managers with connected sockets drop anything else). asyncio's
DatagramProtocol hides ancillary data, so this is a non-blocking socket on ``loop.add_reader``
that drains a batch of datagrams per wake-up. All protocol decisions live in engine.SnmpEngine.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Callable
from types import TracebackType
from typing import Literal, TypeAlias

from ekm_proto.snmp.agent.engine import UDP_MAX_PAYLOAD, SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.view import AgentDirectory
from ekm_proto.snmp.stats import DropReason, SnmpStats
from protolab.clock import Clock, SystemClock, Timer
from protolab.errors import ConfigurationError

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # Python 3.11 does not export it; Linux value
_PKTINFO = struct.Struct("=I4s4s")  # struct in_pktinfo: ifindex, spec_dst, addr
_ANCILLARY_SIZE = socket.CMSG_SPACE(_PKTINFO.size)
_RECV_SIZE = 65536

ControlMessages = list[tuple[int, int, bytes]]
#: who gets datagrams from a peer the server forwards (answers to informs): (data, the address
#: they were sent to, the peer)
Forward = Callable[[bytes, str, tuple[str, int]], None]
#: shown every datagram the server receives and sends (a capture writer, a byte counter):
#: ("sent" or "received", the agent's (address, port), the peer, "udp", the bytes, wall time)
DatagramObserver: TypeAlias = Callable[
    [Literal["sent", "received"], tuple[str, int], tuple[str, int], Literal["udp"], bytes, float],
    None]


class SnmpServer:
    """Serves every agent of ``directory`` on ``port`` of ``bind_address``.

    ``stats`` counts what the engine did with each datagram; ``port`` is the bound port (useful
    with port 0). ``clock`` gives the time handed to the engine with each datagram (agents'
    engine times, drop logs) and holds delayed answers; the system clock unless one is given.
    """

    def __init__(self, directory: AgentDirectory, security: SecurityConfig | None = None, *,
                 port: int = 161, bind_address: str = "0.0.0.0",
                 max_message_size: int = UDP_MAX_PAYLOAD, stats: SnmpStats | None = None,
                 clock: Clock | None = None, batch: int = 256,
                 receive_buffer: int = 4 << 20, observer: DatagramObserver | None = None) -> None:
        if not 0 <= port <= 65535:
            raise ConfigurationError(f"UDP port {port} out of range")
        self.engine = SnmpEngine(directory, security, stats=stats,
                                 max_message_size=max_message_size)
        self.bind_address = bind_address
        self._requested_port = port
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._batch = batch
        self._receive_buffer = receive_buffer
        self._sock: socket.socket | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[Timer] = set()
        self._forwarded: dict[tuple[str, int], Forward] = {}
        self.observer = observer

    @property
    def stats(self) -> SnmpStats:
        return self.engine.stats

    @property
    def port(self) -> int:
        if self._sock is None:
            return self._requested_port
        return int(self._sock.getsockname()[1])

    async def start(self) -> None:
        """Bind and start answering. Raises OSError if the port is taken (or 161 without root)."""
        if self._sock is not None:
            return
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
            for option in (socket.SO_RCVBUF, socket.SO_SNDBUF):
                try:
                    sock.setsockopt(socket.SOL_SOCKET, option, self._receive_buffer)
                except OSError:  # pragma: no cover - capped by the kernel, not fatal
                    pass
            sock.bind((self.bind_address, self._requested_port))
        except BaseException:
            sock.close()
            raise
        self._sock = sock
        self._loop = loop
        loop.add_reader(sock.fileno(), self._on_readable)

    async def close(self) -> None:
        """Stop answering, drop held (delayed) answers, release the port."""
        for timer in self._pending:
            timer.cancel()
        self._pending.clear()
        if self._sock is not None and self._loop is not None:
            self._loop.remove_reader(self._sock.fileno())
            self._sock.close()
        self._sock = None

    async def __aenter__(self) -> SnmpServer:
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def forward(self, peer: tuple[str, int], to: Forward | None) -> None:
        """Give every datagram from ``peer`` to ``to`` instead of the engine (a notification
        receiver answering this server's informs); None stops forwarding."""
        if to is None:
            self._forwarded.pop(peer, None)
        else:
            self._forwarded[peer] = to

    def send_from(self, data: bytes, source: str, destination: tuple[str, int]) -> None:
        """Send ``data`` from agent address ``source`` (a notification from that printer)."""
        try:
            packed = socket.inet_aton(source)
        except OSError:
            return
        self._send(data, [(socket.IPPROTO_IP, IP_PKTINFO, _PKTINFO.pack(0, packed, bytes(4)))],
                   destination, source)

    def _on_readable(self) -> None:
        """Drain a batch. The destination of each datagram is read from its IP_PKTINFO and the
        answer leaves with that very control message: no per-address state, so the cost is the
        same for one agent or a million."""
        sock = self._sock
        if sock is None:
            return
        handle = self.engine.handle
        forwarded = self._forwarded
        ntoa = socket.inet_ntoa
        now = self._clock.now()
        observer = self.observer
        for _ in range(self._batch):
            try:
                data, ancillary, _flags, peer = sock.recvmsg(_RECV_SIZE, _ANCILLARY_SIZE)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # an ICMP error queued on the socket: nothing to answer
                continue
            if ancillary and len(ancillary[0][2]) >= _PKTINFO.size:
                level, kind, cdata = ancillary[0]
                address = ntoa(cdata[8:12])
                control = [(level, kind, _reply_info(cdata))]
            else:  # no IP_PKTINFO (should not happen): answer from the bound address
                address, control = self.bind_address, []
            if observer is not None:
                observer("received", (address, self.port), peer, "udp", data, self._clock.wall())
            if forwarded and peer in forwarded:
                forwarded[peer](data, address, peer)
                continue
            result = handle(data, address, now, peer)
            if result is None:
                continue
            response, delay = result
            if delay > 0:
                self._hold(delay, response, control, peer, address)
            else:
                self._send(response, control, peer, address)

    def _send(self, response: bytes, control: ControlMessages, peer: tuple[str, int],
              source: str) -> None:
        sock = self._sock
        if sock is None:
            return
        try:
            sock.sendmsg([response], control, 0, peer)
        except OSError as exc:  # buffer full, or the address vanished: the manager will retry
            self.engine.drop(DropReason.SEND_FAILED, "", peer, f"sendmsg: {exc}",
                             self._clock.now())
            return
        if self.observer is not None:
            self.observer("sent", (source, self.port), peer, "udp", response, self._clock.wall())

    def _hold(self, delay: float, response: bytes, control: ControlMessages,
              peer: tuple[str, int], source: str) -> None:
        timer: Timer

        def fire() -> None:
            self._pending.discard(timer)
            self._send(response, control, peer, source)

        timer = self._clock.call_later(delay, fire)
        self._pending.add(timer)


def _reply_info(cdata: bytes) -> bytes:
    """The in_pktinfo that makes a reply leave from the address a datagram was sent to: the
    received one with its interface cleared (the kernel routes by the address) and ipi_spec_dst
    set to that address."""
    return bytes(4) + cdata[8:12] + cdata[8:12]
