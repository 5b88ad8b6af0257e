"""Reload records that decide access: cards, schedules, access levels, holidays.

How a controller decides a card read at door ``d`` with these records (the emulators do this):
the card must exist, be VALID and not LOST_STOLEN, be inside its validity dates and have uses
left; its access level for the door (``access_levels[d - 1]``, or the single level of a KT-100
card) names an ``AccessLevel`` whose schedule for the door's site number is active now; holidays
replace the weekday by their holiday type. Site door numbers make access levels site-wide: the
controller record says which site door is its door 1 (``ControllerRecord.first_site_door``).
"""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.codes import RecordType
from kantech_proto.errors import FieldValueError
from kantech_proto.record_kinds import (
    INDEX,
    Bcd,
    Clock,
    Date,
    Date3,
    Flags,
    HhMm,
    Nested,
    Number,
    Packed,
    Table,
    Text,
    Unlimited,
)
from kantech_proto.records_base import ReloadRecord, WireModel, record

KT400_DOORS = 4
SITE_DOORS = 248
MAX_HOLIDAYS = 50
NO_LIMIT = 0xFFFF


class CardFlag(enum.IntFlag):
    VALID = 0x0001  # cleared: the card is suspended
    LOST_STOLEN = 0x0002
    PIN_REQUIRED = 0x0004  # card and PIN at every reader, whatever the door's PIN schedule
    EXTENDED_UNLOCK = 0x0008  # the door uses its extended unlock and open times
    SUPERVISOR = 0x0010  # a read toggles the door between locked and unlocked
    PASSBACK_EXEMPT = 0x0020
    TRACE = 0x0040  # every use is reported, even where the door filters events
    DURESS = 0x0080  # the PIN + 1 means "under duress": granted, and reported as such
    DELETE_ON_EXPIRY = 0x0100  # KT-400/KT-1 only: the controller forgets it after valid_until
    ESCORT_REQUIRED = 0x0200  # KT-400/KT-1 only: a second, supervisor card must follow


class Day(enum.IntFlag):
    MON = 0x01
    TUE = 0x02
    WED = 0x04
    THU = 0x08
    FRI = 0x10
    SAT = 0x20
    SUN = 0x40
    HOLIDAY = 0x80  # KT-100/KT-300 intervals only: active on holidays of any type

    @classmethod
    def of(cls, weekday: int) -> Day:
        """The bit of a ``KantechDateTime.weekday`` (0 = Monday)."""
        return cls(1 << weekday)


WEEKDAYS = Day.MON | Day.TUE | Day.WED | Day.THU | Day.FRI
EVERY_DAY = WEEKDAYS | Day.SAT | Day.SUN


def _validity(valid_from: _dt.date | None, valid_until: _dt.date | None) -> None:
    if valid_from and valid_until and valid_from > valid_until:
        raise FieldValueError(f"valid_from {valid_from} is after valid_until {valid_until}")


CardKt400Layout = c.Struct(
    "card_number" / c.Int32ub * "32-bit form; 0 for a card known only by its BCD digits",
    "card_digits" / c.Bytes(10) * "BCD form, up to 20 digits, 0xF filler; all 0xFF = none",
    "pin" / c.Bytes(3) * "up to 6 BCD digits, 0xF filler; FF FF FF = no PIN",
    "flags" / c.Int16ub * "CardFlag",
    "access_levels" / c.Array(KT400_DOORS, c.Int8ub) * "per door 1..4; 0 = no access there",
    "floor_group" / c.Int8ub * "FloorGroup id for elevator readers; 0 = none",
    "valid_from" / Date3 * "first valid day; zero = no start date",
    "valid_until" / Date3 * "last valid day, inclusive; zero = no end date",
    "uses_left" / c.Int16ub * "0xFFFF = unlimited",
    "holder_id" / c.Int32ub * "the EntraPass card holder, echoed in reports",
    "user_name" / c.Bytes(40) * "ASCII, zero-padded",
    "reserved" / c.Bytes(2),
)


@record(RecordType.CARD_KT400, CardKt400Layout)
@dataclass(frozen=True, slots=True)
class CardKt400(ReloadRecord):
    """A card as a KT-400/KT-1 holds it (78 bytes): one access level per door."""

    card_number: int
    card_digits: str = ""
    pin: str = ""
    flags: CardFlag = CardFlag.VALID
    access_levels: tuple[int, ...] = ()
    floor_group: int = 0
    valid_from: _dt.date | None = None
    valid_until: _dt.date | None = None
    uses_left: int | None = None
    holder_id: int = 0
    user_name: str = ""

    KINDS: ClassVar = {
        "card_digits": Bcd(10), "pin": Bcd(3), "flags": Flags(CardFlag),
        "access_levels": Table(INDEX, KT400_DOORS), "valid_from": Date(), "valid_until": Date(),
        "uses_left": Unlimited(NO_LIMIT), "user_name": Text(40),
    }
    BEHAVIOUR: ClassVar = (
        "A card read at door d passes the card checks when the card exists, is VALID and not "
        "LOST_STOLEN, today is inside valid_from..valid_until, uses_left is not 0 and its "
        "access level for the door names an ACCESS_LEVEL whose schedule for the door's site "
        "door is in force now (on a holiday the holiday's type replaces the weekday); the door "
        "then asks for the PIN and checks its interlock and anti-passback (DOOR). A grant "
        "counts one use off uses_left; a refusal names the first rule broken. Without a clock "
        "(no SET_DATETIME yet) every card is refused. A card is found by card_number, or by "
        "its BCD digits when card_number is 0; a card sent again replaces the one held.")
    FIELD_BEHAVIOUR: ClassVar = {
        "access_levels": "slot d is the card's access level at the controller's door d (1..4): "
                         "0 = no access at that door whatever the schedules, else an "
                         "ACCESS_LEVEL level_id",
        "uses_left": "one use is counted off per grant; at 0 the card is refused NO_USES_LEFT",
        "pin": "asked for by the door's reader mode, its pin_schedule or PIN_REQUIRED; in "
               "PIN_ONLY mode a PIN typed alone finds the card. After GlobalSystem.pin_attempts "
               "wrong PINs in a row the card is refused WRONG_PIN for pin_lockout seconds "
               "wherever a PIN is asked for, its right PIN included",
        "flags": "PASSBACK_EXEMPT: anti-passback neither refuses nor logs the card; DURESS: "
                 "the PIN + 1 is granted as GRANTED_DURESS",
        "floor_group": "the FloorGroup (else the FloorGroupMask) whose floors the card may "
                       "select at a cab reader; 0 = free floors only",
    }

    def check(self) -> None:
        if not self.card_number and not self.card_digits:
            raise FieldValueError("a card needs a 32-bit number or BCD digits")
        _validity(self.valid_from, self.valid_until)

    def level_for(self, door: int) -> int:
        """The access level of door 1..4, 0 when the card has none there."""
        return self.access_levels[door - 1] if 1 <= door <= len(self.access_levels) else 0


CardKt100Layout = c.Struct(
    "card_number" / c.Int32ub * "32-bit card number, 1..4294967295",
    "pin" / c.Bytes(3) * "as in CardKt400Layout",
    "flags" / c.Int8ub * "CardFlag, low 8 bits only",
    "access_level" / c.Int8ub * "one level for every door of the controller",
    "valid_from" / Date3 * "first valid day; zero = no start date",
    "valid_until" / Date3 * "last valid day, inclusive; zero = no end date",
    "uses_left" / c.Int16ub * "0xFFFF = unlimited",
)


class ShortCardFlag(enum.IntFlag):
    """The ``CardFlag`` bits a KT-100/KT-200/KT-300 card has room for."""

    VALID = int(CardFlag.VALID)
    LOST_STOLEN = int(CardFlag.LOST_STOLEN)
    PIN_REQUIRED = int(CardFlag.PIN_REQUIRED)
    EXTENDED_UNLOCK = int(CardFlag.EXTENDED_UNLOCK)
    SUPERVISOR = int(CardFlag.SUPERVISOR)
    PASSBACK_EXEMPT = int(CardFlag.PASSBACK_EXEMPT)
    TRACE = int(CardFlag.TRACE)
    DURESS = int(CardFlag.DURESS)


@record(RecordType.CARD_KT100, CardKt100Layout)
@dataclass(frozen=True, slots=True)
class CardKt100(ReloadRecord):
    """A card as a KT-100/KT-200/KT-300 holds it: the paper's "7-17" bytes, always the 17 form."""

    card_number: int
    pin: str = ""
    flags: ShortCardFlag = ShortCardFlag.VALID
    access_level: int = 0
    valid_from: _dt.date | None = None
    valid_until: _dt.date | None = None
    uses_left: int | None = None

    KINDS: ClassVar = {
        "card_number": Number(1), "pin": Bcd(3), "flags": Flags(ShortCardFlag),
        "valid_from": Date(), "valid_until": Date(), "uses_left": Unlimited(NO_LIMIT),
    }
    BEHAVIOUR: ClassVar = ("Decided as a KT-400 card with one access level for every door and the "
                           "flags a byte holds; it has no floor group, so at a cab reader it "
                           "selects free floors only.")

    def check(self) -> None:
        _validity(self.valid_from, self.valid_until)


IntervalLayout = c.Struct(
    "start" / HhMm * "first minute the interval is active",
    "end" / HhMm * "first minute no longer active (up to 24:00); at or before the start: runs "
    "past midnight",
    "days" / c.Int8ub * "Day bits MON..SUN",
    "holiday_types" / c.Int8ub * "bit n-1: active on holidays of type n (1..8)",
)


def _covers(start: int, end: int, minute: int) -> bool:
    return start <= minute < end if start < end else minute >= start or minute < end


@dataclass(frozen=True, slots=True)
class Interval(WireModel):
    """A time interval of a KT-400 schedule; times are minutes since midnight."""

    STRUCT: ClassVar = IntervalLayout
    KINDS: ClassVar = {"start": Clock(), "end": Clock(1440), "days": Flags(Day)}
    start: int = 0
    end: int = 0
    days: Day = Day(0)
    holiday_types: int = 0

    def check(self) -> None:
        if Day.HOLIDAY in self.days:
            raise FieldValueError("KT-400 intervals use holiday_types, not Day.HOLIDAY")

    def is_active(self, weekday: int, minute: int, holiday_type: int | None = None) -> bool:
        """On a holiday only its type counts, on other days only the weekday."""
        if holiday_type is not None:
            day_ok = 1 <= holiday_type <= 8 and bool(self.holiday_types >> (holiday_type - 1) & 1)
        else:
            day_ok = Day.of(weekday) in self.days
        return day_ok and _covers(self.start, self.end, minute)


ShortIntervalLayout = c.Struct(
    "start" / HhMm * "first minute the interval is active",
    "end" / HhMm * "first minute it is no longer active (up to 24:00); at or before the start: "
    "runs past midnight",
    "days" / c.Int8ub * "Day bits MON..SUN, and HOLIDAY: active on every holiday",
)


@dataclass(frozen=True, slots=True)
class ShortInterval(WireModel):
    """A KT-100/KT-300 interval: Day.HOLIDAY makes it active on every holiday."""

    STRUCT: ClassVar = ShortIntervalLayout
    KINDS: ClassVar = {"start": Clock(), "end": Clock(1440), "days": Flags(Day)}
    start: int = 0
    end: int = 0
    days: Day = Day(0)

    def is_active(self, weekday: int, minute: int, holiday_type: int | None = None) -> bool:
        day = Day.HOLIDAY if holiday_type is not None else Day.of(weekday)
        return day in self.days and _covers(self.start, self.end, minute)


ScheduleKt400Layout = c.Struct(
    "schedule_id" / c.Int8ub * "1..255, what doors, levels and groups refer to",
    "intervals" / c.Array(6, IntervalLayout) * "unused slots are zero",
    "reserved" / c.Bytes(4),
)
ScheduleKt100Layout = c.Struct(
    "schedule_id" / c.Int8ub * "1..255, what doors, levels and groups refer to",
    "intervals" / c.Array(4, ShortIntervalLayout) * "up to four intervals; unused slots are zero",
)


class _Schedule:
    __slots__ = ()
    intervals: tuple[Interval, ...] | tuple[ShortInterval, ...]

    def is_active(self, weekday: int, minute: int, holiday_type: int | None = None) -> bool:
        """Whether any interval covers this minute; ``holiday_type`` when today is a holiday."""
        return any(i.is_active(weekday, minute, holiday_type) for i in self.intervals)


@record(RecordType.SCHEDULE_KT400, ScheduleKt400Layout)
@dataclass(frozen=True, slots=True)
class ScheduleKt400(_Schedule, ReloadRecord):
    """A KT-400/KT-1/KTES schedule: up to six intervals."""

    schedule_id: int
    intervals: tuple[Interval, ...] = ()
    KINDS: ClassVar = {"schedule_id": Number(1, 255), "intervals": Table(Nested(Interval), 6)}
    BEHAVIOUR: ClassVar = (
        "Active at a minute when one of its intervals covers it: on a normal day an interval "
        "whose days include today's weekday, on a holiday (HOLIDAYS record) an interval whose "
        "holiday_types include the holiday's type. An interval whose end is at or before its "
        "start runs past midnight. Schedule 0 means never wherever a record names a schedule.")


@record(RecordType.SCHEDULE_KT100, ScheduleKt100Layout)
@dataclass(frozen=True, slots=True)
class ScheduleKt100(_Schedule, ReloadRecord):
    """A KT-100/KT-200/KT-300 schedule: up to four intervals."""

    schedule_id: int
    intervals: tuple[ShortInterval, ...] = ()
    KINDS: ClassVar = {"schedule_id": Number(1, 255),
                       "intervals": Table(Nested(ShortInterval), 4)}
    BEHAVIOUR: ClassVar = ("As for SCHEDULE_KT400, with four intervals and the Day.HOLIDAY bit "
                           "standing for every holiday type.")


AccessLevelLayout = c.Struct(
    "level_id" / c.Int8ub * "1..255",
    "door_schedules" / c.Array(SITE_DOORS, c.Int8ub) * "per site door 1..248; 0 = no access",
)


@record(RecordType.ACCESS_LEVEL, AccessLevelLayout)
@dataclass(frozen=True, slots=True)
class AccessLevel(ReloadRecord):
    """Which schedule lets a card of this level through each door of the site.

    The paper counts 248 bytes for one access level in its reload example and 249 in table 7: the
    one byte apart is the level id, and 248 is one schedule byte per door. A level is site-wide
    (EntraPass defines levels per site), so the same records go to every controller of the site,
    and 248 doors cover 62 KT-400s; each controller finds its doors from its ``first_site_door``.
    """

    level_id: int
    door_schedules: tuple[int, ...] = ()
    KINDS: ClassVar = {"level_id": Number(1, 255),
                       "door_schedules": Table(INDEX, SITE_DOORS)}
    BEHAVIOUR: ClassVar = ("The same levels go to every controller of the site. A level sent "
                           "again replaces the one with the same level_id.")
    FIELD_BEHAVIOUR: ClassVar = {
        "door_schedules": "slot n is the schedule for site door n (1..248); a controller's door "
                          "d is site door first_site_door + d - 1 (CONTROLLER record)",
    }

    def schedule_for(self, site_door: int) -> int:
        """The schedule id for site door 1..248, 0 (never) when the level has none."""
        return self.door_schedules[site_door - 1] if 1 <= site_door <= len(
            self.door_schedules) else 0


HolidayLayout = c.Struct(
    "year" / c.Int8ub * "year - 2000; 0xFF = every year",
    "month" / c.Int8ub * "1..12",
    "day" / c.Int8ub * "1..31, a day that exists in that month",
    "holiday_type" / c.Int8ub * "1..8, matched against Interval.holiday_types",
)


@dataclass(frozen=True, slots=True)
class Holiday(WireModel):
    STRUCT: ClassVar = HolidayLayout
    KINDS: ClassVar = {"year": Unlimited(0xFF, 2000), "month": Number(1, 12),
                       "holiday_type": Number(1, 8)}
    month: int
    day: int
    holiday_type: int = 1
    year: int | None = None  # None: the same day every year

    def check(self) -> None:
        _dt.date(self.year or 2000, self.month, self.day)  # 2000 is a leap year: 29 Feb is fine

    def falls_on(self, date: _dt.date) -> bool:
        return (date.month, date.day) == (self.month, self.day) and self.year in (None, date.year)


HolidaysLayout = c.Struct(
    "holidays" / c.Array(MAX_HOLIDAYS, HolidayLayout) * "up to 50 dates listed from the first "
    "slot; unused slots are zero; on a listed date the holiday's type replaces the weekday",
)


@record(RecordType.HOLIDAYS, HolidaysLayout)
@dataclass(frozen=True, slots=True)
class Holidays(ReloadRecord):
    """Every holiday of the site in one record (paper: "All holiday 200"): up to 50 dates."""

    holidays: tuple[Holiday, ...] = ()
    KINDS: ClassVar = {"holidays": Packed(Nested(Holiday), MAX_HOLIDAYS)}
    BEHAVIOUR: ClassVar = (
        "One record holds every holiday; a new one replaces the whole list. On a listed date "
        "the holiday's type replaces the weekday in every schedule and action (the first entry "
        "for a date wins).")

    def holiday_type_on(self, date: _dt.date) -> int | None:
        """The type of the holiday on ``date`` (the first listed wins), None on a normal day."""
        return next((h.holiday_type for h in self.holidays if h.falls_on(date)), None)
