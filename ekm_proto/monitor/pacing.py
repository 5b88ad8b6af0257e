"""How many devices the loops read at once: a window that grows while answers come back quickly
and shrinks when they slow down, so queues never build up at the agent, the network or the
devices to the point where requests time out and their retries add to the load (the overview's
loops "self-optimize according to the loading on the network and the monitor").

Two signals, looked at every ``sample // 4`` answers: late answers (a duplicate answer arriving
after its request was re-sent: the request was not lost, only queued; silent devices never
cause one), and the median time of the last ``sample`` answered requests (a few slow devices do
not move it, a queue does). Late answers above 1% of the answers, or a median above ``target``,
shrink the window by a fifth; a median under half the target grows it by an eighth.

The alert loop is primary: a freed place goes to a waiting alert read before any other, except
that the other loops keep ``reserved`` of the window (an eighth) so that they never starve; an
alert pass takes the rest of the window within a few requests' time when every loop runs at
once, and the other loops use all of it between alert passes.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from protolab.errors import ConfigurationError


class Pacer:
    """See the module docstring. ``acquire``/``release`` a place for one device read."""

    def __init__(self, maximum: int, *, minimum: int = 8, start: int = 64, target: float = 0.5,
                 sample: int = 200, reserved: float = 0.125,
                 late: Callable[[], int] = lambda: 0) -> None:
        if not 1 <= minimum <= maximum:
            raise ConfigurationError(f"pacing window {minimum}..{maximum}: expected "
                                     "1 <= minimum <= maximum")
        self.minimum, self.maximum = minimum, maximum
        self.limit = float(min(max(start, minimum), maximum))
        self.target = target
        self.reserved = reserved
        self.active = self.secondary = 0
        self.shrunk = self.grown = 0
        self._times: deque[float] = deque(maxlen=sample)
        self._every = max(1, sample // 4)
        self._fresh = 0
        self._waiting: dict[bool, deque[asyncio.Future[None]]] = {True: deque(), False: deque()}
        self._late = late
        self._late_seen = late()

    def _room(self, primary: bool) -> bool:
        if self.active >= int(self.limit):
            return False
        return primary or not self._waiting[True] or self._starved()

    def _starved(self) -> bool:
        return self.secondary < max(1, int(self.limit * self.reserved))

    def _take(self, primary: bool) -> None:
        self.active += 1
        self.secondary += not primary

    async def acquire(self, primary: bool) -> None:
        queue = self._waiting[primary]
        if not queue and self._room(primary):
            self._take(primary)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(primary)  # granted as it was cancelled: give the place back
            raise

    def release(self, primary: bool) -> None:
        self.active -= 1
        self.secondary -= not primary
        self._grant()

    def _grant(self) -> None:
        """Hand free places to waiters, primary ones first, each queue in arrival order."""
        granted = True
        while granted:
            granted = False
            for primary in (False, True) if self._starved() else (True, False):
                queue = self._waiting[primary]
                while queue and queue[0].done():
                    queue.popleft()  # cancelled while waiting
                if queue and self._room(primary):
                    self._take(primary)
                    queue.popleft().set_result(None)
                    granted = True
                    break

    def answered(self, seconds: float) -> None:
        """One request answered after ``seconds``: every so often, resize the window."""
        self._times.append(seconds)
        self._fresh += 1
        if self._fresh < self._every:
            return
        late, self._late_seen = self._late() - self._late_seen, self._late()
        median = sorted(self._times)[len(self._times) // 2]
        if median > self.target or late * 100 > self._fresh:
            self.limit = max(self.minimum, self.limit * 0.8)
            self.shrunk += 1
        elif median < self.target / 2 and self.active >= int(self.limit) - 1:
            self.limit = min(self.maximum, self.limit + max(1.0, self.limit / 8))
            self.grown += 1
            self._grant()
        self._fresh = 0
