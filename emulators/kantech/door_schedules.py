"""Doors on their schedules: unlocked while their unlock schedule is in force, refusing every card
while their disabled schedule is.

Only a schedule's edges act (``schedule_edges``), so a manual operation holds until the next
one: a door locked by hand during its unlock schedule stays locked until the schedule starts
again, one unlocked by hand stays so until told or until the schedule ends. At power-up, after a
reload and when the clock is set, whatever is in force counts as just started.

- A FIRST_PERSON_IN door does not unlock when its schedule starts: the first card granted at
  it while the schedule is in force does (``first_person``).
- An interlocked door (``interlocks``) whose partner is open or released when its schedule
  starts stays locked until the schedule's next start.
- Reports are the stand-alone rows of table 12, naming the schedule: door unlocked / relocked
  by schedule, door disabled / enabled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from emulators.kantech.door_state import Door
from emulators.kantech.schedule_edges import EdgeTracker
from kantech_proto.records_hardware import DoorFlag

InForce = Callable[[int], bool]


class DoorSchedules:
    """The unlock and disabled schedules of a controller's doors."""

    __slots__ = ("_disabled", "_doors", "_unlock", "_waiting")

    def __init__(self, doors: Sequence[Door]) -> None:
        self._doors = doors
        self._unlock: EdgeTracker[int] = EdgeTracker()
        self._disabled: EdgeTracker[int] = EdgeTracker()
        self._waiting: dict[int, int] = {}  # door -> the schedule waiting for its first person

    def schedule_ids(self) -> set[int]:
        """Every schedule the doors' records name (their edges wake the controller)."""
        return {s for d in self._doors for s in (d.record.unlock_schedule,
                                                 d.record.disabled_schedule) if s}

    def evaluate(self, now: float, in_force: InForce, blocked: Callable[[int], bool]) -> None:
        """Act on every schedule that started or ended since the last look."""
        wanted = {d.index: _if_in_force(d.record.unlock_schedule, in_force) for d in self._doors}
        for door, was, schedule in self._unlock.changes(wanted):
            the_door = self._doors[door - 1]
            if was:
                self._waiting.pop(the_door.index, None)
                the_door.schedule_release(now, was)
            if not schedule:
                continue
            if DoorFlag.FIRST_PERSON_IN in the_door.record.flags:
                self._waiting[the_door.index] = schedule
            elif not blocked(the_door.index):
                the_door.schedule_hold(now, schedule)
        wanted = {d.index: _if_in_force(d.record.disabled_schedule, in_force)
                  for d in self._doors}
        for door, _, schedule in self._disabled.changes(wanted):
            self._doors[door - 1].schedule_disable(now, bool(schedule))

    def first_person(self, door: int, now: float) -> None:
        """A card was granted at ``door``: a FIRST_PERSON_IN schedule waiting for it unlocks."""
        schedule = self._waiting.pop(door, None)
        if schedule:
            self._doors[door - 1].schedule_hold(now, schedule)

    def forget(self) -> None:
        """A power-up: every door is at rest, so whatever is in force starts again."""
        self._unlock.forget()
        self._disabled.forget()
        self._waiting.clear()


def _if_in_force(schedule_id: int, in_force: InForce) -> int:
    return schedule_id if schedule_id and in_force(schedule_id) else 0
