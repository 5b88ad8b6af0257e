"""Polling the loop behind an emulated IP-Link through TUNNEL, at the paper's byte rate."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulators.kantech.controller_api import ControllerModel
from emulators.kantech.fleet_config import DeviceConfig, FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech.iplink_device import IpLinkDevice, make_iplink
from emulators.kantech.model_factory import default_model_factory
from emulators.kantech_gateway.gateway import SimulatedGateway
from emulators.kantech_gateway.poll_loop import poll_loop
from kantech_proto.loop_pacing import MAX_CATCH_UP, BytePacer

LOOP = 3
ROOT = Path(__file__).parents[3]


def factory(config: DeviceConfig) -> ControllerModel:
    if config.model.name == "IP_LINK":
        return make_iplink(config.mac, config.serial_number, LOOP)
    return default_model_factory(config)


@pytest.fixture
async def iplink(gateway: SimulatedGateway, site: Any,
                 fresh_subnet: Any) -> AsyncIterator[KantechFleet]:
    settings = FleetSettings(first_address=fresh_subnet(), gateway=f"127.0.0.1:"
                             f"{gateway.address[1]}", key=site.key, site_id=site.id,
                             device_port=0, discovery_port=0, pulse=60.0, iplink=1)
    async with KantechFleet(build_fleet(settings), factory, discovery_host="127.0.0.1") as fleet:
        await gateway.wait_for_device(fleet.devices[0].config.address)
        yield fleet


def test_pacer_spends_bytes_over_rate() -> None:
    pacer = BytePacer(1000.0)
    assert pacer.after(10.0, 5) == pytest.approx(10.005)
    assert pacer.after(10.001, 5) == pytest.approx(10.010)  # early start waits for its slot
    # after a long stall only MAX_CATCH_UP seconds of schedule are made up, not a burst
    assert pacer.after(20.0, 5) == pytest.approx(20.0 - MAX_CATCH_UP + 0.005)


async def test_polls_every_address_in_turn_and_forwards_events(
        gateway: SimulatedGateway, iplink: KantechFleet) -> None:
    device = iplink.devices[0].local_address
    link = iplink.devices[0].model
    assert isinstance(link, IpLinkDevice) and link.loop is not None
    controller = link.loop[2]
    controller.present_card(1, 4242, now=iplink.devices[0].now())  # type: ignore[attr-defined]
    events = gateway.events()
    waiter = asyncio.ensure_future(anext(events))
    summary = await poll_loop(gateway, device, LOOP, rate=2000.0, rounds=2)
    assert dict(summary.polls) == {1: 2, 2: 2, 3: 2}
    assert summary.events[2] >= 1
    assert summary.serial_bytes_out == 4 * 6
    # idle controllers answer with one presence byte (table 11: 4 + 1 bytes)
    assert summary.presences[1] == 2 and summary.presences[3] == 2
    source, event = await asyncio.wait_for(waiter, 2)
    assert source == "{}:{}/2".format(*device) and event.component == 1
    # the pacer held the configured rate: the run took at least bytes / rate
    total = summary.serial_bytes_out + summary.serial_bytes_in
    assert summary.seconds >= total / 2000.0 * 0.9
    assert summary.ip_bytes_out > summary.serial_bytes_out  # the IP framing the paper leaves out
    await events.aclose()


async def test_cli_poll_loop(gateway: SimulatedGateway, iplink: KantechFleet, site: Any) -> None:
    host, port = iplink.devices[0].local_address
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "protolab", "kantech", "gateway", "poll-loop",
        "--key", site.key, "--site-id", str(site.id), "--listen", "127.0.0.1:0", "--device",
        f"{host}:{port}", "--loop-size", str(LOOP), "--rounds", "2", "--rate", "5000",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    summary = json.loads(out.decode().splitlines()[-1])["summary"]
    assert summary["polls"] == {"1": 2, "2": 2, "3": 2}
    assert summary["rate"] == 5000.0
