"""Is a reading consistent with the ones before it? Pure functions: readings, the previous good
values and the time between them in; accepted values and rejections (with their reasons) out.

The overview's rule: "Data that is inconsistent with previous readings and usage trends is
rejected then collected during the next monitoring cycle". Inconsistent here means a counter going
backwards without a wrap or a reboot, more pages than the engine could print in the time elapsed,
zeros or missing counters from a sleeping device, a supply or tray level outside its capacity.
A wrap (a Counter32 past 2^32 - 1, HP's impression registers past 2^24 - 1) and a reboot
(sysUpTime going back, when power-on counters restart) are recognised, not rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.printer_mib.vendors import pages_between

TICKS_WRAP = 1 << 32
DEFAULT_PAGES_PER_HOUR = 150 * 60  # an engine speed no office device exceeds (no prtMediaPath)
JUMP_SLACK = 2.0  # A3 counts twice in A4-equivalent counters; duplex and bursts
JUMP_ALLOWANCE = 50  # pages always allowed (clock granularity, a job in flight)


@dataclass(frozen=True, slots=True)
class CounterReading:
    """One counter as read: its name, raw value (None: missing) and the value after which it
    wraps to zero (its vendor register's or its type's)."""

    name: str
    raw: int | None
    maximum: int


@dataclass(frozen=True, slots=True)
class Previous:
    """The last good reading of a counter: raw and extended value (wraps added back), and when
    it was read (agent epoch seconds)."""

    raw: int
    value: int
    read_at: float


@dataclass(frozen=True, slots=True)
class Accepted:
    name: str
    raw: int
    value: int
    note: str = ""  # "wrap", "reset after reboot", "" for an ordinary reading


@dataclass(frozen=True, slots=True)
class Rejected:
    name: str
    value: str
    reason: str


def rebooted(previous_ticks: int | None, ticks: int | None, elapsed: float) -> bool:
    """Whether sysUpTime went back: fewer ticks than before, unless the 32-bit TimeTicks wrapped
    (after 497 days) in the time elapsed."""
    if previous_ticks is None or ticks is None or ticks >= previous_ticks:
        return False
    expected = previous_ticks + int(elapsed * 100)
    return not (expected >= TICKS_WRAP and abs((expected - TICKS_WRAP) - ticks) < 360_000)


def allowed_pages(elapsed: float, pages_per_hour: int | None) -> int:
    """The most pages an engine of this speed can count in ``elapsed`` seconds, with slack."""
    speed = pages_per_hour if pages_per_hour and pages_per_hour > 0 else DEFAULT_PAGES_PER_HOUR
    return int(max(0.0, elapsed) / 3600.0 * speed * JUMP_SLACK) + JUMP_ALLOWANCE


def validate_counters(readings: list[CounterReading], previous: dict[str, Previous], *,
                      now: float, reboot: bool, pages_per_hour: int | None,
                      engine_cycles: int | None = None, asleep: bool = False
                      ) -> tuple[list[Accepted], list[Rejected]]:
    """Each counter accepted (with its extended value) or rejected with a reason.

    All counters missing, or all zero when they were not zero before (or the life count seen at
    discovery was not, or the marker says it is in standby), is a sleeping device: the whole
    set is rejected, to be read again within the day."""
    present = [r for r in readings if r.raw is not None]
    if not present:
        return [], [Rejected(r.name, "missing", "no counters answered (device in power save?)")
                    for r in readings]
    before = [p.raw for p in previous.values()] or ([engine_cycles] if engine_cycles else [])
    if all(r.raw == 0 for r in present) and (asleep or any(b for b in before)):
        return [], [Rejected(r.name, "0", "all counters zero (device in power save?)")
                    for r in present]
    accepted: list[Accepted] = []
    rejected: list[Rejected] = []
    for reading in readings:
        raw = reading.raw
        if raw is None:
            rejected.append(Rejected(reading.name, "missing", "counter missing from the answer"))
            continue
        last = previous.get(reading.name)
        if last is None:
            accepted.append(Accepted(reading.name, raw, raw))
            continue
        elapsed = now - last.read_at
        limit = allowed_pages(elapsed, pages_per_hour)
        if raw >= last.raw:
            delta = raw - last.raw
            if delta > limit:
                rejected.append(Rejected(reading.name, str(raw), (
                    f"impossible jump: +{delta:,} pages in {elapsed / 3600:.2f} h (at most "
                    f"{limit:,} at this engine's speed)")))
            else:
                accepted.append(Accepted(reading.name, raw, last.value + delta))
            continue
        wrapped = pages_between(last.raw, raw, reading.maximum)
        if last.raw > reading.maximum // 2 and wrapped <= limit:
            accepted.append(Accepted(reading.name, raw, last.value + wrapped, "wrap"))
        elif reboot:
            accepted.append(Accepted(reading.name, raw, last.value + raw, "reset after reboot"))
        else:
            rejected.append(Rejected(reading.name, str(raw), (
                f"counter went backwards from {last.raw:,} to {raw:,} without a reboot or a "
                "wrap")))
    return accepted, rejected


def supply_problem(level: int, max_capacity: int) -> str | None:
    """Why a supply level cannot be true, or None. RFC 3805: -1 other, -2 unknown, -3 some
    remaining; a capacity of -1/-2 means no capacity is known."""
    if level < -3:
        return f"level {level} is not a level (expected 0 or more, or -1, -2, -3)"
    if max_capacity < -2 or max_capacity == 0:
        return f"capacity {max_capacity} is not a capacity (expected > 0, or -1, -2)"
    if max_capacity > 0 and level > max_capacity:
        return f"level {level} outside capacity {max_capacity}"
    return None


def tray_problem(level: int, max_capacity: int) -> str | None:
    """Why a tray level cannot be true, or None (same special values as supplies)."""
    if level < -3:
        return f"level {level} is not a level (expected 0 or more, or -1, -2, -3)"
    if max_capacity > 0 and level > max_capacity:
        return f"level {level} outside capacity {max_capacity}"
    return None


def percent(level: int, max_capacity: int) -> float | None:
    """Level as a percentage of capacity, when both are known."""
    if level < 0 or max_capacity <= 0:
        return None
    return round(100.0 * level / max_capacity, 1)
