"""A device's date and time: set by the gateway at some ``now``, then running with ``now``.

SET_DATETIME (or a DATE_TIME reload record) sets it; the weekday the gateway sent is kept in step
with the date, so a gateway that numbers days its own way reads back what it wrote. Before it is
ever set, events are stamped 2000-01-01 00:00:00 plus the device's uptime.
"""

from __future__ import annotations

import datetime as _dt
import math

from kantech_proto.datetime_record import KantechDateTime

NO_CLOCK_EPOCH = _dt.datetime(2000, 1, 1)
#: a ``now`` computed by ``monotonic_at`` may come back a hair under the second it names (float
#: sums); reading it as that second is what keeps a deadline from firing twice
_TOLERANCE = 1e-6


class ControllerClock:
    """Date and time as a device keeps it; time comes in as ``now``, never read."""

    __slots__ = ("_base",)

    def __init__(self) -> None:
        self._base: tuple[float, KantechDateTime, int] | None = None

    @property
    def is_set(self) -> bool:
        return self._base is not None

    def set(self, when: KantechDateTime, now: float) -> None:
        offset = (when.weekday - when.to_datetime().weekday()) % 7
        self._base = (now, when, offset)

    def at(self, now: float) -> KantechDateTime | None:
        """The date and time at ``now``; None while never set."""
        if self._base is None:
            return None
        set_at, base, offset = self._base
        value = base.to_datetime() + _dt.timedelta(seconds=math.floor(now - set_at + _TOLERANCE))
        return KantechDateTime(value.year, value.month, value.day, value.hour, value.minute,
                               value.second, (value.weekday() + offset) % 7)

    def monotonic_at(self, when: _dt.datetime) -> float | None:
        """The ``now`` at which the clock will read ``when``; None while never set."""
        if self._base is None:
            return None
        set_at, base, _ = self._base
        return set_at + (when - base.to_datetime()).total_seconds()

    def stamp(self, now: float, uptime: int) -> KantechDateTime:
        """What an event happening at ``now`` is stamped with."""
        clock = self.at(now)
        if clock is not None:
            return clock
        return KantechDateTime.from_datetime(NO_CLOCK_EPOCH + _dt.timedelta(seconds=uptime))
