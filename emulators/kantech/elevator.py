"""Which floors a card may select at a cab reader (a door with DoorFlag.ELEVATOR), and which
relays release their buttons: pure functions of the elevator records (``records_elevator``).

A floor is selectable when it is not DISABLED, its PIN_REQUIRED (if set) is met by the PIN typed,
and either its free schedule is in force or the card's floor group allows it: the FloorGroup of
that id by its per-floor schedule, else the FloorGroupMask of that id at any time. KT-100 cards
have no floor group and select free floors only. Floors are 1..255 (the floor selection event
carries one byte).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from emulators.kantech.access_decision import Card
from kantech_proto.records_access import CardKt400
from kantech_proto.records_elevator import (
    FloorAssignation,
    FloorDefinition,
    FloorFlag,
    FloorGroup,
    FloorGroupMask,
)

MAX_FLOOR = 255
#: digits a BCD card's floor selection event carries (table 12: 10 bytes with the type byte)
FLOOR_EVENT_DIGITS = 16
InForce = Callable[[int], bool]


@dataclass(frozen=True, slots=True)
class ElevatorRecords:
    """The elevator records one controller holds (views of its record store)."""

    groups: Mapping[int, FloorGroup]
    masks: Mapping[int, FloorGroupMask]
    floors: Mapping[int, FloorDefinition]
    assignation: FloorAssignation | None = None


def floor_allowed(card: Card, floor: int, records: ElevatorRecords, in_force: InForce,
                  pin: str | None) -> bool:
    """Whether ``card`` (already accepted by the cab reader) may select ``floor`` now."""
    definition = records.floors.get(floor)
    if definition is not None:
        if FloorFlag.DISABLED in definition.flags:
            return False
        if FloorFlag.PIN_REQUIRED in definition.flags and (not card.pin or pin != card.pin):
            return False
        if definition.free_schedule and in_force(definition.free_schedule):
            return True
    group_id = card.floor_group if isinstance(card, CardKt400) else 0
    if not group_id:
        return False
    group = records.groups.get(group_id)
    if group is not None:
        schedule = group.floor_schedules[floor - 1] if floor <= len(group.floor_schedules) else 0
        return bool(schedule) and in_force(schedule)
    mask = records.masks.get(group_id)
    return mask is not None and floor in mask.floors


def allowed_floors(card: Card, records: ElevatorRecords, in_force: InForce,
                   pin: str | None) -> list[int]:
    """Every floor ``card`` may select now, lowest first."""
    group_id = card.floor_group if isinstance(card, CardKt400) else 0
    candidates = set(records.floors)
    if group := records.groups.get(group_id):
        candidates |= {n + 1 for n, schedule in enumerate(group.floor_schedules) if schedule}
    elif mask := records.masks.get(group_id):
        candidates |= mask.floors
    return sorted(f for f in candidates
                  if 1 <= f <= MAX_FLOOR and floor_allowed(card, f, records, in_force, pin))


def button_relays(assignation: FloorAssignation | None, floors: list[int]) -> list[int]:
    """The relays that release the buttons of ``floors`` (floors without one are skipped)."""
    if assignation is None:
        return []
    slots = assignation.floors
    return sorted({slots[f - 1].relay for f in floors if f <= len(slots) and slots[f - 1].relay})


def reported_digits(digits: str) -> str:
    """A BCD card number as a floor selection event carries it: its last 16 digits."""
    return digits[-FLOOR_EVENT_DIGITS:]
