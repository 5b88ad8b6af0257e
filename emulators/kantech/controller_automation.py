"""What a controller does by itself from its reload records, on its own clock.

Door schedules (``door_schedules``), relay/output/shunt schedules (``point_schedules``), the action
scheduler (``action_runner``), event-driven relays and outputs (``event_outputs``) and the daily
anti-passback reset (``antipassback``), behind the one ``deadline()`` / ``advance(now)`` pair the
controller's other timed parts have. The deadline is the next schedule edge, action run or reset
time of the controller's clock (``schedule_edges``); a controller without any of them, or without
a clock, has none. Records changing (at the end of a reload: records never change outside one),
the clock being set and a power-up count as an edge for the schedules, never for the actions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from emulators.kantech.access_decision import schedule_active
from emulators.kantech.action_runner import (
    ActionRunner,
    ActionSetup,
    condition_schedules,
    run_minutes,
)
from emulators.kantech.antipassback import PassbackZone
from emulators.kantech.controller_clock import ControllerClock
from emulators.kantech.door_schedules import DoorSchedules
from emulators.kantech.door_state import Door, Emit
from emulators.kantech.event_outputs import EventOutputs
from emulators.kantech.interlocks import blocking_door
from emulators.kantech.point_schedules import PointSchedules
from emulators.kantech.points_state import Input, Point
from emulators.kantech.record_store import RecordStore
from emulators.kantech.schedule_edges import edge_minutes, next_edge
from kantech_proto.codes import RecordType
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ComponentResult
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.messages import ManualOp
from kantech_proto.records_system import SystemOption

#: runs one MANUAL_OP at ``now`` on behalf of an action (source ACTION)
RunAction = Callable[[ManualOp, float], tuple[ComponentResult, ...]]


class Automation:
    """The controller's own schedules, actions and event-driven outputs."""

    __slots__ = ("_clock", "_doors", "_due", "_records", "_run_action", "actions",
                 "door_schedules", "event_outputs", "passback", "point_schedules")

    def __init__(self, records: RecordStore, clock: ControllerClock, doors: Sequence[Door],
                 relays: Sequence[Point], inputs: Sequence[Input], outputs: Sequence[Point],
                 emit: Emit, run_action: RunAction) -> None:
        self._records, self._clock, self._doors = records, clock, doors
        self._run_action = run_action
        self.door_schedules = DoorSchedules(doors)
        self.point_schedules = PointSchedules(relays, outputs, inputs, emit)
        self.actions = ActionRunner(emit)
        self.event_outputs = EventOutputs(relays, outputs)
        self.passback = PassbackZone()
        self._due: float | None = None

    def in_force(self, clock: KantechDateTime | None) -> Callable[[int], bool]:
        """Whether a schedule id is in force at ``clock`` (never, without a clock)."""
        access = self._records.access_records()
        return lambda schedule: clock is not None and schedule_active(schedule, access, clock)

    def blocked(self, door: int) -> bool:
        """Whether door ``door``'s interlock keeps it locked now."""
        return blocking_door(self._doors[door - 1], self._doors) is not None

    # the controller's timed-part interface ------------------------------------------------------

    def deadline(self) -> float | None:
        return self._due

    def advance(self, now: float) -> None:
        if self._due is None or now < self._due:
            return
        at, self._due = self._due, None
        clock = self._clock.at(at)
        if clock is not None and not self._records.in_session:
            self._edge(at, clock)
        self._plan(at)

    # what the controller tells it ---------------------------------------------------------------

    def refresh(self, now: float) -> None:
        """Records or the clock changed: act on what is in force now, and plan the next edge."""
        clock = self._clock.at(now)
        if clock is not None and not self._records.in_session:
            self._evaluate(now, clock)
        self._plan(now)

    def power_up(self, now: float) -> None:
        """Everything restarted at rest: what is in force starts again, missed runs are made."""
        self.door_schedules.forget()
        self.point_schedules.forget()
        self.event_outputs.forget()
        self.refresh(now)
        clock = self._clock.at(now)
        if clock is not None and not self._records.in_session:
            self.actions.run_missed(now, clock, self._holiday(clock), self._setup(now, clock))

    def observe(self, event: ControllerEvent, at: float) -> None:
        """Every event the controller queues: some drive relays and outputs."""
        of = self._records.of_type
        self.event_outputs.observe(event, at, of(RecordType.RELAY), of(RecordType.INPUT),
                                   of(RecordType.OUTPUT))

    # internals ----------------------------------------------------------------------------------

    def _edge(self, at: float, clock: KantechDateTime) -> None:
        system = self._records.global_system()
        if system and SystemOption.PASSBACK_RESET_DAILY in system.options and (
                clock.hour * 60 + clock.minute == system.passback_reset):
            self.passback.forgive()
        self.actions.run_due(at, clock, self._holiday(clock), self._setup(at, clock))
        self._evaluate(at, clock)

    def _evaluate(self, at: float, clock: KantechDateTime) -> None:
        in_force, of = self.in_force(clock), self._records.of_type
        self.door_schedules.evaluate(at, in_force, self.blocked)
        self.point_schedules.evaluate(at, in_force, of(RecordType.RELAY), of(RecordType.OUTPUT),
                                      of(RecordType.INPUT))

    def _setup(self, at: float, clock: KantechDateTime) -> ActionSetup:
        of = self._records.of_type
        return ActionSetup(of(RecordType.ACTION_SCHEDULER).values(), self.in_force(clock),
                           lambda op: self._run_action(op, at), of(RecordType.RELAY_GROUP),
                           of(RecordType.INPUT_GROUP))

    def _holiday(self, clock: KantechDateTime) -> int | None:
        holidays = self._records.access_records().holidays
        return holidays.holiday_type_on(clock.to_datetime().date()) if holidays else None

    def _plan(self, now: float) -> None:
        """The next minute at which anything here may change."""
        self._due = None
        clock = self._clock.at(now)
        if clock is None:
            return
        of = self._records.of_type
        actions = of(RecordType.ACTION_SCHEDULER).values()
        ids = (self.door_schedules.schedule_ids() | condition_schedules(actions)
               | PointSchedules.schedule_ids(of(RecordType.RELAY), of(RecordType.OUTPUT),
                                             of(RecordType.INPUT)))
        minutes = run_minutes(actions)
        system = self._records.global_system()
        if system and SystemOption.PASSBACK_RESET_DAILY in system.options:
            minutes.add(system.passback_reset)
        if not ids and not minutes:
            return
        minutes |= edge_minutes(self._records.access_records().schedules, ids)
        self._due = self._clock.monotonic_at(next_edge(clock, minutes))  # always after now
