"""At most one log line per interval for things that can arrive in floods (garbage on a port).

The caller still counts every occurrence in its own stats; the throttle only decides which ones
get a line, and tells that line how many were passed over since the previous one.
"""

from __future__ import annotations


class LogThrottle:
    __slots__ = ("_next_at", "_passed_over", "interval")

    def __init__(self, interval: float = 5.0) -> None:
        self.interval = interval
        self._next_at = float("-inf")
        self._passed_over = 0

    def allow(self, now: float) -> int | None:
        """None when this occurrence gets no line; else how many were passed over before it."""
        if now < self._next_at:
            self._passed_over += 1
            return None
        passed_over, self._passed_over = self._passed_over, 0
        self._next_at = now + self.interval
        return passed_over
