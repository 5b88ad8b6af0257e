"""The lab's monitoring chain: the lab's printers -> the monitoring agent -> a Prosody the lab
starts itself -> the portal, which triages and routes what arrives.

Everything lives in a temporary folder (Prosody's config, data, test CA and users; the agent's
and the portal's databases; the portal's file drop) and goes away with the lab. Once the agent
has found the printers, the lab raises a jam on the first one through the printers' control
API, so the log shows it travel: the agent's alert pass, the shipper, the portal's ``delivered``
line. Without Prosody installed the chain says so and the rest of the lab runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import aiohttp

from ekm_proto.monitor.agent import MonitorAgent
from ekm_proto.monitor.credentials import community
from ekm_proto.monitor.schedule import LOOPS, LoopSchedule
from ekm_proto.monitor.settings import MonitorSettings
from ekm_proto.monitor.shipped import run_shipped
from ekm_proto.monitor.store import MonitorStore
from ekm_proto.portal.rules import Destination, PortalRules, Rule
from ekm_proto.portal.service import Portal
from ekm_proto.portal.triage import CATEGORIES
from ekm_proto.shipping.agent_client import ShipperSettings
from ekm_proto.shipping.connection import ServerAddress, XmppSettings
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy
from protolab.clock import Clock
from protolab.logs import get_logger
from protolab.prosody import ProsodyError, ProsodyServer

log = get_logger("lab.monitoring")
USERS = ("agent", "portal", "admin")
#: what the lab's portal drops as files: alerts, not moves and changes
ALERT_CATEGORIES = frozenset(CATEGORIES) - {"change"}
#: seconds between passes of the other loops (the alert loop's is the lab's ``alert_every``)
LOOP_SECONDS = {"identity": 60.0, "meter": 120.0, "consumables": 120.0, "tray": 300.0}


class MonitoringSettings(Protocol):
    """The lab settings the chain reads."""

    @property
    def printers(self) -> int: ...

    @property
    def printer_first_address(self) -> str: ...

    @property
    def xmpp_port(self) -> int: ...

    @property
    def alert_every(self) -> float: ...


def prosody_missing() -> str | None:
    """Why the chain cannot run here, or None."""
    for tool in ("prosody", "prosodyctl"):
        if shutil.which(tool) is None:
            return (f"{tool} is not installed: the monitoring chain (agent -> XMPP -> portal) "
                    "does not run; `make test-debs` or `apt-get install prosody lua-unbound` "
                    "installs it")
    return None


async def run_monitoring(settings: MonitoringSettings, snmp_port: int, control_url: str,
                         stop: asyncio.Event, clock: Clock, web_port: int = 80) -> None:
    """Run the chain until ``stop``; returns at once (after a warning) without Prosody.
    ``web_port`` is where the printers serve their pages (counters some models have only
    there)."""
    missing = prosody_missing()
    if missing is not None:
        log.warning("monitoring chain not started", reason=missing)
        return
    with tempfile.TemporaryDirectory(prefix="protolab-lab-") as folder:
        await _chain(settings, Path(folder), snmp_port, control_url, stop, clock, web_port)


async def _chain(settings: MonitoringSettings, folder: Path, snmp_port: int, control_url: str,
                 stop: asyncio.Event, clock: Clock, web_port: int) -> None:
    passwords = {user: secrets.token_hex(12) for user in USERS}
    try:
        server = await asyncio.to_thread(ProsodyServer, folder / "prosody", port=settings.xmpp_port,
                                         users=passwords)
        await asyncio.to_thread(server.start)
    except ProsodyError as exc:
        log.warning("monitoring chain not started", reason=str(exc))
        return
    try:
        def xmpp(user: str) -> XmppSettings:
            return XmppSettings(server.jid(user), passwords[user],
                                (ServerAddress(*server.address),), server.ca)

        drop = folder / "drop"
        rules = PortalRules(rules=(Rule(ALERT_CATEGORIES, ("record", "drop")),),
                            destinations={"drop": Destination("drop", "file", folder=drop)})
        portal = Portal(xmpp("portal"), folder / "portal.db", rules, clock)
        log.info("monitoring chain ready", xmpp=f"{server.host}:{server.port}",
                 agent=server.jid("agent"), portal=server.jid("portal"), admin=server.jid("admin"),
                 folder=str(folder))
        portal_stop = asyncio.Event()
        portal_task = asyncio.ensure_future(portal.run(portal_stop))
        try:
            await _agent(settings, folder, snmp_port, control_url, xmpp, server, stop, clock,
                         web_port)
        finally:
            portal_stop.set()
            await portal_task
            portal.close()
    finally:
        await asyncio.to_thread(server.stop)


async def _agent(settings: MonitoringSettings, folder: Path, snmp_port: int, control_url: str,
                 xmpp: Callable[[str], XmppSettings], server: ProsodyServer,
                 stop: asyncio.Event, clock: Clock, web_port: int) -> None:
    first = ipaddress.IPv4Address(settings.printer_first_address)
    last = first + max(0, settings.printers - 1)
    intervals = {loop: (LOOP_SECONDS.get(loop, settings.alert_every),) * 2 for loop in LOOPS}
    quick = RetryPolicy(timeout=0.5, retries=1)
    monitor = MonitorSettings(
        db=folder / "monitor.db", credentials=(community("public", 1),),
        ranges=(f"{first}-{last}",), port=snmp_port,
        schedule=LoopSchedule(intervals=intervals), max_in_flight=32, retry=quick,
        discovery_retry=quick, unavailable_after=600.0, web_port=web_port)
    shipping = ShipperSettings(xmpp("agent"), server.jid("portal"), (server.jid("admin"),),
                               customer="protolab lab", poll_interval=0.5)
    store = MonitorStore(monitor.db)
    try:
        async with SnmpClient(clock, max_in_flight=monitor.max_in_flight) as client:
            agent = MonitorAgent(monitor, clock=clock, client=client, store=store)
            raising = asyncio.ensure_future(_raise_jam(agent, first, control_url, clock))
            try:
                await run_shipped(agent, shipping, clock, stop)
            finally:
                raising.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await raising
    finally:
        store.close()


async def _raise_jam(agent: MonitorAgent, first: ipaddress.IPv4Address, control_url: str,
                     clock: Clock) -> None:
    """Once the agent knows a printer: a jam on it, as a person would cause one."""
    while not agent.registry.active():
        await clock.sleep(0.2)
    device = agent.registry.active()[0]
    index = int(ipaddress.IPv4Address(device.address)) - int(first)
    try:
        async with aiohttp.ClientSession() as session, session.post(
                f"{control_url}/printers/{index}/alerts", json={"code": "jam"}) as response:
            body = await response.json()
    except (aiohttp.ClientError, ValueError) as exc:
        log.warning("lab alert not raised", control=control_url, error=str(exc))
        return
    alert = body.get("alert", {}) if isinstance(body, dict) else {}
    log.info("lab alert raised on a printer", printer=index, serial=device.serial, code="jam",
             description=alert.get("description"))
