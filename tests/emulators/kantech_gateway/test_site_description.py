"""Site TOML files: the example, and every way a hand-written file can be wrong."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pytest

from emulators.kantech_gateway.reload_plan import ip_frame_size, plan_reload
from emulators.kantech_gateway.site_description import load_site, parse_site
from kantech_proto.codes import DeviceModel, RecordType
from kantech_proto.reload_records import (
    IP_DATA_BUDGET,
    AccessLevel,
    CardFlag,
    CardKt400,
    Day,
    DoorRecord,
    ScheduleKt400,
    max_records_per_packet,
)
from protolab.errors import ConfigurationError, ProtolabError

# a moment to stamp the controllers' clocks with (the gateway passes its clock's time)
MONDAY = _dt.datetime(2025, 6, 9, 9, 0, 0)


def test_example_site(example_site: Path) -> None:
    site = load_site(example_site)
    assert site.model is DeviceModel.KT_400
    cards = site.records[RecordType.CARD_KT400]
    assert [c.card_number for c in cards] == [1001, 1002, 1003]  # type: ignore[union-attr]
    ada = cards[0]
    assert isinstance(ada, CardKt400)
    assert ada.pin == "1234" and ada.access_levels[:2] == (1, 1) and ada.user_name == "Ada Admin"
    assert CardFlag.LOST_STOLEN in cards[2].flags  # type: ignore[union-attr]
    assert cards[1].valid_until == _dt.date(2030, 12, 31)  # type: ignore[union-attr]
    office = site.records[RecordType.SCHEDULE_KT400][1]
    assert isinstance(office, ScheduleKt400)
    assert office.intervals[0].start == 7 * 60 + 30 and Day.SAT not in office.intervals[0].days
    level = site.records[RecordType.ACCESS_LEVEL][1]
    assert isinstance(level, AccessLevel) and level.schedule_for(1) == 2
    assert level.schedule_for(2) == 0
    door = site.records[RecordType.DOOR][1]
    assert isinstance(door, DoorRecord) and door.unlock_time == 8
    controller = site.records[RecordType.CONTROLLER][0]
    assert controller.door_count == 3  # type: ignore[union-attr]
    groups = dict(site.reload_groups(_dt.datetime(2025, 1, 2, 3, 4, 5)))
    assert groups[RecordType.DATE_TIME][0].minute == 4  # type: ignore[union-attr]


def test_batching_follows_the_packet_budget() -> None:
    cards = [{"number": n, "levels": [1]} for n in range(1, 200)]
    site = parse_site({"cards": cards})
    plan = plan_reload(site.reload_groups(MONDAY))
    per_packet = max_records_per_packet(RecordType.CARD_KT400, IP_DATA_BUDGET)
    card_batches = [b for b in plan.batches if b.record_type == RecordType.CARD_KT400]
    sizes = [len(b.records) for b in card_batches]
    assert sum(sizes) == 199 and all(n == per_packet for n in sizes[:-1])
    assert len(sizes) == -(-199 // per_packet)
    assert plan.record_count == 199 + 3  # + global system, controller, date/time
    assert ip_frame_size(1) == 25 and ip_frame_size(0) == 25 and ip_frame_size(2) == 41


def test_kt300_cards_take_one_level() -> None:
    site = parse_site({"controller": {"model": "kt300"},
                       "cards": [{"number": 7, "levels": [2, 2]}]})
    assert site.records[RecordType.CARD_KT100][0].access_level == 2  # type: ignore[union-attr]


BAD: list[tuple[dict[str, Any], str | None, str | None, str]] = [
    ({"bogus": {}}, None, "bogus", "unknown key bogus; expected: access_levels"),
    ({"controller": {"model": "kt9000"}}, "controller", "model", "one of kt400, kt1, kt100"),
    ({"controller": []}, None, "controller", "a table"),
    ({"cards": {"number": 1}}, None, "cards", "array of tables"),
    ({"cards": [{"pin": "1"}]}, "cards #1", "number", "number is missing"),
    ({"cards": [{"number": 1, "colour": "red"}]}, "cards #1", "colour", "unknown key colour"),
    ({"cards": [{"number": 1, "pin": "12a"}]}, "cards #1", None, "CardKt400"),
    ({"cards": [{"number": 1, "valid_from": _dt.date(2025, 2, 1),
                 "valid_until": _dt.date(2025, 1, 1)}]}, "cards #1", None, "valid_from"),
    ({"cards": [{"number": 1, "flags": ["shiny"]}]}, "cards #1", "flags", "a list of valid"),
    ({"controller": {"model": "kt100"}, "cards": [{"number": 1, "levels": [1, 2]}]},
     "cards #1", "levels", "one access level"),
    ({"schedules": [{"intervals": []}]}, "schedules #1", "id", "id is missing"),
    ({"schedules": [{"id": 1, "intervals": [{"start": "25:00"}]}]}, "schedules #1",
     "intervals", "hh:mm"),
    ({"schedules": [{"id": 1, "intervals": [{"days": ["funday"]}]}]}, "schedules #1",
     "intervals", "days"),
    ({"schedules": [{"id": 1, "intervals": [{"days": ["holiday"]}]}]}, "schedules #1",
     "intervals", "days"),
    ({"schedules": [{"id": 1, "intervals": [{}] * 7}]}, "schedules #1", "intervals",
     "ScheduleKt400"),
    ({"schedules": [{"id": 1, "intervals": [{"holidays": [9]}]}]}, "schedules #1",
     "intervals", "holiday types"),
    ({"schedules": [{"id": 1, "colour": "red"}]}, "schedules #1", "colour",
     "unknown key colour"),
    ({"access_levels": [{"id": 1, "doors": {"front": 1}}]}, "access_levels #1", "doors",
     "site door"),
    ({"access_levels": [{"id": 0, "doors": [1]}]}, "access_levels #1", None, "AccessLevel"),
    ({"holidays": [{"date": "xmas"}]}, "holidays #1", "date", "TOML date"),
    ({"holidays": [{"date": _dt.date(2025, 12, 25), "type": 12}]}, "holidays #1", "type",
     "an integer from 1 to 8"),
    ({"holidays": [{"date": _dt.date(2025, 2, 30)}]} if False else
     {"holidays": [{"date": _dt.date(2025, 12, 25), "every_year": "yes"}]}, "holidays #1",
     "every_year", "true or false"),
    ({"doors": [{"door": 1, "pre_alarm_time": 90, "open_time": 30}]}, "doors #1", None,
     "pre-alarm"),
    ({"doors": [{"door": 1, "colour": 3}]}, "doors #1", "colour", "unknown key colour"),
    ({"relays": [{"relay": 1, "pulse_time": -1}]}, "relays #1", None, "RelayRecord"),
    ({"system": {"pin_length": 9}}, "system", None, "GlobalSystem"),
]


@pytest.mark.parametrize(("data", "table", "key", "expected"), BAD,
                         ids=[f"{t}-{k}-{e[:12]}" for _, t, k, e in BAD])
def test_errors_name_file_table_key_and_expectation(data: dict[str, Any], table: str | None,
                                                    key: str | None, expected: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_site(data, "lab.toml")
    error = info.value
    assert isinstance(error, ProtolabError)
    assert (error.source, error.table, error.key) == ("lab.toml", table, key)
    assert expected in str(error) and "\n" not in str(error)
    assert str(error).startswith(f"lab.toml: [{table}]: " if table else "lab.toml: ")


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"missing\.toml: no such site file"):
        load_site(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[cards\n")
    with pytest.raises(ConfigurationError, match=r"broken.toml: not valid TOML"):
        load_site(broken)


@pytest.mark.parametrize("spelling", ["kt300", "KT-300", "kt_300", "KT300"])
def test_model_spellings(spelling: str) -> None:
    assert parse_site({"controller": {"model": spelling}}).model is DeviceModel.KT_300
