"""Relays, auxiliary outputs and input shunts on their schedules.

A relay with a schedule (RelayRecord.schedule) is activated when it starts and deactivated when
it ends, reported with table 12's "status on activating relay in stand-alone mode" row naming the
schedule; an output with one (OutputRecord.schedule) is switched the same way and reported as
output activation status; an input with a shunt schedule (InputRecord.shunt_schedule) is shunted
and unshunted (shunt reports, source SCHEDULE). As for doors only the edges act, so whatever else
switched the point meanwhile (an operator, an action, an input) holds until the next edge, and a
change that would not change the point reports nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from emulators.kantech.door_state import Emit
from emulators.kantech.points_state import Input, Point
from emulators.kantech.schedule_edges import EdgeTracker
from kantech_proto.event_types import EventType, Source
from kantech_proto.records_hardware import InputRecord, OutputRecord, RelayRecord

InForce = Callable[[int], bool]


class PointSchedules:
    """The schedules of a controller's relays, outputs and input shunts."""

    __slots__ = ("_edges", "_emit", "_inputs", "_outputs", "_relays")

    def __init__(self, relays: Sequence[Point], outputs: Sequence[Point],
                 inputs: Sequence[Input], emit: Emit) -> None:
        self._relays, self._outputs, self._inputs = relays, outputs, inputs
        self._emit = emit
        self._edges: EdgeTracker[tuple[str, int]] = EdgeTracker()

    @staticmethod
    def schedule_ids(relays: Mapping[int, RelayRecord], outputs: Mapping[int, OutputRecord],
                     inputs: Mapping[int, InputRecord]) -> set[int]:
        return ({r.schedule for r in relays.values()} | {o.schedule for o in outputs.values()}
                | {i.shunt_schedule for i in inputs.values()}) - {0}

    def evaluate(self, now: float, in_force: InForce, relays: Mapping[int, RelayRecord],
                 outputs: Mapping[int, OutputRecord], inputs: Mapping[int, InputRecord]) -> None:
        """Act on every schedule that started or ended since the last look."""
        wanted: dict[tuple[str, int], int] = {}
        for kind, records, field, points in (
                ("relay", relays, "schedule", self._relays),
                ("output", outputs, "schedule", self._outputs),
                ("input", inputs, "shunt_schedule", self._inputs)):
            for index, record in records.items():
                schedule = getattr(record, field)
                if 1 <= index <= len(points) and schedule and in_force(schedule):
                    wanted[(kind, index)] = schedule
        for (kind, index), was, schedule in self._edges.changes(wanted):
            on, named = bool(schedule), schedule or was
            if kind == "relay":
                self._relay(self._relays[index - 1], now, on, named)
            elif kind == "output":
                output = self._outputs[index - 1]
                if on:
                    output.activate(now, Source.SCHEDULE)
                else:
                    output.deactivate(now, Source.SCHEDULE)
            else:
                the_input = self._inputs[index - 1]
                if on and not the_input.shunted:
                    the_input.shunt(now, Source.SCHEDULE)
                elif not on:
                    the_input.unshunt(now, Source.SCHEDULE)

    def _relay(self, relay: Point, now: float, on: bool, schedule: int) -> None:
        if relay.active == on and relay.until is None:
            return
        if on:
            relay.activate(now, Source.SCHEDULE, report=False)
        else:
            relay.deactivate(now, Source.SCHEDULE, report=False)
        self._emit(now, relay.index, EventType.STANDALONE_RELAY_ACTIVATED if on
                   else EventType.STANDALONE_RELAY_DEACTIVATED, schedule=schedule)

    def forget(self) -> None:
        """A power-up: every point is at rest, so whatever is in force starts again."""
        self._edges.forget()
