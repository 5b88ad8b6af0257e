"""The endpoint driver of one emulated device: bytes in, the device's events dispatched, bytes
out, one timer. Slim on purpose (no queue, no futures, no logger of its own): a fleet holds
100,000 of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from emulators.kantech.fleet_config import DeviceConfig
from emulators.kantech.wire_observer import WireObserver
from kantech_proto.device_endpoint import DeviceEndpoint
from kantech_proto.endpoint_events import Address, EndpointEvent
from kantech_proto.transports.endpoint_driver import EndpointDriver
from protolab.clock import Clock, Timer
from protolab.logs import get_logger

_transport_log = get_logger("kantech.transport")


class DriverOwner(Protocol):
    """What the driver needs of its device (``DeviceRuntime`` fits)."""

    endpoint: DeviceEndpoint
    clock: Clock
    config: DeviceConfig
    observer: WireObserver | None

    @property
    def local_address(self) -> tuple[str, int]: ...

    @property
    def online(self) -> bool: ...

    @property
    def name(self) -> str: ...

    def on_endpoint_event(self, event: EndpointEvent) -> None: ...


class DeviceDriver(EndpointDriver):
    """The endpoint driver of one device, slim because a fleet holds 100,000: events go
    straight to the device (no queue, no futures, no logger of its own), one timer."""

    def __init__(self, device: DriverOwner, send: Callable[[bytes, Address], None]) -> None:
        # deliberately not EndpointDriver.__init__: its queue and logger cost a kilobyte
        self.endpoint = device.endpoint
        self._send = send
        self.clock = device.clock
        self._device = device
        self._timer: Timer | None = None
        self._timer_at: float | None = None
        self.closed = False
        self.log = _transport_log

    def feed(self, data: bytes, peer: Address) -> None:
        observer = self._device.observer
        if observer is not None:
            observer("received", self._device.local_address, peer, "udp", data,
                     self.clock.wall())
        if not self._device.online:
            self.endpoint.stats["dropped_offline"] += 1
            return
        if self._device.config.factory_default:  # no key, no site: nothing on the network
            self.endpoint.stats["dropped_factory_default"] += 1
            return
        self.endpoint.receive_datagram(data, peer, self.clock.now())
        self.pump()

    def pump(self) -> None:
        """Send what the endpoint queued and hand its events to the device, until both are
        empty (answers queued while dispatching leave now), then re-arm the timer."""
        endpoint = self.endpoint
        while not self.closed:
            for data, peer in endpoint.datagrams_to_send():
                try:
                    self._send(data, peer)
                except OSError as exc:
                    _transport_log.warning("send failed", device=self._device.name,
                                           peer=str(peer), error=str(exc))
            events = endpoint.events()
            if not events:
                break
            for event in events:
                self._device.on_endpoint_event(event)
        self._arm_timer()

    def close(self) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
