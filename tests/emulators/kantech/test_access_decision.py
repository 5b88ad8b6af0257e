"""The access decision against the records' documented meanings (records_access.py)."""

from __future__ import annotations

import datetime as _dt

from hypothesis import given
from hypothesis import strategies as st

from emulators.kantech.access_decision import AccessRecords, decide_access, duress_pin
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import AccessResult
from kantech_proto.records_access import (
    WEEKDAYS,
    AccessLevel,
    CardFlag,
    CardKt100,
    CardKt400,
    Day,
    Holiday,
    Holidays,
    Interval,
    ScheduleKt100,
    ScheduleKt400,
    ShortCardFlag,
    ShortInterval,
)
from kantech_proto.records_hardware import DoorFlag, DoorRecord

# 2024-03-04 is a Monday (weekday 0); 2024-03-09 a Saturday
MONDAY_10 = KantechDateTime(2024, 3, 4, 10, 0, 0, 0)
MONDAY_20 = KantechDateTime(2024, 3, 4, 20, 0, 0, 0)
SATURDAY_10 = KantechDateTime(2024, 3, 9, 10, 0, 0, 5)
OFFICE = ScheduleKt400(1, (Interval(8 * 60, 18 * 60, WEEKDAYS),))
HOLIDAY_ONLY = ScheduleKt400(2, (Interval(0, 1440, Day(0), holiday_types=0b10),))
LEVEL = AccessLevel(1, (1, 2, 0, 0))  # site door 1 office hours, door 2 holidays of type 2
DOOR1 = DoorRecord(door=1)


def records(*cards: CardKt400 | CardKt100, holidays: Holidays | None = None,
            schedules: tuple[ScheduleKt400 | ScheduleKt100, ...] = (OFFICE, HOLIDAY_ONLY),
            ) -> AccessRecords:
    keyed = {c.card_number if c.card_number else c.card_digits: c  # type: ignore[union-attr]
             for c in cards}
    return AccessRecords(keyed, {1: LEVEL}, {s.schedule_id: s for s in schedules}, holidays)


CARD = CardKt400(1234, access_levels=(1, 1, 0, 0))


def test_card_inside_schedule_is_granted() -> None:
    assert decide_access(1234, 1, records(CARD), DOOR1, MONDAY_10).result == AccessResult.GRANTED


def test_outside_time_or_weekday_is_outside_schedule() -> None:
    for clock in (MONDAY_20, SATURDAY_10):
        assert decide_access(1234, 1, records(CARD), DOOR1, clock).result == \
            AccessResult.OUTSIDE_SCHEDULE


def test_unknown_card() -> None:
    assert decide_access(99, 1, records(CARD), DOOR1, MONDAY_10).result == \
        AccessResult.UNKNOWN_CARD


def test_door_without_level_is_bad_access_level() -> None:
    assert decide_access(1234, 3, records(CARD), DoorRecord(door=3), MONDAY_10).result == \
        AccessResult.BAD_ACCESS_LEVEL


def test_holiday_replaces_weekday() -> None:
    # Monday 4 March as a type-2 holiday: office hours (weekdays) no longer apply ...
    holidays = Holidays((Holiday(3, 4, holiday_type=2),))
    recs = records(CARD, holidays=holidays)
    assert decide_access(1234, 1, recs, DOOR1, MONDAY_10).result == AccessResult.OUTSIDE_SCHEDULE
    # ... and the door-2 schedule active on type-2 holidays does
    assert decide_access(1234, 2, recs, DoorRecord(door=2), MONDAY_10).result == \
        AccessResult.GRANTED
    other_type = records(CARD, holidays=Holidays((Holiday(3, 4, holiday_type=1),)))
    assert decide_access(1234, 2, other_type, DoorRecord(door=2), MONDAY_10).result == \
        AccessResult.OUTSIDE_SCHEDULE


def test_card_state_flags() -> None:
    lost = CardKt400(1, flags=CardFlag.VALID | CardFlag.LOST_STOLEN, access_levels=(1,))
    suspended = CardKt400(2, flags=CardFlag(0), access_levels=(1,))
    recs = records(lost, suspended)
    assert decide_access(1, 1, recs, DOOR1, MONDAY_10).result == AccessResult.LOST_STOLEN
    assert decide_access(2, 1, recs, DOOR1, MONDAY_10).result == AccessResult.CARD_SUSPENDED


def test_validity_dates_are_inclusive() -> None:
    card = CardKt400(5, access_levels=(1,), valid_from=_dt.date(2024, 3, 4),
                     valid_until=_dt.date(2024, 3, 4))
    recs = records(card)
    assert decide_access(5, 1, recs, DOOR1, MONDAY_10).result == AccessResult.GRANTED
    sunday = KantechDateTime(2024, 3, 3, 10, 0, 0, 6)
    tuesday = KantechDateTime(2024, 3, 5, 10, 0, 0, 1)
    assert decide_access(5, 1, recs, DOOR1, sunday).result == AccessResult.NOT_YET_VALID
    assert decide_access(5, 1, recs, DOOR1, tuesday).result == AccessResult.EXPIRED


def test_no_uses_left() -> None:
    card = CardKt400(6, access_levels=(1,), uses_left=0)
    assert decide_access(6, 1, records(card), DOOR1, MONDAY_10).result == \
        AccessResult.NO_USES_LEFT


def test_pin_required_by_card() -> None:
    card = CardKt400(7, pin="1234", flags=CardFlag.VALID | CardFlag.PIN_REQUIRED | CardFlag.DURESS,
                     access_levels=(1,))
    recs = records(card)
    assert decide_access(7, 1, recs, DOOR1, MONDAY_10).result == AccessResult.PIN_TIMEOUT
    assert decide_access(7, 1, recs, DOOR1, MONDAY_10, "1234").result == AccessResult.GRANTED
    assert decide_access(7, 1, recs, DOOR1, MONDAY_10, "1235").result == \
        AccessResult.GRANTED_DURESS
    assert decide_access(7, 1, recs, DOOR1, MONDAY_10, "0000").result == AccessResult.WRONG_PIN


def test_duress_needs_the_duress_flag() -> None:
    card = CardKt400(8, pin="1234", flags=CardFlag.VALID | CardFlag.PIN_REQUIRED,
                     access_levels=(1,))
    assert decide_access(8, 1, records(card), DOOR1, MONDAY_10, "1235").result == \
        AccessResult.WRONG_PIN


def test_pin_required_by_door_pin_schedule() -> None:
    card = CardKt400(9, pin="42", access_levels=(1,))
    door = DoorRecord(door=1, pin_schedule=1)
    assert decide_access(9, 1, records(card), door, MONDAY_10).result == AccessResult.PIN_TIMEOUT
    assert decide_access(9, 1, records(card), door, MONDAY_10, "42").result == AccessResult.GRANTED


def test_disabled_door() -> None:
    disabled = DoorRecord(door=1, flags=DoorFlag.DISABLED)
    assert decide_access(1234, 1, records(CARD), disabled, MONDAY_10).result == \
        AccessResult.DOOR_DISABLED
    by_schedule = DoorRecord(door=1, disabled_schedule=1)
    assert decide_access(1234, 1, records(CARD), by_schedule, MONDAY_10).result == \
        AccessResult.DOOR_DISABLED


def test_without_clock_a_card_is_outside_schedule() -> None:
    assert decide_access(1234, 1, records(CARD), DOOR1, None).result == \
        AccessResult.OUTSIDE_SCHEDULE


def test_bcd_card_found_by_digits() -> None:
    card = CardKt400(0, card_digits="12345678901234", access_levels=(1,))
    assert decide_access("12345678901234", 1, records(card), DOOR1, MONDAY_10).result == \
        AccessResult.GRANTED


def test_site_door_selects_the_level_entry() -> None:
    # the controller's door 1 is site door 2, which the level opens only on type-2 holidays
    assert decide_access(1234, 1, records(CARD), DOOR1, MONDAY_10, site_door=2).result == \
        AccessResult.OUTSIDE_SCHEDULE


def test_kt100_card_uses_its_single_level_and_holiday_day_bit() -> None:
    short = ScheduleKt100(1, (ShortInterval(0, 1440, Day.HOLIDAY),))
    card = CardKt100(77, flags=ShortCardFlag.VALID, access_level=1)
    recs = AccessRecords({77: card}, {1: LEVEL}, {1: short},
                         Holidays((Holiday(3, 4, holiday_type=5),)))
    assert decide_access(77, 1, recs, DOOR1, MONDAY_10).result == AccessResult.GRANTED
    assert decide_access(77, 1, recs, DOOR1, SATURDAY_10).result == AccessResult.OUTSIDE_SCHEDULE


def test_duress_pin_keeps_its_width() -> None:
    assert duress_pin("0041") == "0042"
    assert duress_pin("9999") == "0000"


clocks = st.builds(lambda d, m: KantechDateTime.from_datetime(
    _dt.datetime.combine(d, _dt.time()) + _dt.timedelta(minutes=m)),
    st.dates(_dt.date(2020, 1, 1), _dt.date(2030, 12, 31)), st.integers(0, 1439))


@given(clocks, st.sampled_from([1234, 99]), st.sampled_from([None, "1234", "0"]))
def test_decision_is_deterministic_and_follows_schedule(clock: KantechDateTime, card: int,
                                                        pin: str | None) -> None:
    recs = records(CARD)
    first = decide_access(card, 1, recs, DOOR1, clock, pin)
    assert decide_access(card, 1, recs, DOOR1, clock, pin) == first
    minute = clock.hour * 60 + clock.minute
    in_office = clock.weekday < 5 and 8 * 60 <= minute < 18 * 60
    expected = (AccessResult.UNKNOWN_CARD if card == 99 else
                AccessResult.GRANTED if in_office else AccessResult.OUTSIDE_SCHEDULE)
    assert first.result == expected
