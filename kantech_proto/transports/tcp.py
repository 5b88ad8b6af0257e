"""TCP adapter (port 18802): devices connect to the gateway; frames follow one another.

Each connection has its own stream decoder, so garbage on one connection never disturbs another;
the endpoint names a peer by the connection's remote address.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import Address
from kantech_proto.errors import DecodeError
from kantech_proto.ip_stream import IpStreamDecoder
from kantech_proto.transports.endpoint_driver import EndpointDriver
from protolab.clock import Clock


class _StreamProtocol(asyncio.Protocol):
    def __init__(self, owner: _StreamOwner) -> None:
        self._owner = owner
        self._transport: asyncio.Transport | None = None
        self._peer: Address = None
        self._decoder = IpStreamDecoder(owner.driver.endpoint.codec)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._peer = transport.get_extra_info("peername")
        self._owner.connected(self._peer, transport)

    def data_received(self, data: bytes) -> None:
        driver = self._owner.driver
        endpoint = driver.endpoint
        endpoint.stats["bytes_in"] += len(data)
        for item in self._decoder.feed(data):
            if isinstance(item, DecodeError):
                endpoint.receive_error(item, self._peer, driver.now())
            else:
                endpoint.receive_frame(item, self._peer, driver.now())
        driver.pump()

    def connection_lost(self, exc: Exception | None) -> None:
        self._owner.disconnected(self._peer)


class _StreamOwner:
    driver: EndpointDriver

    def __init__(self) -> None:
        self._writers: dict[Address, asyncio.Transport] = {}
        #: called with the peer when a connection closes (a device reconnects from there)
        self.on_lost: Callable[[Address], None] | None = None

    def connected(self, peer: Address, transport: asyncio.Transport) -> None:
        self._writers[peer] = transport

    def disconnected(self, peer: Address) -> None:
        if self._writers.pop(peer, None) is not None and self.on_lost is not None:
            self.on_lost(peer)

    def send(self, data: bytes, peer: Address) -> None:
        """Bytes to ``peer``'s connection (a device's only connection when it has one)."""
        transport = self._writers.get(peer)
        if transport is None and len(self._writers) == 1:
            transport = next(iter(self._writers.values()))  # a device's single gateway link
        if transport is None:
            self.driver.log.info("no connection to peer", peer=str(peer))
            return
        transport.write(data)

    @property
    def peers(self) -> list[Address]:
        return list(self._writers)


class TcpServer(_StreamOwner):
    """The gateway's listening side: many devices, one endpoint."""

    server: asyncio.Server

    @classmethod
    async def open(cls, endpoint: EndpointCore, host: str, port: int,
                   name: str = "kantech-tcp", clock: Clock | None = None) -> TcpServer:
        self = cls()
        self.driver = EndpointDriver(endpoint, self.send, name=name, clock=clock)
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(lambda: _StreamProtocol(self), host, port)
        return self

    @property
    def local_address(self) -> tuple[str, int]:
        host, port = self.server.sockets[0].getsockname()[:2]
        return host, port

    async def close(self) -> None:
        self.driver.close()
        self.server.close()
        for transport in list(self._writers.values()):
            transport.close()
        await self.server.wait_closed()


class TcpClient(_StreamOwner):
    """A device's connection to its gateway."""

    @classmethod
    async def connect(cls, endpoint: EndpointCore, host: str, port: int,
                      name: str = "kantech-tcp", clock: Clock | None = None,
                      local_host: str | None = None) -> TcpClient:
        """Connect to ``host:port``; from ``local_host`` (the device's own address) when given,
        so the gateway sees the connection come from the device, as with real hardware."""
        self = cls()
        self.driver = EndpointDriver(endpoint, self.send, name=name, clock=clock)
        loop = asyncio.get_running_loop()
        await loop.create_connection(lambda: _StreamProtocol(self), host, port,
                                     local_addr=(local_host, 0) if local_host else None)
        return self

    async def close(self) -> None:
        self.driver.close()
        for transport in list(self._writers.values()):
            transport.close()
