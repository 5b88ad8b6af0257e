"""What a manager knows of each SNMPv3 agent: its engine ID and its clock (RFC 3414 sections 2.3
and 4), learnt once per target and kept.

Discovery gives the engine ID, boots and time from an unauthenticated Report; later authenticated
messages move the clock forward (RFC 3414 3.2 step 7b); an authenticated notInTimeWindows Report
resynchronises it. The agent's time is estimated as the time last heard plus the local seconds
since, so requests stay inside the agent's 150-second window without asking again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.snmp.usm import MAX_BOOTS

Address = tuple[str, int]
MAX_TIME = (1 << 31) - 1


@dataclass(slots=True)
class EngineTimes:
    """One agent's engine ID and clock, as of local time ``heard_at``."""

    engine_id: bytes
    boots: int
    time: int
    heard_at: float
    latest_received: int  # msgAuthoritativeEngineTime of the last accepted message

    def time_at(self, now: float) -> int:
        """The agent's snmpEngineTime now, by the estimate."""
        return min(MAX_TIME, self.time + max(0, int(now - self.heard_at)))


class EngineCache:
    """Engine ID and clock per target address; bounded (oldest target out) so a monitor that
    polls a changing population of printers cannot grow it without end."""

    def __init__(self, limit: int = 1 << 20) -> None:
        self._engines: dict[Address, EngineTimes] = {}
        self._limit = limit

    def __len__(self) -> int:
        return len(self._engines)

    def get(self, address: Address) -> EngineTimes | None:
        return self._engines.get(address)

    def learn(self, address: Address, engine_id: bytes, boots: int, time: int,
              now: float) -> EngineTimes:
        """Take what a Report said (discovery, a resync): replaces anything known."""
        if address not in self._engines and len(self._engines) >= self._limit:
            self._engines.pop(next(iter(self._engines)))
        known = EngineTimes(engine_id, boots, time, now, time)
        self._engines[address] = known
        return known

    def heard(self, address: Address, engine_id: bytes, boots: int, time: int,
              now: float) -> None:
        """An authenticated message arrived: RFC 3414 3.2 step 7b, the clock only moves on."""
        known = self._engines.get(address)
        if known is None or known.engine_id != engine_id:
            return
        if boots > known.boots or (boots == known.boots and time > known.latest_received):
            known.boots, known.time, known.heard_at, known.latest_received = boots, time, now, time

    def forget(self, address: Address) -> None:
        self._engines.pop(address, None)

    @staticmethod
    def usable(known: EngineTimes) -> bool:
        """An agent whose boots reached the maximum can no longer be talked to with
        authentication (RFC 3414 2.2.3): treat it as unknown."""
        return known.boots < MAX_BOOTS
