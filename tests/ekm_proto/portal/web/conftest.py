"""Fixtures of the web interface's tests: a store fed with a small known fleet, and the web
interface serving it on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ekm_proto.portal.intake import Intake
from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.store import PortalStore
from protolab.clock import ManualClock
from tests.ekm_proto.portal.intake_helpers import AGENT, batch
from tests.ekm_proto.portal.web.web_lab import WebLab, add_operators, start_web_lab
from tests.ekm_proto.xmpp_lab import DAY, JULY_13_2020, alert, asset, meters, supplies


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(100.0, wall_start=JULY_13_2020 + DAY)


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> PortalStore:
    store = PortalStore(tmp_path / "portal.db")
    readings = [(f"m{i}", meters("MXCK751Y", JULY_13_2020 - (2 - i) * 31 * DAY,
                                 {"Mono A4": 25 * (i + 1), "Colour A4": 16 * (i + 1),
                                  "Colour A3": 3 * (i + 1)})) for i in range(3)]
    Intake(store, PortalRules()).take(AGENT, "b1", batch(
        ("a1", asset("MXCK751Y")),
        ("a2", asset("LWC4706687", manufacturer="Kyocera", model="ECOSYS M6026cdn",
                     mac="00C0E3F8CDD0", address="192.0.2.88", zone="Bristol")),
        *readings,
        ("al1", alert("MXCK751Y", key="7", opened_at=JULY_13_2020 - 3600)),
        ("al2", alert("MXCK751Y", key="8", opened_at=JULY_13_2020 - 7200,
                      description="Tray 2 is empty.", code=808, group=8, severity=4)),
        ("al3", alert("MXCK751Y", key="8", event="cleared", opened_at=JULY_13_2020 - 7200,
                      cleared_at=JULY_13_2020 - 7200 + 553, code=808, group=8, severity=4,
                      description="Tray 2 is empty.")),
        ("s1", supplies("MXCK751Y", JULY_13_2020 - 10 * DAY, {"Black Cartridge": 60})),
        ("s2", supplies("MXCK751Y", JULY_13_2020, {"Black Cartridge": 33}))), JULY_13_2020)
    add_operators(store, clock.wall())
    return store


@pytest.fixture
async def lab(store: PortalStore, clock: ManualClock, tmp_path: Path) -> AsyncIterator[WebLab]:
    lab = await start_web_lab(store, clock, tmp_path)
    yield lab
    await lab.close()
    store.close()
