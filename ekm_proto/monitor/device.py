"""A monitored device as the agent keeps it in memory: who it is (from discovery), how to reach
it, and what the loops need from one read to the next (last good counters, uptime, open alert
records, availability, per-loop backoff).

The database holds the same facts; the registry loads them at start so a restarted agent carries
on with the same previous readings, open records and backoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ekm_proto.monitor.availability import Availability
from ekm_proto.monitor.counter_catalog import KnownCounter
from ekm_proto.monitor.validation import Previous
from ekm_proto.snmp.manager.targets import Target


@dataclass(slots=True)
class LoopState:
    """One loop's view of one device: when it was last asked and answered, how many times in a
    row it failed (backoff), and a retry due before the next pass (power save)."""

    last_attempt: float | None = None
    last_ok: float | None = None
    failures: int = 0
    skip_until: float | None = None
    retry_at: float | None = None


@dataclass(slots=True, eq=False)
class Device:
    """See the module docstring. ``counters`` are the vendor counters this device answered at
    discovery (the Printer-MIB's own are always read)."""

    id: int
    address: str
    port: int
    credential: str
    serial: str
    mac: str
    manufacturer: str
    model: str
    name: str
    location: str
    discovered_at: float
    asset_number: str = ""
    zone: str = ""
    engine_cycles: int | None = None
    enterprise: int | None = None
    device_index: int = 1
    marker_index: int = 1
    if_index: int | None = None
    max_speed: int | None = None
    counters: tuple[KnownCounter, ...] = ()
    status: str = "active"
    uptime_ticks: int | None = None
    uptime_at: float | None = None
    rebooted_at: float | None = None  # when the agent last saw sysUpTime go back
    alert_events: int | None = None
    alert_rows: bool = False
    meters: dict[str, Previous] = field(default_factory=dict)
    open_alerts: dict[str, tuple[int, float]] = field(default_factory=dict)  # id, opened
    availability: Availability = field(default_factory=Availability)
    supplies_sent: tuple[object, ...] = ()
    trays_sent: tuple[object, ...] = ()
    loops: dict[str, LoopState] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows at the last read
    target: Target | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def identity_key(self) -> str:
        """What tells two devices apart: the serial, or the MAC when a device has no serial."""
        return self.serial or f"mac:{self.mac}"

    def loop(self, name: str) -> LoopState:
        state = self.loops.get(name)
        if state is None:
            state = self.loops[name] = LoopState()
        return state

    def describe(self) -> str:
        """The device as logs and errors name it."""
        return f"{self.manufacturer} {self.model} {self.serial or self.mac} at {self.address}"
