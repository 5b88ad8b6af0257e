"""Relays, auxiliary outputs and inputs: on/off points, some of them for a time.

A relay or an output is active until told or until a deadline; a relay whose record lacks
RelayFlag.REPORT changes without reporting it (``reporting``). An input is "active" when its
contact is in its abnormal state (whatever its NO/NC wiring); an active input that is not
shunted is in alarm. A shunt lasts until told or, with a duration, is a temporary shunt
reported in whole minutes (table 12's "temporarily shunt inputs" row). A supervised input's
wiring fault is its ``trouble`` (``input_supervision`` decides when), apart from its alarm.
"""

from __future__ import annotations

import math
from typing import Any

from emulators.kantech.door_state import Emit, remaining
from kantech_proto.event_types import EventType, Source

_POINT_EVENTS = {
    "relay": (EventType.RELAY_ACTIVATED, EventType.RELAY_DEACTIVATED),
    "output": (EventType.OUTPUT_ACTIVATED, EventType.OUTPUT_DEACTIVATED),
}
_TROUBLE_NAMES: dict[EventType | None, str] = {EventType.INPUT_TROUBLE_OPEN: "open",
                                               EventType.INPUT_TROUBLE_SHORT: "short"}


class Point:
    """A relay (reports carry their source) or an auxiliary output (reports carry none)."""

    __slots__ = ("_emit", "_off_event", "_on_event", "active", "index", "kind", "reporting",
                 "source", "until")

    def __init__(self, kind: str, index: int, emit: Emit) -> None:
        self.kind = kind
        self.index = index
        self._emit = emit
        self._on_event, self._off_event = _POINT_EVENTS[kind]
        self.reporting = True
        self.reset()

    def reset(self) -> None:
        self.active = False
        self.until: float | None = None
        self.source = Source.MANUAL

    def _report(self, now: float, event: EventType, source: Source, report: bool) -> None:
        if report and self.reporting:
            self._emit(now, self.index, event, source if self.kind == "relay" else None)

    def activate(self, now: float, source: Source, seconds: int | None = None, *,
                 report: bool = True) -> None:
        """On until told (``seconds`` None) or for ``seconds``; ``report`` False when the
        caller reports the change its own way (a schedule's stand-alone row)."""
        self.until = None if seconds is None else now + seconds
        self.source = source
        if not self.active:
            self.active = True
            self._report(now, self._on_event, source, report)

    def deactivate(self, now: float, source: Source, *, report: bool = True) -> None:
        self.until = None
        if self.active:
            self.active = False
            self._report(now, self._off_event, source, report)

    def deadline(self) -> float | None:
        return self.until

    def advance(self, now: float) -> None:
        if self.until is not None and self.until <= now:
            at = self.until
            self.deactivate(at, self.source)

    def remaining(self, now: float) -> int:
        return remaining(self.until, now)

    def snapshot(self, now: float) -> dict[str, Any]:
        return {self.kind: self.index, "active": self.active, "remaining": self.remaining(now)}


class Input:
    """A monitored input; ``door`` is set when it is a door's contact or REX, whose changes the
    door interprets instead of raising an input alarm."""

    __slots__ = ("_emit", "active", "alarm", "index", "shunt_until", "shunted", "trouble")

    def __init__(self, index: int, emit: Emit) -> None:
        self.index = index
        self._emit = emit
        self.reset()

    def reset(self) -> None:
        self.active = False
        self.alarm = False
        self.shunted = False
        self.shunt_until: float | None = None
        self.trouble: EventType | None = None  # INPUT_TROUBLE_OPEN or _SHORT while in trouble

    def set_trouble(self, now: float, trouble: EventType | None) -> None:
        """The wiring fails (INPUT_TROUBLE_OPEN / _SHORT) or is repaired (None); reported even
        while shunted, and the alarm state is left as it was."""
        if trouble != self.trouble:
            self.trouble = trouble
            self._emit(now, self.index, trouble or EventType.INPUT_TROUBLE_RESTORED, None)

    def set_active(self, now: float, active: bool) -> None:
        self.active = active
        self._evaluate(now)

    def _evaluate(self, now: float) -> None:
        alarm = self.active and not self.shunted
        if alarm != self.alarm:
            self.alarm = alarm
            self._emit(now, self.index,
                       EventType.INPUT_ALARM if alarm else EventType.INPUT_RESTORED, None)

    def shunt(self, now: float, source: Source, seconds: int | None = None) -> None:
        """Shunt until told, or for ``seconds`` (a temporary shunt): an alarm in progress ends."""
        self.shunted = True
        if seconds is None:
            self.shunt_until = None
            self._emit(now, self.index, EventType.INPUT_SHUNTED, source)
        else:
            self.shunt_until = now + seconds
            self._emit(now, self.index, EventType.INPUT_TEMP_SHUNTED,
                       minutes=shunt_minutes(seconds))
        self.alarm = False

    def unshunt(self, now: float, source: Source) -> None:
        """End a shunt: an input still active goes straight into alarm."""
        if not self.shunted:
            return
        until = self.shunt_until
        self.shunted = False
        self.shunt_until = None
        if until is not None:  # minutes: what was left of the shunt (0 when it ran out)
            self._emit(now, self.index, EventType.INPUT_TEMP_SHUNT_ENDED,
                       minutes=shunt_minutes(max(0, int(until - now))))
        else:
            self._emit(now, self.index, EventType.INPUT_UNSHUNTED, source)
        self._evaluate(now)

    def deadline(self) -> float | None:
        return self.shunt_until

    def advance(self, now: float) -> None:
        if self.shunt_until is not None and self.shunt_until <= now:
            self.unshunt(self.shunt_until, Source.MANUAL)

    def remaining(self, now: float) -> int:
        return remaining(self.shunt_until, now)

    def snapshot(self, now: float) -> dict[str, Any]:
        return {"input": self.index, "active": self.active, "alarm": self.alarm,
                "shunted": self.shunted, "shunt_remaining": self.remaining(now),
                "trouble": _TROUBLE_NAMES.get(self.trouble)}


def shunt_minutes(seconds: int) -> int:
    """A temporary shunt's length as its event reports it: whole minutes, rounded up, max 255."""
    return min(255, math.ceil(seconds / 60))
