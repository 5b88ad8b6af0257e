"""The agent's progress for people: on a terminal a few lines redrawn in place (devices, each
loop's passes and current pass, requests per second, rejections); elsewhere a structlog line
every ``log_every`` seconds. The lines are a pure function of two snapshots (agent.snapshot)."""

from __future__ import annotations

from typing import Any, TextIO

from ekm_proto.monitor.schedule import LOOPS
from protolab.clock import Clock
from protolab.logs import get_logger

_log = get_logger("monitor.progress")


def render(now: dict[str, Any], before: dict[str, Any] | None, seconds: float) -> list[str]:
    """Lines describing ``now``; rates from ``before``, taken ``seconds`` earlier."""
    rate = 0.0
    if before is not None and seconds > 0:
        rate = (now["requests"] - before["requests"]) / seconds
    asked, total = now["discovering"]
    lines = [f"devices {now['devices']:,} ({now['unavailable']:,} unavailable)  "
             f"requests {rate:,.0f}/s ({now['in_flight']} in flight, "
             f"{now['retransmitted']:,} retries, {now['timeouts']:,} timeouts)  "
             f"rejections {now['rejections']:,}  outbox +{now['outbox']:,}"]
    if total and asked < total:
        lines.append(f"discovery {asked:,}/{total:,} addresses")
    traps = now.get("traps")
    if traps is not None:
        lines.append(f"traps {traps['received']:,} received, {traps['accepted']:,} read at once"
                     f"  ignored: {traps['unknown_source']:,} unknown source, "
                     f"{traps['bad_credentials']:,} bad credentials, "
                     f"{traps['malformed']:,} malformed")
    for name in LOOPS:
        loop = now["loops"][name]
        last = loop["last_seconds"]
        current = f"{loop['done']:,}/{loop['total']:,}" if loop["done"] < loop["total"] else "idle"
        lines.append(f"  {name:<12} passes {loop['passes']:>4}  now {current:<16} last pass "
                     f"{'-' if last is None else f'{last:.1f} s':>9}  answered "
                     f"{loop['answered']:,}  failed {loop['failed']:,}")
    return lines


class ProgressDisplay:
    """Shows ``source()`` (a snapshot) every ``interval`` seconds of ``clock``."""

    def __init__(self, source: Any, clock: Clock, stream: TextIO | None, *,
                 interval: float = 1.0, log_every: float = 30.0) -> None:
        self.source = source
        self.clock = clock
        self.stream = stream
        self.interval = interval if stream is not None else log_every
        self._drawn = 0

    async def run(self) -> None:
        before, at = None, self.clock.now()
        while True:
            await self.clock.sleep(self.interval)
            now, taken = self.source(), self.clock.now()
            lines = render(now, before, taken - at)
            if self.stream is not None:
                self._draw(lines)
            else:
                _log.info("monitor.progress", status=lines[0],
                          passes={n: now["loops"][n]["passes"] for n in LOOPS},
                          traps=now.get("traps"))
            before, at = now, taken

    def _draw(self, lines: list[str]) -> None:
        assert self.stream is not None
        up = f"\x1b[{self._drawn}F" if self._drawn else ""
        self.stream.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self.stream.flush()
        self._drawn = len(lines)
