"""The wires in front of a controller: which inputs are a door's contact and request-to-exit,
which relay is its lock, and what a change on a wire does.

Door contact and REX inputs belong to their door: changes on them are door reports, never input
alarms. Each door uses the points its DoorRecord names, else the model's default wiring
(``model_specs``). A line fault (an open or a short circuit, ``input_supervision``) on any input
is a trouble when the input is supervised, else a contact change, routed like one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from emulators.kantech.door_state import Door
from emulators.kantech.errors import ModelInputError
from emulators.kantech.input_supervision import Line, read_line
from emulators.kantech.model_specs import ModelSpec
from emulators.kantech.points_state import Input
from kantech_proto.records_hardware import DoorFlag, InputRecord


class Wiring:
    """A controller's doors and inputs as the wires join them."""

    __slots__ = ("_doors", "_faults", "_inputs", "_owners", "spec")

    def __init__(self, spec: ModelSpec, doors: Sequence[Door], inputs: Sequence[Input]) -> None:
        self.spec, self._doors, self._inputs = spec, doors, inputs
        self._owners: dict[int, tuple[int, str]] = {}  # input -> (door, "contact" | "rex")
        self._faults: dict[int, bool] = {}  # input -> its contact before a fault read as one

    def claim_inputs(self) -> None:
        """After the door records changed: which inputs each door owns (first door wins)."""
        self._owners = {}
        for door in self._doors:
            contact, rex, _ = self.points_of(door.index)
            self._owners.setdefault(contact, (door.index, "contact"))
            self._owners.setdefault(rex, (door.index, "rex"))

    def points_of(self, door: int) -> tuple[int, int, int]:
        """Contact input, REX input and lock relay of ``door``."""
        record = self._doors[door - 1].record
        return (record.contact_input or self.spec.contact_input(door),
                record.rex_input or self.spec.rex_input(door),
                record.lock_relay or self.spec.lock_relay(door))

    def released_lock_relays(self) -> set[int]:
        return {self.points_of(d.index)[2] for d in self._doors if d.released}

    # doors --------------------------------------------------------------------------------------

    def open_door(self, door: int, now: float) -> bool:
        """The door contact opens; False when that is a forced door."""
        passage = self._doors[door - 1].open(now)
        self._set_contact(door, True)
        return passage

    def close_door(self, door: int, now: float) -> None:
        self._doors[door - 1].close(now)
        self._set_contact(door, False)

    def force_door(self, door: int, now: float) -> bool:
        """Open the contact with no REX window: True when reported forced."""
        self._doors[door - 1].rex_until = None
        return not self.open_door(door, now)

    def hold_door(self, door: int, now: float, rex: Callable[[int, float], None]) -> None:
        """Someone passes and holds the door: a closed, locked door gets a REX first (``rex``),
        then open-too-long is raised at once rather than after the door's open time."""
        the_door = self._doors[door - 1]
        if not the_door.is_open:
            if not the_door.released:
                rex(door, now)
            self.open_door(door, now)
        the_door.hold(now)

    def _set_contact(self, door: int, is_open: bool) -> None:
        contact = self.points_of(door)[0]
        if 1 <= contact <= len(self._inputs):
            self._inputs[contact - 1].active = is_open

    # inputs -------------------------------------------------------------------------------------

    def set_input(self, index: int, active: bool, now: float,
                  rex: Callable[[int, float], None]) -> None:
        """An input's contact changes; a door's contact or REX input acts on its door."""
        self._check(index)
        owner = self._owners.get(index)
        if owner is None:
            self._inputs[index - 1].set_active(now, active)
        elif owner[1] == "contact":
            if active:
                self.open_door(owner[0], now)
            else:
                self.close_door(owner[0], now)
        else:
            self._inputs[index - 1].active = active
            if active:
                rex(owner[0], now)

    def set_line(self, index: int, line: Line, record: InputRecord | None, now: float,
                 rex: Callable[[int, float], None]) -> None:
        """The input's wiring becomes ``line``: a trouble, or a contact reading."""
        self._check(index)
        owner = self._owners.get(index)
        supervised = owner is not None and owner[1] == "contact" and (
            DoorFlag.CONTACT_SUPERVISED in self._doors[owner[0] - 1].record.flags)
        reading = read_line(line, record, supervised)
        the_input = self._inputs[index - 1]
        the_input.set_trouble(now, reading.trouble)
        if reading.abnormal is not None:
            self._faults.setdefault(index, the_input.active)
            self.set_input(index, reading.abnormal, now, rex)
        elif line is Line.NORMAL and index in self._faults:
            self.set_input(index, self._faults.pop(index), now, rex)

    def forget_faults(self) -> None:
        self._faults.clear()

    def _check(self, index: int) -> None:
        if not 1 <= index <= len(self._inputs):
            raise ModelInputError(f"input {index}: {self.spec.model.name} has inputs "
                                  f"1..{len(self._inputs)}")
