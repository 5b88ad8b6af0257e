"""Fixtures for the printer emulator tests: the shipped profiles compiled once, and fleets on a
hand-driven clock that starts on a Monday at 09:00 UTC (office hours)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from emulators.printers.catalog import compile_profile
from emulators.printers.fleet import PrinterFleet
from emulators.printers.model import PrinterModel
from emulators.printers.profiles import Profile, load_profiles
from protolab.clock import ManualClock
from tests.emulators.printers.fleets import MONDAY_9AM, FleetFactory


@pytest.fixture(scope="session")
def profiles() -> dict[str, Profile]:
    return load_profiles()


@pytest.fixture(scope="session")
def models(profiles: dict[str, Profile]) -> dict[str, PrinterModel]:
    return {name: compile_profile(profile) for name, profile in profiles.items()}


@pytest.fixture
def make_fleet(models: dict[str, PrinterModel]) -> FleetFactory:
    """A fleet of shipped profiles; usage simulation off unless asked for."""

    def make(names: Sequence[str] = ("hp-color-laserjet-m577",), count: int = 1, *,
             simulate: bool = False, start: float = MONDAY_9AM, seed: int = 0,
             time_scale: float = 1.0, first: str = "127.30.0.1") -> tuple[PrinterFleet, ManualClock]:
        clock = ManualClock(1000.0)
        fleet = PrinterFleet([models[n] for n in names], count, first, clock, start_epoch=start,
                             seed=seed, simulate=simulate, time_scale=time_scale)
        return fleet, clock

    return make
