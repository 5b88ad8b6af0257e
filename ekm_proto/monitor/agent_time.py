"""Agent time: the epoch seconds the loops schedule by and stamp their records with, read from
the injected clock and sped up by ``--time-scale`` (1440: a working day in 10 minutes, to keep
pace with printers emulated at the same scale). SNMP timeouts stay in real seconds."""

from __future__ import annotations

from protolab.clock import Clock


class AgentTime:
    def __init__(self, clock: Clock, scale: float = 1.0) -> None:
        self.clock = clock
        self.scale = scale
        self._origin = clock.now()
        self._wall = clock.wall()

    def now(self) -> float:
        return self._wall + (self.clock.now() - self._origin) * self.scale

    def real_seconds(self, agent_seconds: float) -> float:
        return agent_seconds / self.scale

    async def sleep_until(self, epoch: float) -> None:
        delay = (epoch - self.now()) / self.scale
        if delay > 0:
            await self.clock.sleep(delay)
