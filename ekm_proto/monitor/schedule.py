"""When each monitoring loop runs: working hours in the agent's time zone and each loop's interval
inside and outside them (the EKM overview's defaults), as pure functions of epoch seconds.

Intervals run start to start: a pass that takes longer than its interval is followed by the next
at once, and a loop resting on its long out-of-hours interval is woken when working hours begin.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from protolab.errors import ConfigurationError

LOOPS = ("alert", "identity", "meter", "consumables", "tray")
#: minutes (in working hours, out of them), from the overview's "Default Monitor Loop Intervals"
DEFAULT_INTERVALS: dict[str, tuple[float, float]] = {
    "alert": (3, 15), "identity": (10, 60), "meter": (20, 240), "consumables": (60, 240),
    "tray": (480, 480),
}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name ("Europe/London", "UTC"), or a ConfigurationError saying so."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(f"time zone {name!r} is unknown; expected an IANA name such as "
                                 "Europe/London or UTC") from None


def parse_clock_time(text: str, what: str) -> int:
    """Minutes after midnight of ``HH:MM`` (``24:00`` allowed as the end of a day)."""
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ConfigurationError(f"{what} {text!r}: expected a time such as 08:00")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > 24 * 60:
        raise ConfigurationError(f"{what} {text!r}: expected a time from 00:00 to 24:00")
    return value


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Working hours: ``start``..``end`` (minutes after local midnight) on ``days`` (Monday 0)."""

    start: int = 8 * 60
    end: int = 18 * 60
    days: frozenset[int] = frozenset(range(5))
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 24 * 60:
            raise ConfigurationError(f"working hours {self.start // 60:02}:{self.start % 60:02}-"
                                     f"{self.end // 60:02}:{self.end % 60:02}: expected a start "
                                     "before the end within one day")
        if not self.days or not self.days <= set(range(7)):
            raise ConfigurationError("working days: expected at least one of Mon..Sun")

    def local(self, epoch: float) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(epoch, self.tz)

    def is_working(self, epoch: float) -> bool:
        moment = self.local(epoch)
        minute = moment.hour * 60 + moment.minute
        return moment.weekday() in self.days and self.start <= minute < self.end

    def next_start(self, epoch: float) -> float:
        """The first start of working hours strictly after ``epoch``."""
        moment = self.local(epoch)
        for days_ahead in range(8):
            day = moment.date() + datetime.timedelta(days=days_ahead)
            if day.weekday() not in self.days:
                continue
            start = datetime.datetime.combine(day, datetime.time(), self.tz) + \
                datetime.timedelta(minutes=self.start)
            if start.timestamp() > epoch:
                return start.timestamp()
        raise ConfigurationError("working hours never start")  # unreachable: days is not empty

    def day_of(self, epoch: float) -> str:
        """The local calendar day (``YYYY-MM-DD``) of ``epoch``: meters are reported per day."""
        return self.local(epoch).date().isoformat()


@dataclass(frozen=True, slots=True)
class LoopSchedule:
    """Every loop's (working, off) interval in seconds, and the working hours that choose one."""

    hours: WorkingHours = field(default_factory=WorkingHours)
    intervals: dict[str, tuple[float, float]] = field(
        default_factory=lambda: {k: (w * 60.0, o * 60.0) for k, (w, o) in DEFAULT_INTERVALS.items()})

    def __post_init__(self) -> None:
        for loop in LOOPS:
            working, off = self.intervals.get(loop, (0, 0))
            if working <= 0 or off <= 0:
                raise ConfigurationError(f"{loop} loop interval: expected two positive numbers of "
                                         "minutes (in working hours, out of them)")

    def interval(self, loop: str, epoch: float) -> float:
        working, off = self.intervals[loop]
        return working if self.hours.is_working(epoch) else off

    def next_pass_at(self, loop: str, started: float, finished: float) -> float:
        """When the pass after one that ran ``started``..``finished`` begins: one interval after
        its start (the interval of that moment), brought forward to working hours' own interval
        when they begin meanwhile, and never before the pass ended (a long pass: at once)."""
        due = started + self.interval(loop, started)
        begins = self.hours.next_start(started)
        if begins < due:
            due = min(due, max(begins, started + self.intervals[loop][0]))
        return max(due, finished)
