"""The toy gateway against emulated controllers: only protolab's fixtures and public API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from toy_gateway import DoorWatcher

from protolab import ManualClock

KEY, SITE = "toy-site-key", 12


@pytest.fixture
async def watcher(manual_clock: ManualClock) -> AsyncIterator[DoorWatcher]:
    watcher = DoorWatcher(KEY, SITE, manual_clock, silent_after=60.0)
    await watcher.start()
    yield watcher
    watcher.close()


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition never held")


async def test_card_swipes_reach_the_gateway(watcher, kantech_fleet, manual_clock) -> None:
    fleet = await kantech_fleet(kt400=1, kt1=1, gateway=watcher.address, key=KEY, site_id=SITE,
                                clock=manual_clock)
    await eventually(lambda: len(watcher.last_heard) == 2)  # both announced
    assert await fleet[0].swipe(1111) == "UNKNOWN_CARD"
    assert await fleet[1].swipe(2222, door=1) == "UNKNOWN_CARD"
    await eventually(lambda: len(watcher.swipes) == 2)
    assert sorted(watcher.swipes) == sorted([(fleet[0].address, 1111), (fleet[1].address, 2222)])


async def test_a_controller_offline_for_ten_minutes(watcher, kantech_fleet, manual_clock) -> None:
    fleet = await kantech_fleet(kt400=2, gateway=watcher.address, key=KEY, site_id=SITE,
                                clock=manual_clock, pulse=10)
    await eventually(lambda: len(watcher.last_heard) == 2)
    quiet = fleet[1]
    await quiet.offline()
    for _ in range(60):  # ten minutes of pulses, in milliseconds
        await manual_clock.advance_async(10)
        await asyncio.sleep(0.005)
    assert watcher.silent() == [quiet.address]
    await quiet.online()
    await manual_clock.advance_async(10)
    await eventually(lambda: watcher.silent() == [])


async def test_a_wrong_key_is_never_heard(watcher, kantech_fleet, manual_clock) -> None:
    fleet = await kantech_fleet(kt400=1, gateway=watcher.address, key="another-key",
                                site_id=SITE, clock=manual_clock, pulse=10)
    await manual_clock.advance_async(30)
    await asyncio.sleep(0.2)
    assert await fleet[0].swipe(3333) == "UNKNOWN_CARD"
    await asyncio.sleep(0.2)
    assert watcher.last_heard == {} and watcher.swipes == []
