"""The fixtures: factories that start emulated devices for one test and stop them after it.

Each factory is a coroutine function (``await kantech_fleet(kt400=2)``) so a test can start as
many as it needs, with its own options; whatever a factory started is closed when the test ends,
passed or failed, in the reverse order it was started.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from emulators.kantech_gateway.gateway import SimulatedGateway
from emulators.printers.served_fleet import PrinterFleet
from protolab.clock import ManualClock
from protolab.prosody import ProsodyServer
from protolab.pytest_plugin.kantech import KantechLab, running_fleet, running_gateway
from protolab.pytest_plugin.lab_runner import RunningLab, running_lab
from protolab.pytest_plugin.monitoring import (
    RunningMonitor,
    RunningPortal,
    running_monitor,
    running_portal,
)

GatewayFactory = Callable[..., Awaitable[SimulatedGateway]]
FleetFactory = Callable[..., Awaitable[KantechLab]]
PrinterFactory = Callable[..., Awaitable[PrinterFleet]]
ProsodyFactory = Callable[..., ProsodyServer]
MonitorFactory = Callable[..., Awaitable[RunningMonitor]]
PortalFactory = Callable[..., Awaitable[RunningPortal]]
LabFactory = Callable[..., Awaitable[RunningLab]]


@pytest.fixture
def manual_clock() -> ManualClock:
    """A clock that moves only when the test says: ``clock.advance(600)`` fires every timer due
    in those ten minutes at once; ``await clock.advance_async(600)`` also lets the event loop
    deliver what they sent. Pass it as ``clock=`` to the other fixtures' factories."""
    return ManualClock(1000.0)


@pytest_asyncio.fixture
async def kantech_gateway() -> AsyncIterator[GatewayFactory]:
    """``await kantech_gateway(key="protolab", site_id=1, clock=None, retry_interval=0.3,
    attempts=3, tcp=False)``: a SimulatedGateway on a free loopback port (and a TCP port with
    ``tcp``). Give it to ``kantech_fleet(gateway=...)`` to bind a fleet to it, or point the
    user's own devices at ``.address`` (``.tcp_address``)."""
    async with contextlib.AsyncExitStack() as stack:
        async def make(key: str = "protolab", site_id: int = 1, **options: Any
                       ) -> SimulatedGateway:
            return await stack.enter_async_context(running_gateway(key, site_id, **options))
        yield make


@pytest_asyncio.fixture
async def kantech_fleet() -> AsyncIterator[FleetFactory]:
    """``await kantech_fleet(kt400=0, kt1=0, iplink=0, loop_size=4, gateway=None, key=None,
    site_id=None, replay=None, transport="udp", checksum=None, aes_mode=None, pulse=10.0,
    clock=None)``: running controllers (one KT-400 when no count is given) on free loopback
    addresses, reporting to ``gateway`` (a SimulatedGateway or the ``(host, port)`` of the user's
    gateway). ``fleet[i]`` is a KantechDevice: ``address``, ``port``, ``mac``, ``swipe``,
    ``door``, ``input``, ``offline``, ``online``, ``reboot``, ``records``, ``events``."""
    async with contextlib.AsyncExitStack() as stack:
        async def make(**options: Any) -> KantechLab:
            return await stack.enter_async_context(running_fleet(**options))
        yield make


@pytest_asyncio.fixture
async def printer_fleet() -> AsyncIterator[PrinterFactory]:
    """``await printer_fleet(profiles=(), count=1, communities=("public",), v3_user=None,
    auth_key=None, priv_key=None, clock=None, simulate=True, ...)``: a served PrinterFleet
    (``addresses``, ``port``, ``control``, ``show``, ``print_pages``, ``offline`` ...)."""
    async with contextlib.AsyncExitStack() as stack:
        async def make(profiles: Sequence[str] = (), count: int = 1, **options: Any
                       ) -> PrinterFleet:
            return await stack.enter_async_context(PrinterFleet(profiles, count, **options))
        yield make


@pytest.fixture
def prosody(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProsodyFactory]:
    """``prosody(users={"agent": "secret"}, domain="xmpp.test")``: a real Prosody in a temporary
    folder on a free loopback port with its own test CA (``.ca``, ``.address``, ``.jid(user)``),
    stopped by the PID it was started with. Skipped when Prosody is not installed."""
    if shutil.which("prosody") is None:
        pytest.skip("Prosody is not installed (Debian: apt-get install prosody); the prosody "
                    "fixture runs the real server")
    started: list[ProsodyServer] = []

    def make(users: Mapping[str, str] | None = None, domain: str = "xmpp.test",
             **options: Any) -> ProsodyServer:
        folder = tmp_path_factory.mktemp("prosody")
        server = ProsodyServer(folder, domain, users=users, **options)
        started.append(server)
        server.start()
        return server

    try:
        yield make
    finally:
        for server in reversed(started):
            server.stop()


@pytest_asyncio.fixture
async def monitor(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[MonitorFactory]:
    """``await monitor(printers, **settings)``: the print-monitoring agent reading a served
    PrinterFleet, on the fleet's clock, its store in a temporary folder, settled after
    discovery: ``.agent``, ``.store``, ``.snapshot()``, ``await .advance(seconds)``."""
    async with contextlib.AsyncExitStack() as stack:
        async def make(printers: PrinterFleet, **settings: Any) -> RunningMonitor:
            db = tmp_path_factory.mktemp("monitor") / "monitor.db"
            return await stack.enter_async_context(running_monitor(printers, db, **settings))
        yield make


@pytest_asyncio.fixture
async def portal(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[PortalFactory]:
    """``await portal(server, user="portal", password=..., rules=None)``: the portal logged in
    to a ``prosody`` server and receiving, its store in a temporary folder: ``.jid``,
    ``.store``."""
    async with contextlib.AsyncExitStack() as stack:
        async def make(server: ProsodyServer, **options: Any) -> RunningPortal:
            db = tmp_path_factory.mktemp("portal") / "portal.db"
            return await stack.enter_async_context(running_portal(server, db, **options))
        yield make


@pytest_asyncio.fixture
async def lab() -> AsyncIterator[LabFactory]:
    """``await lab("LAB.toml", isolate=True, clock=None, **LabSettings fields)``: the lab file
    ``protolab lab --config`` runs, running in the test (on free ports and fresh loopback
    ranges unless ``isolate=False``): ``.gateway``, ``.kantech_control_url``,
    ``.kantech_addresses``, ``.printer_addresses``, ``.printer_port``, ``.printer_control_url``,
    ``.printer_web_port``, ``.settings``."""
    async with contextlib.AsyncExitStack() as stack:
        async def make(path: str | Path, **options: Any) -> RunningLab:
            return await stack.enter_async_context(running_lab(path, **options))
        yield make
