"""The one clock every runtime takes: monotonic time, wall time and timers, real or by hand.

Sans-IO cores take ``now`` as a value; the thin runtimes around them (device runtimes, gateways,
pollers, printers, servers) take a ``Clock`` and never ask asyncio or ``time`` themselves. The
real clock is ``SystemClock``; tests (ours and users') pass a ``ManualClock`` and move time with
``advance`` so that a controller offline for ten minutes is a test of milliseconds.

Monotonic seconds (``now``) drive timers and protocol deadlines; wall seconds (``wall``, POSIX
epoch) are only for what a device shows as its date. A ManualClock keeps the two a fixed
distance apart, so a test that advances time sees both move together.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from protolab.errors import UsageError

T = TypeVar("T")


class Timer(Protocol):
    """A scheduled callback; cancelling one that already ran does nothing."""

    def cancel(self) -> None: ...


class Clock(Protocol):
    """What runtimes may ask about time. Sans-IO code never holds one; it is given ``now``."""

    def now(self) -> float:
        """Monotonic seconds (any origin)."""
        ...

    def wall(self) -> float:
        """POSIX seconds since the epoch, for dates a device displays or stamps."""
        ...

    def call_at(self, when: float, callback: Callable[[], object]) -> Timer:
        """Run ``callback`` once ``now()`` reaches ``when`` (at once if it already has)."""
        ...

    def call_later(self, delay: float, callback: Callable[[], object]) -> Timer: ...

    async def sleep(self, seconds: float) -> None: ...

    async def wait_for(self, awaitable: Awaitable[T], timeout: float | None) -> T:
        """``awaitable``'s result, or TimeoutError once ``timeout`` seconds of this clock pass."""
        ...


class SystemClock:
    """The real clock: ``time.monotonic`` and ``time.time``, timers on the running event loop.

    Timers are converted to the loop's own time base at scheduling, so the clock also works on
    loops whose ``time()`` is not ``time.monotonic`` (uvloop).
    """

    __slots__ = ()

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def call_at(self, when: float, callback: Callable[[], object]) -> Timer:
        loop = asyncio.get_running_loop()
        return loop.call_at(loop.time() + (when - time.monotonic()), callback)

    def call_later(self, delay: float, callback: Callable[[], object]) -> Timer:
        return asyncio.get_running_loop().call_later(delay, callback)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def wait_for(self, awaitable: Awaitable[T], timeout: float | None) -> T:
        # asyncio.timeout, not asyncio.wait_for: on 3.11 wait_for can swallow a cancellation
        # that lands as the awaited result completes, and a closing runtime then hangs
        async with asyncio.timeout(timeout):
            return await awaitable


class _ManualTimer:
    __slots__ = ("callback", "cancelled", "when")

    def __init__(self, when: float, callback: Callable[[], object]) -> None:
        self.when = when
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A clock that moves only when told: timers fire inside ``advance``, in time order.

    ``advance`` is synchronous and runs callbacks (everything protolab's device runtimes do is a
    callback); ``advance_async`` also lets the event loop run between timers, for coroutines
    waiting in ``sleep`` or ``wait_for``. ``wall`` starts at ``wall_start`` (default: 2026-01-05
    09:00 UTC, a Monday morning) and moves with ``now``.
    """

    DEFAULT_WALL_START = 1767603600.0  # 2026-01-05T09:00:00Z

    def __init__(self, start: float = 0.0, *, wall_start: float | None = None) -> None:
        self._now = start
        self._wall_offset = (self.DEFAULT_WALL_START if wall_start is None else wall_start) - start
        self._timers: list[tuple[float, int, _ManualTimer]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._now + self._wall_offset

    def call_at(self, when: float, callback: Callable[[], object]) -> Timer:
        timer = _ManualTimer(when, callback)
        heapq.heappush(self._timers, (when, next(self._order), timer))
        return timer

    def call_later(self, delay: float, callback: Callable[[], object]) -> Timer:
        return self.call_at(self._now + delay, callback)

    @property
    def pending(self) -> int:
        """Timers scheduled and not cancelled (what a test may still be waiting for)."""
        return sum(1 for _, _, timer in self._timers if not timer.cancelled)

    def next_deadline(self) -> float | None:
        self._drop_cancelled()
        return self._timers[0][0] if self._timers else None

    def advance(self, seconds: float) -> float:
        """Move time forward by ``seconds``, firing every timer due on the way; returns now."""
        target = self._target(seconds)
        while (timer := self._pop_due(target)) is not None:
            timer.callback()
        self._now = target
        return target

    async def advance_async(self, seconds: float, *, settle: int = 20) -> float:
        """``advance`` that lets the event loop run ``settle`` rounds after each timer, so
        coroutines woken by a timer (``sleep``, ``wait_for``) run before time moves on."""
        target = self._target(seconds)
        await _settle(settle)
        while (timer := self._pop_due(target)) is not None:
            timer.callback()
            await _settle(settle)
        self._now = target
        await _settle(settle)
        return target

    def _target(self, seconds: float) -> float:
        if seconds < 0:
            raise UsageError(f"a clock does not go backwards (advance by {seconds} s)")
        return self._now + seconds

    def _pop_due(self, target: float) -> _ManualTimer | None:
        """The next timer due by ``target``, with the clock moved to its deadline."""
        self._drop_cancelled()
        if not self._timers or self._timers[0][0] > target:
            return None
        when, _, timer = heapq.heappop(self._timers)
        self._now = max(self._now, when)
        timer.cancelled = True
        return timer

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def wake() -> None:
            if not future.done():
                future.set_result(None)

        timer = self.call_later(max(0.0, seconds), wake)
        try:
            await future
        finally:
            timer.cancel()

    async def wait_for(self, awaitable: Awaitable[T], timeout: float | None) -> T:
        task = asyncio.ensure_future(awaitable)
        if timeout is None:
            return await task
        expired = False

        def expire() -> None:
            nonlocal expired
            if not task.done():
                expired = True
                task.cancel()

        timer = self.call_later(max(0.0, timeout), expire)
        try:
            return await task
        except asyncio.CancelledError:
            if expired:
                raise TimeoutError(f"no result within {timeout} s of the manual clock") from None
            raise
        finally:
            timer.cancel()
            if not task.done():
                task.cancel()

    def _drop_cancelled(self) -> None:
        timers = self._timers
        while timers and timers[0][2].cancelled:
            heapq.heappop(timers)


async def _settle(rounds: int) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)
