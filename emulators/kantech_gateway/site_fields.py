"""From a site file's TOML values to reload record fields: the conversions every site table shares.

People write names where records hold numbers (``flags = ["lost_stolen"]``, ``reader_mode =
"card_and_pin"``, ``at = "08:00"``, ``days = "weekdays"``); each conversion refuses what it cannot
read with a ConfigurationError naming the file, the entry, the key and what was expected.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import functools
import operator
from collections.abc import Callable, Mapping
from typing import Any

from kantech_proto.errors import KantechError
from kantech_proto.reload_records import Day, Record
from protolab.config_file import ConfigTable
from protolab.errors import ConfigurationError

DAYS = {d.name.lower(): d for d in Day if d.name}  # mon .. sun, holiday


def fail(table: ConfigTable, expected: str) -> ConfigurationError:
    """An error about a whole entry (no single key to blame)."""
    return ConfigurationError(f"{table.where}: expected {expected}", source=table.source,
                              table=table.table or None)


def build_record(table: ConfigTable, key: str | None, cls: Callable[..., Record],
                 values: Mapping[str, Any]) -> Record:
    """``cls(**values)``, checked by encoding it; a failure names the entry (and ``key``).
    Flag fields may be given as lists of names (``flags = ["lost_stolen"]``), choice fields as
    a name (``reader_mode = "pin_only"``)."""
    values = dict(values)
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = values.get(f.name)
        if isinstance(f.default, enum.Flag) and isinstance(value, list):
            values[f.name] = flags_of(table, f.name, type(f.default), value)
        elif isinstance(f.default, enum.IntEnum) and isinstance(value, str):
            values[f.name] = choice_of(table, f.name, type(f.default), value)
    try:
        built = cls(**values)
        built.encode()
    except (KantechError, ValueError, TypeError, OverflowError) as exc:
        detail = " ".join(str(exc).split())  # Construct's messages span lines
        expected = f"values that fit the {getattr(cls, '__name__', cls)} record: {detail}"
        raise (table.error(key, expected) if key else fail(table, expected)) from None
    return built


def from_table(table: ConfigTable, cls: Callable[..., Record],
               rename: Mapping[str, str] | None = None, *, skip: tuple[str, ...] = (),
               defaults: Mapping[str, Any] | None = None, times: tuple[str, ...] = ()) -> Record:
    """``cls`` from the table's keys (the record's own field names, some ``rename``d); the
    ``times`` keys are "hh:mm" times of day."""
    rename = rename or {}
    spelling = {field_name: key for key, field_name in rename.items()}
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    table.check_unknown(tuple(spelling.get(n, n) for n in names) + skip)
    values = {**(defaults or {}), **{rename.get(k, k): table.get(k)
                                     for k in table.keys() if k not in skip}}
    for key in times:
        if key in table:
            values[rename.get(key, key)] = minutes_of(table, key, table.get(key))
    return build_record(table, None, cls, values)


def flags_of(table: ConfigTable, key: str, kind: type[enum.Flag], value: list[Any]) -> Any:
    try:
        return functools.reduce(operator.or_, (kind[str(v).upper()] for v in value), kind(0))
    except KeyError:
        choices = ", ".join(m.name.lower() for m in kind if m.name)
        raise table.error(key, f"a list of {choices}") from None


def choice_of(table: ConfigTable, key: str, kind: type[enum.IntEnum], value: Any) -> Any:
    try:
        return kind[str(value).upper()]
    except KeyError:
        raise table.error(key, "one of " + ", ".join(m.name.lower() for m in kind)) from None


def minutes_of(table: ConfigTable, key: str, text: Any) -> int:
    if isinstance(text, _dt.time):
        return text.hour * 60 + text.minute
    hours, _, minutes = str(text).partition(":")
    if hours.isdigit() and minutes.isdigit() and int(minutes) < 60 \
            and int(hours) * 60 + int(minutes) <= 1440:
        return int(hours) * 60 + int(minutes)
    raise table.error(key, f'times as "hh:mm" (00:00 .. 24:00), not {text!r}')


def days_of(table: ConfigTable, value: Any, allow_holiday: bool, key: str = "intervals") -> Day:
    names = ["mon", "tue", "wed", "thu", "fri"] if value == "weekdays" else (
        list(DAYS)[:7] if value == "all" else value)
    if not isinstance(names, list) or any(str(n).lower() not in DAYS for n in names) or (
            not allow_holiday and "holiday" in [str(n).lower() for n in names]):
        extra = ", holiday" if allow_holiday else ""
        raise table.error(key, f'days as a list of mon .. sun{extra}, or "weekdays", '
                          f'"all"; got {value!r}')
    return functools.reduce(operator.or_, (DAYS[str(n).lower()] for n in names), Day(0))


def holiday_bits(table: ConfigTable, key: str, value: Any) -> int:
    """Holiday types 1..8 as the bit mask intervals and actions hold (type n is bit n-1)."""
    if not isinstance(value, list) or any(
            not isinstance(t, int) or isinstance(t, bool) or not 1 <= t <= 8 for t in value):
        raise table.error(key, "holidays as a list of holiday types 1..8")
    return sum(1 << (t - 1) for t in set(value))


def required(table: ConfigTable, key: str, what: str) -> Any:
    if key not in table:
        raise table.error(key, f"{what} (it is required)")
    return table.get(key)
