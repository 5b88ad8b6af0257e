"""Validation rules as pure functions: wraps at 2^32 and 2^24 - 1, reboots, counters going
backwards, impossible jumps, sleeping devices, levels outside their capacity."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ekm_proto.monitor.validation import (
    CounterReading,
    Previous,
    allowed_pages,
    percent,
    rebooted,
    supply_problem,
    tray_problem,
    validate_counters,
)

C32 = 2**32 - 1
HP = 2**24 - 1
HOUR = 3600.0


def check(raw: int | None, before: int, *, maximum: int = C32, reboot: bool = False,
          value: int | None = None, elapsed: float = HOUR, speed: int | None = 3600):
    previous = {"c": Previous(before, before if value is None else value, 1000.0)}
    return validate_counters([CounterReading("c", raw, maximum)], previous,
                             now=1000.0 + elapsed, reboot=reboot, pages_per_hour=speed)


def test_ordinary_readings_add_up() -> None:
    [good], [] = check(1500, 1000, value=5000)
    assert (good.raw, good.value, good.note) == (1500, 5500, "")


def test_wraps_at_2_to_the_32_and_2_to_the_24_are_wraps() -> None:
    [good], [] = check(7, C32 - 2)
    assert (good.value, good.note) == (C32 - 2 + 10, "wrap")
    [good], [] = check(7, HP - 2, maximum=HP)
    assert (good.value, good.note) == (HP - 2 + 10, "wrap")
    [], [bad] = check(7, HP - 2, maximum=C32)  # the same fall is no wrap for a Counter32
    assert "went backwards" in bad.reason


def test_backwards_without_reboot_is_rejected_and_with_one_is_a_reset() -> None:
    [], [bad] = check(900, 1000)
    assert bad.reason == "counter went backwards from 1,000 to 900 without a reboot or a wrap"
    [good], [] = check(12, 1000, value=4000, reboot=True)
    assert (good.value, good.note) == (4012, "reset after reboot")


def test_impossible_jumps_follow_the_engine_speed_and_the_time() -> None:
    assert allowed_pages(HOUR, 3600) == 7250
    [], [bad] = check(1000 + 7251, 1000)
    assert bad.reason.startswith("impossible jump: +7,251 pages in 1.00 h")
    [good], [] = check(1000 + 7250, 1000)
    assert good.value == 1000 + 7250
    [], [bad] = check(1000 + 60, 1000, elapsed=1.0)  # 60 pages in a second
    assert "impossible" in bad.reason


def test_a_sleeping_device_is_rejected_whole() -> None:
    readings = [CounterReading("a", None, C32), CounterReading("b", None, C32)]
    accepted, rejected = validate_counters(readings, {}, now=0, reboot=False,
                                           pages_per_hour=None)
    assert accepted == [] and {r.reason for r in rejected} == {
        "no counters answered (device in power save?)"}
    zeros = [CounterReading("a", 0, C32), CounterReading("b", 0, C32)]
    previous = {"a": Previous(10, 10, 0.0)}
    accepted, rejected = validate_counters(zeros, previous, now=60, reboot=False,
                                           pages_per_hour=None)
    assert accepted == [] and len(rejected) == 2
    accepted, rejected = validate_counters(zeros, {}, now=60, reboot=False,
                                           pages_per_hour=None, asleep=True)
    assert accepted == [] and rejected[0].reason == "all counters zero (device in power save?)"
    accepted, rejected = validate_counters(zeros, {}, now=60, reboot=False,
                                           pages_per_hour=None)  # a new, awake device
    assert len(accepted) == 2 and rejected == []


def test_uptime_going_back_is_a_reboot_unless_timeticks_wrapped() -> None:
    assert rebooted(500_000, 1_000, 60.0)
    assert not rebooted(1_000, 7_000, 60.0)
    assert not rebooted(2**32 - 3000, 3000, 60.0)  # 497 days of uptime wrapped the ticks
    assert not rebooted(None, 10, 1.0)


def test_levels_outside_capacity() -> None:
    assert supply_problem(120, 100) == "level 120 outside capacity 100"
    assert supply_problem(-3, 100) is None and supply_problem(-2, -2) is None
    assert supply_problem(-4, 100) is not None and supply_problem(5, 0) is not None
    assert tray_problem(600, 550) is not None and tray_problem(-3, -2) is None
    assert percent(33, 100) == 33.0 and percent(-3, 100) is None


@given(before=st.integers(0, C32), pages=st.integers(0, 5000))
def test_any_wrap_within_the_speed_limit_counts_every_page(before: int, pages: int) -> None:
    raw = (before + pages) % (C32 + 1)
    [good], [] = check(raw, before, elapsed=2 * HOUR)
    assert good.value == before + pages
