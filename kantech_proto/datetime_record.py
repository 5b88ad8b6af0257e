"""The 7-byte date/time record shared by SET_DATETIME, every event and reload record type 24."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.errors import BadDataSizeError, BadFieldError, EncodeError

DATETIME_SIZE = 7

DateTimeStruct = c.Struct(
    "year_since_2000" / c.Int8ub * "year - 2000 (0..255)",
    "month" / c.Int8ub * "1..12",
    "day" / c.Int8ub * "1..31, a day that exists in that month",
    "hour" / c.Int8ub * "0..23",
    "minute" / c.Int8ub * "0..59",
    "second" / c.Int8ub * "0..59",
    "weekday" / c.Int8ub * "0 = Monday",
)


@dataclass(frozen=True, slots=True)
class KantechDateTime:
    """Civil date and time as a controller keeps it (no zone: controllers run on local time)."""

    #: what a controller does with it as reload record type 24 (the protocol reference prints it)
    BEHAVIOUR: ClassVar[str] = (
        "Sets the controller's clock, as SET_DATETIME does; it then runs on by itself. The "
        "weekday sent is kept in step with the date.")

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    weekday: int

    @classmethod
    def from_datetime(cls, value: _dt.datetime) -> KantechDateTime:
        return cls(value.year, value.month, value.day, value.hour, value.minute, value.second,
                   value.weekday())

    def to_datetime(self) -> _dt.datetime:
        return _dt.datetime(self.year, self.month, self.day, self.hour, self.minute, self.second)

    def encode(self) -> bytes:
        if not 2000 <= self.year <= 2255:
            raise EncodeError(f"year {self.year} is outside 2000..2255")
        self._check()
        return bytes((self.year - 2000, self.month, self.day, self.hour, self.minute,
                      self.second, self.weekday))

    @classmethod
    def decode(cls, data: bytes) -> KantechDateTime:
        """Parse exactly 7 bytes; a date that cannot exist is a BadFieldError."""
        if len(data) != DATETIME_SIZE:
            raise BadDataSizeError(f"a date/time record is {DATETIME_SIZE} bytes, got {len(data)}")
        value = cls(2000 + data[0], data[1], data[2], data[3], data[4], data[5], data[6])
        try:
            value._check()
        except EncodeError as exc:
            raise BadFieldError(str(exc)) from None
        return value

    def _check(self) -> None:
        try:
            _dt.datetime(self.year, self.month, self.day, self.hour, self.minute, self.second)
        except ValueError as exc:
            raise EncodeError(f"date/time {self.year:04d}-{self.month:02d}-{self.day:02d} "
                              f"{self.hour:02d}:{self.minute:02d}:{self.second:02d} does not "
                              f"exist ({exc}): expected a real date and time") from None
        if not 0 <= self.weekday <= 6:
            raise EncodeError(f"weekday {self.weekday}: expected 0 (Monday)..6 (Sunday)")

    def as_json(self) -> str:
        return self.to_datetime().isoformat()
