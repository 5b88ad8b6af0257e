"""Relays, outputs and shunts on schedules, and the action scheduler, on explicit ``now``."""

from __future__ import annotations

import datetime as dt

from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation
from kantech_proto.controller_status import DoorLockState
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import EventType, Source
from kantech_proto.messages import ManualOp, SetDateTime, StatusQuery, StatusReply
from kantech_proto.records_access import (
    EVERY_DAY,
    WEEKDAYS,
    Day,
    Holiday,
    Holidays,
    Interval,
    ScheduleKt400,
)
from kantech_proto.records_actions import ActionFlag, ActionScheduler, InputGroup, RelayGroup
from kantech_proto.records_hardware import InputRecord, OutputRecord, RelayFlag, RelayRecord

from .loaded_controller import MONDAY_9, ask, at, events, kinds, loaded, stamp

E, Op = EventType, ManualOperation
MONDAY = MONDAY_9.replace(hour=0)
OFFICE = ScheduleKt400(2, (Interval(8 * 60, 18 * 60, WEEKDAYS),))


def hhmm(day, hour, minute=0):
    return MONDAY + dt.timedelta(days=day, hours=hour, minutes=minute)


def status(ctl, now):
    reply = ask(ctl, StatusQuery(), now)
    assert isinstance(reply, StatusReply)
    return reply.status


def test_relay_on_its_schedule_reports_the_stand_alone_rows():
    ctl = loaded(OFFICE, RelayRecord(2, schedule=2), when=hhmm(0, 7))
    ctl.advance(at(ctl, hhmm(0, 8)))
    on = events(ctl)
    assert [(e.event_type, e.component, e.schedule) for e in on] == [
        (E.STANDALONE_RELAY_ACTIVATED, 2, 2)]
    assert len(on[0].encode()) == 7 + 1 + 2
    assert status(ctl, at(ctl, hhmm(0, 8))).relays_active == 0b10
    ctl.advance(at(ctl, hhmm(0, 19)))
    off = events(ctl)
    assert [(e.event_type, stamp(e)) for e in off] == [(E.STANDALONE_RELAY_DEACTIVATED,
                                                         hhmm(0, 18))]
    assert status(ctl, at(ctl, hhmm(0, 19))).relays_active == 0


def test_output_and_shunt_schedules():
    night = ScheduleKt400(4, (Interval(20 * 60, 6 * 60, EVERY_DAY),))
    ctl = loaded(night, OutputRecord(3, schedule=4), InputRecord(9, shunt_schedule=4),
                 when=hhmm(0, 19))
    ctl.set_input(9, True, at(ctl, hhmm(0, 19, 30)))
    assert kinds(ctl) == [E.INPUT_ALARM]
    ctl.advance(at(ctl, hhmm(1, 7)))
    seen = [(e.event_type, e.component, e.source, stamp(e)) for e in events(ctl)]
    assert seen == [
        (E.OUTPUT_ACTIVATED, 3, None, hhmm(0, 20)),
        (E.INPUT_SHUNTED, 9, Source.SCHEDULE, hhmm(0, 20)),
        (E.OUTPUT_DEACTIVATED, 3, None, hhmm(1, 6)),
        (E.INPUT_UNSHUNTED, 9, Source.SCHEDULE, hhmm(1, 6)),
        (E.INPUT_ALARM, 9, None, hhmm(1, 6)),  # still active: back in alarm when unshunted
    ]


def test_a_relay_switched_by_hand_holds_until_the_next_edge():
    ctl = loaded(OFFICE, RelayRecord(1, schedule=2), when=hhmm(0, 9))
    assert kinds(ctl) == []
    assert status(ctl, 0.0).relays_active == 1
    ask(ctl, ManualOp(Op.DEACTIVATE_RELAY, ComponentKind.RELAY, 1, 1), 5.0)
    assert [(e.event_type, e.source) for e in events(ctl)] == [(E.RELAY_DEACTIVATED,
                                                                 Source.MANUAL)]
    ctl.advance(at(ctl, hhmm(0, 18, 1)))
    assert kinds(ctl) == []  # the end finds it off already
    ctl.advance(at(ctl, hhmm(1, 8)))
    assert kinds(ctl) == [E.STANDALONE_RELAY_ACTIVATED]


def test_action_runs_at_its_time_on_its_days_with_its_source():
    unlock = ActionScheduler(1, Op.UNLOCK_DOOR, first_index=1, at=8 * 60, days=Day.MON | Day.WED,
                             flags=ActionFlag.REPORT)
    lock = ActionScheduler(2, Op.LOCK_DOOR, first_index=1, at=17 * 60 + 30, days=EVERY_DAY)
    ctl = loaded(unlock, lock, when=hhmm(0, 7))
    assert ctl.next_deadline() == at(ctl, hhmm(0, 8))
    ctl.advance(at(ctl, hhmm(0, 12)))
    seen = [(e.event_type, e.component, e.source, stamp(e)) for e in events(ctl)]
    assert seen == [(E.DOOR_UNLOCKED, 1, Source.ACTION, hhmm(0, 8)),
                    (E.COMMAND_DONE, 1, None, hhmm(0, 8))]
    ctl.advance(at(ctl, hhmm(1, 12)))  # Tuesday: only the lock runs (Monday's 17:30 too)
    assert [(e.event_type, stamp(e)) for e in events(ctl)] == [
        (E.DOOR_LOCKED, hhmm(0, 17, 30))]  # Tuesday's lock finds the door locked: no event
    ctl.advance(at(ctl, hhmm(2, 9)))
    assert kinds(ctl) == [E.DOOR_UNLOCKED, E.COMMAND_DONE]


def test_repeating_action_on_relay_groups_only_while_its_condition_holds():
    pulse = ActionScheduler(5, Op.ACTIVATE_RELAY_TIMED, first_index=1, count=2, duration=60,
                            at=9 * 60, repeat_every=30, repeat_until=10 * 60,
                            days=WEEKDAYS, condition_schedule=2,
                            flags=ActionFlag.GROUPS | ActionFlag.REPORT)
    ctl = loaded(OFFICE, RelayGroup(1, frozenset({1, 3})), RelayGroup(2, frozenset({4})), pulse,
                 when=hhmm(0, 8, 59))
    ctl.advance(at(ctl, hhmm(0, 10)) + 30)
    runs = [stamp(e) for e in events(ctl) if e.event_type == E.COMMAND_DONE]
    assert runs == [hhmm(0, 9), hhmm(0, 9, 30), hhmm(0, 10)]  # 09:00, 09:30, 10:00 and no more
    assert status(ctl, at(ctl, hhmm(0, 10)) + 30).relays_active == 0b1101
    assert status(ctl, at(ctl, hhmm(0, 10, 1))).relays_active == 0  # each run lasts 60 s
    ctl.advance(at(ctl, hhmm(5, 11)))  # Saturday: not a weekday, and OFFICE is not in force
    assert [e for e in events(ctl) if e.event_type == E.COMMAND_DONE and
            stamp(e) >= hhmm(5, 0)] == []


def test_action_on_holidays_outputs_and_input_groups():
    holidays = Holidays((Holiday(3, 6, 3, 2024),))  # Wednesday 6 March, type 3
    siren = ActionScheduler(1, Op.ACTIVATE_RELAY_TIMED, first_index=2, duration=10, at=12 * 60,
                            days=EVERY_DAY, flags=ActionFlag.OUTPUTS)
    shunt = ActionScheduler(2, Op.SHUNT_INPUT, first_index=7, at=12 * 60, holiday_types=0b100,
                            flags=ActionFlag.GROUPS)
    ctl = loaded(holidays, siren, shunt, InputGroup(7, frozenset({4, 5})), when=hhmm(1, 11))
    ctl.advance(at(ctl, hhmm(2, 12)) + 5)
    seen = [(e.event_type, e.component, stamp(e)) for e in events(ctl)]
    assert seen == [
        (E.OUTPUT_ACTIVATED, 2, hhmm(1, 12)),  # Tuesday: the siren's weekday
        (E.OUTPUT_DEACTIVATED, 2, hhmm(1, 12) + dt.timedelta(seconds=10)),
        (E.INPUT_SHUNTED, 4, hhmm(2, 12)),  # the holiday: only the type-3 action
        (E.INPUT_SHUNTED, 5, hhmm(2, 12)),
    ]  # and no COMMAND_DONE: neither action has REPORT
    assert status(ctl, at(ctl, hhmm(2, 12)) + 5).inputs_shunted == 0b11000


def test_refused_run_reports_command_refused():
    ghost = ActionScheduler(3, Op.UNLOCK_DOOR, first_index=4, at=8 * 60, days=EVERY_DAY,
                            flags=ActionFlag.REPORT)  # a KT-1 has no door 4
    ctl = loaded(ghost, model=DeviceModel.KT_1, when=hhmm(0, 7))
    ctl.advance(at(ctl, hhmm(0, 8)))
    assert [(e.event_type, e.component) for e in events(ctl)] == [(E.COMMAND_REFUSED, 3)]


def test_a_clock_moved_forward_makes_up_no_run_but_power_up_makes_up_run_missed():
    lock = ActionScheduler(1, Op.UNLOCK_DOOR, at=8 * 60, days=EVERY_DAY)
    missed = ActionScheduler(2, Op.ACTIVATE_RELAY, first_index=2, at=8 * 60, days=EVERY_DAY,
                             flags=ActionFlag.RUN_MISSED)
    ctl = loaded(lock, missed, when=hhmm(0, 7))
    ask(ctl, SetDateTime(KantechDateTime.from_datetime(hhmm(0, 9))), 10.0)
    assert kinds(ctl) == []  # 08:00 was jumped over
    ctl.reboot(20.0)
    assert [(e.event_type, e.component) for e in events(ctl)] == [
        (E.POWER_UP, 0), (E.RELAY_ACTIVATED, 2)]  # only the RUN_MISSED action
    ctl.reboot(30.0)
    assert kinds(ctl) == [E.POWER_UP]  # that run is made: not again
    assert status(ctl, 30.0).doors[0].lock_state == DoorLockState.LOCKED


def test_relay_without_report_flag_changes_silently():
    ctl = loaded(RelayRecord(1, flags=RelayFlag(0)), RelayRecord(2))
    ask(ctl, ManualOp(Op.ACTIVATE_RELAY, ComponentKind.RELAY, 1, 2), 1.0)
    assert [(e.event_type, e.component) for e in events(ctl)] == [(E.RELAY_ACTIVATED, 2)]
    assert status(ctl, 1.0).relays_active == 0b11
