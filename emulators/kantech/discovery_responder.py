"""The process's one socket per discovery port; each device answers from its own address.

The socket only moves bytes: ``DiscoveryEndpoint`` (kantech_proto) decodes each datagram once and
says which site it is for, and the responder hands a DISCOVER to the devices it is addressed to,
whose own endpoints apply their replay policy and send the ANNOUNCE from their own address.

Addressing (the socket reads each datagram's destination with IP_PKTINFO): a DISCOVER sent to a
device's own address reaches that device only; one sent to 255.255.255.255 or to the broadcast
address of a device's network (its address with every host bit of its netmask set, e.g.
127.255.255.255 for 255.0.0.0) reaches every device of the site on that network; anything else
reaches nobody and is counted (``not_addressed``).
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from typing import Any

from emulators.kantech.device_log import REJECT_LOG_INTERVAL
from emulators.kantech.device_runtime import DeviceRuntime
from kantech_proto.discovery_endpoint import DiscoverReceived, DiscoveryEndpoint
from kantech_proto.endpoint_events import FrameRejected
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.transports.shared_udp import SharedUdpSocket
from protolab.clock import Clock
from protolab.errors import bind_failure
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

log = get_logger("kantech.emulate")


LIMITED_BROADCAST = "255.255.255.255"


def broadcast_of(address: str, netmask: str) -> str:
    """The broadcast address of ``address``'s network (every host bit set)."""
    network = ipaddress.IPv4Network(f"{address}/{netmask}", strict=False)
    return str(network.broadcast_address)


class DiscoveryResponder:
    """One discovery port: ``add`` devices, ``await open()``, ``close()``."""

    def __init__(self, port: int, clock: Clock) -> None:
        self.port = port
        self.clock = clock
        self.endpoint = DiscoveryEndpoint()
        self.socket: SharedUdpSocket | None = None
        self._devices: dict[tuple[int, IpFrameCodec], list[DeviceRuntime]] = {}
        self._by_address: dict[str, DeviceRuntime] = {}
        self._broadcasts: dict[str, str] = {}  # device address -> its network's broadcast
        self._drop_log = LogThrottle(REJECT_LOG_INTERVAL)

    @property
    def stats(self) -> Counter[str]:
        """Bytes in, DISCOVERs, and frames rejected by reason (as an endpoint counts them)."""
        return self.endpoint.stats

    def add(self, device: DeviceRuntime) -> None:
        codec = device.endpoint.codec
        self.endpoint.add_site(device.config.site_id, codec)
        self._devices.setdefault((device.config.site_id, codec), []).append(device)
        self._by_address[device.config.address] = device
        cfg = device.config
        self._broadcasts[cfg.address] = broadcast_of(cfg.address, cfg.netmask)

    def remove(self, device: DeviceRuntime) -> None:
        """Forget a device (it is about to change its address, key or site)."""
        for devices in self._devices.values():
            if device in devices:
                devices.remove(device)
        if self._by_address.get(device.config.address) is device:
            del self._by_address[device.config.address]
            self._broadcasts.pop(device.config.address, None)

    async def open(self, host: str = "0.0.0.0") -> None:
        """Bind ``host:port`` (broadcasts reach it); AddressUnavailableError when it cannot."""
        try:
            self.socket = await SharedUdpSocket.open(self.receive, host, self.port,
                                                     broadcast=True, buffer_bytes=1 << 20)
        except OSError as exc:
            raise bind_failure(exc, host, self.port, flag="--discovery-port", port_only=True,
                               what="the discovery socket") from None

    @property
    def local_address(self) -> tuple[str, int]:
        assert self.socket is not None
        return self.socket.local_address

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()

    def receive(self, data: bytes, peer: Any, destination: str = "") -> None:
        """One datagram sent to ``destination`` (the local address IP_PKTINFO reported)."""
        self.endpoint.receive_datagram(data, peer)
        for event in self.endpoint.events():
            if isinstance(event, DiscoverReceived):
                addressed = self.addressed(event, destination)
                if not addressed:
                    self.stats["not_addressed"] += 1
                for device in addressed:
                    device.receive_discover(event.frame, peer)
            elif isinstance(event, FrameRejected):
                self._log_drop(event)

    def addressed(self, event: DiscoverReceived, destination: str) -> list[DeviceRuntime]:
        """The devices of the DISCOVER's site that ``destination`` names."""
        site = self._devices.get((event.frame.site_id, event.codec), [])
        own = self._by_address.get(destination)
        if own is not None:
            return [own] if own in site else []
        if destination in ("", LIMITED_BROADCAST):
            return list(site)
        return [d for d in site if self._broadcasts.get(d.config.address) == destination]

    def _log_drop(self, event: FrameRejected) -> None:
        suppressed = self._drop_log.allow(self.clock.now(), event.reason)
        if suppressed is None:
            return
        peer = event.peer
        log.warning("frame dropped", device="discovery", address=f"0.0.0.0:{self.port}",
                    peer=f"{peer[0]}:{peer[1]}", reason=event.reason, detail=str(event.error),
                    expected="a DISCOVER for one of this process's sites under its key",
                    suppressed=suppressed)
