"""Whether a device answers, as the overview's availability alerts tell it.

A device silent for longer than the configured time (24 hours by default) gets an open record
"Device busy/unavailable for over 24 hours (actual: 25 hrs)" and is marked unavailable; its next
answer clears that record (its duration is the outage as the agent saw it) and opens "Monitoring
resumed. This device is now responding", which the answer after that clears. Pure: the loops
report answers and silences with the time, this returns what to open and clear.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.durations import format_span
from ekm_proto.monitor.alerts import Change, Condition

UNAVAILABLE = "availability:unavailable"
RESUMED = "availability:resumed"


def _condition(key: str, description: str) -> Condition:
    return Condition(key, "availability", None, "availability", "availability", -1, -2,
                     "[Not set]", "[Not set]", description)


def unavailable_text(threshold: float, silent_for: float) -> str:
    return (f"Device busy/unavailable for over {format_span(threshold)} "
            f"(actual: {format_span(silent_for, long=False)})")


RESUMED_TEXT = "Monitoring resumed. This device is now responding"


@dataclass(slots=True)
class Availability:
    """One device's contact history: last answer, first silence since, and which availability
    records are open."""

    last_answer: float | None = None
    silent_since: float | None = None
    unavailable_open: bool = False
    resumed_open: bool = False

    @property
    def available(self) -> bool:
        return not self.unavailable_open

    def answered(self, now: float) -> Change:
        """The device answered at ``now``."""
        opened: tuple[Condition, ...] = ()
        cleared: list[str] = []
        if self.unavailable_open:
            cleared.append(UNAVAILABLE)
            opened = (_condition(RESUMED, RESUMED_TEXT),)
            self.unavailable_open = False
            self.resumed_open = True
        elif self.resumed_open:
            cleared.append(RESUMED)
            self.resumed_open = False
        self.last_answer = now
        self.silent_since = None
        return Change(opened, tuple(cleared))

    def silent(self, now: float, threshold: float) -> Change:
        """The device did not answer at ``now``; after ``threshold`` seconds of silence (since
        its last answer, or since the first silence for a device never heard) it is
        unavailable."""
        if self.silent_since is None:
            self.silent_since = now
        if self.unavailable_open:
            return Change((), ())
        since = self.last_answer if self.last_answer is not None else self.silent_since
        if now - since < threshold:
            return Change((), ())
        self.unavailable_open = True
        cleared: tuple[str, ...] = ()
        if self.resumed_open:  # it answered once, then went silent again: that was no recovery
            self.resumed_open = False
            cleared = (RESUMED,)
        return Change((_condition(UNAVAILABLE, unavailable_text(threshold, now - since)),), cleared)
