"""Site files describing controller depth: door schedules, reader modes, interlocks,
anti-passback, supervision, event outputs, actions and their groups, elevator floors."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pytest

from emulators.kantech_gateway.reload_plan import plan_reload
from emulators.kantech_gateway.site_description import load_site, parse_site
from kantech_proto.codes import ManualOperation, RecordType
from kantech_proto.records_access import WEEKDAYS, CardKt400
from kantech_proto.records_actions import ActionFlag, ActionScheduler, InputGroup, RelayGroup
from kantech_proto.records_elevator import (
    FloorAssignation,
    FloorDefinition,
    FloorFlag,
    FloorGroup,
    FloorGroupMask,
)
from kantech_proto.records_hardware import (
    DoorFlag,
    DoorRecord,
    InputRecord,
    NormalState,
    OutputRecord,
    OutputTrigger,
    ReaderMode,
    RelayRecord,
    Supervision,
)
from kantech_proto.records_system import GlobalSystem, SystemOption
from protolab.errors import ConfigurationError

MONDAY = _dt.datetime(2025, 6, 9, 9, 0, 0)


def one(site: Any, record_type: RecordType, index: int = 0) -> Any:
    return site.records[record_type][index]


def test_example_site_describes_the_controllers_depth(example_site: Path) -> None:
    site = load_site(example_site)
    system = one(site, RecordType.GLOBAL_SYSTEM)
    assert isinstance(system, GlobalSystem) and system.passback_reset == 3 * 60
    assert SystemOption.PASSBACK_RESET_DAILY in system.options
    lobby, lab, cab = site.records[RecordType.DOOR]
    assert isinstance(lobby, DoorRecord) and lobby.unlock_schedule == 3
    assert isinstance(lab, DoorRecord) and DoorFlag.PASSBACK in lab.flags
    assert lab.exit_reader == 4
    assert isinstance(cab, DoorRecord) and DoorFlag.ELEVATOR in cab.flags
    lights = one(site, RecordType.RELAY, 1)
    assert isinstance(lights, RelayRecord) and lights.schedule == 2
    server_room = one(site, RecordType.INPUT, 1)
    assert isinstance(server_room, InputRecord)
    assert (server_room.supervision, server_room.alarm_output) == (Supervision.DOUBLE_EOL, 1)
    buzzer = one(site, RecordType.OUTPUT)
    assert isinstance(buzzer, OutputRecord)
    assert buzzer.triggers == OutputTrigger.DOOR_FORCED | OutputTrigger.DOOR_OPEN_TOO_LONG
    action = one(site, RecordType.ACTION_SCHEDULER)
    assert isinstance(action, ActionScheduler)
    assert (action.operation, action.first_index, action.at, action.days, action.flags) == (
        ManualOperation.LOCK_DOOR, 1, 18 * 60 + 30, WEEKDAYS, ActionFlag.REPORT)
    lobby_floor = one(site, RecordType.FLOOR_DEFINITION)
    assert isinstance(lobby_floor, FloorDefinition) and lobby_floor.free_schedule == 2
    buttons = one(site, RecordType.FLOOR_ASSIGNATION)
    assert isinstance(buttons, FloorAssignation)
    assert [b.relay for b in buttons.floors] == [3, 4]
    staff = one(site, RecordType.FLOOR_GROUP)
    assert isinstance(staff, FloorGroup) and staff.floor_schedules == (0, 1)
    ada = one(site, RecordType.CARD_KT400)
    assert isinstance(ada, CardKt400) and ada.floor_group == 1
    sent = [record_type for record_type, _ in site.reload_groups(MONDAY)]
    assert sent.index(RecordType.ACTION_SCHEDULER) > sent.index(RecordType.SCHEDULE_KT400)
    plan = plan_reload(site.reload_groups(MONDAY))
    assert plan.record_count == sum(len(r) for r in site.records.values()) + 1  # + date/time


def test_every_depth_table_and_named_choice() -> None:
    site = parse_site({
        "system": {"pin_attempts": 3, "pin_lockout": 120},
        "doors": [{"door": 1, "reader_mode": "pin_only", "interlock_door": 2,
                   "flags": ["passback", "passback_soft", "first_person_in"],
                   "pin_schedule": 2, "disabled_schedule": 3},
                  {"door": 2, "reader_mode": "card_and_pin", "interlock_door": 1}],
        "inputs": [{"input": 5, "normal_state": "open", "supervision": "single_eol",
                    "shunt_schedule": 2, "alarm_relay": 3}],
        "relays": [{"relay": 3, "follow_input": 6}],
        "relay_groups": [{"id": 1, "members": [1, 2]}],
        "input_groups": [{"id": 2, "members": [16]}],
        "actions": [{"id": 4, "operation": "activate_relay_timed", "first": 1, "count": 1,
                     "duration": 30, "at": "07:00", "repeat_every": 60, "repeat_until": "19:00",
                     "days": ["sat", "sun"], "holidays": [1, 3], "condition_schedule": 2,
                     "flags": ["groups", "outputs", "run_missed"]}],
        "floor_groups": [{"id": 7, "floors": [1, 9]}],
        "floors": [{"floor": 9, "flags": ["pin_required"], "label": -1}],
    })
    first, second = site.records[RecordType.DOOR]
    assert isinstance(first, DoorRecord) and isinstance(second, DoorRecord)
    assert (first.reader_mode, first.interlock_door) == (ReaderMode.PIN_ONLY, 2)
    assert DoorFlag.PASSBACK_SOFT | DoorFlag.FIRST_PERSON_IN in first.flags
    assert second.reader_mode is ReaderMode.CARD_AND_PIN
    sensor = one(site, RecordType.INPUT)
    assert (sensor.normal_state, sensor.supervision) == (NormalState.OPEN, Supervision.SINGLE_EOL)
    assert one(site, RecordType.RELAY_GROUP) == RelayGroup(1, frozenset({1, 2}))
    assert one(site, RecordType.INPUT_GROUP) == InputGroup(2, frozenset({16}))
    action = one(site, RecordType.ACTION_SCHEDULER)
    assert action.run_minutes() == tuple(range(7 * 60, 19 * 60 + 1, 60))
    assert action.holiday_types == 0b101
    assert action.flags == ActionFlag.GROUPS | ActionFlag.OUTPUTS | ActionFlag.RUN_MISSED
    assert one(site, RecordType.FLOOR_GROUP_MASK) == FloorGroupMask(7, frozenset({1, 9}))
    assert one(site, RecordType.FLOOR_DEFINITION).flags == FloorFlag.PIN_REQUIRED
    assert RecordType.FLOOR_ASSIGNATION not in site.records  # no floor has a relay


BAD: list[tuple[dict[str, Any], str | None, str | None, str]] = [
    ({"doors": [{"door": 1, "reader_mode": "retina"}]}, "doors #1", "reader_mode",
     "one of card_only, card_and_pin, pin_only"),
    ({"inputs": [{"input": 1, "supervision": "triple"}]}, "inputs #1", "supervision",
     "one of none, single_eol, double_eol"),
    ({"actions": [{"id": 1}]}, "actions #1", "operation", "operation is missing"),
    ({"actions": [{"id": 1, "operation": "explode"}]}, "actions #1", "operation",
     "unlock_door"),
    ({"actions": [{"id": 1, "operation": "unlock_door", "at": "8h"}]}, "actions #1", "at",
     "hh:mm"),
    ({"actions": [{"id": 1, "operation": "unlock_door", "days": ["someday"]}]}, "actions #1",
     "days", "mon .. sun"),
    ({"actions": [{"id": 1, "operation": "unlock_door", "flags": ["groups"]}]}, "actions #1",
     None, "door operations name doors"),
    ({"actions": [{"id": 1, "operation": "lock_door", "when": "now"}]}, "actions #1", "when",
     "unknown key when"),
    ({"relay_groups": [{"id": 1, "members": [17]}]}, "relay_groups #1", "members", "1..16"),
    ({"floor_groups": [{"id": 1, "floors": "all"}]}, "floor_groups #1", "floors",
     "floor group mask"),
    ({"controller": {"model": "kt300"}, "floors": [{"floor": 1, "relay": 2}]}, "floors #1", None,
     "KT-400 or KT-1"),
    ({"floors": [{"floor": 0}]}, "floors #1", None, "FloorDefinition"),
    ({"floors": [{"floor": 2, "relay": 300}]}, "floors #1", "relay", "0..255"),
    ({"system": {"passback_reset": "25:00"}}, "system", "passback_reset", "hh:mm"),
]


@pytest.mark.parametrize(("data", "table", "key", "expected"), BAD,
                         ids=[f"{t}-{k}-{e[:12]}" for _, t, k, e in BAD])
def test_depth_errors_name_table_key_and_expectation(data: dict[str, Any], table: str | None,
                                                     key: str | None, expected: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_site(data, "lab.toml")
    error = info.value
    assert (error.source, error.table, error.key) == ("lab.toml", table, key)
    assert expected in str(error) and "\n" not in str(error)
