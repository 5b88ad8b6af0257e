"""Shared pieces for the network-runtime tests, as fixtures: a fake controller model factory, a
loopback gateway endpoint that records what it receives, fleet settings aimed at it, and the
site (key, id, gateway session id) they share."""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from emulators.kantech.fleet_config import DeviceConfig, FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from kantech_proto.codes import DeviceModel
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ComponentResult, ControllerStatus
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.endpoint_events import EndpointEvent
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import (
    Ack,
    Announce,
    ManualOp,
    ManualOpReply,
    Message,
    StatusQuery,
    StatusReply,
)
from kantech_proto.transports.udp import UdpLink
from protolab.errors import ConfigurationError

KEY = "lab-key"
SITE = 42
SESSION = bytes.fromhex("0000000000aa")
T0 = KantechDateTime(2024, 1, 1, 0, 0, 0, 0)
_subnets = itertools.count(1)


class FakeModel:
    """The ControllerModel contract, and the test hooks the control API calls, in a few lines."""

    def __init__(self, model: DeviceModel, mac: bytes, serial_number: str,
                 firmware: tuple[int, int, int] = (1, 0, 0)) -> None:
        self._model, self._mac, self._serial, self._firmware = model, mac, serial_number, firmware
        self._events: list[ControllerEvent] = []
        self._reboot = False
        self.requests: list[Message] = []

    model = property(lambda self: self._model)
    mac = property(lambda self: self._mac)
    serial_number = property(lambda self: self._serial)
    firmware = property(lambda self: self._firmware)

    def announce(self, ip: str, netmask: str, gateway: str) -> Announce:
        return Announce(self._model, self._firmware, self._serial, ipaddress.IPv4Address(ip),
                        ipaddress.IPv4Address(netmask), ipaddress.IPv4Address(gateway))

    def handle_request(self, message: Message, now: float) -> Message:
        self.requests.append(message)
        if isinstance(message, StatusQuery):
            return StatusReply(ControllerStatus(self._model, self._firmware, None,
                                                events_queued=len(self._events)))
        if isinstance(message, ManualOp):
            return ManualOpReply((ComponentResult(message.kind, message.first_index,
                                                  message.operation),))
        return Ack()

    def advance(self, now: float) -> None:
        pass

    def next_deadline(self) -> float | None:
        return None

    def take_events(self) -> list[ControllerEvent]:
        out, self._events = self._events, []
        return out

    @property
    def events_waiting(self) -> bool:
        return bool(self._events)

    @property
    def reboot_pending(self) -> bool:
        return self._reboot

    def acknowledge_reboot(self) -> None:
        self._reboot = False

    # test hooks (the same signatures as the real controller model)
    def present_card(self, door: int, card_number: int | str, pin: str | None = None, *,
                     now: float) -> str:
        self._events.append(ControllerEvent.access(T0, door, card_number))
        return "GRANTED"

    def reboot(self, now: float) -> None:
        self._reboot = True

    def snapshot(self) -> dict[str, Any]:
        return {"fake": True, "requests": len(self.requests)}


def _fake_factory(config: DeviceConfig) -> FakeModel:
    if config.model is DeviceModel.IP_LINK:
        raise ConfigurationError("the fake has no IP-Link")
    return FakeModel(config.model, config.mac, config.serial_number, config.firmware)


@dataclass(frozen=True)
class Site:
    key: str = KEY
    id: int = SITE
    session: bytes = SESSION  # the gateway's sender id


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.fixture
def fake_factory() -> Callable[[DeviceConfig], FakeModel]:
    """A model factory giving ``FakeModel``s (no IP-Link: those are skipped)."""
    return _fake_factory


class Gateway:
    """A GatewayEndpoint on 127.0.0.1 with everything it receives kept for assertions."""

    def __init__(self, link: UdpLink) -> None:
        self.link = link
        self.received: list[EndpointEvent] = []
        self._changed = asyncio.Event()
        self._task = asyncio.ensure_future(self._collect())

    @property
    def endpoint(self) -> GatewayEndpoint:
        endpoint = self.link.driver.endpoint
        assert isinstance(endpoint, GatewayEndpoint)
        return endpoint

    @property
    def address(self) -> tuple[str, int]:
        return self.link.local_address

    async def _collect(self) -> None:
        while True:
            self.received.append(await self.link.driver.events.get())
            self._changed.set()

    async def wait_for(self, predicate: Callable[[list[EndpointEvent]], bool],
                       timeout: float = 3.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate(self.received):
                self._changed.clear()
                await self._changed.wait()

    def messages(self, kind: type) -> list[Any]:
        return [e for e in self.received
                if isinstance(getattr(e, "message", None), kind) and hasattr(e, "frame")]

    async def close(self) -> None:
        self._task.cancel()
        self.link.close()


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    endpoint = GatewayEndpoint(IpFrameCodec(KEY), SITE, SESSION, retry_interval=0.2)
    gw = Gateway(await UdpLink.open(endpoint, ("127.0.0.1", 0), name="test-gateway"))
    yield gw
    await gw.close()


def _fresh_subnet() -> str:
    """A first address no other test in this run uses (127.21.N.1)."""
    return f"127.21.{next(_subnets) % 250}.1"


def _settings(gw: Gateway, **changes: Any) -> FleetSettings:
    base = FleetSettings(first_address=_fresh_subnet(), gateway=f"127.0.0.1:{gw.address[1]}",
                         key=KEY, site_id=SITE, device_port=0, discovery_port=0, pulse=0.05)
    return base.merged(changes)


@pytest.fixture
def settings() -> Callable[..., FleetSettings]:
    """``settings(gateway, kt400=2, ...)``: a fleet on a subnet of its own aimed at ``gateway``,
    on free ports, pulsing every 0.05 s unless told otherwise."""
    return _settings

async def _eventually(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


@pytest.fixture
def eventually() -> Callable[..., Any]:
    """``await eventually(predicate)``: until something that travels over a real socket has
    arrived (bounded by a real timeout, 3 s by default)."""
    return _eventually


@pytest.fixture
async def make_fleet() -> AsyncIterator[Callable[..., Any]]:
    fleets: list[KantechFleet] = []

    async def start(configs: list[DeviceConfig] | FleetSettings, **kwargs: Any) -> KantechFleet:
        if isinstance(configs, FleetSettings):
            configs = build_fleet(configs)
        fleet = KantechFleet(configs, kwargs.pop("model_factory", _fake_factory),
                             **kwargs)
        await fleet.start()
        fleets.append(fleet)
        return fleet

    yield start
    for fleet in fleets:
        await fleet.stop()
