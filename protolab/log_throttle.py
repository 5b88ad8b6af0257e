"""At most one log line per interval and per reason for things that arrive in floods.

Garbage on a port, replays, unknown communities: the caller counts every occurrence in its own
stats; the throttle only decides which ones get a line, and tells that line how many of the same
reason were passed over since the previous one. Budgets are kept per reason so that a flood of one
kind never hides the first line of another. Time is passed in (the caller's clock), never read.
"""

from __future__ import annotations

#: distinct reasons tracked before the table is reset (reasons are a small closed set in
#: practice; the bound only protects against a caller passing unbounded text as the reason)
MAX_REASONS = 256


class LogThrottle:
    __slots__ = ("_next_at", "_passed_over", "interval")

    def __init__(self, interval: float = 5.0) -> None:
        self.interval = interval
        self._next_at: dict[str, float] = {}
        self._passed_over: dict[str, int] = {}

    def allow(self, now: float, reason: str = "") -> int | None:
        """None when this occurrence gets no line; else how many of ``reason`` were passed over
        before it."""
        next_at = self._next_at.get(reason)
        if next_at is not None and now < next_at:
            self._passed_over[reason] = self._passed_over.get(reason, 0) + 1
            return None
        if next_at is None and len(self._next_at) >= MAX_REASONS:
            self._next_at.clear()
            self._passed_over.clear()
        self._next_at[reason] = now + self.interval
        return self._passed_over.pop(reason, 0)
