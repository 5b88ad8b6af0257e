"""End to end over loopback: the simulated gateway reloads the example site file into a real
controller model, whose schedules, actions, elevator, anti-passback and supervision then reach
the gateway as table-12 events. The fleet runs on a ManualClock (hours pass in a test); the
gateway, the control API and the sockets are real."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from emulators.kantech.control_api import start_control_server
from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway
from emulators.kantech_gateway.site_description import load_site
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.event_types import EventType
from protolab.clock import ManualClock

E = EventType
WEDNESDAY_LATE = _dt.datetime(2025, 6, 11, 16, 59, 30)  # lobby hours end at 17:00


class Heard:
    """Every event the gateway publishes, as it arrives."""

    def __init__(self, gateway: SimulatedGateway) -> None:
        self.events: list[ControllerEvent] = []
        self._stream = gateway.events()
        self._task = asyncio.ensure_future(self._collect())

    async def _collect(self) -> None:
        async for _, event in self._stream:
            self.events.append(event)

    async def wait_for(self, match: Callable[[ControllerEvent], bool]) -> ControllerEvent:
        async with asyncio.timeout(5):
            while True:
                found = next((e for e in self.events if match(e)), None)
                if found is not None:
                    return found
                await asyncio.sleep(0.005)

    async def close(self) -> None:
        self._task.cancel()  # the stream's own cleanup runs as the task unwinds
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


@pytest.fixture
async def lab(gateway: SimulatedGateway, site: Any, fresh_subnet: Callable[[], str]
              ) -> AsyncIterator[tuple[KantechFleet, ManualClock, Heard]]:
    clock = ManualClock()
    settings = FleetSettings(first_address=fresh_subnet(), gateway=f"127.0.0.1:"
                             f"{gateway.address[1]}", key=site.key, site_id=site.id,
                             device_port=0, discovery_port=0, pulse=86400.0, kt400=1)
    async with KantechFleet(build_fleet(settings), discovery_host="127.0.0.1",
                            clock=clock) as fleet:
        await gateway.wait_for_device(fleet.devices[0].config.address)
        heard = Heard(gateway)
        await asyncio.sleep(0)
        yield fleet, clock, heard
        await heard.close()


def of(kind: EventType, component: int | None = None) -> Callable[[ControllerEvent], bool]:
    return lambda e: e.event_type == kind and component in (None, e.component)


async def settle(fleet: KantechFleet) -> None:
    """Until the device's events are all ACKed (stop-and-wait over real loopback)."""
    async with asyncio.timeout(5):
        while fleet.devices[0].endpoint.queued:
            await asyncio.sleep(0.005)


async def test_reloaded_site_runs_on_its_schedules(gateway: SimulatedGateway, lab: Any,
                                                   example_site: Path) -> None:
    fleet, clock, heard = lab
    device = fleet.devices[0].local_address
    await gateway.reload(device, load_site(example_site), when=WEDNESDAY_LATE)
    lobby = await heard.wait_for(of(E.STANDALONE_DOOR_UNLOCKED, 1))
    lights = await heard.wait_for(of(E.STANDALONE_RELAY_ACTIVATED, 2))
    assert (lobby.schedule, lights.schedule) == (3, 2)
    status = await gateway.status(device)
    assert status.doors[0].lock_state.name == "UNLOCKED" and status.relays_active & 0b10
    await settle(fleet)

    await clock.advance_async(30)  # 17:00: lobby hours end, on the device's own timer
    relocked = await heard.wait_for(of(E.STANDALONE_DOOR_RELOCKED, 1))
    assert relocked.timestamp.to_datetime() == _dt.datetime(2025, 6, 11, 17, 0)
    await settle(fleet)
    await clock.advance_async(3600)  # 18:00: the lights go off
    assert (await heard.wait_for(of(E.STANDALONE_RELAY_DEACTIVATED, 2))).schedule == 2
    await settle(fleet)
    await clock.advance_async(1800)  # 18:30: the action locks the lobby and reports it
    done = await heard.wait_for(of(E.COMMAND_DONE, 1))
    assert done.timestamp.to_datetime() == _dt.datetime(2025, 6, 11, 18, 30)
    assert (await gateway.status(device)).doors[0].lock_state.name == "LOCKED"


async def test_control_api_drives_floors_passback_and_troubles_to_the_gateway(
        gateway: SimulatedGateway, lab: Any, example_site: Path) -> None:
    fleet, _, heard = lab
    device = fleet.devices[0].local_address
    await gateway.reload(device, load_site(example_site), when=WEDNESDAY_LATE)
    server = await start_control_server(fleet, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession(server.url) as http:
            async def post(path: str, body: dict[str, Any]) -> Any:
                async with http.post(path, json=body) as resp:
                    return resp.status, await resp.json()

            assert await post("/devices/0/cards", {"door": 3, "card": 1001, "floor": 2}) == (
                200, {"ok": True, "result": "FLOOR_VALID"})
            floor = await heard.wait_for(of(E.FLOOR_VALID, 3))
            assert (floor.card_number, floor.floor, len(floor.encode())) == (1001, 2, 7 + 1 + 6)
            assert (await gateway.status(device)).relays_active & 0b1000  # floor 2's button
            assert (await post("/devices/0/cards", {"door": 3, "card": 1002, "floor": 2}))[1][
                "result"] == "BAD_ACCESS_LEVEL"  # Otto has no level at the cab reader

            assert (await post("/devices/0/cards", {"door": 2, "card": 1001}))[1]["result"] == \
                "GRANTED"
            assert (await post("/devices/0/cards", {"door": 2, "card": 1001}))[1]["result"] == \
                "PASSBACK"
            await heard.wait_for(of(E.ACCESS_DENIED_PASSBACK, 2))
            assert await post("/devices/0/passback/forgive", {"card": 1001}) == (
                200, {"ok": True, "forgiven": 1})
            assert (await post("/devices/0/cards", {"door": 2, "card": 1001, "exit": True}))[1][
                "result"] == "GRANTED"

            assert await post("/devices/0/inputs/9/line", {"line": "open"}) == (200, {"ok": True})
            trouble = await heard.wait_for(of(E.INPUT_TROUBLE_OPEN, 9))
            assert len(trouble.encode()) == 7 + 1 + 1
            assert (await gateway.status(device)).inputs_trouble == 1 << 8
            status, error = await post("/devices/0/inputs/9/line", {"line": "cut"})
            assert status == 400 and "normal, open, short" in error["error"]
            status, error = await post("/devices/0/pins", {"door": 1, "pin": "1234"})
            assert status == 400 and "CARD_ONLY" in error["error"]
            status, error = await post("/devices/0/cards", {"door": 1, "card": 1001,
                                                            "floor": 2})
            assert status == 400 and "elevator door" in error["error"]
    finally:
        await server.close()
