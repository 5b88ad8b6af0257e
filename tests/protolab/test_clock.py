"""The one clock: timers fire in time order under a ManualClock, and both clocks keep the same
contract for sleep and wait_for."""

from __future__ import annotations

import asyncio

import pytest

from protolab.clock import ManualClock, SystemClock
from protolab.errors import UsageError


def test_advance_fires_due_timers_in_time_order_with_now_at_each_deadline() -> None:
    clock = ManualClock(100.0)
    fired: list[tuple[str, float]] = []
    clock.call_at(103.0, lambda: fired.append(("c", clock.now())))
    clock.call_later(1.0, lambda: fired.append(("a", clock.now())))
    clock.call_at(102.0, lambda: fired.append(("b", clock.now())))
    clock.advance(2.5)
    assert fired == [("a", 101.0), ("b", 102.0)] and clock.now() == 102.5
    clock.advance(10)
    assert fired[-1] == ("c", 103.0) and clock.now() == 112.5 and clock.pending == 0


def test_a_timer_scheduled_by_a_timer_fires_within_the_same_advance() -> None:
    clock = ManualClock()
    beats: list[float] = []

    def beat() -> None:
        beats.append(clock.now())
        clock.call_later(10, beat)

    clock.call_later(10, beat)
    clock.advance(600)  # ten minutes of a 10-second heartbeat, at once
    assert beats == [10.0 * n for n in range(1, 61)]


def test_cancelled_timers_never_fire_and_time_never_goes_back() -> None:
    clock = ManualClock()
    fired: list[int] = []
    timer = clock.call_later(5, lambda: fired.append(1))
    timer.cancel()
    clock.advance(10)
    assert fired == [] and clock.next_deadline() is None
    with pytest.raises(UsageError):
        clock.advance(-1)


def test_wall_time_moves_with_monotonic_time() -> None:
    clock = ManualClock(50.0, wall_start=1_000_000.0)
    clock.advance(3600)
    assert clock.wall() == 1_003_600.0


async def test_manual_sleep_and_wait_for_follow_advance_async() -> None:
    clock = ManualClock()
    woke: list[float] = []

    async def sleeper() -> None:
        await clock.sleep(30)
        woke.append(clock.now())

    task = asyncio.create_task(sleeper())
    await clock.advance_async(29)
    assert woke == []
    await clock.advance_async(1)
    await task
    assert woke == [30.0]

    never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    waiting = asyncio.create_task(clock.wait_for(never, 5))
    await clock.advance_async(5)
    with pytest.raises(TimeoutError):
        await waiting
    assert never.cancelled()


async def test_system_clock_wait_for_times_out_and_passes_results() -> None:
    clock = SystemClock()
    with pytest.raises(TimeoutError):
        await clock.wait_for(asyncio.Event().wait(), 0.01)
    assert await clock.wait_for(asyncio.sleep(0, result=7), 1.0) == 7
    fired = asyncio.Event()
    clock.call_at(clock.now() + 0.01, fired.set)
    await asyncio.wait_for(fired.wait(), 2)
