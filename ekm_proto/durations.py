"""Durations and dates written as the EKM overview writes them: "9m 13s", "1d 16h", "3m 2s";
"13-Jul-2020 14:22:43"."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

_UTC = datetime.UTC


def format_duration(seconds: float) -> str:
    """Two units, largest first: days and hours, hours and minutes, minutes and seconds."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    if minutes:
        return f"{minutes}m {secs}s"
    return f"{secs}s"


def format_span(seconds: float, long: bool = True) -> str:
    """A threshold or an elapsed time in whole hours when it is at least an hour ("24 hours",
    "25 hrs"), else in minutes ("10 minutes", "12 mins")."""
    if seconds >= 3600:
        hours = int(seconds // 3600)
        return f"{hours} {'hours' if long else 'hrs'}" if hours != 1 else \
            f"1 {'hour' if long else 'hr'}"
    minutes = int(seconds // 60)
    return f"{minutes} {'minutes' if long else 'mins'}" if minutes != 1 else \
        f"1 {'minute' if long else 'min'}"


def iso(epoch: float | None) -> str | None:
    """ISO 8601 UTC for programs (``2026-03-02T09:00:00Z``)."""
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, _UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def display_date(epoch: float | None, tz: ZoneInfo | None = None) -> str:
    """The overview's date for people (``13-Jul-2020 14:22:43``), in ``tz`` (UTC by default)."""
    if epoch is None:
        return ""
    return datetime.datetime.fromtimestamp(epoch, tz or _UTC).strftime("%d-%b-%Y %H:%M:%S")
