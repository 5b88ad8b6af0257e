"""Supervised-input troubles and reader modes (card only, card and PIN, PIN only), on explicit
``now``."""

from __future__ import annotations

import pytest

from emulators.kantech.errors import ModelInputError
from kantech_proto.codes import ComponentKind, ManualOperation
from kantech_proto.event_types import AccessResult, EventType
from kantech_proto.messages import ManualOp, StatusQuery, StatusReply
from kantech_proto.records_access import (
    EVERY_DAY,
    AccessLevel,
    CardFlag,
    CardKt400,
    Interval,
    ScheduleKt400,
)
from kantech_proto.records_hardware import (
    DoorFlag,
    DoorRecord,
    InputRecord,
    NormalState,
    ReaderMode,
    Supervision,
)
from kantech_proto.records_system import GlobalSystem

from .loaded_controller import MONDAY_9, ask, events, kinds, loaded

A, E = AccessResult, EventType
N, S = NormalState, Supervision


def status(ctl, now):
    reply = ask(ctl, StatusQuery(), now)
    assert isinstance(reply, StatusReply)
    return reply.status


@pytest.mark.parametrize(("supervision", "normal", "line", "expected"), [
    (S.NONE, N.CLOSED, "open", [E.INPUT_ALARM]),  # a cut NC loop reads as the contact open
    (S.NONE, N.CLOSED, "short", []),
    (S.NONE, N.OPEN, "open", []),
    (S.NONE, N.OPEN, "short", [E.INPUT_ALARM]),
    (S.SINGLE_EOL, N.CLOSED, "open", [E.INPUT_TROUBLE_OPEN]),
    (S.SINGLE_EOL, N.CLOSED, "short", []),
    (S.SINGLE_EOL, N.OPEN, "short", [E.INPUT_ALARM]),
    (S.DOUBLE_EOL, N.CLOSED, "open", [E.INPUT_TROUBLE_OPEN]),
    (S.DOUBLE_EOL, N.OPEN, "short", [E.INPUT_TROUBLE_SHORT]),
])
def test_line_faults_by_supervision(supervision, normal, line, expected):
    ctl = loaded(InputRecord(9, normal, supervision))
    ctl.set_input_line(9, line, 1.0)
    assert kinds(ctl) == expected
    trouble = bool(expected) and expected[0] != E.INPUT_ALARM
    assert status(ctl, 1.0).inputs_trouble == (1 << 8 if trouble else 0)
    ctl.set_input_line(9, "normal", 2.0)
    restored = {E.INPUT_ALARM: [E.INPUT_RESTORED], E.INPUT_TROUBLE_OPEN: [
        E.INPUT_TROUBLE_RESTORED], E.INPUT_TROUBLE_SHORT: [E.INPUT_TROUBLE_RESTORED]}
    assert kinds(ctl) == (restored[expected[0]] if expected else [])
    assert status(ctl, 2.0).inputs_trouble == 0 and status(ctl, 2.0).inputs_alarm == 0


def test_trouble_keeps_the_alarm_and_is_reported_while_shunted():
    ctl = loaded(InputRecord(9, supervision=S.DOUBLE_EOL))
    ctl.set_input(9, True, 1.0)
    ctl.set_input_line(9, "open", 2.0)
    out = events(ctl)
    assert [e.event_type for e in out] == [E.INPUT_ALARM, E.INPUT_TROUBLE_OPEN]
    assert len(out[1].encode()) == 7 + 1 + 1  # table 12: supervised inputs report, 1 byte
    now = status(ctl, 2.0)
    assert (now.inputs_alarm, now.inputs_trouble) == (1 << 8, 1 << 8)
    ask(ctl, ManualOp(ManualOperation.SHUNT_INPUT, ComponentKind.INPUT, 9, 1), 3.0)
    ctl.set_input_line(9, "short", 4.0)
    assert kinds(ctl) == [E.INPUT_SHUNTED, E.INPUT_TROUBLE_SHORT]
    assert ctl.snapshot()["inputs"][8]["trouble"] == "short"


def test_a_supervised_door_contact_reports_trouble_instead_of_a_forced_door():
    plain = loaded(DoorRecord(1))
    plain.set_input_line(1, "open", 1.0)  # NC contact cut: reads as the door opening
    assert kinds(plain) == [E.DOOR_FORCED_OPEN]
    plain.set_input_line(1, "normal", 2.0)
    assert kinds(plain) == [E.DOOR_CLOSED]
    supervised = loaded(DoorRecord(1, DoorFlag.RELOCK_ON_CLOSE | DoorFlag.CONTACT_SUPERVISED))
    supervised.set_input_line(1, "open", 1.0)
    assert [(e.event_type, e.component) for e in events(supervised)] == [
        (E.INPUT_TROUBLE_OPEN, 1)]


def test_unknown_line_state_is_refused():
    ctl = loaded()
    with pytest.raises(ModelInputError, match="normal, open, short"):
        ctl.set_input_line(9, "cut", 1.0)


ALWAYS = ScheduleKt400(1, (Interval(0, 1440, EVERY_DAY),))
LUNCH = ScheduleKt400(2, (Interval(12 * 60, 13 * 60, EVERY_DAY),))
LEVELS = (AccessLevel(1, (1, 1, 1, 1)), AccessLevel(2, (0, 0, 0, 1)))
CARDS = (CardKt400(1001, pin="1234", access_levels=(1, 1, 1, 1)),
         CardKt400(0, "98765432109876", pin="555555", access_levels=(1, 1, 1, 1)),
         CardKt400(1003, pin="7777", flags=CardFlag.VALID | CardFlag.DURESS,
                   access_levels=(1, 1, 1, 1)),
         CardKt400(1004, pin="4444", access_levels=(0, 0, 0, 2)))
DOORS = (DoorRecord(1, reader_mode=ReaderMode.CARD_ONLY, pin_schedule=2),
         DoorRecord(2, reader_mode=ReaderMode.CARD_AND_PIN),
         DoorRecord(3, reader_mode=ReaderMode.PIN_ONLY))
SITE = (ALWAYS, LUNCH, *LEVELS, *CARDS, *DOORS)


def test_card_and_pin_reader():
    ctl = loaded(*SITE)
    assert ctl.present_card(2, 1001, now=1.0) == A.PIN_TIMEOUT
    assert ctl.present_card(2, 1001, "4321", now=2.0) == A.WRONG_PIN
    assert ctl.present_card(2, 1001, "1234", now=3.0) == A.GRANTED
    assert [e.event_type for e in events(ctl)][:3] == [E.ACCESS_DENIED_PIN_TIMEOUT,
                                                       E.ACCESS_DENIED_WRONG_PIN,
                                                       E.ACCESS_GRANTED]


def test_card_only_reader_asks_for_the_pin_on_its_pin_schedule():
    morning = loaded(*SITE)
    assert morning.present_card(1, 1001, now=1.0) == A.GRANTED
    lunch = loaded(*SITE, when=MONDAY_9.replace(hour=12, minute=30))
    assert lunch.present_card(1, 1001, now=1.0) == A.PIN_TIMEOUT
    assert lunch.present_card(1, 1001, "1234", now=2.0) == A.GRANTED


def test_pin_only_reader_finds_the_card_from_its_pin():
    ctl = loaded(*SITE)
    assert ctl.present_pin(3, "1234", now=1.0) == A.GRANTED
    granted = events(ctl)[0]
    assert (granted.event_type, granted.card_number) == (E.ACCESS_GRANTED, 1001)
    assert ctl.present_pin(3, "555555", now=10.0) == A.GRANTED
    bcd = next(e for e in events(ctl) if e.event_type == E.ACCESS_GRANTED_BCD)
    assert bcd.card_digits == "98765432109876" and len(bcd.encode()) == 7 + 1 + 11
    assert ctl.present_pin(3, "7778", now=20.0) == A.GRANTED_DURESS  # 7777 + 1
    assert ctl.present_pin(3, "0000", now=30.0) == A.WRONG_PIN
    denied = [e for e in events(ctl) if e.event_type == E.ACCESS_DENIED_WRONG_PIN]
    assert [e.card_number for e in denied] == [0]  # nobody's PIN: card 0
    assert ctl.present_pin(3, "4444", now=40.0) == A.BAD_ACCESS_LEVEL  # not at door 3
    assert ctl.present_card(3, 1001, "1234", now=50.0) == A.GRANTED  # card and PIN work too
    assert ctl.present_card(3, 1001, now=60.0) == A.PIN_TIMEOUT
    with pytest.raises(ModelInputError, match="CARD_AND_PIN"):
        ctl.present_pin(2, "1234", now=70.0)


def test_wrong_pins_lock_the_card_out():
    system = GlobalSystem(1, pin_attempts=3, pin_lockout=60)
    ctl = loaded(system, *SITE)
    for t in (1.0, 2.0, 3.0):
        assert ctl.present_card(2, 1001, "0000", now=t) == A.WRONG_PIN
    assert ctl.present_card(2, 1001, "1234", now=4.0) == A.WRONG_PIN  # locked out
    assert ctl.present_card(1, 1001, now=5.0) == A.GRANTED  # a card-only read asks no PIN
    assert ctl.present_card(2, 1001, "1234", now=63.0) == A.GRANTED  # 60 s later
    for t in (70.0, 71.0):
        ctl.present_card(2, 1001, "0000", now=t)
    assert ctl.present_card(2, 1001, "1234", now=72.0) == A.GRANTED  # two wrong, then right
    assert ctl.present_card(2, 1001, "0000", now=73.0) == A.WRONG_PIN
    assert ctl.present_card(2, 1001, "1234", now=74.0) == A.GRANTED  # the count started again


def test_reader_mode_is_the_door_records_last_byte():
    wire = DoorRecord(3, reader_mode=ReaderMode.PIN_ONLY).encode()
    assert len(wire) == 27 and wire[26] == 2
    assert DoorRecord.decode(wire).reader_mode is ReaderMode.PIN_ONLY
