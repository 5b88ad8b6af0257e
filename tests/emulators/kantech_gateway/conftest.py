"""A SimulatedGateway on a free loopback port and a fleet of real controller models behind it."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway

KEY = "gw-lab-key"
SITE = 7
EXAMPLE = Path(__file__).parents[3] / "emulators" / "kantech_gateway" / "examples" / "site.toml"
_subnets = itertools.count(1)


def fresh_subnet() -> str:
    return f"127.22.{next(_subnets) % 250}.1"


@pytest.fixture
async def gateway() -> AsyncIterator[SimulatedGateway]:
    async with SimulatedGateway(KEY, SITE, listen=("127.0.0.1", 0), retry_interval=0.3,
                                attempts=3) as gw:
        yield gw


@pytest.fixture
async def fleet(gateway: SimulatedGateway) -> AsyncIterator[KantechFleet]:
    settings = FleetSettings(first_address=fresh_subnet(), gateway=f"127.0.0.1:"
                             f"{gateway.address[1]}", key=KEY, site_id=SITE, device_port=0,
                             discovery_port=0, pulse=5.0, kt400=1)
    async with KantechFleet(build_fleet(settings), discovery_host="127.0.0.1") as devices:
        await gateway.wait_for_device(devices.devices[0].config.address)
        yield devices
