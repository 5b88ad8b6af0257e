"""One door's state machine: its lock, its contact, and the alarms between them.

The lock is released "until told" (manual UNLOCK_DOOR), for a time (a grant, a REX on a
REX_UNLOCKS door, a timed manual unlock) or not at all. The contact opening while the lock is
released or within a REX window is a passage; opening otherwise is a forced door. A passage
through a timed release starts the open-too-long timer (DoorRecord.open_time, or the extended
time for an EXTENDED_UNLOCK card); a door released "until told" is meant to stand open and has no
such timer. Every change is reported through ``emit`` with the ``now`` it happened at, so events
raised late by ``advance`` still carry their own time.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from kantech_proto.controller_status import DoorFlag as StatusFlag
from kantech_proto.controller_status import DoorLockState, DoorStatus
from kantech_proto.event_types import EventType, Source
from kantech_proto.records_hardware import DoorFlag, DoorRecord


class Emit(Protocol):
    """Queue one event that happened at ``at`` (the runtime's monotonic seconds)."""

    def __call__(self, at: float, component: int, event_type: EventType,
                 source: Source | None = None, minutes: int | None = None,
                 value: int | None = None, schedule: int | None = None) -> None: ...


def remaining(until: float | None, now: float) -> int:
    """Whole seconds left to a deadline, rounded up, as a 16-bit status field holds them."""
    if until is None:
        return 0
    return min(0xFFFF, max(0, math.ceil(until - now)))


class Door:
    """The lock and contact of door ``index`` (1-based), run by its DoorRecord."""

    __slots__ = ("_emit", "extended", "forced", "held", "index", "is_open", "manual_unlocked",
                 "open_deadline", "pre_alarm", "pre_alarm_at", "record", "rex_until",
                 "schedule_disabled", "unlock_source", "unlock_until")

    def __init__(self, index: int, emit: Emit, record: DoorRecord | None = None) -> None:
        self.index = index
        self._emit = emit
        self.record = record or DoorRecord(door=index)
        self.reset()

    def reset(self) -> None:
        """Power-up state: locked and closed, no timer running."""
        self.manual_unlocked = False
        self.unlock_until: float | None = None
        self.unlock_source = Source.CARD
        self.rex_until: float | None = None
        self.is_open = False
        self.forced = False
        self.held = False
        self.pre_alarm = False
        self.open_deadline: float | None = None
        self.pre_alarm_at: float | None = None
        self.extended = False
        self.schedule_disabled = False

    @property
    def lock_state(self) -> DoorLockState:
        if DoorFlag.DISABLED in self.record.flags or self.schedule_disabled:
            return DoorLockState.DISABLED
        if self.manual_unlocked:
            return DoorLockState.UNLOCKED
        if self.unlock_until is not None:
            return DoorLockState.UNLOCKED_TIMED
        return DoorLockState.LOCKED

    @property
    def released(self) -> bool:
        """Whether the lock lets the door open (a disabled door is still locked)."""
        return self.manual_unlocked or self.unlock_until is not None

    def status(self, now: float) -> DoorStatus:
        flags = StatusFlag(0)
        for on, flag in ((self.is_open, StatusFlag.OPEN), (self.forced, StatusFlag.FORCED),
                         (self.held, StatusFlag.HELD_OPEN), (self.pre_alarm, StatusFlag.PRE_ALARM),
                         (self.rex_until is not None and now < self.rex_until,
                          StatusFlag.REX_ACTIVE)):
            if on:
                flags |= flag
        return DoorStatus(self.lock_state, flags)

    def remaining_unlock(self, now: float) -> int:
        return remaining(self.unlock_until, now)

    # lock ---------------------------------------------------------------------------------------

    def unlock(self, now: float, source: Source) -> None:
        """Release until told (manual UNLOCK_DOOR)."""
        self.unlock_until = None
        if not self.manual_unlocked:
            self.manual_unlocked = True
            self._emit(now, self.index, EventType.DOOR_UNLOCKED, source)

    def unlock_for(self, now: float, seconds: int, source: Source) -> None:
        """Release for ``seconds``; a new timed release replaces a running one."""
        self.manual_unlocked = False
        self.unlock_until = now + seconds
        self.unlock_source = source
        self._emit(now, self.index, EventType.DOOR_UNLOCKED_TIMED, source)

    def lock(self, now: float, source: Source) -> None:
        was_released = self.released
        self.manual_unlocked = False
        self.unlock_until = None
        if was_released:
            self._emit(now, self.index, EventType.DOOR_LOCKED, source)

    def schedule_hold(self, now: float, schedule_id: int) -> None:
        """The unlock schedule starts: released until its end (a running timed release is
        replaced); nothing is reported when the door is already held released."""
        if not self.manual_unlocked:
            self.manual_unlocked = True
            self.unlock_until = None
            self._emit(now, self.index, EventType.STANDALONE_DOOR_UNLOCKED, schedule=schedule_id)

    def schedule_release(self, now: float, schedule_id: int) -> None:
        """The unlock schedule ends: whatever held the door released lets go (a timed release
        runs on)."""
        if self.manual_unlocked:
            self.manual_unlocked = False
            self._emit(now, self.index, EventType.STANDALONE_DOOR_RELOCKED, schedule=schedule_id)

    def schedule_disable(self, now: float, disabled: bool) -> None:
        """The disabled schedule starts (``disabled``) or ends."""
        if disabled != self.schedule_disabled:
            self.schedule_disabled = disabled
            self._emit(now, self.index, EventType.STANDALONE_DOOR_DISABLED if disabled
                       else EventType.STANDALONE_DOOR_ENABLED)

    def grant(self, now: float, extended: bool) -> None:
        """A granted card: release for the (extended) unlock time, unless already released
        until told."""
        self.extended = extended
        if self.manual_unlocked:
            return
        seconds = self.record.extended_unlock_time if extended else self.record.unlock_time
        self.unlock_for(now, seconds, Source.CARD)

    def rex(self, now: float, may_release: bool = True) -> None:
        """Request to exit: the contact may open for the unlock time without a forced alarm;
        ``may_release`` False (an interlock) keeps a REX_UNLOCKS door's lock shut."""
        self.extended = False
        self.rex_until = now + self.record.unlock_time
        self._emit(now, self.index, EventType.DOOR_REX, None)
        if DoorFlag.REX_UNLOCKS in self.record.flags and not self.manual_unlocked and may_release:
            self.unlock_for(now, self.record.unlock_time, Source.REX)

    # contact ------------------------------------------------------------------------------------

    def open(self, now: float) -> bool:
        """The contact opens; returns False when that is a forced door."""
        if self.is_open:
            return not self.forced
        self.is_open = True
        in_rex = self.rex_until is not None and now < self.rex_until
        if not self.released and not in_rex:
            self.forced = True
            self._emit(now, self.index, EventType.DOOR_FORCED_OPEN, None)
            return False
        self._emit(now, self.index, EventType.DOOR_OPENED, None)
        if not self.manual_unlocked:
            allowed = self.record.extended_open_time if self.extended else self.record.open_time
            self.open_deadline = now + allowed
            if 0 < self.record.pre_alarm_time <= allowed:
                self.pre_alarm_at = self.open_deadline - self.record.pre_alarm_time
        self.rex_until = None
        if DoorFlag.RELOCK_ON_OPEN in self.record.flags and self.unlock_until is not None:
            self.lock(now, self.unlock_source)
        return True

    def close(self, now: float) -> None:
        """The contact closes: the restore of a forced or held-open door."""
        if not self.is_open:
            return
        self.is_open = False
        self.forced = self.held = self.pre_alarm = False
        self.open_deadline = self.pre_alarm_at = None
        self._emit(now, self.index, EventType.DOOR_CLOSED, None)
        if DoorFlag.RELOCK_ON_CLOSE in self.record.flags and self.unlock_until is not None:
            relock_at = now + self.record.relock_delay
            if relock_at <= now:
                self.lock(now, self.unlock_source)
            else:
                self.unlock_until = min(self.unlock_until, relock_at)

    def hold(self, now: float) -> None:
        """Raise open-too-long now (test hook: a door held open past its time)."""
        self.open_deadline = now
        self.advance(now)

    # time ---------------------------------------------------------------------------------------

    def deadline(self) -> float | None:
        pending = [t for t in (self.unlock_until, self.rex_until, self.pre_alarm_at,
                               self.open_deadline) if t is not None]
        return min(pending) if pending else None

    def advance(self, now: float) -> None:
        """Fire every timer due at or before ``now``, each at its own time."""
        if self.rex_until is not None and self.rex_until <= now:
            self.rex_until = None
        if self.pre_alarm_at is not None and self.pre_alarm_at <= now:
            at, self.pre_alarm_at = self.pre_alarm_at, None
            self.pre_alarm = True
            self._emit(at, self.index, EventType.DOOR_PRE_ALARM, None)
        if self.open_deadline is not None and self.open_deadline <= now:
            at, self.open_deadline = self.open_deadline, None
            self.held = True
            self.pre_alarm = False
            self._emit(at, self.index, EventType.DOOR_OPEN_TOO_LONG, None)
        if self.unlock_until is not None and self.unlock_until <= now:
            at, self.unlock_until = self.unlock_until, None
            self._emit(at, self.index, EventType.DOOR_LOCKED, self.unlock_source)

    def snapshot(self, now: float) -> dict[str, Any]:
        return {"door": self.index, "lock_state": self.lock_state.name, "open": self.is_open,
                "forced": self.forced, "held_open": self.held, "pre_alarm": self.pre_alarm,
                "unlock_remaining": self.remaining_unlock(now)}
