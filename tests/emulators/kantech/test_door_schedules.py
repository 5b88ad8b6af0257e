"""Doors on their unlock and disabled schedules, driven by explicit ``now`` values."""

from __future__ import annotations

import datetime as dt

from kantech_proto.codes import ComponentKind, ManualOperation
from kantech_proto.controller_status import DoorLockState, OperationResult
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import AccessResult, EventType, Source
from kantech_proto.messages import ManualOp, ManualOpReply, SetDateTime, StatusQuery, StatusReply
from kantech_proto.records_access import (
    EVERY_DAY,
    WEEKDAYS,
    AccessLevel,
    CardKt400,
    Holiday,
    Holidays,
    Interval,
    ScheduleKt400,
)
from kantech_proto.records_hardware import DoorFlag, DoorRecord

from .loaded_controller import MONDAY_9, ask, at, events, kinds, loaded, stamp

E = EventType
MONDAY = MONDAY_9.replace(hour=0)
NIGHT = ScheduleKt400(1, (Interval(22 * 60, 6 * 60, EVERY_DAY),))  # 22:00 to 06:00
OFFICE = ScheduleKt400(2, (Interval(8 * 60, 18 * 60, EVERY_DAY),))
ALWAYS = ScheduleKt400(9, (Interval(0, 1440, EVERY_DAY),))


def lock_state(ctl, now, door=1):
    reply = ask(ctl, StatusQuery(), now)
    assert isinstance(reply, StatusReply)
    return reply.status.doors[door - 1].lock_state


def manual(ctl, now, operation, door=1, duration=0):
    reply = ask(ctl, ManualOp(operation, ComponentKind.DOOR, door, 1, duration), now)
    assert isinstance(reply, ManualOpReply)
    return reply.results[0]


def hhmm(day, hour, minute=0):
    return MONDAY + dt.timedelta(days=day, hours=hour, minutes=minute)


def test_unlock_schedule_crossing_midnight_unlocks_and_relocks_on_time():
    ctl = loaded(NIGHT, DoorRecord(1, unlock_schedule=1), when=hhmm(0, 21))
    assert lock_state(ctl, 0.0) == DoorLockState.LOCKED
    assert ctl.next_deadline() == at(ctl, hhmm(0, 22))  # it wakes at the edge, not each minute
    ctl.advance(at(ctl, hhmm(1, 7)))  # one jump over the night: each edge at its own time
    unlocked, relocked = events(ctl)
    assert (unlocked.event_type, unlocked.component, unlocked.schedule) == (
        E.STANDALONE_DOOR_UNLOCKED, 1, 1)
    assert stamp(unlocked) == hhmm(0, 22)
    assert (relocked.event_type, relocked.schedule) == (E.STANDALONE_DOOR_RELOCKED, 1)
    assert stamp(relocked) == hhmm(1, 6)
    assert len(unlocked.encode()) == 7 + 1 + 2  # table 12: stand-alone unlock status, 2 bytes
    assert lock_state(ctl, at(ctl, hhmm(1, 7))) == DoorLockState.LOCKED
    assert ctl.next_deadline() == at(ctl, hhmm(1, 22))


def test_status_shows_the_door_held_by_its_schedule():
    ctl = loaded(NIGHT, DoorRecord(1, unlock_schedule=1), when=hhmm(0, 23))
    assert kinds(ctl) == []  # loaded() took the reload's own events ...
    assert lock_state(ctl, 1.0) == DoorLockState.UNLOCKED  # ... the door unlocked at the reload
    assert ctl.snapshot()["doors"][0]["lock_state"] == "UNLOCKED"


def test_a_holiday_replaces_the_weekday():
    holidays = Holidays((Holiday(3, 5, 2, 2024),))  # Tuesday 5 March 2024, type 2
    weekdays = ScheduleKt400(2, (Interval(8 * 60, 18 * 60, WEEKDAYS),
                                 Interval(10 * 60, 12 * 60, holiday_types=0b10)))
    ctl = loaded(weekdays, holidays, DoorRecord(1, unlock_schedule=2), when=hhmm(0, 19))
    ctl.advance(at(ctl, hhmm(2, 9)))  # through the holiday into Wednesday morning
    seen = [(e.event_type, stamp(e)) for e in events(ctl)]
    assert seen == [(E.STANDALONE_DOOR_UNLOCKED, hhmm(1, 10)),  # the holiday's own interval
                    (E.STANDALONE_DOOR_RELOCKED, hhmm(1, 12)),
                    (E.STANDALONE_DOOR_UNLOCKED, hhmm(2, 8))]  # Wednesday is a weekday again


def test_manual_lock_holds_until_the_schedules_next_start():
    ctl = loaded(OFFICE, DoorRecord(1, unlock_schedule=2), when=hhmm(0, 9))
    assert lock_state(ctl, 0.0) == DoorLockState.UNLOCKED
    assert manual(ctl, 60.0, ManualOperation.LOCK_DOOR).result == OperationResult.DONE
    assert [(e.event_type, e.source) for e in events(ctl)] == [(E.DOOR_LOCKED, Source.MANUAL)]
    ctl.advance(at(ctl, hhmm(0, 18, 30)))
    assert kinds(ctl) == []  # the end has nothing to relock
    ctl.advance(at(ctl, hhmm(1, 8)))
    assert kinds(ctl) == [E.STANDALONE_DOOR_UNLOCKED]  # the next start wins again
    assert lock_state(ctl, at(ctl, hhmm(1, 8))) == DoorLockState.UNLOCKED


def test_manual_unlock_lasts_until_the_schedule_ends():
    ctl = loaded(OFFICE, DoorRecord(1, unlock_schedule=2), when=hhmm(0, 7))
    manual(ctl, 0.0, ManualOperation.UNLOCK_DOOR)
    assert kinds(ctl) == [E.DOOR_UNLOCKED]
    ctl.advance(at(ctl, hhmm(0, 9)))
    assert kinds(ctl) == []  # already released: the start reports nothing
    ctl.advance(at(ctl, hhmm(0, 18)))
    assert [(e.event_type, e.schedule) for e in events(ctl)] == [
        (E.STANDALONE_DOOR_RELOCKED, 2)]
    assert lock_state(ctl, at(ctl, hhmm(0, 18))) == DoorLockState.LOCKED


def test_a_timed_unlock_runs_its_time_past_the_schedules_end():
    ctl = loaded(OFFICE, DoorRecord(1, unlock_schedule=2), when=hhmm(0, 17, 59))
    manual(ctl, 0.0, ManualOperation.UNLOCK_DOOR_TIMED, duration=120)
    assert kinds(ctl) == [E.DOOR_UNLOCKED_TIMED]
    ctl.advance(at(ctl, hhmm(0, 18)))
    assert kinds(ctl) == []
    assert lock_state(ctl, at(ctl, hhmm(0, 18))) == DoorLockState.UNLOCKED_TIMED
    ctl.advance(at(ctl, hhmm(0, 18, 2)))
    assert [(e.event_type, stamp(e)) for e in events(ctl)] == [(E.DOOR_LOCKED, hhmm(0, 18, 1))]


def test_first_person_in_waits_for_a_granted_card():
    card = CardKt400(1001, access_levels=(1,))
    ctl = loaded(OFFICE, ALWAYS, AccessLevel(1, (9,)), card,
                 DoorRecord(1, DoorFlag.RELOCK_ON_CLOSE | DoorFlag.FIRST_PERSON_IN,
                            unlock_schedule=2), when=hhmm(0, 7, 30))
    ctl.advance(at(ctl, hhmm(0, 8, 15)))
    assert kinds(ctl) == []
    assert lock_state(ctl, at(ctl, hhmm(0, 8, 15))) == DoorLockState.LOCKED
    now = at(ctl, hhmm(0, 8, 20))
    assert ctl.present_card(1, 1001, now=now) == AccessResult.GRANTED
    assert kinds(ctl) == [E.ACCESS_GRANTED, E.DOOR_UNLOCKED_TIMED, E.STANDALONE_DOOR_UNLOCKED]
    assert lock_state(ctl, now + 60) == DoorLockState.UNLOCKED  # held, not the card's 5 s
    ctl.advance(at(ctl, hhmm(0, 18)))
    assert kinds(ctl) == [E.STANDALONE_DOOR_RELOCKED]
    ctl.advance(at(ctl, hhmm(1, 9)))
    assert kinds(ctl) == []  # a new day waits for its own first person


def test_disabled_schedule_refuses_cards_and_manual_unlocks():
    lunch = ScheduleKt400(3, (Interval(12 * 60, 13 * 60, EVERY_DAY),))
    card = CardKt400(1001, access_levels=(1,))
    ctl = loaded(lunch, ALWAYS, AccessLevel(1, (9,)), card,
                 DoorRecord(1, disabled_schedule=3), when=hhmm(0, 11, 59))
    noon = at(ctl, hhmm(0, 12))
    ctl.advance(noon)
    assert kinds(ctl) == [E.STANDALONE_DOOR_DISABLED]
    assert lock_state(ctl, noon) == DoorLockState.DISABLED
    assert ctl.present_card(1, 1001, now=noon + 1) == AccessResult.DOOR_DISABLED
    assert manual(ctl, noon + 2, ManualOperation.UNLOCK_DOOR).result == \
        OperationResult.NOT_ALLOWED
    events(ctl)
    ctl.advance(at(ctl, hhmm(0, 13)))
    assert kinds(ctl) == [E.STANDALONE_DOOR_ENABLED]
    assert ctl.present_card(1, 1001, now=at(ctl, hhmm(0, 13, 1))) == AccessResult.GRANTED


def test_power_up_and_a_new_clock_take_the_schedules_state():
    ctl = loaded(OFFICE, DoorRecord(1, unlock_schedule=2), when=hhmm(0, 9))
    ctl.reboot(10.0)
    assert kinds(ctl) == [E.POWER_UP, E.STANDALONE_DOOR_UNLOCKED]
    evening = KantechDateTime.from_datetime(hhmm(0, 20))
    ask(ctl, SetDateTime(evening), 20.0)  # the gateway moves the clock out of the schedule
    assert kinds(ctl) == [E.STANDALONE_DOOR_RELOCKED]
    assert ctl.next_deadline() == at(ctl, hhmm(1, 0))  # midnight, then 08:00


def test_a_controller_without_schedules_never_wakes():
    ctl = loaded(OFFICE, DoorRecord(1))
    assert ctl.next_deadline() is None  # a fleet of plain controllers costs no timers
