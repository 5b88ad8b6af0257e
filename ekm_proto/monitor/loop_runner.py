"""One loop over the fleet, pass after pass: at most ``workers`` devices read at once, each
device's outcome turned into availability and backoff, passes recorded so a restarted agent
finishes an interrupted pass instead of starting over.

A device that does not answer is asked again next pass; after two failures in a row it is left
out for a growing number of intervals (capped by ``backoff_limit``), so a dead or overloaded
device costs a slot now and then and never holds a pass up. Devices a loop left waiting for a
retry (the meter loop's power-save retries) are read between passes when their time comes.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ekm_proto.errors import SnmpManagerError, SnmpTimeout
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.device import Device
from ekm_proto.monitor.loops.context import DeviceLoop
from ekm_proto.monitor.records import apply_alerts
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

if TYPE_CHECKING:
    from ekm_proto.monitor.agent import MonitorAgent

_log = get_logger("monitor.loop")


class LoopRunner:
    """See the module docstring. ``passes`` counts finished passes; ``done`` / ``total`` the
    progress of the current one."""

    def __init__(self, loop: DeviceLoop, agent: MonitorAgent, workers: int) -> None:
        self.loop = loop
        self.primary = loop.name == "alert"
        self.name = loop.name
        self.agent = agent
        self.workers = max(1, workers)
        self.passes = 0
        self.done = self.total = 0
        self.answered = self.failed = self.errors = 0
        self.last_pass_seconds: float | None = None
        self.history: deque[float] = deque(maxlen=100)  # the latest passes' real seconds
        self.idle = asyncio.Event()
        self._throttle = LogThrottle(10.0)

    # ---- scheduling ---------------------------------------------------------------------------

    async def run(self, once: bool = False) -> None:
        agent = self.agent
        schedule = agent.settings.schedule
        last = agent.store.last_pass(self.name)
        while True:
            if last is not None and last[2] is None:  # interrupted: finish it
                pass_id, started = last[0], last[1]
            else:
                if last is not None and not once:
                    due = schedule.next_pass_at(self.name, last[1], last[2] or last[1])
                    await self._wait(due)
                pass_id, started = agent.store.next_pass_id(), agent.time.now()
                self._record_start(pass_id, started)
            finished = await self._pass(pass_id, started)
            last = (pass_id, started, finished)
            if once:
                return

    async def one_pass(self) -> float:
        """A pass now, outside the schedule (benchmarks, an operator's "read all now")."""
        pass_id, started = self.agent.store.next_pass_id(), self.agent.time.now()
        self._record_start(pass_id, started)
        return await self._pass(pass_id, started)

    async def _wait(self, due: float) -> None:
        """Until ``due``, reading the devices whose retry falls before it."""
        time = self.agent.time
        while True:
            retry = min((s.retry_at for d in self.agent.registry.active()
                         if (s := d.loops.get(self.name)) is not None and s.retry_at is not None),
                        default=math.inf)
            self.idle.set()
            try:
                await time.sleep_until(min(due, retry))
            finally:
                self.idle.clear()
            now = time.now()
            if now >= due:
                return
            waiting = [d for d in self.agent.registry.active()
                       if (s := d.loops.get(self.name)) is not None and s.retry_at is not None
                       and s.retry_at <= now]
            for device in waiting:
                device.loop(self.name).retry_at = None
            await self._sweep(waiting)
            self.agent.recorder.flush()

    def _record_start(self, pass_id: int, started: float) -> None:
        batch = Batch(self.name, started)
        batch.add("INSERT INTO passes (id, loop, started_at) VALUES (?, ?, ?)", pass_id,
                  self.name, started)
        self.agent.recorder.add(batch)
        self.agent.recorder.flush()

    async def _pass(self, pass_id: int, started: float) -> float:
        now = self.agent.time.now()
        devices = [d for d in self.agent.registry.active() if self.loop.wants(d) and not (
            (s := d.loops.get(self.name)) is not None and (
                (s.last_attempt is not None and s.last_attempt >= started)
                or (s.skip_until is not None and s.skip_until > now)))]
        self.done, self.total = 0, len(devices)
        answered_before = self.answered
        await self._sweep(devices)
        finished = self.agent.time.now()
        batch = Batch(self.name, finished)
        batch.add("UPDATE passes SET finished_at = ?, devices = ?, answered = ? WHERE id = ?",
                  finished, len(devices), self.answered - answered_before, pass_id)
        self.agent.recorder.add(batch)
        self.agent.recorder.flush()
        self.passes += 1
        self.last_pass_seconds = self.agent.time.real_seconds(finished - started)
        self.history.append(self.last_pass_seconds)
        self.agent.pass_finished(self.name)
        _log.info("monitor.pass", loop=self.name, devices=len(devices),
                  answered=self.answered - answered_before,
                  seconds=round(self.last_pass_seconds, 2))
        return finished

    # ---- reading devices ----------------------------------------------------------------------

    async def _sweep(self, devices: Sequence[Device]) -> None:
        queue = iter(devices)
        count = min(self.workers, len(devices))
        if count:
            await asyncio.gather(*(self._worker(queue) for _ in range(count)))

    async def _worker(self, queue: Iterator[Device]) -> None:
        pacer = self.agent.pacer
        for device in queue:
            await pacer.acquire(self.primary)
            try:
                await self.read_device(device)
            finally:
                pacer.release(self.primary)
            self.done += 1

    async def read_device(self, device: Device) -> None:
        """Read one device now and record the outcome (also the trap receiver's entry)."""
        agent = self.agent
        now = agent.time.now()
        state = device.loop(self.name)
        batch = Batch(self.name, now)
        try:
            await self.loop.read(device, batch)
        except SnmpManagerError as exc:
            batch = Batch(self.name, now)  # nothing of a read that failed half way
            self.failed += 1
            state.failures += 1
            if state.failures >= 2:
                base = agent.settings.schedule.intervals[self.name][0]
                state.skip_until = now + min(base * 2 ** (state.failures - 2),
                                             agent.settings.backoff_limit)
            if isinstance(exc, SnmpTimeout):
                self._silent(device, batch, now)
            else:
                self._answered(device, batch, now)
            self._warn("monitor.read-failed", device, exc)
        except Exception as exc:  # a bug must cost one device, not the loop
            batch = Batch(self.name, now)
            self.errors += 1
            state.failures += 1
            _log.error("monitor.read-crashed", loop=self.name, device=device.describe(),
                       error=repr(exc), exc_info=True)
        else:
            self.answered += 1
            state.failures = 0
            state.skip_until = None
            state.last_ok = now
            self._answered(device, batch, now)
        state.last_attempt = now
        batch.loop_state(device.id, self.name, state)
        agent.recorder.add(batch)

    def _answered(self, device: Device, batch: Batch, now: float) -> None:
        availability = device.availability
        was_silent = availability.silent_since is not None or not availability.available
        change = availability.answered(now)
        apply_alerts(device, change, batch, self.agent.registry.new_alert_id)
        if was_silent:
            batch.update_device(device.id, available=1, silent_since=None, last_answer=now)

    def _silent(self, device: Device, batch: Batch, now: float) -> None:
        availability = device.availability
        first = availability.silent_since is None
        change = availability.silent(now, self.agent.settings.unavailable_after)
        apply_alerts(device, change, batch, self.agent.registry.new_alert_id)
        if first or change.opened:
            batch.update_device(device.id, available=int(availability.available),
                                silent_since=availability.silent_since,
                                last_answer=availability.last_answer)

    def _warn(self, event: str, device: Device, exc: Exception) -> None:
        suppressed = self._throttle.allow(self.agent.clock.now(), event)
        if suppressed is not None:
            _log.warning(event, loop=self.name, device=device.describe(), error=str(exc),
                         suppressed=suppressed)
