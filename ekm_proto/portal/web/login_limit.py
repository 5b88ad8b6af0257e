"""Failed log-ins counted per source address: password guessing from one place is slowed to a
handful of tries a quarter of an hour, and nobody else is locked out by it.

Counting per operator name as well would let anyone lock an administrator out by failing in
their name on purpose; a portal facing many guessing addresses belongs behind a proxy that
limits them. No clock is read here: the times are given.
"""

from __future__ import annotations

from collections import OrderedDict, deque

DEFAULT_ATTEMPTS = 5
DEFAULT_WINDOW = 900.0
#: addresses remembered at most (the oldest forgotten first): a flood of sources costs bounded
#: memory
MAX_SOURCES = 10_000


class LoginLimiter:
    """``attempts`` failures from one address within ``window`` seconds refuse that address
    until the oldest of them is ``window`` old."""

    def __init__(self, attempts: int = DEFAULT_ATTEMPTS, window: float = DEFAULT_WINDOW,
                 max_sources: int = MAX_SOURCES) -> None:
        self.attempts, self.window, self.max_sources = attempts, window, max_sources
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, source: str, now: float) -> float | None:
        """Seconds before ``source`` may try again, or None when it may now."""
        failures = self._recent(source, now)
        if failures is None or len(failures) < self.attempts:
            return None
        return failures[0] + self.window - now

    def failed(self, source: str, now: float) -> None:
        failures = self._recent(source, now)
        if failures is None:
            failures = self._failures[source] = deque(maxlen=self.attempts)
            while len(self._failures) > self.max_sources:
                self._failures.popitem(last=False)
        self._failures.move_to_end(source)
        failures.append(now)

    def succeeded(self, source: str) -> None:
        self._failures.pop(source, None)

    def _recent(self, source: str, now: float) -> deque[float] | None:
        failures = self._failures.get(source)
        if failures is None:
            return None
        while failures and failures[0] + self.window <= now:
            failures.popleft()
        if not failures:
            del self._failures[source]
            return None
        return failures
