"""The process's one socket per discovery port; each device answers from its own socket.

The socket only moves bytes: ``DiscoveryEndpoint`` (kantech_proto) decodes each datagram once and
says which site it is for, and the responder hands a DISCOVER to that site's devices, whose own
endpoints apply their replay policy and send the ANNOUNCE from their own address.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from typing import Any

from emulators.kantech.device_runtime import REJECT_LOG_INTERVAL, DeviceRuntime
from kantech_proto.discovery_endpoint import DiscoverReceived, DiscoveryEndpoint
from kantech_proto.endpoint_events import FrameRejected
from kantech_proto.ip_frame import IpFrameCodec
from protolab.clock import Clock
from protolab.errors import bind_failure
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

log = get_logger("kantech.emulate")


class _DiscoveryProtocol(asyncio.DatagramProtocol):
    def __init__(self, responder: DiscoveryResponder) -> None:
        self._responder = responder

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self._responder.receive(data, addr)


class DiscoveryResponder:
    """One discovery port: ``add`` devices, ``await open()``, ``close()``."""

    def __init__(self, port: int, clock: Clock) -> None:
        self.port = port
        self.clock = clock
        self.endpoint = DiscoveryEndpoint()
        self.transport: asyncio.DatagramTransport | None = None
        self._devices: dict[tuple[int, IpFrameCodec], list[DeviceRuntime]] = {}
        self._drop_log = LogThrottle(REJECT_LOG_INTERVAL)

    @property
    def stats(self) -> Counter[str]:
        """Bytes in, DISCOVERs, and frames rejected by reason (as an endpoint counts them)."""
        return self.endpoint.stats

    def add(self, device: DeviceRuntime) -> None:
        codec = device.endpoint.codec
        self.endpoint.add_site(device.config.site_id, codec)
        self._devices.setdefault((device.config.site_id, codec), []).append(device)

    async def open(self, host: str = "0.0.0.0") -> None:
        """Bind ``host:port`` (broadcasts reach it); AddressUnavailableError when it cannot."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            sock.bind((host, self.port))
        except OSError as exc:
            sock.close()
            raise bind_failure(exc, host, self.port, flag="--discovery-port", port_only=True,
                               what="the discovery socket") from None
        loop = asyncio.get_running_loop()
        self.transport, _ = await loop.create_datagram_endpoint(
            lambda: _DiscoveryProtocol(self), sock=sock)

    @property
    def local_address(self) -> tuple[str, int]:
        assert self.transport is not None
        host, port = self.transport.get_extra_info("sockname")[:2]
        return host, port

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def receive(self, data: bytes, peer: Any) -> None:
        self.endpoint.receive_datagram(data, peer)
        for event in self.endpoint.events():
            if isinstance(event, DiscoverReceived):
                for device in self._devices.get((event.frame.site_id, event.codec), ()):
                    device.receive_discover(event.frame, peer)
            elif isinstance(event, FrameRejected):
                self._log_drop(event)

    def _log_drop(self, event: FrameRejected) -> None:
        suppressed = self._drop_log.allow(self.clock.now(), event.reason)
        if suppressed is None:
            return
        peer = event.peer
        log.warning("frame dropped", device="discovery", address=f"0.0.0.0:{self.port}",
                    peer=f"{peer[0]}:{peer[1]}", reason=event.reason, detail=str(event.error),
                    expected="a DISCOVER for one of this process's sites under its key",
                    suppressed=suppressed)
