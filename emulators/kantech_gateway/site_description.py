"""A site file (TOML) as the reload records a gateway sends to one controller.

The file is written by people, so every mistake is reported with the file, the table (and entry)
and what was expected, instead of a Construct traceback. Layout::

    [system]                  # global system information (site id, name, PIN length, ...)
    [controller]              # model = "kt400" | "kt1" | "kt100" | "kt300", name, first_site_door
    [[schedules]]             # id, intervals = [{start = "08:00", end = "18:00", days = [...]}]
    [[access_levels]]         # id, doors = {1 = schedule, 2 = schedule} (site door numbers)
    [[holidays]]              # date = 2025-12-25, type = 1, every_year = true
    [[doors]] [[relays]] [[inputs]] [[outputs]]   # the record's own field names
    [[cards]]                 # number, pin, levels = [door 1, door 2, ...], valid_from, name

KT-400/KT-1 controllers get 78-byte cards and six-interval schedules; KT-100/KT-300 get the short
forms (one access level per card, four intervals per schedule).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import functools
import operator
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kantech_proto.codes import DeviceModel, RecordType
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import KantechError
from kantech_proto.reload_records import (
    AccessLevel,
    CardKt100,
    CardKt400,
    ControllerRecord,
    Day,
    DoorRecord,
    GlobalSystem,
    Holiday,
    Holidays,
    InputRecord,
    Interval,
    OutputRecord,
    Record,
    RelayRecord,
    ScheduleKt100,
    ScheduleKt400,
    ShortInterval,
)

MODELS: dict[str, DeviceModel] = {
    "kt400": DeviceModel.KT_400, "kt-400": DeviceModel.KT_400, "kt1": DeviceModel.KT_1,
    "kt-1": DeviceModel.KT_1, "kt100": DeviceModel.KT_100, "kt-100": DeviceModel.KT_100,
    "kt300": DeviceModel.KT_300, "kt-300": DeviceModel.KT_300,
}
_LONG_FORM = (DeviceModel.KT_400, DeviceModel.KT_1)
_DAYS = {d.name.lower(): d for d in Day if d.name}  # mon .. sun, holiday
_TABLES = ("system", "controller", "schedules", "access_levels", "holidays", "doors", "relays",
           "inputs", "outputs", "cards")
#: the order records are sent in: what others refer to comes first
SEND_ORDER = (RecordType.GLOBAL_SYSTEM, RecordType.CONTROLLER, RecordType.DATE_TIME,
              RecordType.DOOR, RecordType.RELAY, RecordType.INPUT, RecordType.OUTPUT,
              RecordType.SCHEDULE_KT400, RecordType.SCHEDULE_KT100, RecordType.ACCESS_LEVEL,
              RecordType.HOLIDAYS, RecordType.CARD_KT400, RecordType.CARD_KT100)


class SiteFileError(KantechError):
    """A site file that cannot become reload records; names file, table and what was expected."""

    def __init__(self, source: str, table: str, expected: str) -> None:
        super().__init__(f"{source}: [{table}]: expected {expected}")
        self.source, self.table, self.expected = source, table, expected


@dataclass(frozen=True, slots=True)
class SiteDescription:
    """What one controller of the site is loaded with (the date/time is added at send time)."""

    source: str
    model: DeviceModel
    records: dict[RecordType, tuple[Record, ...]] = field(default_factory=dict)

    def reload_groups(self, when: _dt.datetime | None = None
                      ) -> list[tuple[RecordType, tuple[Record, ...]]]:
        """Record groups in sending order, with the controller's clock set to ``when``."""
        stamp = KantechDateTime.from_datetime((when or _dt.datetime.now()).replace(microsecond=0))
        groups = dict(self.records)
        groups[RecordType.DATE_TIME] = (stamp,)
        return [(t, groups[t]) for t in SEND_ORDER if groups.get(t)]

    @property
    def cards(self) -> tuple[Record, ...]:
        return self.records.get(RecordType.CARD_KT400) or self.records.get(
            RecordType.CARD_KT100, ())


def load_site(path: str | Path) -> SiteDescription:
    """Read and check a site file; SiteFileError on any problem, including unreadable TOML."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise SiteFileError(source, "file", f"a readable TOML file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteFileError(source, "file", f"valid TOML ({exc})") from None
    return parse_site(data, source)


def parse_site(data: Mapping[str, Any], source: str = "<site>") -> SiteDescription:
    unknown = sorted(set(data) - set(_TABLES))
    if unknown:
        raise SiteFileError(source, unknown[0], f"one of the tables {', '.join(_TABLES)}")
    p = _Parser(source)
    controller = p.table(data, "controller")
    model_name = str(controller.get("model", "kt400")).lower()
    if model_name not in MODELS:
        raise SiteFileError(source, "controller", f"model one of {', '.join(MODELS)}, "
                            f"not {model_name!r}")
    model = MODELS[model_name]
    long_form = model in _LONG_FORM
    records: dict[RecordType, tuple[Record, ...]] = {}

    def put(record_type: RecordType, items: list[Record]) -> None:
        if items:
            records[record_type] = tuple(items)

    system = p.table(data, "system")
    put(RecordType.GLOBAL_SYSTEM, [p.build("system", GlobalSystem, _rename(
        system, name="site_name"), defaults={"site_id": 1})])
    doors = [p.build(f"doors[{i}]", DoorRecord, e) for i, e in p.entries(data, "doors")]
    relays = [p.build(f"relays[{i}]", RelayRecord, e) for i, e in p.entries(data, "relays")]
    inputs = [p.build(f"inputs[{i}]", InputRecord, e) for i, e in p.entries(data, "inputs")]
    outputs = [p.build(f"outputs[{i}]", OutputRecord, e) for i, e in p.entries(data, "outputs")]
    counts = {"door_count": len(doors), "relay_count": len(relays), "input_count": len(inputs),
              "output_count": len(outputs), "reader_count": len(doors)}
    ctl_fields = {k: v for k, v in controller.items() if k != "model"}
    put(RecordType.CONTROLLER, [p.build("controller", ControllerRecord, ctl_fields,
                                        defaults={"model": model, **counts})])
    put(RecordType.DOOR, doors)
    put(RecordType.RELAY, relays)
    put(RecordType.INPUT, inputs)
    put(RecordType.OUTPUT, outputs)
    schedules = [p.schedule(i, e, long_form) for i, e in p.entries(data, "schedules")]
    put(RecordType.SCHEDULE_KT400 if long_form else RecordType.SCHEDULE_KT100, schedules)
    put(RecordType.ACCESS_LEVEL, [p.access_level(i, e) for i, e in
                                  p.entries(data, "access_levels")])
    holidays = [p.holiday(i, e) for i, e in p.entries(data, "holidays")]
    if holidays:
        put(RecordType.HOLIDAYS, [p.build("holidays", Holidays, {"holidays": tuple(holidays)})])
    cards = [p.card(i, e, long_form) for i, e in p.entries(data, "cards")]
    put(RecordType.CARD_KT400 if long_form else RecordType.CARD_KT100, cards)
    return SiteDescription(source, model, records)


def _rename(entry: Mapping[str, Any], **names: str) -> dict[str, Any]:
    return {names.get(k, k): v for k, v in entry.items()}


class _Parser:
    """Builds records from TOML tables, turning every failure into a SiteFileError."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, table: str, expected: str) -> SiteFileError:
        return SiteFileError(self.source, table, expected)

    def table(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, Mapping):
            raise self.fail(name, f"a table ([{name}]), not {type(value).__name__}")
        return value

    def entries(self, data: Mapping[str, Any], name: str) -> list[tuple[int, Mapping[str, Any]]]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(e, Mapping) for e in value):
            raise self.fail(name, f"an array of tables ([[{name}]])")
        return list(enumerate(value))

    def build(self, table: str, cls: Callable[..., Record], entry: Mapping[str, Any],
              defaults: Mapping[str, Any] | None = None) -> Record:
        """``cls`` from ``entry``'s keys (the record's own field names), checked by encoding."""
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        unknown = sorted(set(entry) - set(names))
        if unknown:
            raise self.fail(table, f"fields among {', '.join(names)}; {unknown[0]!r} is unknown")
        values = {**(defaults or {}), **entry}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            value = values.get(f.name)
            if isinstance(f.default, enum.Flag) and isinstance(value, list):
                values[f.name] = self.flags(table, f.name, type(f.default), value)
        try:
            built = cls(**values)
            built.encode()
        except (KantechError, ValueError, TypeError, KeyError, OverflowError) as exc:
            raise self.fail(table, f"values that fit a {getattr(cls, '__name__', cls)} "
                            f"record: {exc}") from None
        return built

    def flags(self, table: str, name: str, kind: type[enum.Flag], value: list[Any]) -> Any:
        try:
            return functools.reduce(operator.or_, (kind[str(v).upper()] for v in value), kind(0))
        except KeyError:
            choices = ", ".join(m.name.lower() for m in kind if m.name)
            raise self.fail(table, f"{name} as a list of {choices}") from None

    def minutes(self, table: str, text: Any) -> int:
        if isinstance(text, _dt.time):
            return text.hour * 60 + text.minute
        try:
            hours, minutes = str(text).split(":")
            value = int(hours) * 60 + int(minutes)
            if not 0 <= int(minutes) < 60 or not 0 <= value <= 1440:
                raise ValueError(text)
        except ValueError:
            raise self.fail(table, f"a time as \"hh:mm\" (00:00 .. 24:00), not {text!r}") from None
        return value

    def days(self, table: str, value: Any, allow_holiday: bool) -> Day:
        names = ["mon", "tue", "wed", "thu", "fri"] if value == "weekdays" else (
            list(_DAYS)[:7] if value == "all" else value)
        if not isinstance(names, list) or any(str(n).lower() not in _DAYS for n in names) or (
                not allow_holiday and "holiday" in [str(n).lower() for n in names]):
            extra = ", holiday" if allow_holiday else ""
            raise self.fail(table, f"days as a list of mon .. sun{extra}, or \"weekdays\", "
                            f"\"all\"; got {value!r}")
        return functools.reduce(operator.or_, (_DAYS[str(n).lower()] for n in names), Day(0))

    def schedule(self, index: int, entry: Mapping[str, Any], long_form: bool) -> Record:
        table = f"schedules[{index}]"
        self.need(table, entry, "id")
        intervals: list[Interval | ShortInterval] = []
        for item in entry.get("intervals", []):
            if not isinstance(item, Mapping):
                raise self.fail(table, "intervals as inline tables {start, end, days}")
            start = self.minutes(table, item.get("start", "00:00"))
            end = self.minutes(table, item.get("end", "24:00"))
            days = self.days(table, item.get("days", "all"), not long_form)
            if long_form:
                types = item.get("holidays", [])
                if not isinstance(types, list) or any(not 1 <= int(t) <= 8 for t in types):
                    raise self.fail(table, "holidays as a list of holiday types 1..8")
                bits = sum(1 << (int(t) - 1) for t in types)
                intervals.append(Interval(start, end, days, bits))
            else:
                intervals.append(ShortInterval(start, end, days))
        cls = ScheduleKt400 if long_form else ScheduleKt100
        return self.build(table, cls, {"schedule_id": entry["id"], "intervals": tuple(intervals)})

    def access_level(self, index: int, entry: Mapping[str, Any]) -> Record:
        table = f"access_levels[{index}]"
        self.need(table, entry, "id")
        doors = entry.get("doors", {})
        if isinstance(doors, list):
            schedules = [int(s) for s in doors]
        elif isinstance(doors, Mapping) and all(str(k).isdigit() for k in doors):
            top = max((int(k) for k in doors), default=0)
            schedules = [0] * top
            for key, schedule in doors.items():
                if int(key) < 1:
                    raise self.fail(table, "site door numbers from 1")
                schedules[int(key) - 1] = int(schedule)
        else:
            raise self.fail(table, "doors as {site door = schedule id} or a list per site door")
        return self.build(table, AccessLevel, {"level_id": entry["id"],
                                               "door_schedules": tuple(schedules)})

    def holiday(self, index: int, entry: Mapping[str, Any]) -> Holiday:
        table = f"holidays[{index}]"
        self.need(table, entry, "date")
        date = entry["date"]
        if not isinstance(date, _dt.date) or isinstance(date, _dt.datetime):
            raise self.fail(table, f"date as a TOML date (2025-12-25), not {date!r}")
        try:
            holiday = Holiday(date.month, date.day, int(entry.get("type", 1)),
                              None if entry.get("every_year", False) else date.year)
            Holidays((holiday,)).encode()  # a holiday is only checked as part of its record
            return holiday
        except (KantechError, ValueError, TypeError) as exc:
            raise self.fail(table, f"a valid holiday: {exc}") from None

    def card(self, index: int, entry: Mapping[str, Any], long_form: bool) -> Record:
        table = f"cards[{index}]"
        self.need(table, entry, "number")
        allowed = {"number", "pin", "levels", "level", "valid_from", "valid_until", "name",
                   "flags", "uses_left", "holder_id", "floor_group"}
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise self.fail(table, f"fields among {', '.join(sorted(allowed))}; "
                            f"{unknown[0]!r} is unknown")
        levels = entry.get("levels", [entry["level"]] if "level" in entry else [])
        if not isinstance(levels, list):
            raise self.fail(table, "levels as a list of access level ids, one per door")
        values: dict[str, Any] = {"pin": str(entry.get("pin", ""))}
        for key in ("valid_from", "valid_until", "uses_left", "flags"):
            if key in entry:
                values[key] = entry[key]
        number = entry["number"]
        if long_form:
            values.update(access_levels=tuple(levels), user_name=entry.get("name", ""),
                          holder_id=entry.get("holder_id", 0),
                          floor_group=entry.get("floor_group", 0))
            if isinstance(number, str):
                values.update(card_number=0, card_digits=number)
            else:
                values["card_number"] = number
            return self.build(table, CardKt400, values)
        if len(set(levels)) > 1:
            raise self.fail(table, "one access level for every door on a KT-100/KT-300 card")
        values.update(card_number=number, access_level=levels[0] if levels else 0)
        return self.build(table, CardKt100, values)

    def need(self, table: str, entry: Mapping[str, Any], key: str) -> None:
        if key not in entry:
            raise self.fail(table, f"a {key!r} key")
