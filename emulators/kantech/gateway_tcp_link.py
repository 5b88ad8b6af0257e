"""A device's TCP connection to its gateway (port 18802, or the one configured), kept up.

When the gateway goes away the device keeps its events (the event buffer and the endpoint's
stop-and-wait message) and reconnects after 0.5 s, then 1, 2, 4 ... up to 30 s between attempts
(the device's ``Clock``); once connected again the message in flight is resent at once, so the
gateway gets every event exactly once after its ACK.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from emulators.kantech.wire_observer import WireObserver, observe_stream
from kantech_proto.device_endpoint import DeviceEndpoint
from kantech_proto.endpoint_events import Address
from kantech_proto.transports.endpoint_driver import EndpointDriver
from kantech_proto.transports.tcp import TcpClient
from protolab.clock import Clock, Timer
from protolab.logs import get_logger

FIRST_BACKOFF = 0.5
MAX_BACKOFF = 30.0

log = get_logger("kantech.emulate")


class _Client(TcpClient):
    """A TcpClient that remembers its own address (for captures of what it sends)."""

    local: tuple[str, int] = ("0.0.0.0", 0)
    transport: asyncio.Transport | None = None

    def connected(self, peer: Address, transport: asyncio.Transport) -> None:
        self.transport = transport
        host, port = transport.get_extra_info("sockname")[:2]
        self.local = (str(host), int(port))
        super().connected(peer, transport)


class GatewayTcpLink:
    """Connects ``endpoint`` to ``endpoint.gateway`` over TCP and keeps reconnecting."""

    __slots__ = ("_backoff", "_closed", "_driver", "_task", "_timer", "attempts", "client",
                 "clock", "endpoint", "local_host", "name", "observer", "on_connected")

    def __init__(self, endpoint: DeviceEndpoint, driver: EndpointDriver, clock: Clock,
                 name: str, on_connected: Callable[[], None] | None = None,
                 local_host: str | None = None) -> None:
        self.endpoint, self._driver, self.clock, self.name = endpoint, driver, clock, name
        self.local_host = local_host
        self.on_connected = on_connected
        self.client: _Client | None = None
        #: sees what the connection receives (a capture); what is sent the device shows it
        self.observer: WireObserver | None = None
        self._timer: Timer | None = None
        self._task: asyncio.Task[bool] | None = None
        self._backoff = FIRST_BACKOFF
        self._closed = False
        self.attempts = 0

    @property
    def connected(self) -> bool:
        return self.client is not None and bool(self.client.peers)

    @property
    def local_address(self) -> tuple[str, int]:
        """The connection's own address and port (0.0.0.0:0 while not connected)."""
        return self.client.local if self.client is not None else ("0.0.0.0", 0)

    def send(self, data: bytes, peer: Address) -> bool:
        """Send on the connection; False (and a reconnect under way) when there is none."""
        if not self.connected:
            self.endpoint.stats["tcp_not_connected"] += 1
            self.reconnect_soon()
            return False
        assert self.client is not None
        self.client.send(data, peer)
        return True

    async def connect(self) -> bool:
        """One attempt now; on failure the next is scheduled with back-off."""
        host, port = self.endpoint.gateway
        self.attempts += 1
        try:
            client = await _Client.connect(self.endpoint, host, port, name=self.name,
                                             clock=self.clock, local_host=self.local_host)
        except OSError as exc:
            self.endpoint.stats["tcp_connect_failed"] += 1
            if self.attempts == 1 or self._backoff >= MAX_BACKOFF:
                log.warning("cannot reach the gateway over TCP", device=self.name,
                            gateway=f"{host}:{port}", error=str(exc),
                            retry_in=self._backoff)
            self._schedule()
            return False
        assert isinstance(client, _Client)
        if self.observer is not None and client.transport is not None:
            observe_stream(client.transport, self.observer, self.clock)
        if self._closed:
            await client.close()
            return False
        client.driver.close()
        client.driver = self._driver  # one endpoint, one driver: the stream feeds it directly
        client.on_lost = self._lost
        self.client = client
        self._backoff = FIRST_BACKOFF
        self.endpoint.stats["tcp_connects"] += 1
        log.info("connected to the gateway over TCP", device=self.name, gateway=f"{host}:{port}")
        self.endpoint.resend_now(self.clock.now())
        if self.on_connected is not None:
            self.on_connected()
        self._driver.pump()
        return True

    def reconnect_soon(self) -> None:
        """Make sure an attempt is scheduled (no-op while one is pending or running)."""
        if self._closed or self.connected or self._timer is not None:
            return
        if self._task is not None and not self._task.done():
            return
        self._schedule()

    async def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None:
            self._task.cancel()
        if self.client is not None:
            await self.client.close()

    def _lost(self, peer: Address) -> None:
        if self._closed:
            return
        self.endpoint.stats["tcp_lost"] += 1
        log.warning("gateway connection lost, reconnecting", device=self.name,
                    gateway=f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer))
        self.client = None
        self._schedule()

    def _schedule(self) -> None:
        if self._closed or self._timer is not None:
            return
        delay = self._backoff
        self._backoff = min(self._backoff * 2, MAX_BACKOFF)
        self._timer = self.clock.call_later(delay, self._attempt)

    def _attempt(self) -> None:
        self._timer = None
        if not self._closed and not self.connected:
            self._task = asyncio.ensure_future(self.connect())
