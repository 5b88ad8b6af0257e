"""The door state machine, driven with explicit ``now`` values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from emulators.kantech.door_state import Door
from kantech_proto.controller_status import DoorFlag as StatusFlag
from kantech_proto.controller_status import DoorLockState
from kantech_proto.event_types import EventType, Source
from kantech_proto.records_hardware import DoorFlag, DoorRecord


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[float, EventType, Source | None]] = []

    def __call__(self, at: float, component: int, event_type: EventType,
                 source: Source | None = None, minutes: int | None = None) -> None:
        self.events.append((at, event_type, source))

    def types(self) -> list[EventType]:
        return [e[1] for e in self.events]


def make(**fields: object) -> tuple[Door, Recorder]:
    rec = Recorder()
    return Door(1, rec, DoorRecord(door=1, **fields)), rec  # type: ignore[arg-type]


def test_grant_unlocks_for_unlock_time_then_relocks() -> None:
    door, rec = make(unlock_time=5, flags=DoorFlag(0))
    door.grant(100.0, extended=False)
    assert door.lock_state == DoorLockState.UNLOCKED_TIMED
    assert door.deadline() == 105.0
    door.advance(104.9)
    assert door.lock_state == DoorLockState.UNLOCKED_TIMED
    door.advance(105.0)
    assert door.lock_state == DoorLockState.LOCKED
    assert rec.events == [(100.0, EventType.DOOR_UNLOCKED_TIMED, Source.CARD),
                          (105.0, EventType.DOOR_LOCKED, Source.CARD)]


def test_extended_unlock_uses_extended_time() -> None:
    door, _ = make(unlock_time=5, extended_unlock_time=20)
    door.grant(0.0, extended=True)
    assert door.deadline() == 20.0


def test_opening_a_locked_door_is_forced_and_closing_restores() -> None:
    door, rec = make()
    assert door.open(1.0) is False
    assert door.forced and StatusFlag.FORCED in door.status(1.0).flags
    door.close(2.0)
    assert not door.forced
    assert rec.types() == [EventType.DOOR_FORCED_OPEN, EventType.DOOR_CLOSED]


def test_rex_window_makes_opening_a_passage() -> None:
    door, rec = make(unlock_time=5)
    door.rex(0.0)
    assert door.lock_state == DoorLockState.LOCKED  # REX_UNLOCKS not set: only masks the contact
    assert door.open(3.0) is True
    assert rec.types() == [EventType.DOOR_REX, EventType.DOOR_OPENED]


def test_rex_window_expires() -> None:
    door, _ = make(unlock_time=5)
    door.rex(0.0)
    door.advance(5.0)
    assert door.open(6.0) is False


def test_rex_unlocks_flag_releases_the_lock() -> None:
    door, _ = make(unlock_time=5, flags=DoorFlag.REX_UNLOCKS)
    door.rex(0.0)
    assert door.lock_state == DoorLockState.UNLOCKED_TIMED


def test_held_open_after_grant_raises_pre_alarm_then_open_too_long() -> None:
    door, rec = make(unlock_time=5, open_time=30, pre_alarm_time=10, flags=DoorFlag(0))
    door.grant(0.0, extended=False)
    door.open(2.0)
    for t in (5.0, 22.0, 32.0):
        door.advance(t)
    assert door.held and StatusFlag.HELD_OPEN in door.status(32.0).flags
    assert rec.events[1:] == [(2.0, EventType.DOOR_OPENED, None),
                              (5.0, EventType.DOOR_LOCKED, Source.CARD),
                              (22.0, EventType.DOOR_PRE_ALARM, None),
                              (32.0, EventType.DOOR_OPEN_TOO_LONG, None)]
    door.close(40.0)
    assert not door.held and rec.types()[-1] == EventType.DOOR_CLOSED


def test_relock_on_close() -> None:
    door, _ = make(unlock_time=30, flags=DoorFlag.RELOCK_ON_CLOSE, relock_delay=2)
    door.grant(0.0, extended=False)
    door.open(1.0)
    door.close(3.0)
    assert door.deadline() == 5.0
    door.advance(5.0)
    assert door.lock_state == DoorLockState.LOCKED


def test_relock_on_open() -> None:
    door, _ = make(unlock_time=30, flags=DoorFlag.RELOCK_ON_OPEN)
    door.grant(0.0, extended=False)
    door.open(1.0)
    assert door.lock_state == DoorLockState.LOCKED and not door.forced


def test_manual_unlock_until_told_has_no_held_timer() -> None:
    door, rec = make()
    door.unlock(0.0, Source.MANUAL)
    door.open(1.0)
    assert door.deadline() is None
    door.lock(5.0, Source.MANUAL)
    assert rec.events[0] == (0.0, EventType.DOOR_UNLOCKED, Source.MANUAL)
    assert rec.events[-1] == (5.0, EventType.DOOR_LOCKED, Source.MANUAL)


def test_disabled_door_reports_disabled_state() -> None:
    door, _ = make(flags=DoorFlag.DISABLED)
    assert door.status(0.0).lock_state == DoorLockState.DISABLED


@given(st.integers(0, 0xFFFF), st.floats(0, 1e6, allow_nan=False))
def test_grant_releases_for_exactly_unlock_time(unlock: int, start: float) -> None:
    door, _ = make(unlock_time=unlock, extended_unlock_time=unlock, flags=DoorFlag(0))
    door.grant(start, extended=False)
    end = start + unlock
    if end > start:
        door.advance(start + unlock * 0.999)
        assert door.lock_state == DoorLockState.UNLOCKED_TIMED
    door.advance(end)
    assert door.lock_state == DoorLockState.LOCKED
