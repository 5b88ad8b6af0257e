"""Helpers for tests that ship through a real Prosody: settings, running things until the end of
a block, a chat client, sample payloads, and a minimal in-memory monitor for remote commands.

``MemoryMonitor`` is a real (if tiny) implementation of ``MonitorCommands`` over a dict of
devices, not a mock, for the shipping tests; the monitor's own (``ekm_proto.monitor.
remote_commands``) is tested end to end in tests/ekm_proto/monitor/test_monitor_shipping.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import slixmpp

from ekm_proto.portal.rules import PortalRules
from ekm_proto.portal.service import Portal
from ekm_proto.shipping.agent_client import Shipper, ShipperSettings
from ekm_proto.shipping.connection import ServerAddress, XmppSettings
from ekm_proto.shipping.errors import CommandError
from ekm_proto.shipping.outbox import SqliteOutbox
from protolab.clock import SystemClock
from protolab.prosody import ProsodyServer

USERS = {"agent": "agent-secret", "portal": "portal-secret", "admin": "admin-secret",
         "stranger": "stranger-secret"}
DAY = 86400.0
JULY_13_2020 = 1594598400.0  # 2020-07-13T00:00:00Z, the overview's screenshots' day


def xmpp(server: ProsodyServer, user: str, *servers: ServerAddress) -> XmppSettings:
    return XmppSettings(server.jid(user), USERS[user], servers or (ServerAddress(*server.address),),
                        server.ca)


def shipper_settings(server: ProsodyServer, **overrides: Any) -> ShipperSettings:
    values: dict[str, Any] = {"xmpp": xmpp(server, "agent"), "portal_jid": server.jid("portal"),
                              "admins": (server.jid("admin"),), "customer": "Local Test2",
                              "receipt_timeout": 10.0, "retry_delay": 0.5, "poll_interval": 0.2}
    values.update(overrides)
    return ShipperSettings(**values)


@contextlib.asynccontextmanager
async def running(run: Callable[[asyncio.Event], Awaitable[Any]]) -> AsyncIterator[asyncio.Event]:
    """Run ``run(stop)`` for the block; set stop and wait for it at the end."""
    stop = asyncio.Event()
    task = asyncio.ensure_future(run(stop))
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


def make_portal(server: ProsodyServer, db: Path, rules: PortalRules | None = None) -> Portal:
    return Portal(xmpp(server, "portal"), db, rules or PortalRules(), SystemClock())


def make_shipper(server: ProsodyServer, outbox: SqliteOutbox, **overrides: Any) -> Shipper:
    commands = overrides.pop("commands", None)
    return Shipper(shipper_settings(server, **overrides), outbox, SystemClock(), commands)


async def eventually(check: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Wait until ``check()`` is true (polling), or fail naming ``what``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.05)


class ChatClient:
    """A person at an XMPP client: sends chat lines, collects the answers."""

    def __init__(self, server: ProsodyServer, user: str) -> None:
        self.client = slixmpp.ClientXMPP(server.jid(user), USERS[user])
        self.client.ca_certs = server.ca
        self.client.enable_direct_tls = False
        self.address = server.address
        self.answers: asyncio.Queue[str] = asyncio.Queue()
        self.client.add_event_handler("message", self._on_message)
        self.ready = asyncio.Event()
        self.client.add_event_handler("session_start", self._on_start)

    def _on_start(self, _event: Any) -> None:
        self.client.send_presence()
        self.ready.set()

    def _on_message(self, message: Any) -> None:
        if message["type"] in ("chat", "normal") and message["body"]:
            self.answers.put_nowait(str(message["body"]))

    async def __aenter__(self) -> ChatClient:
        self.client.connect(*self.address)
        await asyncio.wait_for(self.ready.wait(), 15)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.client.disconnect()

    async def ask(self, to: str, text: str, timeout: float = 10.0) -> str:
        self.client.send_message(mto=to, mbody=text, mtype="chat")
        return await asyncio.wait_for(self.answers.get(), timeout)


class MemoryMonitor:
    """MonitorCommands over a dict of devices (serial -> fields), recording what it was asked."""

    def __init__(self, devices: dict[str, dict[str, Any]]) -> None:
        self.devices = devices
        self.intervals: dict[tuple[str, str], float] = {}
        self.discovered: list[str] = []
        self.latest_requested: list[str] = []

    def _find(self, device: str) -> tuple[str, dict[str, Any]]:
        for serial, fields in self.devices.items():
            if device in (serial, fields.get("address")):
                return serial, fields
        raise CommandError(f"no device {device!r}; expected a serial or an address from devices")

    async def status(self) -> str:
        return f"monitoring {len(self.devices)} devices"

    async def devices(self) -> str:
        return "\n".join(f"{s} {f['model']} {f['address']}" for s, f in sorted(self.devices.items()))

    async def discover(self, targets: str) -> str:
        self.discovered.append(targets)
        return f"discovery of {targets} started"

    async def rediscover(self) -> str:
        self.discovered.append("*")
        return "rediscovery started"

    async def set_interval(self, loop: str, minutes: float, hours: str | None) -> str:
        for period in ((hours,) if hours else ("in", "out")):
            self.intervals[(loop, period)] = minutes
        return f"{loop} loop every {minutes:g} minutes ({hours or 'in and out'} of working hours)"

    async def latest_counts(self, device: str) -> str:
        serial, _ = self._find(device)
        self.latest_requested.append(serial)
        return f"latest counts of {serial} queued for the portal"

    async def show(self, device: str) -> str:
        serial, fields = self._find(device)
        return "\n".join([serial, *(f"{k}: {v}" for k, v in sorted(fields.items()))])


def asset(serial: str, *, manufacturer: str = "HP", model: str = "PageWide 785f",
          address: str = "192.0.2.10", mac: str = "F4:30:B9:6F:92:13", zone: str = "London",
          at: float = JULY_13_2020) -> tuple[str, dict[str, Any]]:
    return "asset", {"serial": serial, "manufacturer": manufacturer, "model": model,
                     "address": address, "mac": mac, "zone": zone, "asset_number": "A-" + serial,
                     "location": "Floor 1", "engine_cycles": 132, "at": at, "discovered_at": at}


def meters(serial: str, read_at: float, counters: dict[str, int]) -> tuple[str, dict[str, Any]]:
    return "meters", {"serial": serial, "read_at": read_at,
                      "counters": [{"name": n, "value": v} for n, v in counters.items()]}


def alert(serial: str, *, key: str, event: str = "opened", code: int = 8, group: int = 13,
          severity: int = 3, training: int = 3, description: str = "Paper jam near the fuser.",
          opened_at: float = JULY_13_2020, cleared_at: float | None = None,
          vendor_code: str | None = None) -> tuple[str, dict[str, Any]]:
    return "alert", {"serial": serial, "event": event, "key": key, "code": code, "group": group,
                     "severity": severity, "training": training, "description": description,
                     "opened_at": opened_at, "cleared_at": cleared_at,
                     "vendor_code": vendor_code, "engine_cycles": 69066}


def supplies(serial: str, read_at: float, levels: dict[str, int]) -> tuple[str, dict[str, Any]]:
    return "supplies", {"serial": serial, "read_at": read_at, "supplies": [
        {"index": i + 1, "description": name, "type": "inkCartridge",
         "colour": name.split()[0].lower(), "sku": f"SKU{i + 1}", "level": level,
         "max_capacity": 100} for i, (name, level) in enumerate(levels.items())]}
