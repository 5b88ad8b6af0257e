"""The pacing window: places handed out primary first and in order, growth while answers are
quick and the window is used, shrinking on slow medians and on late (duplicate) answers."""

from __future__ import annotations

import asyncio

import pytest

from ekm_proto.monitor.pacing import Pacer
from protolab.errors import ConfigurationError


async def test_places_go_to_primary_waiters_first_but_the_others_keep_their_share() -> None:
    pacer = Pacer(8, minimum=1, start=8, reserved=0.25)
    for _ in range(8):
        await pacer.acquire(True)
    order: list[str] = []

    async def wait(name: str, primary: bool) -> None:
        await pacer.acquire(primary)
        order.append(name)

    names = [("s1", False), ("p1", True), ("p2", True), ("s2", False), ("s3", False),
             ("p3", True)]
    tasks = [asyncio.ensure_future(wait(name, primary)) for name, primary in names]
    await asyncio.sleep(0)
    assert order == [] and pacer.active == 8
    for _ in range(6):
        pacer.release(True)
        await asyncio.sleep(0)
    # the secondary loops get their reserve (2 of 8) first, then the alert loop comes first
    assert order == ["s1", "s2", "p1", "p2", "p3", "s3"]
    assert pacer.active == 8 and pacer.secondary == 3
    for task in tasks:
        await task


async def test_a_waiter_cancelled_after_its_grant_gives_the_place_back() -> None:
    pacer = Pacer(1, minimum=1, start=1)
    await pacer.acquire(True)
    waiter = asyncio.ensure_future(pacer.acquire(False))
    await asyncio.sleep(0)
    pacer.release(True)  # granted to the waiter ...
    waiter.cancel()  # ... which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert pacer.active == 0


def test_the_window_follows_the_answers() -> None:
    late = [0]
    pacer = Pacer(100, minimum=4, start=10, target=0.2, sample=8, late=lambda: late[0])
    pacer.active = 10
    for _ in range(2):
        pacer.answered(0.01)
    assert pacer.limit > 10 and pacer.grown == 1  # quick answers, window in use: grow
    grown = pacer.limit
    for _ in range(8):
        pacer.answered(0.5)
    assert pacer.limit < grown  # a slow median: shrink
    late[0] = 50  # duplicates: requests queued past their timeout
    before = pacer.limit
    pacer.answered(0.01)
    pacer.answered(0.01)
    assert pacer.limit == before * 0.8 or pacer.limit == pacer.minimum
    with pytest.raises(ConfigurationError):
        Pacer(4, minimum=8)
