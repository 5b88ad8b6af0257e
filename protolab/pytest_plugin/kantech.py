"""Kantech controllers and the simulated gateway for a user's test, with a handle per device.

A handle drives the physical world through the fleet's own HTTP control API (started on a free
loopback port beside the fleet), so a test does exactly what ``curl`` against ``protolab kantech
emulate --control`` would do, and the URL is there for the user's own tools too.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from emulators.kantech.control_api import start_control_server
from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway
from kantech_proto.controller_events import ControllerEvent
from protolab.clock import Clock
from protolab.errors import ConfigurationError, ProtolabError
from protolab.http_api import ApiServer

DOOR_ACTIONS = ("open", "close", "force", "hold")


class ControlRefused(ProtolabError):
    """The control API refused an operation (unknown door, a model without inputs ...)."""


def fresh_first_address(rng: random.Random | None = None) -> str:
    """A loopback /24 unlikely to be used by another fleet on this machine (127.64-250.x.1)."""
    rng = rng or random.Random()
    return f"127.{rng.randrange(64, 251)}.{rng.randrange(256)}.1"


@dataclass
class KantechDevice:
    """One emulated controller: where it is and what a test can do to it.

    ``events`` holds the controller events the bound SimulatedGateway received from this
    device (empty when the fleet reports to the user's own gateway)."""

    index: int
    address: str
    port: int
    mac: str
    model: str
    serial_number: str
    control_url: str
    _session: aiohttp.ClientSession = field(repr=False)
    events: list[ControllerEvent] = field(default_factory=list)

    async def _call(self, method: str, path: str, body: dict[str, Any] | None = None
                    ) -> dict[str, Any]:
        url = f"{self.control_url}/devices/{self.address}{path}"
        async with self._session.request(method, url, json=body) as response:
            data: dict[str, Any] = await response.json()
        if response.status >= 300:
            raise ControlRefused(f"{self.model} at {self.address}: {method} {path} refused "
                                 f"({response.status}): {data.get('error')}")
        return data

    async def swipe(self, card: int | str, door: int = 1, *, pin: str | None = None,
                    exit: bool = False) -> str:
        """A card at the door's reader (its exit reader with ``exit``); the access result's name
        (``GRANTED``, ``UNKNOWN_CARD`` ...)."""
        body: dict[str, Any] = {"door": door, "card": card, "exit": exit}
        if pin is not None:
            body["pin"] = pin
        return str((await self._call("POST", "/cards", body))["result"])

    async def door(self, door: int, action: str = "open") -> Any:
        """Someone opens, closes, forces or holds a door: one of DOOR_ACTIONS."""
        if action not in DOOR_ACTIONS:
            raise ControlRefused(f"door action {action!r}: expected one of "
                                 f"{', '.join(DOOR_ACTIONS)}")
        return (await self._call("POST", f"/doors/{door}/{action}"))["result"]

    async def input(self, number: int, active: bool = True) -> None:
        """An input contact changes (a motion sensor, a door contact)."""
        await self._call("POST", f"/inputs/{number}", {"active": active})

    async def offline(self) -> None:
        """Pull the cable: the device stays silent and deaf but keeps its state and events."""
        await self._call("POST", "/offline")

    async def online(self) -> None:
        await self._call("POST", "/online")

    async def reboot(self) -> None:
        """Power-cycle: the device announces again."""
        await self._call("POST", "/reboot")

    async def records(self) -> dict[str, Any]:
        """What the controller holds after a reload, decoded (``counts`` and ``records``)."""
        return await self._call("GET", "/records")

    async def state(self) -> dict[str, Any]:
        """The control API's view of the device: network settings, counters, model state."""
        return await self._call("GET", "")


@dataclass
class KantechLab:
    """A running fleet, its control API and one handle per IP device."""

    fleet: KantechFleet
    control: ApiServer
    devices: list[KantechDevice]
    clock: Clock
    gateway: tuple[str, int]

    @property
    def control_url(self) -> str:
        return self.control.url

    def __getitem__(self, index: int) -> KantechDevice:
        return self.devices[index]

    def __len__(self) -> int:
        return len(self.devices)


@contextlib.asynccontextmanager
async def running_gateway(key: str = "protolab", site_id: int = 1, *, clock: Clock | None = None,
                          retry_interval: float = 0.3, attempts: int = 3, tcp: bool = False
                          ) -> AsyncIterator[SimulatedGateway]:
    """A SimulatedGateway on a free loopback port (discovery on a free port too), also taking
    devices over TCP on another free port with ``tcp``."""
    async with SimulatedGateway(key, site_id, ("127.0.0.1", 0), discovery_port=0,
                                retry_interval=retry_interval, attempts=attempts,
                                clock=clock, tcp_listen=("127.0.0.1", 0) if tcp else None
                                ) as gateway:
        yield gateway


@contextlib.asynccontextmanager
async def running_fleet(*, kt400: int = 0, kt1: int = 0, iplink: int = 0, loop_size: int = 4,
                        gateway: SimulatedGateway | tuple[str, int] | None = None,
                        key: str | None = None, site_id: int | None = None,
                        replay: str | None = None, transport: str = "udp",
                        checksum: str | None = None, aes_mode: str | None = None,
                        pulse: float = 10.0, clock: Clock | None = None,
                        first_address: str | None = None) -> AsyncIterator[KantechLab]:
    """A fleet on free loopback addresses and ports reporting to ``gateway`` (a SimulatedGateway,
    whose key and site it takes and which it waits to hear every device announce, or the
    address of the user's own gateway: its UDP port, or its TCP port with ``transport="tcp"``),
    with the control API and a handle per device."""
    if kt400 + kt1 + iplink == 0:
        kt400 = 1
    base = FleetSettings()
    if isinstance(gateway, SimulatedGateway):
        target = gateway.address
        key = key or gateway.key
        site_id = gateway.site_id if site_id is None else site_id
        if transport == "tcp":  # devices connect to the gateway's TCP port instead
            if gateway.tcp_address is None:
                raise ConfigurationError("transport 'tcp' needs a gateway taking TCP: "
                                         "expected kantech_gateway(tcp=True)")
            target = gateway.tcp_address
    else:
        target = gateway or ("127.0.0.1", 18801)
    settings = FleetSettings(
        kt400=kt400, kt1=kt1, iplink=iplink, loop_size=loop_size,
        first_address=first_address or fresh_first_address(),
        gateway=f"{target[0]}:{target[1]}", key=key or base.key,
        site_id=base.site_id if site_id is None else site_id, device_port=0, discovery_port=0,
        replay=replay or base.replay, transport=transport, pulse=pulse,
        checksum=checksum or base.checksum, aes_mode=aes_mode or base.aes_mode,
        tftp_port=0)
    async with contextlib.AsyncExitStack() as stack:
        fleet = await stack.enter_async_context(KantechFleet(
            build_fleet(settings), clock=clock))
        control = await start_control_server(fleet, "127.0.0.1", 0)
        stack.push_async_callback(control.close)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        devices = [KantechDevice(i, d.config.address, d.local_address[1], d.config.mac_text,
                                 d.config.model.name, d.config.serial_number, control.url,
                                 session) for i, d in enumerate(fleet.devices)]
        if isinstance(gateway, SimulatedGateway):
            for device in devices:
                await gateway.wait_for_device(device.address, timeout=10)
            stack.push_async_callback(_cancel, asyncio.create_task(_collect(gateway, devices)))
        yield KantechLab(fleet, control, devices, fleet.clock, target)


async def _collect(gateway: SimulatedGateway, devices: list[KantechDevice]) -> None:
    by_host = {device.address: device for device in devices}
    async for source, event in gateway.events():
        device = by_host.get(source.split("/", 1)[0].rsplit(":", 1)[0])
        if device is not None:
            device.events.append(event)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
