"""A neutral hook for whatever wants to see the bytes a lab exchanges (a pcap writer, a byte
counter): the emulators and the simulated gateway call it with every chunk they send or
receive, the addresses and the time from their own Clock, and know nothing of what it does.

``tools.capture.capture_tap.CaptureTap`` fits it; the CLI attaches one for ``--pcap``.
Serial-loop bytes come with ``transport="serial"``: local is the loop (``SERIAL_LOOP_HOST``,
it has no IP address), peer the IP-Link's address, with the loop address as the peer's port.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal, Protocol, TypeAlias, cast

from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import Address
from kantech_proto.transports.endpoint_driver import EndpointDriver
from kantech_proto.transports.tcp import TcpServer
from protolab.clock import Clock

Direction: TypeAlias = Literal["sent", "received"]
WireTransport: TypeAlias = Literal["udp", "tcp", "serial"]

#: the address a serial loop's side is given in observations (it has none of its own)
SERIAL_LOOP_HOST = "0.0.0.0"


class WireObserver(Protocol):
    """Called with every chunk of bytes sent (``"sent"``) or received; must not raise."""

    def __call__(self, direction: Direction, local_addr: tuple[str, int],
                 peer_addr: tuple[str, int], transport: WireTransport, data: bytes,
                 timestamp: float) -> None: ...


class ObservedDriver(EndpointDriver):
    """An ``EndpointDriver`` that shows each datagram it is fed to ``observer`` first (the
    simulated gateway's UDP side; a stream's bytes do not pass through ``feed``)."""

    def __init__(self, endpoint: EndpointCore, send: Callable[[bytes, Address], None],
                 observer: WireObserver, local: Callable[[], tuple[str, int]], *,
                 name: str = "kantech", clock: Clock | None = None) -> None:
        super().__init__(endpoint, send, name=name, clock=clock)
        self._observer, self._local = observer, local

    def feed(self, data: bytes, peer: Address) -> None:
        self._observer("received", self._local(), peer, "udp", data, self.clock.wall())
        super().feed(data, peer)


class _ObservingProtocol(asyncio.Protocol):
    """Stands in front of a stream's protocol: what arrives is observed, then passed on."""

    def __init__(self, inner: asyncio.BaseProtocol, observer: WireObserver,
                 local: tuple[str, int], peer: tuple[str, int], clock: Clock) -> None:
        self.inner, self.observer, self.local, self.peer, self.clock = (
            cast(asyncio.Protocol, inner), observer, local, peer, clock)

    def data_received(self, data: bytes) -> None:
        self.observer("received", self.local, self.peer, "tcp", data, self.clock.wall())
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


def observe_stream(transport: asyncio.BaseTransport, observer: WireObserver,
                   clock: Clock) -> None:
    """From now on, what ``transport`` receives is shown to ``observer`` first."""
    local = _address(transport.get_extra_info("sockname"))
    peer = _address(transport.get_extra_info("peername"))
    transport.set_protocol(_ObservingProtocol(transport.get_protocol(), observer, local, peer,
                                              clock))


def _address(value: object) -> tuple[str, int]:
    host, port = cast(tuple[str, int], value)[:2]
    return str(host), int(port)


class ObservedTcpServer(TcpServer):
    """A ``TcpServer`` whose connections show what they receive to ``observer`` (set it right
    after ``open``, before the loop accepts anything)."""

    observer: WireObserver | None = None
    observer_clock: Clock | None = None

    def connected(self, peer: Address, transport: asyncio.Transport) -> None:
        super().connected(peer, transport)
        if self.observer is not None and self.observer_clock is not None:
            observe_stream(transport, self.observer, self.observer_clock)
