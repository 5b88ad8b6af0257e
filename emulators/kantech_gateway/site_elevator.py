"""The site file's elevator floors and floor groups.

Layout::

    [[floors]]                # floor, label, name, second_name, free_schedule,
                              # flags = ["pin_required", "disabled"],
                              # relay (releases its button), feedback_input
    [[floor_groups]]          # id, floors = {1 = schedule, 3 = schedule}: a FloorGroup, each
                              # floor with the schedule when the group may select it; or
                              # floors = [1, 3]: a FloorGroupMask, those floors at any time

Each floor becomes a FloorDefinition, and the floors' relays one FloorAssignation. That record is
512 bytes, more than a serial frame carries (255), so floors are refused on the KT-100/KT-300.
"""

from __future__ import annotations

from collections.abc import Mapping

from emulators.kantech_gateway.site_fields import build_record, fail, from_table, required
from kantech_proto.codes import DeviceModel, RecordType
from kantech_proto.reload_records import (
    SERIAL_DATA_BUDGET,
    FloorAssignation,
    FloorButton,
    FloorDefinition,
    FloorGroup,
    FloorGroupMask,
    Record,
)
from protolab.config_file import ConfigTable

TABLES = ("floors", "floor_groups")
_IP_MODELS = (DeviceModel.KT_400, DeviceModel.KT_1)


def parse_elevator(top: ConfigTable, model: DeviceModel) -> dict[RecordType, list[Record]]:
    """The records of the ``floors`` and ``floor_groups`` tables for a controller of ``model``."""
    floors = top.tables("floors")
    if floors and model not in _IP_MODELS:
        raise fail(floors[0], f"elevator floors on a KT-400 or KT-1: the 512-byte floor "
                   f"assignation record does not fit a serial loop's {SERIAL_DATA_BUDGET}-byte "
                   f"frames ({model.name} is a loop controller)")
    definitions = [from_table(t, FloorDefinition, skip=("relay", "feedback_input"))
                   for t in floors]
    buttons: dict[int, FloorButton] = {}
    for table in floors:
        relay, feedback = table.get("relay", 0), table.get("feedback_input", 0)
        if relay or feedback:
            buttons[table.get("floor")] = _button(table, relay, feedback)
    out: dict[RecordType, list[Record]] = {RecordType.FLOOR_DEFINITION: definitions}
    if buttons:
        slots = [buttons.get(n, FloorButton()) for n in range(1, max(buttons) + 1)]
        out[RecordType.FLOOR_ASSIGNATION] = [
            build_record(top, "floors", FloorAssignation, {"floors": tuple(slots)})]
    groups: list[Record] = []
    masks: list[Record] = []
    for table in top.tables("floor_groups"):
        group_id = required(table, "id", "a floor group id 1..255")
        value = table.get("floors", [])
        table.check_unknown(("id", "floors"))
        if isinstance(value, list):
            masks.append(build_record(table, "floors", FloorGroupMask,
                                      {"group_id": group_id, "floors": frozenset(value)}))
        elif isinstance(value, Mapping) and all(str(k).isdigit() and int(k) >= 1
                                                for k in value):
            schedules = [0] * max((int(k) for k in value), default=0)
            for floor, schedule in value.items():
                schedules[int(floor) - 1] = schedule
            groups.append(build_record(table, "floors", FloorGroup,
                                       {"group_id": group_id,
                                        "floor_schedules": tuple(schedules)}))
        else:
            raise table.error("floors", "{floor = schedule id} (a floor group) or a list of "
                              "floors (a floor group mask); floors count from 1")
    out[RecordType.FLOOR_GROUP] = groups
    out[RecordType.FLOOR_GROUP_MASK] = masks
    return out


def _button(table: ConfigTable, relay: object, feedback: object) -> FloorButton:
    if not isinstance(table.get("floor"), int) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255
            for v in (relay, feedback)):
        raise table.error("relay", "a floor number with relay and feedback_input 0..255")
    return FloorButton(relay, feedback)  # type: ignore[arg-type]
