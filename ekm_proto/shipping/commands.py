"""Remote commands in XMPP chat, in the spirit of the overview's IMIL: text in, text out.

Only the portal and configured administrators may command an agent; anyone else gets a refusal
and a log line. Parsing and checking are here (sans-IO); the work is the monitor's, behind the
``MonitorCommands`` protocol, so this module knows nothing of SNMP or the monitor's store.
"""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Protocol

from ekm_proto.shipping.errors import CommandError
from protolab.errors import ProtolabError
from protolab.logs import get_logger

_log = get_logger("ekm_proto.shipping.commands")

LOOPS = ("alert", "identity", "meter", "consumables", "tray")
MAX_MINUTES = 7 * 24 * 60

HELP = """commands:
  help                                   this list
  status                                 the agent, its loops and what waits to be shipped
  devices                                the devices monitored
  discover RANGE                         discover A-B, a CIDR or one address now
  rediscover                             run the periodic rediscovery now
  set interval LOOP MINUTES [in|out]     loop: alert, identity, meter, consumables, tray;
                                         in / out of working hours (both when not given)
  latest counts DEVICE                   ship the latest meter reading of DEVICE now
  show DEVICE                            one device (serial or address) in detail"""


class MonitorCommands(Protocol):
    """What the monitoring agent does for a command; each answer is plain text. Errors a
    person can fix (an unknown device, a bad range) are ProtolabErrors: their text is sent
    back as ``error: ...``."""

    async def status(self) -> str: ...

    async def devices(self) -> str: ...

    async def discover(self, targets: str) -> str: ...

    async def rediscover(self) -> str: ...

    async def set_interval(self, loop: str, minutes: float, hours: str | None) -> str:
        """``hours`` is "in" (working hours), "out", or None for both."""
        ...

    async def latest_counts(self, device: str) -> str: ...

    async def show(self, device: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    arguments: tuple[str, ...] = ()


def parse_command(text: str) -> Command:
    """The command a chat line asks for; CommandError (its text is the answer) when none."""
    try:
        words = shlex.split(text.strip())
    except ValueError as exc:
        raise CommandError(f"cannot read {text!r}: {exc}; send help for the commands") from None
    if not words:
        raise CommandError("empty command; send help for the commands")
    lowered = [w.lower() for w in words]
    first = lowered[0]
    if first in ("help", "status", "devices", "rediscover") and len(words) == 1:
        return Command(first)
    if first == "discover" and len(words) == 2:
        return Command("discover", (words[1],))
    if first == "show" and len(words) == 2:
        return Command("show", (words[1],))
    if lowered[:2] == ["latest", "counts"] and len(words) == 3:
        return Command("latest counts", (words[2],))
    if lowered[:2] == ["set", "interval"] and len(words) in (4, 5):
        loop = lowered[2]
        if loop not in LOOPS:
            raise CommandError(f"unknown loop {words[2]!r}; expected one of " + ", ".join(LOOPS))
        try:
            minutes = float(words[3])
        except ValueError:
            minutes = -1.0
        if not 0 < minutes <= MAX_MINUTES:
            raise CommandError(f"minutes {words[3]!r}: expected a number above 0 and at most "
                               f"{MAX_MINUTES}")
        hours = lowered[4] if len(words) == 5 else None
        if hours not in (None, "in", "out"):
            raise CommandError(f"{words[4]!r}: expected in (working hours) or out")
        return Command("set interval", (loop, words[3], *(() if hours is None else (hours,))))
    raise CommandError(f"unknown command {text.strip()[:80]!r}; send help for the commands")


class CommandDesk:
    """Answers chat lines: checks who asks, parses, runs, and turns errors into text."""

    def __init__(self, monitor: MonitorCommands | None, authorised: Collection[str],
                 shipping_status: Callable[[], str] | None = None) -> None:
        self.monitor = monitor
        self.authorised = frozenset(j.lower() for j in authorised)
        self.shipping_status = shipping_status

    def allowed(self, sender_bare: str) -> bool:
        return sender_bare.lower() in self.authorised

    async def answer(self, sender_bare: str, text: str) -> str:
        """The reply to ``text`` from ``sender_bare`` (never raises)."""
        if not self.allowed(sender_bare):
            _log.warning("command refused: sender not authorised", sender=sender_bare,
                         command=text[:80])
            return "refused: you are not authorised to command this agent"
        try:
            command = parse_command(text)
            _log.info("remote command", sender=sender_bare, command=command.name,
                      arguments=list(command.arguments))
            return await self._run(command)
        except ProtolabError as exc:
            return f"error: {exc}"
        except Exception:  # a bug in a handler must not take the agent down
            _log.exception("remote command failed", sender=sender_bare, command=text[:80])
            return "error: the command failed inside the agent (see its log)"

    async def _run(self, command: Command) -> str:
        if command.name == "help":
            return HELP
        shipping = self.shipping_status() if self.shipping_status else ""
        monitor = self.monitor
        if monitor is None:
            if command.name == "status":
                return shipping or "no monitor attached"
            raise CommandError(f"{command.name}: no monitor is attached to this agent")
        args = command.arguments
        runners: dict[str, Callable[[], Awaitable[str]]] = {
            "status": monitor.status,
            "devices": monitor.devices,
            "rediscover": monitor.rediscover,
            "discover": lambda: monitor.discover(args[0]),
            "show": lambda: monitor.show(args[0]),
            "latest counts": lambda: monitor.latest_counts(args[0]),
            "set interval": lambda: monitor.set_interval(
                args[0], float(args[1]), args[2] if len(args) > 2 else None),
        }
        answer = await runners[command.name]()
        if command.name == "status" and shipping:
            return f"{answer}\n{shipping}"
        return answer
