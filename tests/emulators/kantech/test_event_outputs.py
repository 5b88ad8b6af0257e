"""Outputs and relays driven by the controller's own events (table 12's "output by event
activation status"), on explicit ``now``."""

from __future__ import annotations

from kantech_proto.codes import ComponentKind, ManualOperation
from kantech_proto.event_types import AccessResult, EventType, Source
from kantech_proto.messages import ManualOp, StatusQuery, StatusReply
from kantech_proto.records_access import EVERY_DAY, AccessLevel, CardFlag, CardKt400, Interval, ScheduleKt400
from kantech_proto.records_hardware import (
    InputRecord,
    OutputFlag,
    OutputRecord,
    OutputTrigger,
    RelayRecord,
    Supervision,
)

from .loaded_controller import ask, events, loaded

E, T = EventType, OutputTrigger


def outputs_active(ctl, now):
    reply = ask(ctl, StatusQuery(), now)
    assert isinstance(reply, StatusReply)
    return reply.status.outputs_active


def seen(ctl):
    return [(e.event_type, e.component) for e in events(ctl)]


def test_forced_door_holds_its_output_until_the_door_closes():
    ctl = loaded(OutputRecord(1, triggers=T.DOOR_FORCED))
    assert ctl.force_door(1, 10.0)
    out = events(ctl)
    assert [(e.event_type, e.component) for e in out] == [(E.DOOR_FORCED_OPEN, 1),
                                                          (E.OUTPUT_ACTIVATED, 1)]
    assert len(out[1].encode()) == 7 + 1 + 1  # table 12: output by event activation status, 1
    assert outputs_active(ctl, 500.0) == 1  # as long as the cause lasts
    ctl.close_door(1, 600.0)
    assert seen(ctl) == [(E.DOOR_CLOSED, 1), (E.OUTPUT_DEACTIVATED, 1)]


def test_on_time_and_the_one_second_of_a_momentary_cause():
    ctl = loaded(OutputRecord(2, on_time=10, triggers=T.ACCESS_DENIED),
                 OutputRecord(3, triggers=T.ACCESS_DENIED))
    assert ctl.present_card(1, 4242, now=100.0) == AccessResult.UNKNOWN_CARD
    assert seen(ctl) == [(E.ACCESS_DENIED_UNKNOWN_CARD, 1), (E.OUTPUT_ACTIVATED, 2),
                         (E.OUTPUT_ACTIVATED, 3)]
    ctl.advance(101.0)
    assert seen(ctl) == [(E.OUTPUT_DEACTIVATED, 3)]
    ctl.advance(110.0)
    assert seen(ctl) == [(E.OUTPUT_DEACTIVATED, 2)]


def test_trigger_door_filters_and_the_last_cause_releases():
    ctl = loaded(OutputRecord(1, triggers=T.DOOR_FORCED, trigger_door=2),
                 OutputRecord(2, triggers=T.DOOR_FORCED))
    ctl.force_door(1, 1.0)
    assert seen(ctl) == [(E.DOOR_FORCED_OPEN, 1), (E.OUTPUT_ACTIVATED, 2)]  # not output 1
    ctl.force_door(2, 2.0)
    assert seen(ctl) == [(E.DOOR_FORCED_OPEN, 2), (E.OUTPUT_ACTIVATED, 1)]
    ctl.close_door(1, 3.0)
    assert seen(ctl) == [(E.DOOR_CLOSED, 1)]  # door 2 still holds output 2
    ctl.close_door(2, 4.0)
    assert seen(ctl) == [(E.DOOR_CLOSED, 2), (E.OUTPUT_DEACTIVATED, 1),
                         (E.OUTPUT_DEACTIVATED, 2)]


def test_latched_output_stays_on_until_turned_off():
    ctl = loaded(OutputRecord(4, OutputFlag.LATCHED, triggers=T.DOOR_FORCED))
    ctl.force_door(1, 1.0)
    ctl.close_door(1, 2.0)
    assert seen(ctl) == [(E.DOOR_FORCED_OPEN, 1), (E.OUTPUT_ACTIVATED, 4), (E.DOOR_CLOSED, 1)]
    assert outputs_active(ctl, 1000.0) == 0b1000
    ask(ctl, ManualOp(ManualOperation.DEACTIVATE_RELAY, ComponentKind.OUTPUT, 4, 1), 1001.0)
    assert seen(ctl) == [(E.OUTPUT_DEACTIVATED, 4)]


def test_relays_follow_inputs_until_no_input_holds_them():
    ctl = loaded(RelayRecord(3, follow_input=9), InputRecord(9, alarm_output=5),
                 InputRecord(10, alarm_relay=3))
    ctl.set_input(9, True, 1.0)
    out = events(ctl)
    assert [(e.event_type, e.component, e.source) for e in out] == [
        (E.INPUT_ALARM, 9, None), (E.RELAY_ACTIVATED, 3, Source.INPUT),
        (E.OUTPUT_ACTIVATED, 5, None)]
    ctl.set_input(10, True, 2.0)
    assert seen(ctl) == [(E.INPUT_ALARM, 10)]  # relay 3 is on already
    ctl.set_input(9, False, 3.0)
    assert seen(ctl) == [(E.INPUT_RESTORED, 9), (E.OUTPUT_DEACTIVATED, 5)]  # 10 holds relay 3
    ctl.set_input(10, False, 4.0)
    out = events(ctl)
    assert [(e.event_type, e.component, e.source) for e in out] == [
        (E.INPUT_RESTORED, 10, None), (E.RELAY_DEACTIVATED, 3, Source.INPUT)]


def test_shunting_an_input_ends_what_its_alarm_started():
    ctl = loaded(InputRecord(9, alarm_relay=2))
    ctl.set_input(9, True, 1.0)
    events(ctl)
    ask(ctl, ManualOp(ManualOperation.SHUNT_INPUT, ComponentKind.INPUT, 9, 1), 2.0)
    assert seen(ctl) == [(E.INPUT_SHUNTED, 9), (E.RELAY_DEACTIVATED, 2)]


def test_trouble_and_duress_triggers():
    always = ScheduleKt400(1, (Interval(0, 1440, EVERY_DAY),))
    card = CardKt400(77, pin="1234", flags=CardFlag.VALID | CardFlag.DURESS | CardFlag.PIN_REQUIRED,
                     access_levels=(1,))
    ctl = loaded(always, AccessLevel(1, (1,)), card,
                 InputRecord(9, supervision=Supervision.DOUBLE_EOL),
                 OutputRecord(6, triggers=T.INPUT_TROUBLE, trigger_input=9),
                 OutputRecord(7, on_time=30, triggers=T.DURESS))
    ctl.set_input_line(9, "short", 1.0)
    assert seen(ctl) == [(E.INPUT_TROUBLE_SHORT, 9), (E.OUTPUT_ACTIVATED, 6)]
    ctl.set_input_line(9, "normal", 2.0)
    assert seen(ctl) == [(E.INPUT_TROUBLE_RESTORED, 9), (E.OUTPUT_DEACTIVATED, 6)]
    assert ctl.present_card(1, 77, "1234", now=3.0) == AccessResult.GRANTED
    assert (E.OUTPUT_ACTIVATED, 7) not in seen(ctl)
    assert ctl.present_card(1, 77, "1235", now=4.0) == AccessResult.GRANTED_DURESS
    assert (E.OUTPUT_ACTIVATED, 7) in seen(ctl)
