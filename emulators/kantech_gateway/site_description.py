"""A site file (TOML) as the reload records a gateway sends to one controller.

The file is written by people, so it is read like every protolab TOML file
(``protolab.config_file``): every mistake is a ConfigurationError naming the file, the table (and
entry: ``[cards #2]``), the key and what was expected, never a Construct traceback, and a key
nobody reads is an error. Layout::

    [system]                  # global system information (name, PIN length, ...; site_id is
                              # optional: the gateway fills in the id it runs)
    [controller]              # model = "kt400" | "kt1" | "kt100" | "kt300" (KT-400 ... too),
                              # name, first_site_door
    [[schedules]]             # id, intervals = [{start = "08:00", end = "18:00", days = [...]}]
    [[access_levels]]         # id, doors = {1 = schedule, 2 = schedule} (site door numbers)
    [[holidays]]              # date = 2025-12-25, type = 1, every_year = true
    [[doors]] [[relays]] [[inputs]] [[outputs]]   # the record's own field names; flags as
                              # lists of names, choices by name (reader_mode = "pin_only",
                              # supervision = "double_eol"), e.g. unlock_schedule,
                              # interlock_door, exit_reader, triggers = ["door_forced"]
    [[cards]]                 # number, pin, levels = [door 1, door 2, ...], valid_from, name,
                              # floor_group
    [[relay_groups]] [[input_groups]] [[actions]]  # timed actions (site_actions)
    [[floors]] [[floor_groups]]                     # elevator control (site_elevator)

``[system]`` takes the global system record's fields (``passback_reset = "03:00"``,
``options = ["passback_reset_daily"]``, ``pin_attempts`` ...), ``name`` for the site name.

KT-400/KT-1 controllers get 78-byte cards and six-interval schedules; KT-100/KT-300 get the short
forms (one access level per card, four intervals per schedule).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulators.kantech_gateway import site_actions, site_elevator
from emulators.kantech_gateway.site_fields import (
    build_record,
    days_of,
    from_table,
    holiday_bits,
    minutes_of,
    required,
)
from kantech_proto.codes import DeviceModel, RecordType, model_choices, parse_device_model
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.reload_records import (
    AccessLevel,
    CardKt100,
    CardKt400,
    ControllerRecord,
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
_TABLES = ("system", "controller", "schedules", "access_levels", "holidays", "doors", "relays",
           "inputs", "outputs", "cards", *site_actions.TABLES, *site_elevator.TABLES)
_CARD_KEYS = ("number", "pin", "levels", "level", "valid_from", "valid_until", "name", "flags",
              "uses_left", "holder_id", "floor_group")
#: the order records are sent in: what others refer to comes first
SEND_ORDER = (RecordType.GLOBAL_SYSTEM, RecordType.CONTROLLER, RecordType.DATE_TIME,
              RecordType.DOOR, RecordType.RELAY, RecordType.INPUT, RecordType.OUTPUT,
              RecordType.RELAY_GROUP, RecordType.INPUT_GROUP, RecordType.FLOOR_DEFINITION,
              RecordType.FLOOR_ASSIGNATION, RecordType.SCHEDULE_KT400, RecordType.SCHEDULE_KT100,
              RecordType.ACCESS_LEVEL, RecordType.FLOOR_GROUP, RecordType.FLOOR_GROUP_MASK,
              RecordType.HOLIDAYS, RecordType.ACTION_SCHEDULER, RecordType.CARD_KT400,
              RecordType.CARD_KT100)


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
    put(RecordType.GLOBAL_SYSTEM, [from_table(system, GlobalSystem, {"name": "site_name"},
                                              defaults={"site_id": 1},
                                              times=("passback_reset",))])
    doors = [from_table(t, DoorRecord) for t in top.tables("doors")]
    relays = [from_table(t, RelayRecord) for t in top.tables("relays")]
    inputs = [from_table(t, InputRecord) for t in top.tables("inputs")]
    outputs = [from_table(t, OutputRecord) for t in top.tables("outputs")]
    counts = {"door_count": len(doors), "relay_count": len(relays), "input_count": len(inputs),
              "output_count": len(outputs), "reader_count": len(doors)}
    put(RecordType.CONTROLLER, [from_table(controller, ControllerRecord, skip=("model",),
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
        put(RecordType.HOLIDAYS, [build_record(top, "holidays", Holidays,
                                               {"holidays": tuple(holidays)})])
    cards = [_card(t, long_form) for t in top.tables("cards")]
    put(RecordType.CARD_KT400 if long_form else RecordType.CARD_KT100, cards)
    for record_type, items in {**site_actions.parse_actions(top),
                               **site_elevator.parse_elevator(top, model)}.items():
        put(record_type, items)
    site_id = system.get("site_id") if "site_id" in system else None
    return SiteDescription(top.source, model, records,
                           site_id if isinstance(site_id, int) else None)


def _schedule(table: ConfigTable, long_form: bool) -> Record:
    schedule_id = required(table, "id", "a schedule id")
    items = table.get("intervals", [])
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise table.error("intervals", "a list of inline tables {start, end, days}")
    intervals: list[Interval | ShortInterval] = []
    for item in items:
        start = minutes_of(table, "intervals", item.get("start", "00:00"))
        end = minutes_of(table, "intervals", item.get("end", "24:00"))
        days = days_of(table, item.get("days", "all"), not long_form)
        if long_form:
            types = holiday_bits(table, "intervals", item.get("holidays", []))
            intervals.append(Interval(start, end, days, types))
        else:
            intervals.append(ShortInterval(start, end, days))
    table.check_unknown()
    cls = ScheduleKt400 if long_form else ScheduleKt100
    return build_record(table, "intervals", cls, {"schedule_id": schedule_id,
                                             "intervals": tuple(intervals)})


def _access_level(table: ConfigTable) -> Record:
    level_id = required(table, "id", "an access level id")
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
    return build_record(table, None, AccessLevel, {"level_id": level_id,
                                              "door_schedules": tuple(schedules)})


def _holiday(table: ConfigTable) -> Holiday:
    date = required(table, "date", "a TOML date (2025-12-25)")
    if not isinstance(date, _dt.date) or isinstance(date, _dt.datetime):
        raise table.error("date", "a TOML date (2025-12-25)")
    kind = table.integer("type", 1, lo=1, hi=8)
    every_year = table.flag("every_year", False)
    table.check_unknown()
    holiday = Holiday(date.month, date.day, kind, None if every_year else date.year)
    build_record(table, "date", Holidays, {"holidays": (holiday,)})  # checked as part of its record
    return holiday


def _card(table: ConfigTable, long_form: bool) -> Record:
    number = required(table, "number", "a card number (an integer, or digits as a string)")
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
    return build_record(table, None, cls, values)
