"""The site file's timed actions and the relay and input groups they operate.

Layout::

    [[relay_groups]]          # id, members = [1, 3]       (relays 1..16)
    [[input_groups]]          # id, members = [4, 5]       (inputs 1..16)
    [[actions]]               # id, operation = "unlock_door" | "lock_door" | "activate_relay" ...
                              # (ManualOperation names), first = 1, count = 1, duration = 0,
                              # at = "08:00", repeat_every = 0 (minutes), repeat_until = "18:00",
                              # days = "weekdays" | "all" | ["mon", ...], holidays = [1, 2],
                              # valid_from, valid_until, condition_schedule,
                              # flags = ["report", "run_missed", "groups", "outputs"]
"""

from __future__ import annotations

from typing import Any

from emulators.kantech_gateway.site_fields import (
    build_record,
    choice_of,
    days_of,
    holiday_bits,
    minutes_of,
    required,
)
from kantech_proto.codes import ManualOperation, RecordType
from kantech_proto.reload_records import ActionScheduler, InputGroup, Record, RelayGroup
from protolab.config_file import ConfigTable

TABLES = ("relay_groups", "input_groups", "actions")
_ACTION_KEYS = ("id", "operation", "first", "count", "duration", "at", "repeat_every",
                "repeat_until", "days", "holidays", "valid_from", "valid_until",
                "condition_schedule", "flags")


def parse_actions(top: ConfigTable) -> dict[RecordType, list[Record]]:
    """The records of the ``relay_groups``, ``input_groups`` and ``actions`` tables."""
    return {
        RecordType.RELAY_GROUP: [_group(t, RelayGroup) for t in top.tables("relay_groups")],
        RecordType.INPUT_GROUP: [_group(t, InputGroup) for t in top.tables("input_groups")],
        RecordType.ACTION_SCHEDULER: [_action(t) for t in top.tables("actions")],
    }


def _group(table: ConfigTable, cls: type[RelayGroup] | type[InputGroup]) -> Record:
    group_id = required(table, "id", "a group id 1..255")
    members = table.get("members", [])
    if not isinstance(members, list):
        raise table.error("members", "a list of point numbers 1..16")
    table.check_unknown(("id", "members"))
    return build_record(table, "members", cls, {"group_id": group_id,
                                                "members": frozenset(members)})


def _action(table: ConfigTable) -> Record:
    table.check_unknown(_ACTION_KEYS)
    values: dict[str, Any] = {
        "action_id": required(table, "id", "an action id 1..255"),
        "operation": choice_of(table, "operation", ManualOperation,
                               required(table, "operation", "a manual operation name")),
        "first_index": table.get("first", 1), "count": table.get("count", 1),
        "duration": table.get("duration", 0), "repeat_every": table.get("repeat_every", 0),
        "days": days_of(table, table.get("days", "all"), False, key="days"),
        "holiday_types": holiday_bits(table, "holidays", table.get("holidays", [])),
        "condition_schedule": table.get("condition_schedule", 0),
    }
    for key in ("at", "repeat_until"):
        if key in table:
            values[key] = minutes_of(table, key, table.get(key))
    for key in ("valid_from", "valid_until", "flags"):
        if key in table:
            values[key] = table.get(key)
    return build_record(table, None, ActionScheduler, values)

