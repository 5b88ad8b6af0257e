"""What the records say the controller does: the behaviour texts are there, name real fields, and
the fields given a meaning for controller depth keep every record at its WIRE.md size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import construct as c
import pytest

from kantech_proto.codes import ManualOperation, RecordType
from kantech_proto.errors import BadFieldError, EncodeError, LayoutError
from kantech_proto.records_actions import ActionFlag
from kantech_proto.records_base import REGISTRY, ReloadRecord, record
from kantech_proto.records_hardware import DoorFlag, ReaderMode
from kantech_proto.reload_records import (
    RECORD_CLASSES,
    RECORD_SIZES,
    ActionScheduler,
    DoorRecord,
    decode_record,
    encode_record,
)

DEPTH = {
    RecordType.DOOR: ("unlock_schedule", "pin_schedule", "disabled_schedule", "interlock_door",
                      "entry_reader", "exit_reader", "reader_mode", "flags"),
    RecordType.RELAY: ("schedule", "follow_input", "flags"),
    RecordType.INPUT: ("supervision", "normal_state", "shunt_schedule", "alarm_relay",
                       "alarm_output"),
    RecordType.OUTPUT: ("schedule", "on_time", "triggers", "trigger_door", "trigger_input"),
    RecordType.ACTION_SCHEDULER: ("at", "repeat_every", "days", "holiday_types",
                                  "condition_schedule", "flags"),
    RecordType.FLOOR_DEFINITION: ("free_schedule", "flags"),
    RecordType.FLOOR_ASSIGNATION: ("floors",),
    RecordType.FLOOR_GROUP: ("floor_schedules",),
    RecordType.CARD_KT400: ("pin", "flags", "floor_group"),
    RecordType.GLOBAL_SYSTEM: ("options", "pin_attempts", "pin_lockout", "passback_reset"),
}


@pytest.mark.parametrize("record_type", sorted(DEPTH))
def test_depth_records_say_what_the_controller_does(record_type: RecordType) -> None:
    cls = RECORD_CLASSES[record_type]
    assert set(DEPTH[record_type]) <= set(cls.FIELD_BEHAVIOUR)
    assert all(text and "\n" not in text for text in cls.FIELD_BEHAVIOUR.values())


def test_every_group_and_floor_record_has_a_behaviour_paragraph() -> None:
    for record_type in (RecordType.RELAY_GROUP, RecordType.INPUT_GROUP,
                        RecordType.ACTION_SCHEDULER, RecordType.FLOOR_GROUP_MASK,
                        RecordType.FLOOR_ASSIGNATION, RecordType.DOOR, RecordType.CARD_KT100):
        assert len(RECORD_CLASSES[record_type].BEHAVIOUR) > 40, record_type


def test_a_behaviour_for_a_field_that_does_not_exist_is_refused() -> None:
    with pytest.raises(LayoutError, match="colour"):
        @record(RecordType.RELAY_GROUP, c.Struct("group_id" / c.Int8ub, "members" / c.Int16ub))
        @dataclass(frozen=True, slots=True)
        class Bogus(ReloadRecord):
            group_id: int
            members: int = 0
            FIELD_BEHAVIOUR: ClassVar = {"colour": "red"}
    assert REGISTRY[RecordType.RELAY_GROUP].__name__ == "RelayGroup"  # nothing registered


def test_sizes_are_still_wire_md_s() -> None:
    assert {t: len(encode_record(RECORD_CLASSES[t](**_minimal(t)))) for t in (
        RecordType.DOOR, RecordType.ACTION_SCHEDULER)} == {
        RecordType.DOOR: RECORD_SIZES[RecordType.DOOR],
        RecordType.ACTION_SCHEDULER: RECORD_SIZES[RecordType.ACTION_SCHEDULER]}


def _minimal(record_type: RecordType) -> dict[str, object]:
    if record_type == RecordType.DOOR:
        return {"door": 1}
    return {"action_id": 1, "operation": ManualOperation.UNLOCK_DOOR}


def test_reader_mode_and_soft_passback_ride_in_the_door_record() -> None:
    door = DoorRecord(2, DoorFlag.PASSBACK | DoorFlag.PASSBACK_SOFT,
                      reader_mode=ReaderMode.CARD_AND_PIN)
    wire = encode_record(door)
    assert wire[1:3] == bytes((0x03, 0x00)) and wire[26] == 1
    assert decode_record(RecordType.DOOR, wire) == door
    with pytest.raises(BadFieldError):
        decode_record(RecordType.DOOR, wire[:26] + b"\x07")  # no reader mode 7


def test_action_groups_and_outputs_flags() -> None:
    pulse = ActionScheduler(1, ManualOperation.ACTIVATE_RELAY_TIMED, 2, 3, duration=5,
                            at=8 * 60, repeat_every=45, repeat_until=10 * 60,
                            flags=ActionFlag.GROUPS | ActionFlag.OUTPUTS)
    assert encode_record(pulse)[-1] == 0x0C
    assert pulse.run_minutes() == (480, 525, 570)
    assert ActionScheduler(1, ManualOperation.LOCK_DOOR, at=600, repeat_every=30,
                           repeat_until=500).run_minutes() == (600,)
    for bad in (ActionScheduler(1, ManualOperation.UNLOCK_DOOR, flags=ActionFlag.GROUPS),
                ActionScheduler(1, ManualOperation.SHUNT_INPUT, flags=ActionFlag.OUTPUTS)):
        with pytest.raises(EncodeError):
            encode_record(bad)
