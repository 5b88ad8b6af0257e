"""Grant or deny one card read, as a pure function of the reload records and the clock.

Kept free of controller state so the decision can be tested (and property-tested) on its own and
is deterministic: the same records, clock, card and PIN always give the same answer.

Order of the checks, first failure wins (the records' documented meanings, records_access.py):
door disabled (DoorFlag.DISABLED or its disabled schedule active) -> DOOR_DISABLED; card unknown
-> UNKNOWN_CARD; LOST_STOLEN -> LOST_STOLEN; not VALID -> CARD_SUSPENDED; before valid_from ->
NOT_YET_VALID; after valid_until (inclusive last day) -> EXPIRED; no uses left -> NO_USES_LEFT;
no access level for the door, or the level unknown, or the level gives the site door no schedule
-> BAD_ACCESS_LEVEL; schedule unknown or not active now -> OUTSIDE_SCHEDULE; PIN required (card
flag, the door's PIN schedule active, or its reader mode) and none typed -> PIN_TIMEOUT, a wrong
one -> WRONG_PIN, the PIN + 1 on a DURESS card -> GRANTED_DURESS. What the door's state adds
after a grant (interlock, anti-passback, elevator floors) is ``card_reader``'s.

Without a clock (no SET_DATETIME yet) no schedule, date or holiday can be evaluated: table 12 has
no "clock not set" denial, so every card that passes the clock-free checks is refused with
OUTSIDE_SCHEDULE, and dates are not checked.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import GRANTED_RESULTS, AccessResult
from kantech_proto.records_access import (
    AccessLevel,
    CardFlag,
    CardKt100,
    CardKt400,
    Holidays,
    ScheduleKt100,
    ScheduleKt400,
)
from kantech_proto.records_hardware import DoorFlag, DoorRecord

Card = CardKt400 | CardKt100
Schedule = ScheduleKt400 | ScheduleKt100


@dataclass(frozen=True, slots=True)
class AccessRecords:
    """The reload records a decision reads; cards are keyed by 32-bit number or BCD digits."""

    cards: Mapping[int | str, Card] = field(default_factory=dict)
    levels: Mapping[int, AccessLevel] = field(default_factory=dict)
    schedules: Mapping[int, Schedule] = field(default_factory=dict)
    holidays: Holidays | None = None


@dataclass(frozen=True, slots=True)
class AccessDecision:
    result: AccessResult
    card: Card | None = None

    @property
    def granted(self) -> bool:
        return self.result in GRANTED_RESULTS

    @property
    def extended_unlock(self) -> bool:
        return self.card is not None and bool(int(self.card.flags) & CardFlag.EXTENDED_UNLOCK)


def card_key(card: Card) -> int | str:
    """How a controller finds a card: its 32-bit number, or its BCD digits when it has none."""
    if isinstance(card, CardKt400) and not card.card_number:
        return card.card_digits
    return card.card_number


def schedule_active(schedule_id: int, records: AccessRecords, clock: KantechDateTime) -> bool:
    """Whether a schedule covers the clock's minute; holidays replace the weekday."""
    schedule = records.schedules.get(schedule_id)
    if schedule is None:
        return False
    holiday = records.holidays.holiday_type_on(_date(clock)) if records.holidays else None
    return schedule.is_active(clock.weekday, clock.hour * 60 + clock.minute, holiday)


def duress_pin(pin: str) -> str:
    """The PIN + 1 a holder under duress types, as many digits as the PIN (9999 -> 0000)."""
    return str((int(pin) + 1) % 10 ** len(pin)).zfill(len(pin))


def decide_access(key: int | str, door: int, records: AccessRecords, door_record: DoorRecord,
                  clock: KantechDateTime | None, pin: str | None = None, *,
                  site_door: int | None = None, card_and_pin: bool = False) -> AccessDecision:
    """The controller's answer to card ``key`` read at its door ``door`` (1-based).

    ``site_door`` is the door's site-wide number for access levels (ControllerRecord.site_door);
    it defaults to ``door`` for a controller without a controller record. ``card_and_pin``: the
    door's reader mode asks for a PIN (``reader_modes``).
    """
    if DoorFlag.DISABLED in door_record.flags or (
            clock is not None and door_record.disabled_schedule
            and schedule_active(door_record.disabled_schedule, records, clock)):
        return AccessDecision(AccessResult.DOOR_DISABLED, records.cards.get(key))
    card = records.cards.get(key)
    if card is None:
        return AccessDecision(AccessResult.UNKNOWN_CARD)
    flags = int(card.flags)

    def deny(result: AccessResult) -> AccessDecision:
        return AccessDecision(result, card)

    if flags & CardFlag.LOST_STOLEN:
        return deny(AccessResult.LOST_STOLEN)
    if not flags & CardFlag.VALID:
        return deny(AccessResult.CARD_SUSPENDED)
    if clock is not None:
        today = _date(clock)
        if card.valid_from is not None and today < card.valid_from:
            return deny(AccessResult.NOT_YET_VALID)
        if card.valid_until is not None and today > card.valid_until:
            return deny(AccessResult.EXPIRED)
    if card.uses_left == 0:
        return deny(AccessResult.NO_USES_LEFT)
    level_id = card.level_for(door) if isinstance(card, CardKt400) else card.access_level
    level = records.levels.get(level_id) if level_id else None
    schedule_id = level.schedule_for(site_door or door) if level else 0
    if not schedule_id:
        return deny(AccessResult.BAD_ACCESS_LEVEL)
    if clock is None or not schedule_active(schedule_id, records, clock):
        return deny(AccessResult.OUTSIDE_SCHEDULE)
    pin_required = card_and_pin or bool(flags & CardFlag.PIN_REQUIRED) or bool(
        door_record.pin_schedule and schedule_active(door_record.pin_schedule, records, clock))
    if not pin_required:
        return AccessDecision(AccessResult.GRANTED, card)
    if pin is None:
        return deny(AccessResult.PIN_TIMEOUT)
    if card.pin and pin == card.pin:
        return AccessDecision(AccessResult.GRANTED, card)
    if card.pin and flags & CardFlag.DURESS and pin == duress_pin(card.pin):
        return AccessDecision(AccessResult.GRANTED_DURESS, card)
    return deny(AccessResult.WRONG_PIN)


def _date(clock: KantechDateTime) -> _dt.date:
    return _dt.date(clock.year, clock.month, clock.day)
