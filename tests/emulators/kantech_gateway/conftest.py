"""A SimulatedGateway on a free loopback port and a fleet of real controller models behind it,
as fixtures (the site, the example site file and fresh subnets too)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway

_subnets = itertools.count(1)


@dataclass(frozen=True)
class Site:
    key: str = "gw-lab-key"
    id: int = 7


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.fixture
def example_site() -> Path:
    """The example site file shipped with the gateway (one KT-400, two doors, three cards)."""
    return Path(__file__).parents[3] / "emulators" / "kantech_gateway" / "examples" / "site.toml"


@pytest.fixture
def fresh_subnet() -> Callable[[], str]:
    """``fresh_subnet()``: a first address no other test in this run uses (127.22.N.1)."""
    return lambda: f"127.22.{next(_subnets) % 250}.1"


@pytest.fixture
async def gateway(site: Site) -> AsyncIterator[SimulatedGateway]:
    async with SimulatedGateway(site.key, site.id, listen=("127.0.0.1", 0), retry_interval=0.3,
                                attempts=3) as gw:
        yield gw


@pytest.fixture
async def fleet(gateway: SimulatedGateway, site: Site,
                fresh_subnet: Callable[[], str]) -> AsyncIterator[KantechFleet]:
    settings = FleetSettings(first_address=fresh_subnet(), gateway=f"127.0.0.1:"
                             f"{gateway.address[1]}", key=site.key, site_id=site.id,
                             device_port=0, discovery_port=0, pulse=5.0, kt400=1)
    async with KantechFleet(build_fleet(settings)) as devices:
        await gateway.wait_for_device(devices.devices[0].config.address)
        yield devices
