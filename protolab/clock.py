"""Clock types, so that protocol cores take time as a value and tests can drive it by hand."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells monotonic seconds; sans-IO code never asks it directly, adapters do."""

    def now(self) -> float: ...


class MonotonicClock:
    """The real clock the asyncio adapters use."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock a test moves forward explicitly, so timer behaviour is exact and instant."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._now += seconds
        return self._now
