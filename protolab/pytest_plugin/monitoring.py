"""The print-monitoring agent and the portal for a user's test.

The agent reads a served ``PrinterFleet`` on the fleet's clock: with a ``ManualClock`` the
agent's schedule and the printers' simulated office life move together when the test calls
``await monitor.advance(seconds)``, while SNMP timeouts stay on the real clock (an answer either
arrives within a fraction of a second on loopback or the printer is really silent).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from ekm_proto.monitor.agent import MonitorAgent
from ekm_proto.monitor.credentials import community
from ekm_proto.monitor.settings import MonitorSettings
from ekm_proto.monitor.store import MonitorStore
from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.service import Portal
from ekm_proto.shipping.connection import ServerAddress, XmppSettings
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy
from emulators.printers.served_fleet import PrinterFleet
from protolab.clock import Clock, ManualClock, SystemClock
from protolab.errors import ProtolabError
from protolab.prosody import ProsodyServer

#: loopback answers come at once: a short wait and one retry keep a silent printer cheap
LOOPBACK_RETRY = RetryPolicy(timeout=0.3, retries=1)
SETTLE_TIMEOUT = 60.0


@dataclasses.dataclass
class RunningMonitor:
    """A monitoring agent running in the background, with its store."""

    agent: MonitorAgent
    store: MonitorStore
    clock: Clock
    task: asyncio.Task[None]

    async def settle(self) -> None:
        """Wait (real time, bounded) until every loop rests between passes."""
        async def idle() -> None:
            while not all(r.idle.is_set() for r in self.agent.loops.values()):
                if self.task.done():
                    self.task.result()
                    raise ProtolabError("the monitoring agent stopped by itself")
                await asyncio.sleep(0.01)
        await asyncio.wait_for(idle(), SETTLE_TIMEOUT)

    async def advance(self, seconds: float, step: float = 60.0) -> None:
        """Move the manual clock ``seconds`` forward in steps, letting every pass due on the way
        finish: a day of monitoring in a moment."""
        if not isinstance(self.clock, ManualClock):
            raise ProtolabError("advance needs the monitor started with clock=ManualClock(...)")
        while seconds > 0:
            moved = min(step, seconds)
            await self.clock.advance_async(moved)
            seconds -= moved
            await self.settle()

    def snapshot(self) -> dict[str, Any]:
        """Devices found, requests, timeouts and each loop's passes."""
        return self.agent.snapshot()


@contextlib.asynccontextmanager
async def running_monitor(printers: PrinterFleet, db: Path, **settings: Any
                          ) -> AsyncIterator[RunningMonitor]:
    """An agent reading ``printers`` (its addresses, port and first community), started and
    settled after discovery; ``settings`` override MonitorSettings fields."""
    values: dict[str, Any] = {
        "db": db, "credentials": (community(printers.communities[0], 1),),
        "points": tuple(printers.addresses), "port": printers.port, "retry": LOOPBACK_RETRY,
        "discovery_retry": LOOPBACK_RETRY, "slow_retry": LOOPBACK_RETRY, "max_in_flight": 64}
    values.update(settings)
    monitor_settings = MonitorSettings(**values)
    stop = asyncio.Event()
    async with SnmpClient(SystemClock(), max_in_flight=monitor_settings.max_in_flight,
                          local_address=("127.0.0.1", 0)) as client:
        store = MonitorStore(monitor_settings.db)
        try:
            agent = MonitorAgent(monitor_settings, clock=printers.clock, client=client,
                                 store=store)
            task = asyncio.ensure_future(agent.run(stop))
            running = RunningMonitor(agent, store, printers.clock, task)
            try:
                await running.settle()
                yield running
            finally:
                stop.set()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                agent.recorder.flush()
        finally:
            store.close()


@dataclasses.dataclass
class RunningPortal:
    """The portal receiving over XMPP as ``jid``, with its store."""

    portal: Portal
    jid: str
    task: asyncio.Task[None]

    @property
    def store(self) -> Any:
        return self.portal.store


@contextlib.asynccontextmanager
async def running_portal(server: ProsodyServer, db: Path, *, user: str = "portal",
                         password: str = "portal-secret", rules: PortalRules | None = None,
                         clock: Clock | None = None) -> AsyncIterator[RunningPortal]:
    """The portal logged in to ``server`` as ``user`` (registered here if needed), trusting
    the server's test CA."""
    server.register(user, password)
    xmpp = XmppSettings(server.jid(user), password, (ServerAddress(*server.address),), server.ca)
    portal = Portal(xmpp, db, rules or PortalRules(), clock or SystemClock())
    stop = asyncio.Event()
    task = asyncio.ensure_future(portal.run(stop))
    try:
        await asyncio.wait_for(portal.receiver.online.wait(), 20)
        yield RunningPortal(portal, xmpp.jid, task)
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, 15)
        finally:
            portal.close()
