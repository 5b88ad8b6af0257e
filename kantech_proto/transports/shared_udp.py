"""One UDP socket for many local addresses (IP_PKTINFO): the destination of each datagram is known,
and an answer leaves from the address it was sent to.

A fleet of 100,000 devices cannot hold a socket each (file descriptors, kernel memory). A socket
bound to 0.0.0.0 (or to one port of every loopback address) with IP_PKTINFO set receives for
every 127.x.y.z; ``recvmsg`` reports each datagram's destination, which names the device, and
``sendmsg`` with an IP_PKTINFO control message makes the answer leave from that same address, as
the device's own socket would (a gateway with a connected socket drops anything else). asyncio's
DatagramProtocol hides ancillary data, so this is a non-blocking socket on ``loop.add_reader``
that drains a batch of datagrams per wake-up (the printers' SNMP server does the same).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Callable

from protolab.logs import get_logger

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # Python 3.11 does not export it; Linux value
_PKTINFO = struct.Struct("=I4s4s")  # struct in_pktinfo: ifindex, spec_dst, addr
_ANCILLARY_SIZE = socket.CMSG_SPACE(_PKTINFO.size)
_RECV_SIZE = 65536
_CACHE_LIMIT = 4096

#: what the owner gets for each datagram: data, the sender, the local address it was sent to
Receiver = Callable[[bytes, tuple[str, int], str], None]

log = get_logger("kantech.transport")


class SharedUdpSocket:
    """``await SharedUdpSocket.open(receiver, host, port)``; ``send(data, peer, source)``."""

    def __init__(self, receiver: Receiver, *, batch: int = 256) -> None:
        self.receiver = receiver
        self.batch = batch
        self.sock: socket.socket | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._controls: dict[str, list[tuple[int, int, bytes]]] = {}
        self._bound: tuple[str, int] = ("", 0)
        self.send_errors = 0

    @classmethod
    async def open(cls, receiver: Receiver, host: str, port: int, *, broadcast: bool = False,
                   buffer_bytes: int = 4 << 20, batch: int = 256) -> SharedUdpSocket:
        """Bind ``host:port`` (OSError when it cannot be bound)."""
        self = cls(receiver, batch=batch)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if broadcast:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            for option in (socket.SO_RCVBUF, socket.SO_SNDBUF):
                try:
                    sock.setsockopt(socket.SOL_SOCKET, option, buffer_bytes)
                except OSError:  # capped by the kernel: not fatal
                    pass
            sock.bind((host, port))
        except BaseException:
            sock.close()
            raise
        self.sock = sock
        self._bound = sock.getsockname()[:2]
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(sock.fileno(), self._on_readable)
        return self

    @property
    def local_address(self) -> tuple[str, int]:
        """Where it is bound (the real port when opened with port 0), also once closed."""
        host, port = self._bound
        return host, port

    def close(self) -> None:
        if self.sock is not None and self._loop is not None:
            self._loop.remove_reader(self.sock.fileno())
            self.sock.close()
        self.sock = None

    def send(self, data: bytes, peer: tuple[str, int], source: str) -> None:
        """One datagram to ``peer`` from the local address ``source``."""
        sock = self.sock
        if sock is None:
            return
        control = self._controls.get(source)
        if control is None:
            control = [(socket.IPPROTO_IP, IP_PKTINFO, _PKTINFO.pack(
                0, socket.inet_aton(source), bytes(4)))]
            if len(self._controls) < _CACHE_LIMIT:  # a few hot sources (a gateway, a finder)
                self._controls[source] = control
        try:
            sock.sendmsg([data], control, 0, peer)
        except OSError as exc:  # buffer full, or the peer vanished: the peer will retry
            self.send_errors += 1
            if self.send_errors == 1 or self.send_errors % 10000 == 0:
                log.warning("send failed", peer=f"{peer[0]}:{peer[1]}", source=source,
                            error=str(exc), failures=self.send_errors)

    def _on_readable(self) -> None:
        sock = self.sock
        receiver = self.receiver
        for _ in range(self.batch):
            if sock is None or self.sock is None:
                return
            try:
                data, ancillary, _flags, peer = sock.recvmsg(_RECV_SIZE, _ANCILLARY_SIZE)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # an ICMP error queued on the socket: nothing to answer
                continue
            destination = ""
            for level, kind, cdata in ancillary:
                if level == socket.IPPROTO_IP and kind == IP_PKTINFO and len(cdata) >= 12:
                    destination = socket.inet_ntoa(cdata[8:12])  # in_pktinfo.ipi_addr
                    break
            receiver(data, peer, destination)
