"""Reload records for elevator control: floor definitions, the relays behind each floor button,
and the floor groups a card's ``floor_group`` names.

A reader whose door has ``DoorFlag.ELEVATOR`` is a cab reader: a card it accepts selects floors
instead of unlocking a lock. Which floors a card may select: a floor that is not DISABLED and
either free (its ``free_schedule`` in force) or allowed by the card's floor group (its schedule
for the floor in force; a group held only as a ``FloorGroupMask`` allows its floors at any
time). The controller reports each selection as a valid or invalid floor selection (table 12:
6 bytes with a 32-bit card, 10 with a BCD card, whose last 16 digits it carries).

The 512-byte floor assignation record does not fit a serial frame (255 data bytes, WIRE.md
section 2), so elevator floors reach only IP controllers (KT-400, KT-1).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.codes import RecordType
from kantech_proto.record_kinds import INDEX, Flags, MemberSet, Nested, Number, Table, Text
from kantech_proto.records_base import ReloadRecord, WireModel, record

SITE_FLOORS = 248
MASK_FLOORS = 256
MAX_FLOORS = 256

FloorGroupLayout = c.Struct(
    "group_id" / c.Int8ub * "1..255, what a card's floor_group names",
    "floor_schedules" / c.Array(SITE_FLOORS, c.Int8ub) * "per floor 1..248; 0 = never"
)


@record(RecordType.FLOOR_GROUP, FloorGroupLayout)
@dataclass(frozen=True, slots=True)
class FloorGroup(ReloadRecord):
    """The floors a card of this group may select, each with the schedule when it may."""

    group_id: int
    floor_schedules: tuple[int, ...] = ()
    KINDS: ClassVar = {"group_id": Number(1, 255),
                       "floor_schedules": Table(INDEX, SITE_FLOORS)}
    BEHAVIOUR: ClassVar = (
        "A card whose floor_group is this group_id may select floor n at a cab reader while "
        "schedule floor_schedules[n-1] is in force (holidays replace the weekday); outside it, "
        "or with 0, the selection is reported invalid. When both a FloorGroup and a "
        "FloorGroupMask carry the same id, the FloorGroup decides.")
    FIELD_BEHAVIOUR: ClassVar = {
        "floor_schedules": "schedule id per floor 1..248; 0 = the group never selects the floor",
    }


FloorGroupMaskLayout = c.Struct(
    "group_id" / c.Int8ub * "1..255, what a card's floor_group names",
    "floors" / c.Bytes(MASK_FLOORS // 8) * "floor n is bit (n-1) % 8 of byte (n-1) // 8"
)


@record(RecordType.FLOOR_GROUP_MASK, FloorGroupMaskLayout)
@dataclass(frozen=True, slots=True)
class FloorGroupMask(ReloadRecord):
    """A floor group without schedules, for controllers that hold no per-floor schedule table:
    the floors (1..256) the group may select at any time."""

    group_id: int
    floors: frozenset[int] = frozenset()
    KINDS: ClassVar = {"group_id": Number(1, 255),
                       "floors": MemberSet(MASK_FLOORS, as_bytes=True)}
    BEHAVIOUR: ClassVar = (
        "Used when no FloorGroup record has this group_id: a card of the group may select the "
        "listed floors at any time and no other. Floors over 255 cannot be reported (the floor "
        "selection event carries one byte).")


FloorButtonLayout = c.Struct(
    "relay" / c.Int8ub * "enables the floor's button in the cab; 0 = none",
    "feedback_input" / c.Int8ub * "closes when the button is pressed, to report the selection; "
    "0 = none"
)


@dataclass(frozen=True, slots=True)
class FloorButton(WireModel):
    STRUCT: ClassVar = FloorButtonLayout
    relay: int = 0
    feedback_input: int = 0


FloorAssignationLayout = c.Struct(
    "floors" / c.Array(MAX_FLOORS, FloorButtonLayout) * "slot n: the button of floor n "
    "(1..256); unused slots are zero",
)


@record(RecordType.FLOOR_ASSIGNATION, FloorAssignationLayout)
@dataclass(frozen=True, slots=True)
class FloorAssignation(ReloadRecord):
    """Which relay releases each floor's button (floors 1..256) for the controller's elevator
    doors (DoorFlag.ELEVATOR); their unlock_time is how long the buttons stay released."""

    floors: tuple[FloorButton, ...] = ()
    KINDS: ClassVar = {"floors": Table(Nested(FloorButton), MAX_FLOORS)}
    BEHAVIOUR: ClassVar = (
        "When a cab reader accepts a card, the controller activates the relay of each floor "
        "the card may select (or of the one floor selected) for the elevator door's "
        "unlock_time (extended_unlock_time for EXTENDED_UNLOCK cards), reporting relay "
        "activation status with source CARD; a relay the controller does not have is skipped. "
        "512 bytes: never sent over a serial loop.")
    FIELD_BEHAVIOUR: ClassVar = {
        "floors": "slot n is floor n: relay (0 = none) released for the floor's button, "
                  "feedback_input (0 = none) wired to the button (not read by the emulator)",
    }


class FloorFlag(enum.IntFlag):
    PIN_REQUIRED = 0x01  # card and PIN to select this floor
    DISABLED = 0x02  # nobody may select it


FloorDefinitionLayout = c.Struct(
    "floor" / c.Int8ub * "1..255, index into FloorAssignation and floor groups",
    "label" / c.Int8sb * "the number shown in the cab: -2 for the second basement",
    "free_schedule" / c.Int8ub * "anybody may select the floor while active; 0 = never",
    "flags" / c.Int8ub * "FloorFlag",
    "name" / c.Bytes(30) * "ASCII, zero-padded",
    "second_name" / c.Bytes(30) * "the name in EntraPass's second language",
)


@record(RecordType.FLOOR_DEFINITION, FloorDefinitionLayout)
@dataclass(frozen=True, slots=True)
class FloorDefinition(ReloadRecord):
    """A floor's number in the cab, its names, when anybody may select it and its flags."""

    floor: int
    label: int = 0
    free_schedule: int = 0
    flags: FloorFlag = FloorFlag(0)
    name: str = ""
    second_name: str = ""
    KINDS: ClassVar = {"floor": Number(1, 255), "label": Number(-128, 127),
                       "free_schedule": INDEX, "flags": Flags(FloorFlag), "name": Text(30),
                       "second_name": Text(30)}
    BEHAVIOUR: ClassVar = (
        "Optional per floor: without one a floor follows the card's floor group alone.")
    FIELD_BEHAVIOUR: ClassVar = {
        "free_schedule": "while this schedule is in force any card the cab reader accepts may "
                         "select the floor, whatever its floor group",
        "flags": "DISABLED: every selection of the floor is invalid; PIN_REQUIRED: the "
                 "selection is valid only with the card's PIN typed at the cab reader",
    }
