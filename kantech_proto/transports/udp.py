"""UDP adapter: one datagram is one frame (ports 18801, 18803, 18810)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import Address
from kantech_proto.transports.endpoint_driver import EndpointDriver
from protolab.clock import Clock


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, link: UdpLink) -> None:
        self._link = link

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self._link.driver.feed(data, addr)

    def error_received(self, exc: Exception) -> None:
        self._link.driver.log.debug("udp error", error=str(exc))


class UdpLink:
    """An endpoint bound to a UDP socket."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.driver: EndpointDriver

    @classmethod
    async def open(cls, endpoint: EndpointCore, local: tuple[str, int], *,
                   broadcast: bool = False, reuse_port: bool = False,
                   name: str = "kantech", clock: Clock | None = None) -> UdpLink:
        """Bind ``local`` (OSError when it cannot be bound); ``clock`` drives the endpoint's
        timers (the real clock by default)."""
        link = cls()
        loop = asyncio.get_running_loop()
        link.driver = EndpointDriver(endpoint, link.send, name=name, clock=clock)
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _UdpProtocol(link), local_addr=local, allow_broadcast=broadcast,
            reuse_port=reuse_port or None, family=socket.AF_INET)
        link.transport = transport
        return link

    @property
    def local_address(self) -> tuple[str, int]:
        assert self.transport is not None
        host, port = self.transport.get_extra_info("sockname")[:2]
        return host, port

    def send(self, data: bytes, peer: Address) -> None:
        """One datagram to ``peer``; nothing once the link is closed."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(data, peer)

    def close(self) -> None:
        self.driver.close()
        if self.transport is not None:
            self.transport.close()
