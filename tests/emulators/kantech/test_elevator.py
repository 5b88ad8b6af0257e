"""Elevator control: floors a card may select at a cab reader, the floor selection events of
table 12 (6 bytes with a 32-bit card, 10 with a BCD card) and the floor button relays."""

from __future__ import annotations

import datetime as dt

import pytest

from emulators.kantech.errors import ModelInputError
from kantech_proto.codes import DeviceModel
from kantech_proto.controller_events import event_wire_size
from kantech_proto.event_types import AccessResult, EventType, Source
from kantech_proto.messages import StatusQuery, StatusReply
from kantech_proto.records_access import (
    EVERY_DAY,
    WEEKDAYS,
    AccessLevel,
    CardKt100,
    CardKt400,
    Day,
    Interval,
    ScheduleKt100,
    ScheduleKt400,
    ShortInterval,
)
from kantech_proto.records_elevator import (
    FloorAssignation,
    FloorButton,
    FloorDefinition,
    FloorFlag,
    FloorGroup,
    FloorGroupMask,
)
from kantech_proto.records_hardware import DoorFlag, DoorRecord

from .loaded_controller import MONDAY_9, ask, events, loaded

E = EventType
BCD = "123456789012345678"  # 18 digits: the floor event carries the last 16
RECORDS = (
    ScheduleKt400(1, (Interval(0, 1440, EVERY_DAY),)),
    ScheduleKt400(2, (Interval(8 * 60, 18 * 60, WEEKDAYS),)),
    AccessLevel(1, (1, 1)),
    DoorRecord(1, DoorFlag.ELEVATOR, unlock_time=8),
    FloorGroup(3, (1, 1, 2, 0, 1)),  # floors 1, 2, 5 always; 3 in office hours; 4 never
    FloorGroupMask(7, frozenset({4})),
    FloorDefinition(2, flags=FloorFlag.PIN_REQUIRED, name="Executive"),
    FloorDefinition(5, flags=FloorFlag.DISABLED),
    FloorDefinition(6, free_schedule=1, name="Lobby"),
    FloorAssignation((FloorButton(2), FloorButton(3), FloorButton(4), FloorButton(),
                      FloorButton(), FloorButton(40))),  # relay 40 is not on the board
    CardKt400(5001, pin="4321", access_levels=(1,), floor_group=3, uses_left=5),
    CardKt400(0, BCD, access_levels=(1,), floor_group=3),
    CardKt400(5002, access_levels=(1,), floor_group=7),
    CardKt400(5003, access_levels=(1,)),
)
SATURDAY = MONDAY_9 + dt.timedelta(days=5)


def relays_active(ctl, now):
    reply = ask(ctl, StatusQuery(), now)
    assert isinstance(reply, StatusReply)
    return reply.status.relays_active


def test_valid_floor_with_a_32_bit_card_is_six_bytes_and_releases_its_button():
    ctl = loaded(*RECORDS)
    assert ctl.present_card(1, 5001, floor=1, now=10.0) is E.FLOOR_VALID
    selection, relay = events(ctl)
    assert (selection.event_type, selection.component, selection.card_number,
            selection.floor) == (E.FLOOR_VALID, 1, 5001, 1)
    assert len(selection.encode()) == 7 + 1 + 6 and event_wire_size(E.FLOOR_VALID) == 18
    assert (relay.event_type, relay.component, relay.source) == (E.RELAY_ACTIVATED, 2,
                                                                 Source.CARD)
    assert relays_active(ctl, 17.0) == 0b10  # for the cab door's unlock time, 8 s
    ctl.advance(18.0)
    assert [(e.event_type, e.component) for e in events(ctl)] == [(E.RELAY_DEACTIVATED, 2)]
    assert ctl.records.access_records().cards[5001].uses_left == 4


def test_invalid_floors_release_nothing():
    ctl = loaded(*RECORDS)
    for floor in (4, 5, 200):  # never in the group, disabled, unknown
        assert ctl.present_card(1, 5001, floor=floor, now=10.0) is E.FLOOR_INVALID
        (selection,) = events(ctl)
        assert (selection.event_type, selection.floor) == (E.FLOOR_INVALID, floor)
    assert relays_active(ctl, 10.0) == 0
    assert ctl.records.access_records().cards[5001].uses_left == 5


def test_floor_schedule_and_pin_required_floor():
    weekend = loaded(*RECORDS, when=SATURDAY)
    assert weekend.present_card(1, 5001, floor=3, now=1.0) is E.FLOOR_INVALID  # office hours
    monday = loaded(*RECORDS)
    assert monday.present_card(1, 5001, floor=3, now=1.0) is E.FLOOR_VALID
    assert monday.present_card(1, 5001, floor=2, now=2.0) is E.FLOOR_INVALID  # no PIN
    assert monday.present_card(1, 5001, "0000", floor=2, now=3.0) is E.FLOOR_INVALID
    assert monday.present_card(1, 5001, "4321", floor=2, now=4.0) is E.FLOOR_VALID


def test_bcd_card_floor_event_is_ten_bytes_with_the_last_sixteen_digits():
    ctl = loaded(*RECORDS)
    assert ctl.present_card(1, BCD, floor=1, now=1.0) is E.FLOOR_VALID_BCD
    selection = events(ctl)[0]
    assert (selection.event_type, selection.card_digits, selection.floor) == (
        E.FLOOR_VALID_BCD, BCD[-16:], 1)
    assert len(selection.encode()) == 7 + 1 + 10 and event_wire_size(E.FLOOR_VALID_BCD) == 22
    assert ctl.present_card(1, BCD, floor=4, now=2.0) is E.FLOOR_INVALID_BCD
    assert events(ctl)[0].event_type == E.FLOOR_INVALID_BCD


def test_free_floor_and_group_mask():
    ctl = loaded(*RECORDS)
    assert ctl.present_card(1, 5003, floor=6, now=1.0) is E.FLOOR_VALID  # no group: free only
    assert ctl.present_card(1, 5003, floor=1, now=2.0) is E.FLOOR_INVALID
    assert ctl.present_card(1, 5002, floor=4, now=3.0) is E.FLOOR_VALID  # mask: any time
    assert ctl.present_card(1, 5002, floor=1, now=4.0) is E.FLOOR_INVALID


def test_card_without_a_floor_releases_every_allowed_button():
    ctl = loaded(*RECORDS)
    assert ctl.present_card(1, 5001, now=1.0) == AccessResult.GRANTED
    seen = [(e.event_type, e.component) for e in events(ctl)]
    # floors 1 and 3 (Monday 9:00) and the free lobby (relay 40, not on the board); floor 2
    # needs the PIN and 5 is disabled
    assert seen == [(E.ACCESS_GRANTED, 1), (E.RELAY_ACTIVATED, 2), (E.RELAY_ACTIVATED, 4)]


def test_a_refused_card_gets_the_access_denial_not_a_floor_event():
    ctl = loaded(*RECORDS)
    assert ctl.present_card(1, 999, floor=1, now=1.0) == AccessResult.UNKNOWN_CARD
    assert [e.event_type for e in events(ctl)] == [E.ACCESS_DENIED_UNKNOWN_CARD]


def test_kt100_cards_have_no_floor_group():
    free = FloorDefinition(6, free_schedule=1)
    ctl = loaded(ScheduleKt100(1, (ShortInterval(0, 1440, Day(0x7F)),)), AccessLevel(1, (1,)),
                 DoorRecord(1, DoorFlag.ELEVATOR), free, CardKt100(88, access_level=1),
                 model=DeviceModel.KT_100)
    assert ctl.present_card(1, 88, floor=6, now=1.0) is E.FLOOR_VALID
    assert ctl.present_card(1, 88, floor=1, now=2.0) is E.FLOOR_INVALID


def test_a_floor_needs_an_elevator_door():
    ctl = loaded(*RECORDS, DoorRecord(2))
    with pytest.raises(ModelInputError, match="elevator door"):
        ctl.present_card(2, 5001, floor=1, now=1.0)
    with pytest.raises(ModelInputError, match="floor 0"):
        ctl.present_card(1, 5001, floor=0, now=1.0)
