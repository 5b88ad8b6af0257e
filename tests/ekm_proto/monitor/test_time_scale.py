"""``--time-scale``: agent time runs X times faster than the clock (to keep pace with printers
emulated at the same scale), so the loops' intervals shrink by X while the records keep agent
time."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from ekm_proto.monitor.agent_time import AgentTime
from emulators.printers.profiles import Profile
from protolab.clock import ManualClock


async def test_agent_time_runs_faster_and_sleeps_in_real_seconds() -> None:
    clock = ManualClock(50.0, wall_start=1_000_000.0)
    time = AgentTime(clock, 60.0)
    clock.advance(2.0)
    assert time.now() == 1_000_120.0 and time.real_seconds(180.0) == 3.0
    done = []

    async def wait() -> None:
        await time.sleep_until(1_000_300.0)
        done.append(clock.now())

    task = asyncio.ensure_future(wait())
    await clock.advance_async(2.9)
    assert not done
    await clock.advance_async(0.2)
    await task
    assert done == [55.0]  # 180 agent seconds after the first 120: 3 clock seconds


async def test_at_sixty_times_the_alert_loop_runs_every_three_clock_seconds(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    _printers, agent = await lab([profiles["hp-laserjet-m757"]], 1, "127.47.0.1",
                                 time_scale=60.0)
    agent.start()
    await agent.settle()
    await agent.advance(9.5, step=0.5)
    starts = [row[0] for row in agent.store.connection.execute(
        "SELECT started_at FROM passes WHERE loop = 'alert' ORDER BY id")]
    assert [round(b - a) for a, b in itertools.pairwise(starts)] == [180, 180, 180]
    assert agent.agent.loops["alert"].passes == 4
