"""A site file (TOML) as the reload records a gateway sends to one controller.

The file is written by people, so it is read like every protolab TOML file
(``protolab.config_file``): every mistake is a ConfigurationError naming the file, the table (and
entry: ``[cards #2]``), the key and what was expected, never a Construct traceback, and a key
nobody reads is an error. Layout::

    [system]                  # global system information (site id, name, PIN length, ...)
    [controller]              # model = "kt400" | "kt1" | "kt100" | "kt300" (KT-400 ... too),
                              # name, first_site_door
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kantech_proto.codes import DeviceModel, RecordType, model_choices, parse_device_model
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
from protolab.config_file import ConfigTable, load_toml
from protolab.errors import ConfigurationError

SITE_MODELS = (DeviceModel.KT_400, DeviceModel.KT_1, DeviceModel.KT_100, DeviceModel.KT_300)
_LONG_FORM = (DeviceModel.KT_400, DeviceModel.KT_1)
_DAYS = {d.name.lower(): d for d in Day if d.name}  # mon .. sun, holiday
_TABLES = ("system", "controller", "schedules", "access_levels", "holidays", "doors", "relays",
           "inputs", "outputs", "cards")
_CARD_KEYS = ("number", "pin", "levels", "level", "valid_from", "valid_until", "name", "flags",
              "uses_left", "holder_id", "floor_group")
#: the order records are sent in: what others refer to comes first
SEND_ORDER = (RecordType.GLOBAL_SYSTEM, RecordType.CONTROLLER, RecordType.DATE_TIME,
              RecordType.DOOR, RecordType.RELAY, RecordType.INPUT, RecordType.OUTPUT,
              RecordType.SCHEDULE_KT400, RecordType.SCHEDULE_KT100, RecordType.ACCESS_LEVEL,
              RecordType.HOLIDAYS, RecordType.CARD_KT400, RecordType.CARD_KT100)


@dataclass(frozen=True, slots=True)
class SiteDescription:
    """What one controller of the site is loaded with (the date/time is added at send time)."""

    source: str
    model: DeviceModel
    records: dict[RecordType, tuple[Record, ...]] = field(default_factory=dict)
    site_id: int | None = None  # [system] site_id when the file gives one

    def reload_groups(self, when: _dt.datetime, site_id: int | None = None, scope: int = 0
                      ) -> list[tuple[RecordType, tuple[Record, ...]]]:
        """Record groups in sending order, with the controller's clock set to ``when``; the
        global system record carries ``site_id`` (the gateway's own: the id its frames carry);
        ``scope`` 0 is every type, else that record type only."""
        stamp = KantechDateTime.from_datetime(when.replace(microsecond=0))
        groups = dict(self.records)
        groups[RecordType.DATE_TIME] = (stamp,)
        system = groups.get(RecordType.GLOBAL_SYSTEM)
        if site_id is not None and system:
            if self.site_id is not None and self.site_id != site_id:
                raise ConfigurationError(f"{self.source}: [system] site_id = {self.site_id}, but "
                                         f"the gateway runs site {site_id}: expected the same "
                                         "id (or none in the file)")
            groups[RecordType.GLOBAL_SYSTEM] = tuple(
                dataclasses.replace(r, site_id=site_id) for r in system)  # type: ignore[type-var]
        if scope and RecordType(scope) not in groups:
            raise ConfigurationError(f"{self.source}: a reload of scope {RecordType(scope).name} "
                                     f"but the site has no such records: expected one of "
                                     f"{', '.join(t.name for t in groups if groups[t])}")
        return [(t, groups[t]) for t in SEND_ORDER if groups.get(t) and scope in (0, t)]

    @property
    def cards(self) -> tuple[Record, ...]:
        return self.records.get(RecordType.CARD_KT400) or self.records.get(
            RecordType.CARD_KT100, ())

    @property
    def card_numbers(self) -> list[int]:
        """The 32-bit card numbers the site grants (BCD cards have none)."""
        return [number for card in self.cards if (number := getattr(card, "card_number", 0))]


def load_site(path: str | Path) -> SiteDescription:
    """Read and check a site file; ConfigurationError on any problem, unreadable TOML included."""
    return parse_site(load_toml(path, "site file"))


def parse_site(data: Mapping[str, Any] | ConfigTable, source: str = "<site>") -> SiteDescription:
    """A site from a parsed TOML document (a mapping, named ``source`` in errors)."""
    top = data if isinstance(data, ConfigTable) else ConfigTable(data, source)
    top.check_unknown(_TABLES)
    controller = top.sub("controller")
    try:
        model = parse_device_model(controller.get("model", "kt400"), SITE_MODELS)
    except ConfigurationError:
        raise controller.error("model", model_choices(SITE_MODELS)) from None
    long_form = model in _LONG_FORM
    records: dict[RecordType, tuple[Record, ...]] = {}

    def put(record_type: RecordType, items: list[Record]) -> None:
        if items:
            records[record_type] = tuple(items)

    system = top.sub("system")
    put(RecordType.GLOBAL_SYSTEM, [_build(system, GlobalSystem, {"name": "site_name"},
                                          defaults={"site_id": 1})])
    doors = [_build(t, DoorRecord) for t in top.tables("doors")]
    relays = [_build(t, RelayRecord) for t in top.tables("relays")]
    inputs = [_build(t, InputRecord) for t in top.tables("inputs")]
    outputs = [_build(t, OutputRecord) for t in top.tables("outputs")]
    counts = {"door_count": len(doors), "relay_count": len(relays), "input_count": len(inputs),
              "output_count": len(outputs), "reader_count": len(doors)}
    put(RecordType.CONTROLLER, [_build(controller, ControllerRecord, skip=("model",),
                                       defaults={"model": model, **counts})])
    put(RecordType.DOOR, doors)
    put(RecordType.RELAY, relays)
    put(RecordType.INPUT, inputs)
    put(RecordType.OUTPUT, outputs)
    schedules = [_schedule(t, long_form) for t in top.tables("schedules")]
    put(RecordType.SCHEDULE_KT400 if long_form else RecordType.SCHEDULE_KT100, schedules)
    put(RecordType.ACCESS_LEVEL, [_access_level(t) for t in top.tables("access_levels")])
    holidays = [_holiday(t) for t in top.tables("holidays")]
    if holidays:
        put(RecordType.HOLIDAYS, [_record(top, "holidays", Holidays, {"holidays": tuple(holidays)})])
    cards = [_card(t, long_form) for t in top.tables("cards")]
    put(RecordType.CARD_KT400 if long_form else RecordType.CARD_KT100, cards)
    site_id = system.get("site_id") if "site_id" in system else None
    return SiteDescription(top.source, model, records,
                           site_id if isinstance(site_id, int) else None)


def _fail(table: ConfigTable, expected: str) -> ConfigurationError:
    """An error about a whole entry (no single key to blame)."""
    return ConfigurationError(f"{table.where}: expected {expected}", source=table.source,
                              table=table.table or None)


def _record(table: ConfigTable, key: str | None, cls: Callable[..., Record],
            values: Mapping[str, Any]) -> Record:
    """``cls(**values)``, checked by encoding it; a failure names the entry (and ``key``).
    Flag fields may be given as lists of names (``flags = ["lost_stolen"]``)."""
    values = dict(values)
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = values.get(f.name)
        if isinstance(f.default, enum.Flag) and isinstance(value, list):
            values[f.name] = _flags(table, f.name, type(f.default), value)
    try:
        built = cls(**values)
        built.encode()
    except (KantechError, ValueError, TypeError, OverflowError) as exc:
        detail = " ".join(str(exc).split())  # Construct's messages span lines
        expected = f"values that fit the {getattr(cls, '__name__', cls)} record: {detail}"
        raise (table.error(key, expected) if key else _fail(table, expected)) from None
    return built


def _build(table: ConfigTable, cls: Callable[..., Record], rename: Mapping[str, str] | None = None,
           *, skip: tuple[str, ...] = (), defaults: Mapping[str, Any] | None = None) -> Record:
    """``cls`` from the table's keys (the record's own field names, some ``rename``d)."""
    rename = rename or {}
    spelling = {field_name: key for key, field_name in rename.items()}
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    table.check_unknown(tuple(spelling.get(n, n) for n in names) + skip)
    values = {**(defaults or {}), **{rename.get(k, k): table.get(k)
                                     for k in table.keys() if k not in skip}}
    return _record(table, None, cls, values)


def _flags(table: ConfigTable, key: str, kind: type[enum.Flag], value: list[Any]) -> Any:
    try:
        return functools.reduce(operator.or_, (kind[str(v).upper()] for v in value), kind(0))
    except KeyError:
        choices = ", ".join(m.name.lower() for m in kind if m.name)
        raise table.error(key, f"a list of {choices}") from None


def _minutes(table: ConfigTable, key: str, text: Any) -> int:
    if isinstance(text, _dt.time):
        return text.hour * 60 + text.minute
    hours, _, minutes = str(text).partition(":")
    if hours.isdigit() and minutes.isdigit() and int(minutes) < 60 \
            and int(hours) * 60 + int(minutes) <= 1440:
        return int(hours) * 60 + int(minutes)
    raise table.error(key, f'times as "hh:mm" (00:00 .. 24:00), not {text!r}')


def _days(table: ConfigTable, value: Any, allow_holiday: bool) -> Day:
    names = ["mon", "tue", "wed", "thu", "fri"] if value == "weekdays" else (
        list(_DAYS)[:7] if value == "all" else value)
    if not isinstance(names, list) or any(str(n).lower() not in _DAYS for n in names) or (
            not allow_holiday and "holiday" in [str(n).lower() for n in names]):
        extra = ", holiday" if allow_holiday else ""
        raise table.error("intervals", f'days as a list of mon .. sun{extra}, or "weekdays", '
                          f'"all"; got {value!r}')
    return functools.reduce(operator.or_, (_DAYS[str(n).lower()] for n in names), Day(0))


def _required(table: ConfigTable, key: str, what: str) -> Any:
    if key not in table:
        raise table.error(key, f"{what} (it is required)")
    return table.get(key)


def _schedule(table: ConfigTable, long_form: bool) -> Record:
    schedule_id = _required(table, "id", "a schedule id")
    items = table.get("intervals", [])
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise table.error("intervals", "a list of inline tables {start, end, days}")
    intervals: list[Interval | ShortInterval] = []
    for item in items:
        start = _minutes(table, "intervals", item.get("start", "00:00"))
        end = _minutes(table, "intervals", item.get("end", "24:00"))
        days = _days(table, item.get("days", "all"), not long_form)
        if long_form:
            types = item.get("holidays", [])
            if not isinstance(types, list) or any(
                    not isinstance(t, int) or not 1 <= t <= 8 for t in types):
                raise table.error("intervals", "holidays as a list of holiday types 1..8")
            intervals.append(Interval(start, end, days, sum(1 << (t - 1) for t in types)))
        else:
            intervals.append(ShortInterval(start, end, days))
    table.check_unknown()
    cls = ScheduleKt400 if long_form else ScheduleKt100
    return _record(table, "intervals", cls, {"schedule_id": schedule_id,
                                             "intervals": tuple(intervals)})


def _access_level(table: ConfigTable) -> Record:
    level_id = _required(table, "id", "an access level id")
    doors = table.get("doors", {})
    expected = "{site door = schedule id} or a list of schedule ids, one per site door"
    if isinstance(doors, list) and all(isinstance(s, int) for s in doors):
        schedules = list(doors)
    elif isinstance(doors, Mapping) and all(str(k).isdigit() and int(k) >= 1 for k in doors) \
            and all(isinstance(s, int) for s in doors.values()):
        schedules = [0] * max((int(k) for k in doors), default=0)
        for key, schedule in doors.items():
            schedules[int(key) - 1] = schedule
    else:
        raise table.error("doors", expected + " (site doors count from 1)")
    table.check_unknown()
    return _record(table, None, AccessLevel, {"level_id": level_id,
                                              "door_schedules": tuple(schedules)})


def _holiday(table: ConfigTable) -> Holiday:
    date = _required(table, "date", "a TOML date (2025-12-25)")
    if not isinstance(date, _dt.date) or isinstance(date, _dt.datetime):
        raise table.error("date", "a TOML date (2025-12-25)")
    kind = table.integer("type", 1, lo=1, hi=8)
    every_year = table.flag("every_year", False)
    table.check_unknown()
    holiday = Holiday(date.month, date.day, kind, None if every_year else date.year)
    _record(table, "date", Holidays, {"holidays": (holiday,)})  # checked as part of its record
    return holiday


def _card(table: ConfigTable, long_form: bool) -> Record:
    number = _required(table, "number", "a card number (an integer, or digits as a string)")
    table.check_unknown(_CARD_KEYS)
    levels = table.get("levels", [table.get("level")] if "level" in table else [])
    if not isinstance(levels, list):
        raise table.error("levels", "a list of access level ids, one per door")
    values: dict[str, Any] = {"pin": str(table.get("pin", ""))}
    for key in ("valid_from", "valid_until", "uses_left", "flags"):
        if key in table:
            values[key] = table.get(key)
    if long_form:
        values.update(access_levels=tuple(levels), user_name=table.get("name", ""),
                      holder_id=table.get("holder_id", 0),
                      floor_group=table.get("floor_group", 0))
        if isinstance(number, str):
            values.update(card_number=0, card_digits=number)
        else:
            values["card_number"] = number
        cls: Callable[..., Record] = CardKt400
    else:
        if len(set(levels)) > 1:
            raise table.error("levels", "one access level for every door on a KT-100/KT-300 "
                              "card")
        values.update(card_number=number, access_level=levels[0] if levels else 0)
        cls = CardKt100
    return _record(table, None, cls, values)
