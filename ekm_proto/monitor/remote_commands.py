"""The monitor's answers to remote commands (``ekm_proto.shipping.commands.MonitorCommands``):
plain text from the agent's own data, for a person reading an XMPP chat.

Work a command asks for (discovery, the latest counts) goes through the agent as its own loops
would, so what it finds is stored and, where it is news for the portal, written to the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ekm_proto.durations import iso
from ekm_proto.monitor import queries
from ekm_proto.monitor.agent import MonitorAgent
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.interval_overrides import set_interval
from ekm_proto.shipping.errors import CommandError

MINUTE = 60.0


class AgentCommands:
    """``MonitorCommands`` over a running ``MonitorAgent``; ``queued`` is called when a command
    wrote to the outbox (the shipper looks at once)."""

    def __init__(self, agent: MonitorAgent, queued: Callable[[], None] = lambda: None) -> None:
        self.agent = agent
        self.queued = queued

    def _device(self, name: str) -> Device:
        registry = self.agent.registry
        found = registry.by_address.get(name)
        if found is None:
            matches = [d for d in registry.active() if d.serial.lower() == name.lower()]
            found = matches[0] if matches else None
        if found is None:
            raise CommandError(f"no device {name!r}; expected a serial or an address the "
                               "agent monitors (send devices for the list)")
        return found

    async def status(self) -> str:
        snap = self.agent.snapshot()
        asked, total = snap["discovering"]
        lines = [f"monitoring {snap['devices']} devices ({snap['unavailable']} unavailable); "
                 f"{snap['requests']} SNMP requests, {snap['timeouts']} timeouts; "
                 f"{snap['rejections']} readings rejected"]
        if total and asked < total:
            lines.append(f"discovery: {asked} of {total} addresses asked")
        schedule = self.agent.settings.schedule
        now = self.agent.time.now()
        hours = "in" if schedule.hours.is_working(now) else "out of"
        lines.append(f"loops ({hours} working hours):")
        for name, loop in snap["loops"].items():
            working, off = schedule.intervals[name]
            lines.append(f"  {name}: {loop['passes']} passes, every {working / MINUTE:g} / "
                         f"{off / MINUTE:g} min, last pass {loop['answered']} answered "
                         f"{loop['failed']} failed")
        return "\n".join(lines)

    async def devices(self) -> str:
        rows = queries.devices(self.agent.store.connection)
        if not rows:
            return "no devices yet"
        lines = [f"{len(rows)} devices:"]
        lines += [f"  {r['serial']}  {r['address']}  {r['manufacturer']} {r['model']}  "
                  f"{_state(r)}" for r in rows]
        return "\n".join(lines)

    async def discover(self, targets: str) -> str:
        ranges = [targets if "-" in targets or "/" in targets else f"{targets}-{targets}"]
        before = self.agent.recorder.messages
        found = await self.agent.discover(ranges)
        if self.agent.recorder.messages != before:
            self.queued()
        return f"discover {targets}: {found} printer{'s' if found != 1 else ''} answered; " \
               f"{len(self.agent.registry.active())} devices monitored"

    async def rediscover(self) -> str:
        before = self.agent.recorder.messages
        found = await self.agent.discover()
        if self.agent.recorder.messages != before:
            self.queued()
        return f"rediscovery: {found} printers answered; " \
               f"{len(self.agent.registry.active())} devices monitored"

    async def set_interval(self, loop: str, minutes: float, hours: str | None) -> str:
        agent = self.agent
        schedule = agent.settings.schedule
        working, off = schedule.intervals[loop]
        seconds = minutes * MINUTE
        working, off = (seconds if hours in (None, "in") else working,
                        seconds if hours in (None, "out") else off)
        set_interval(agent.store, schedule, agent.configured_intervals[loop], loop,
                     (working, off), agent.time.now())
        return (f"{loop} loop: every {working / MINUTE:g} min in working hours, "
                f"{off / MINUTE:g} min out of them (after the pass already scheduled; kept "
                "across restarts until the configured interval changes)")

    async def latest_counts(self, device: str) -> str:
        found = self._device(device)
        readings = self.agent.latest_counts(found.serial)
        if readings is None:
            raise CommandError(f"no device with serial {found.serial!r}")
        self.queued()
        if not readings:
            return f"{found.serial}: no good reading yet (queued an empty report for the portal)"
        lines = [f"{found.serial} latest counts (queued for the portal):"]
        lines += [f"  {r['name']}: {r['value']} (read {r['read_at']})" for r in readings]
        return "\n".join(lines)

    async def show(self, device: str) -> str:
        found = self._device(device)
        connection = self.agent.store.connection
        availability = found.availability
        lines = [f"{found.serial}: {found.manufacturer} {found.model} at {found.address}",
                 f"  mac {found.mac or '-'}, name {found.name or '-'}, location "
                 f"{found.location or '-'}, asset number {found.asset_number or '-'}",
                 f"  engine cycles {found.engine_cycles}, discovered "
                 f"{iso(found.discovered_at)}, status {found.status}, "
                 f"{'available' if availability.available else 'UNAVAILABLE'}, last answer "
                 f"{iso(availability.last_answer) or 'never'}"]
        alerts = [a for a in queries.alerts(connection)
                  if a["serial"] == found.serial and a["cleared_at"] is None]
        lines.append(f"  open alerts: {len(alerts)}")
        lines += [f"    {a['severity']}, {a['training']}: {a['description']} (since "
                  f"{a['opened_at']})" for a in alerts]
        lines += _section("supplies", [
            f"{s['description']}: {_percent(s)}" for s in queries.supplies(connection)
            if s["serial"] == found.serial])
        lines += _section("meters", [
            f"{m['name']}: {m['value']}" for m in queries.meters(connection)
            if m["serial"] == found.serial])
        return "\n".join(lines)


def _state(device: dict[str, Any]) -> str:
    if device["available"]:
        return "available"
    return "UNAVAILABLE" if device["status"] == "active" else str(device["status"])


def _percent(supply: dict[str, Any]) -> str:
    percent = supply["percent"]
    return f"{percent:.0f}%" if percent is not None else f"level {supply['level']}"


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"  {title}: {'none' if not lines else ''}".rstrip(), *(f"    {x}" for x in lines)]
