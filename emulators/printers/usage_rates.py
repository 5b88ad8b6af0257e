"""When an office prints: the working week, the hours a printer is switched on, and the job rates
of one profile by period (a non-homogeneous Poisson process drawn from a printer's own generator).

Pure functions of time and the profile; usage_model.py applies them to printers.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from emulators.printers.profiles import Profile
from emulators.printers.random64 import Rng

DAY = 86400.0
HOUR = 3600.0
OFFICE_START, OFFICE_END = 8, 18
ON_FROM, ON_UNTIL = 7.5, 19.0  # hours a "switched off at night" printer is powered


def weekday_hour(t: float) -> tuple[int, float]:
    """(weekday with Monday 0, hour of day) of a local epoch time; 1970-01-01 was a Thursday."""
    day, rest = divmod(t, DAY)
    return (int(day) + 3) % 7, rest / HOUR


def in_office_hours(t: float) -> bool:
    weekday, hour = weekday_hour(t)
    return weekday < 5 and OFFICE_START <= hour < OFFICE_END


def next_office_time(t: float) -> float:
    """``t`` if within office hours, else the start of the next working period."""
    for _ in range(8):
        if in_office_hours(t):
            return t
        weekday, hour = weekday_hour(t)
        start = t - hour * HOUR + OFFICE_START * HOUR
        t = start if weekday < 5 and hour < OFFICE_START else start + DAY
    return t


def power_on_since(mode: str, t: float) -> float | None:
    """Start of the powered period containing local time ``t``, or None while switched off."""
    if mode == "never":
        return -math.inf
    weekday, hour = weekday_hour(t)
    midnight = t - hour * HOUR
    if mode == "nights":
        if weekday < 5 and ON_FROM <= hour < ON_UNTIL:
            return midnight + ON_FROM * HOUR
        return None
    on = (weekday == 0 and hour >= ON_FROM) or 1 <= weekday <= 3 or (weekday == 4 and hour < ON_UNTIL)
    return midnight - weekday * DAY + ON_FROM * HOUR if on else None


def next_power_change(mode: str, t: float) -> float:
    """The first local time after ``t`` at which a printer of this mode is switched on or off,
    so that a printer nobody asks about costs nothing between its power transitions."""
    if mode == "never":
        return math.inf
    weekday, hour = weekday_hour(t)
    midnight = t - hour * HOUR
    if mode == "nights":
        if weekday < 5 and hour < ON_FROM:
            return midnight + ON_FROM * HOUR
        if weekday < 5 and hour < ON_UNTIL:
            return midnight + ON_UNTIL * HOUR
        days = 7 - weekday if weekday >= 4 else 1
        return midnight + days * DAY + ON_FROM * HOUR
    monday = midnight - weekday * DAY
    if weekday == 0 and hour < ON_FROM:
        return monday + ON_FROM * HOUR
    friday_off = monday + 4 * DAY + ON_UNTIL * HOUR
    return friday_off if t < friday_off else monday + 7 * DAY + ON_FROM * HOUR


class UsageModel:
    """Job rates of one profile (per second) by period of the week."""

    def __init__(self, profile: Profile) -> None:
        usage = profile.usage
        self.profile = profile
        per_day = (usage.pages_per_day + usage.scans_per_day) / usage.mean_job_pages
        self.scan_share = (usage.scans_per_day / (usage.pages_per_day + usage.scans_per_day)
                           if usage.scans_per_day else 0.0)
        self.office_rate = per_day * usage.office_share / ((OFFICE_END - OFFICE_START) * HOUR)
        self.evening_rate = per_day * (1 - usage.office_share) / ((24 - OFFICE_END + OFFICE_START)
                                                                   * HOUR)
        self.weekend_rate = per_day * usage.weekend_factor / DAY
        self.jam_per_page = usage.jam_per_10k_pages / 10_000
        self.fuser_per_page = usage.fuser_fault_per_million_pages / 1_000_000
        monday = 4 * DAY  # 1970-01-05, a Monday
        self._hourly = [self.rate(monday + hour * HOUR) for hour in range(7 * 24)]
        self._cumulative = [0.0]
        for rate in self._hourly:
            self._cumulative.append(self._cumulative[-1] + rate * HOUR)

    def rate(self, t: float) -> float:
        weekday, hour = weekday_hour(t)
        if weekday >= 5:
            return self.weekend_rate
        return self.office_rate if OFFICE_START <= hour < OFFICE_END else self.evening_rate

    def next_arrival(self, t: float, rng: Rng, offset: float) -> float:
        """Next job after ``t`` of the non-homogeneous Poisson process (rate constant per hour
        of the week): an exponential budget spent along the week's cumulative rate, found by
        bisection, so a quiet printer costs no more than a busy one."""
        weekly = self._cumulative[-1]
        if weekly <= 0:
            return math.inf
        budget = rng.exponential(1.0)
        local = t + offset
        day = math.floor(local / DAY)
        week_start = (day - (day + 3) % 7) * DAY  # Monday 00:00 (1970-01-01 was a Thursday)
        hour = min(int((local - week_start) // HOUR), 167)
        spent = self._cumulative[hour] + self._hourly[hour] * (local - week_start - hour * HOUR)
        weeks, rest = divmod(spent + budget, weekly)
        at = bisect_right(self._cumulative, rest) - 1
        while self._hourly[at] <= 0:  # rounding put the budget at the end of a quiet stretch
            at += 1
            rest = self._cumulative[at]
        return (week_start + weeks * 7 * DAY + at * HOUR
                + (rest - self._cumulative[at]) / self._hourly[at] - offset)
