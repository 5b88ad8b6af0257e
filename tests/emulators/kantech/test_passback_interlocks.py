"""Anti-passback (hard and soft, exemptions, resets) and door interlocks, on explicit ``now``."""

from __future__ import annotations

import datetime as dt

import pytest

from emulators.kantech.errors import ModelInputError
from kantech_proto.codes import ComponentKind, ManualOperation, NakReason, RecordType
from kantech_proto.controller_status import DoorLockState, OperationResult
from kantech_proto.event_types import AccessResult, EventType
from kantech_proto.messages import ManualOp, ManualOpReply, Nak, ReloadRecords
from kantech_proto.records_access import EVERY_DAY, AccessLevel, CardFlag, CardKt400, Interval, ScheduleKt400
from kantech_proto.records_hardware import DoorFlag, DoorRecord
from kantech_proto.records_system import GlobalSystem, SystemOption

from .loaded_controller import MONDAY_9, ask, at, events, kinds, loaded, reload

A, E = AccessResult, EventType
ALWAYS = ScheduleKt400(1, (Interval(0, 1440, EVERY_DAY),))
LEVEL = AccessLevel(1, (1, 1, 1, 1))
ADA = CardKt400(1001, access_levels=(1, 1, 1, 1))
EXEMPT = CardKt400(1002, flags=CardFlag.VALID | CardFlag.PASSBACK_EXEMPT,
                   access_levels=(1, 1, 1, 1))
HARD = DoorRecord(1, DoorFlag.RELOCK_ON_CLOSE | DoorFlag.PASSBACK, entry_reader=1, exit_reader=2)
SOFT = DoorRecord(2, DoorFlag.RELOCK_ON_CLOSE | DoorFlag.PASSBACK | DoorFlag.PASSBACK_SOFT,
                  entry_reader=3, exit_reader=4)
PASSBACK_SITE = (ALWAYS, LEVEL, ADA, EXEMPT, HARD, SOFT, DoorRecord(3))


def test_hard_passback_refuses_a_second_entry_and_a_second_exit():
    ctl = loaded(*PASSBACK_SITE)
    assert ctl.present_card(1, 1001, now=1.0) == A.GRANTED
    assert ctl.present_card(1, 1001, now=10.0) == A.PASSBACK
    assert ctl.present_card(1, 1001, now=20.0, exit=True) == A.GRANTED
    assert ctl.present_card(1, 1001, now=30.0, exit=True) == A.PASSBACK
    assert ctl.present_card(1, 1001, now=40.0) == A.GRANTED
    denied = [e for e in events(ctl) if e.event_type == E.ACCESS_DENIED_PASSBACK]
    assert len(denied) == 2 and denied[0].encode()[8] == 0x8C


def test_a_refused_passback_does_not_unlock_and_a_plain_door_is_free():
    ctl = loaded(*PASSBACK_SITE)
    ctl.present_card(1, 1001, now=1.0)
    ctl.advance(10.0)  # the grant's 5 s are over
    events(ctl)
    assert ctl.present_card(1, 1001, now=10.0) == A.PASSBACK
    assert kinds(ctl) == [E.ACCESS_DENIED_PASSBACK]  # no unlock
    assert ctl.present_card(3, 1001, now=11.0) == A.GRANTED  # door 3 has no passback
    assert ctl.present_card(3, 1001, now=12.0) == A.GRANTED


def test_soft_passback_grants_and_logs_the_violation():
    ctl = loaded(*PASSBACK_SITE)
    ctl.present_card(1, 1001, now=1.0)  # inside, through the hard door
    ctl.advance(10.0)
    events(ctl)
    assert ctl.present_card(2, 1001, now=10.0) == A.GRANTED_PASSBACK  # the zone is the controller
    violation, unlocked = events(ctl)
    assert (violation.event_type, violation.card_number) == (E.ACCESS_GRANTED_PASSBACK, 1001)
    assert violation.encode()[8] == 0x8E and len(violation.encode()) == 7 + 1 + 5
    assert unlocked.event_type == E.DOOR_UNLOCKED_TIMED
    assert ctl.present_card(2, 1001, now=20.0, exit=True) == A.GRANTED


def test_exempt_cards_and_doors_without_an_exit_reader():
    ctl = loaded(*PASSBACK_SITE)
    assert [ctl.present_card(1, 1002, now=t) for t in (1.0, 2.0, 3.0)] == [A.GRANTED] * 3
    with pytest.raises(ModelInputError, match="no exit reader"):
        ctl.present_card(3, 1001, now=4.0, exit=True)


def test_passback_is_forgiven_daily_by_card_reload_and_by_hand():
    system = GlobalSystem(1, options=SystemOption.PASSBACK_RESET_DAILY, passback_reset=3 * 60)
    ctl = loaded(system, *PASSBACK_SITE, when=MONDAY_9)
    ctl.present_card(1, 1001, now=1.0)
    ctl.advance(10.0)
    assert ctl.next_deadline() == at(ctl, MONDAY_9.replace(hour=0) + dt.timedelta(days=1))
    before = at(ctl, MONDAY_9 + dt.timedelta(hours=17, minutes=59))  # Tuesday 02:59
    assert ctl.present_card(1, 1001, now=before) == A.PASSBACK
    reset = at(ctl, MONDAY_9 + dt.timedelta(hours=18))  # Tuesday 03:00
    ctl.advance(reset)
    assert ctl.present_card(1, 1001, now=reset + 1) == A.GRANTED
    assert ctl.present_card(1, 1001, now=reset + 2) == A.PASSBACK
    # a card record outside a reload is refused (NAK 5) and forgives nobody
    assert ask(ctl, ReloadRecords(13, (ADA,)), reset + 3) == Nak(NakReason.NOT_ALLOWED)
    assert ctl.present_card(1, 1001, now=reset + 4) == A.PASSBACK
    reload(ctl, reset + 5, ADA, EXEMPT, scope=RecordType.CARD_KT400)  # a card modification
    assert ctl.present_card(1, 1001, now=reset + 6) == A.GRANTED
    assert ctl.forgive_passback(1001, now=reset + 7) == 1
    assert ctl.present_card(1, 1001, now=reset + 8) == A.GRANTED
    reload(ctl, reset + 9, *PASSBACK_SITE)  # a full reload forgives everybody
    assert ctl.present_card(1, 1001, now=reset + 10) == A.GRANTED


MANTRAP = (ALWAYS, LEVEL, ADA,
           DoorRecord(1, DoorFlag.RELOCK_ON_CLOSE | DoorFlag.REX_UNLOCKS, interlock_door=2),
           DoorRecord(2, DoorFlag.RELOCK_ON_CLOSE, interlock_door=1))


def manual(ctl, now, operation, door):
    reply = ask(ctl, ManualOp(operation, ComponentKind.DOOR, door, 1), now)
    assert isinstance(reply, ManualOpReply)
    return reply.results[0]


def test_interlocked_door_stays_locked_while_the_other_is_open_or_released():
    ctl = loaded(*MANTRAP)
    assert ctl.present_card(2, 1001, now=1.0) == A.GRANTED  # door 2 released for 5 s
    assert ctl.present_card(1, 1001, now=2.0) == A.INTERLOCKED
    denied = next(e for e in events(ctl) if e.event_type == E.ACCESS_DENIED_INTERLOCKED)
    assert denied.encode()[8] == 0x8F
    ctl.open_door(2, 3.0)  # the holder walks in: door 2 open
    ctl.advance(10.0)  # its unlock time is over but it stands open
    assert ctl.present_card(1, 1001, now=10.0) == A.INTERLOCKED
    ctl.close_door(2, 11.0)
    assert ctl.present_card(1, 1001, now=12.0) == A.GRANTED


def test_interlock_refuses_manual_unlocks_and_rex_releases():
    ctl = loaded(*MANTRAP)
    assert manual(ctl, 1.0, ManualOperation.UNLOCK_DOOR, 2).result == OperationResult.DONE
    assert manual(ctl, 2.0, ManualOperation.UNLOCK_DOOR, 1).result == \
        OperationResult.NOT_ALLOWED
    events(ctl)
    ctl.press_rex(1, 3.0)
    assert kinds(ctl) == [E.DOOR_REX]  # the REX window, but no release
    assert manual(ctl, 4.0, ManualOperation.LOCK_DOOR, 1).result == OperationResult.DONE
    assert manual(ctl, 5.0, ManualOperation.LOCK_DOOR, 2).result == OperationResult.DONE
    ok = manual(ctl, 6.0, ManualOperation.UNLOCK_DOOR, 1)
    assert (ok.result, ok.state) == (OperationResult.DONE, DoorLockState.UNLOCKED)


def test_unlock_schedule_starting_while_blocked_waits_for_its_next_start():
    office = ScheduleKt400(2, (Interval(8 * 60, 18 * 60, EVERY_DAY),))
    doors = (DoorRecord(1, interlock_door=2, unlock_schedule=2), DoorRecord(2, interlock_door=1))
    ctl = loaded(office, *doors, when=MONDAY_9.replace(hour=7))
    manual(ctl, 0.0, ManualOperation.UNLOCK_DOOR, 2)
    events(ctl)
    ctl.advance(at(ctl, MONDAY_9.replace(hour=8)))
    assert kinds(ctl) == []  # door 1 stays locked
    manual(ctl, at(ctl, MONDAY_9), ManualOperation.LOCK_DOOR, 2)
    ctl.advance(at(ctl, MONDAY_9 + dt.timedelta(days=1, hours=-1)))  # Tuesday 08:00
    assert E.STANDALONE_DOOR_UNLOCKED in kinds(ctl)
