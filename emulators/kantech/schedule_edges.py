"""Schedule edges: when something a schedule drives can change, and what changed.

A schedule is in force for whole minutes of the controller's clock, so its state can change
only where one of its intervals starts or ends, or at midnight (a new weekday, perhaps a
holiday). The controller therefore wakes at the next such minute rather than every minute, and
compares what each schedule-driven thing should be with what it was at the last look: acting on
changes only is what lets a manual operation hold until the schedule's next edge.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Hashable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.records_access import ScheduleKt100, ScheduleKt400

Schedule = ScheduleKt400 | ScheduleKt100
MINUTES_PER_DAY = 1440
K = TypeVar("K", bound=Hashable)
_NOTHING: Mapping[Any, int] = MappingProxyType({})


def edge_minutes(schedules: Mapping[int, Schedule], schedule_ids: Iterable[int]) -> set[int]:
    """Minutes of the day (0..1439) where any of ``schedule_ids`` may start or stop being in
    force; midnight is always one."""
    minutes = {0}
    for schedule_id in schedule_ids:
        schedule = schedules.get(schedule_id)
        for interval in schedule.intervals if schedule else ():
            minutes.add(interval.start % MINUTES_PER_DAY)
            minutes.add(interval.end % MINUTES_PER_DAY)
    return minutes


def next_edge(clock: KantechDateTime, minutes: Iterable[int]) -> _dt.datetime:
    """The first start of one of ``minutes`` strictly after ``clock`` (tomorrow's if none is
    left today; midnight counts whether listed or not)."""
    current = clock.to_datetime()
    midnight = current.replace(hour=0, minute=0, second=0)
    now_minute = current.hour * 60 + current.minute
    later = [m for m in minutes if now_minute < m < MINUTES_PER_DAY]
    if later:
        return midnight + _dt.timedelta(minutes=min(later))
    return midnight + _dt.timedelta(days=1)


class EdgeTracker(Generic[K]):
    """What each schedule-driven thing was at the last look, to act on changes only."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: Mapping[K, int] = _NOTHING  # a fresh dict per look: none held at rest

    def changes(self, wanted: Mapping[K, int]) -> list[tuple[K, int, int]]:
        """``(key, was, now)`` for every key whose value changed (a missing key is 0); the values
        are schedule ids in force, 0 for none."""
        changed = [(key, self._last.get(key, 0), value) for key, value in wanted.items()
                   if self._last.get(key, 0) != value]
        changed += [(key, was, 0) for key, was in self._last.items()
                    if was and key not in wanted]
        self._last = {key: value for key, value in wanted.items() if value} or _NOTHING
        return changed

    def forget(self) -> None:
        """Start again from nothing in force (a power-up: everything is at rest)."""
        self._last = _NOTHING
