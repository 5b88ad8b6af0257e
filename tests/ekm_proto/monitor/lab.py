"""The monitor's test bench: emulated printers served over loopback with their control API, and
an agent pointed at them, on one hand-driven clock (printers' simulated time and the agent's
schedule move together; SNMP timeouts stay on the real clock)."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp

from ekm_proto.monitor.agent import MonitorAgent
from ekm_proto.monitor.credentials import Credential, community
from ekm_proto.monitor.settings import MonitorSettings
from ekm_proto.monitor.store import MonitorStore
from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy
from emulators.printers.catalog import compile_profile
from emulators.printers.control_api import start_control
from emulators.printers.fleet import PrinterFleet
from emulators.printers.profiles import Profile
from emulators.printers.web_server import WebServer
from protolab.clock import ManualClock, SystemClock
from protolab.http_api import ApiServer

MONDAY_9AM = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC).timestamp()
FAST = RetryPolicy(timeout=0.3, retries=1)
SETTLE_TIMEOUT = 60.0


@dataclass
class Printers:
    """A fleet served on a free port, and its control API."""

    fleet: PrinterFleet
    server: SnmpServer
    api: ApiServer
    clock: ManualClock
    session: aiohttp.ClientSession
    web: WebServer | None = None  # every printer's embedded web server, when asked for

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def addresses(self) -> list[str]:
        return [s.address for s in self.fleet.printers]

    async def control(self, method: str, path: str, body: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        """A control-API call; the printer's JSON (the truth the agent is checked against)."""
        async with self.session.request(method, self.api.url + path, json=body) as response:
            data = await response.json()
            assert response.status < 300, data
            return data

    async def close(self) -> None:
        await self.session.close()
        if self.web is not None:
            await self.web.close()
        await self.api.close()
        await self.server.close()


async def serve_printers(profiles: Sequence[Profile], count: int, first: str, *,
                         security: SecurityConfig | None = None, awake: bool = True,
                         simulate: bool = False, clock: ManualClock | None = None,
                         real_time_answers: bool = False, web: bool = False) -> Printers:
    """``real_time_answers``: the SNMP server holds delayed answers (the response_delay quirk)
    on the real clock instead of the hand-driven one; ``web``: serve the printers' web pages
    on a free port (``printers.web.port``)."""
    clock = clock or ManualClock(1000.0, wall_start=MONDAY_9AM)
    fleet = PrinterFleet([compile_profile(p) for p in profiles], count, first, clock,
                         start_epoch=clock.wall(), simulate=simulate)
    for state in fleet.printers:
        fleet.set_quirks(state, drop_rate=0.0, response_delay=0.0)
        if awake:
            state.last_activity = fleet.sim.now() + 10 * 86400  # no power save in the test
    server = SnmpServer(fleet, security or SecurityConfig(communities=["public"]), port=0,
                        bind_address="0.0.0.0",
                        clock=SystemClock() if real_time_answers else clock)
    await server.start()
    api = await start_control(fleet, "127.0.0.1", 0)
    pages = None
    if web:
        pages = WebServer(fleet, "0.0.0.0", 0)
        await pages.start()
    return Printers(fleet, server, api, clock, aiohttp.ClientSession(), pages)


@dataclass
class Agent:
    """An agent with its store and client; ``run`` in the background, ``settle`` after moving
    the clock."""

    agent: MonitorAgent
    store: MonitorStore
    client: SnmpClient
    clock: ManualClock
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self) -> None:
        self.tasks.append(asyncio.ensure_future(self.agent.run(self.stop)))

    async def settle(self) -> None:
        """Until every loop rests between passes (real time, bounded)."""
        async def idle() -> None:
            while True:
                for task in self.tasks:
                    if task.done():
                        task.result()
                if all(r.idle.is_set() for r in self.agent.loops.values()):
                    return
                await asyncio.sleep(0.01)
        await asyncio.wait_for(idle(), SETTLE_TIMEOUT)

    async def advance(self, seconds: float, step: float = 60.0) -> None:
        """Move time by ``seconds`` in steps, letting every pass due on the way finish."""
        while seconds > 0:
            moved = min(step, seconds)
            await self.clock.advance_async(moved)
            seconds -= moved
            await self.settle()

    async def close(self) -> None:
        self.stop.set()
        for task in self.tasks:
            await task
        self.agent.recorder.flush()
        await self.client.close()
        self.store.close()


def settings_for(db: Path, printers: Printers, *, credentials: Sequence[Credential] = (),
                 **changes: Any) -> MonitorSettings:
    base = MonitorSettings(db=db, credentials=tuple(credentials) or (community("public", 1),),
                           points=tuple(printers.addresses), port=printers.port, retry=FAST,
                           discovery_retry=FAST, slow_retry=FAST, max_in_flight=64,
                           web_port=printers.web.port if printers.web is not None else 80)
    return replace(base, **changes)


async def make_agent(settings: MonitorSettings, clock: ManualClock) -> Agent:
    client = SnmpClient(SystemClock(), max_in_flight=settings.max_in_flight,
                        local_address=("127.0.0.1", 0))
    await client.start()
    store = MonitorStore(settings.db)
    return Agent(MonitorAgent(settings, clock=clock, client=client, store=store), store, client,
                 clock)
