"""The action scheduler: manual operations a controller runs by itself at set times.

An ``ActionScheduler`` record says what and when (``records_actions``); this module decides which
actions are due at a minute of the controller's clock and runs them through the same code as a
MANUAL_OP from the gateway (``manual_ops``), with source ACTION, so every change is reported with
the usual events. Runs happen only when the clock *reaches* a run minute: setting or moving the
clock never makes up the runs it skipped, and a power-up makes up only the RUN_MISSED actions'
latest run of the day, once.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from emulators.kantech.door_state import Emit
from kantech_proto.codes import ComponentKind, ManualOperation
from kantech_proto.controller_status import ComponentResult, OperationResult
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import EventType
from kantech_proto.messages import ManualOp
from kantech_proto.records_access import Day
from kantech_proto.records_actions import ActionFlag, ActionScheduler, InputGroup, RelayGroup

Op = ManualOperation
RunOperation = Callable[[ManualOp], tuple[ComponentResult, ...]]
InForce = Callable[[int], bool]
_KINDS = {Op.UNLOCK_DOOR: ComponentKind.DOOR, Op.LOCK_DOOR: ComponentKind.DOOR,
          Op.UNLOCK_DOOR_TIMED: ComponentKind.DOOR, Op.ACTIVATE_RELAY: ComponentKind.RELAY,
          Op.DEACTIVATE_RELAY: ComponentKind.RELAY, Op.ACTIVATE_RELAY_TIMED: ComponentKind.RELAY,
          Op.SHUNT_INPUT: ComponentKind.INPUT, Op.UNSHUNT_INPUT: ComponentKind.INPUT}


@dataclass(frozen=True, slots=True)
class ActionSetup:
    """What running actions needs from the controller: its action and group records, whether a
    schedule is in force now, and how to run one MANUAL_OP (source ACTION)."""

    actions: Iterable[ActionScheduler]
    in_force: InForce
    run: RunOperation
    relay_groups: Mapping[int, RelayGroup]
    input_groups: Mapping[int, InputGroup]

    def may_run(self, action: ActionScheduler, clock: KantechDateTime,
                holiday_type: int | None) -> bool:
        return runs_today(action, clock, holiday_type) and (
            not action.condition_schedule or self.in_force(action.condition_schedule))


def run_minutes(actions: Iterable[ActionScheduler]) -> set[int]:
    """Every minute of the day at which some action may run."""
    return {minute for action in actions for minute in action.run_minutes()}


def condition_schedules(actions: Iterable[ActionScheduler]) -> set[int]:
    return {a.condition_schedule for a in actions if a.condition_schedule}


def runs_today(action: ActionScheduler, clock: KantechDateTime, holiday_type: int | None) -> bool:
    """Whether the action's day, holiday and validity rules let it run on the clock's date."""
    date = _dt.date(clock.year, clock.month, clock.day)
    if action.valid_from and date < action.valid_from:
        return False
    if action.valid_until and date > action.valid_until:
        return False
    if holiday_type is not None:
        return bool(action.holiday_types >> (holiday_type - 1) & 1)
    return Day.of(clock.weekday) in action.days


class ActionRunner:
    """Runs the actions due at a minute, and remembers each action's last run."""

    __slots__ = ("_emit", "_last_run")

    def __init__(self, emit: Emit) -> None:
        self._emit = emit
        self._last_run: dict[int, tuple[_dt.date, int]] = {}

    def run_due(self, now: float, clock: KantechDateTime, holiday_type: int | None,
                setup: ActionSetup) -> None:
        """Run every action whose run minute is the clock's minute (in ``action_id`` order)."""
        minute = clock.hour * 60 + clock.minute
        for action in sorted(setup.actions, key=lambda a: a.action_id):
            if minute in action.run_minutes() and setup.may_run(action, clock, holiday_type):
                self._run(action, now, clock, minute, setup)

    def run_missed(self, now: float, clock: KantechDateTime, holiday_type: int | None,
                   setup: ActionSetup) -> None:
        """At power-up: each RUN_MISSED action makes its latest run of today up to now, unless
        that run was made."""
        minute = clock.hour * 60 + clock.minute
        date = _dt.date(clock.year, clock.month, clock.day)
        for action in sorted(setup.actions, key=lambda a: a.action_id):
            past = [m for m in action.run_minutes() if m <= minute]
            if ActionFlag.RUN_MISSED in action.flags and past and self._last_run.get(
                    action.action_id) != (date, past[-1]) and setup.may_run(action, clock,
                                                                            holiday_type):
                self._run(action, now, clock, past[-1], setup)

    def _run(self, action: ActionScheduler, now: float, clock: KantechDateTime, minute: int,
             setup: ActionSetup) -> None:
        self._last_run[action.action_id] = (_dt.date(clock.year, clock.month, clock.day), minute)
        results: list[ComponentResult] = []
        for op in operations(action, setup.relay_groups, setup.input_groups):
            results += setup.run(op)
        if ActionFlag.REPORT in action.flags:
            done = any(r.result == OperationResult.DONE for r in results)
            self._emit(now, action.action_id,
                       EventType.COMMAND_DONE if done else EventType.COMMAND_REFUSED)


def operations(action: ActionScheduler, relay_groups: Mapping[int, RelayGroup],
               input_groups: Mapping[int, InputGroup]) -> list[ManualOp]:
    """The MANUAL_OPs one run of ``action`` makes: one for its component range, or one per
    member of its groups (ActionFlag.GROUPS; unknown groups have no members)."""
    kind = _KINDS[action.operation]
    if kind == ComponentKind.RELAY and ActionFlag.OUTPUTS in action.flags:
        kind = ComponentKind.OUTPUT
    if ActionFlag.GROUPS not in action.flags:
        return [ManualOp(action.operation, kind, action.first_index, action.count,
                         action.duration)]
    groups = input_groups if kind == ComponentKind.INPUT else relay_groups
    members: set[int] = set()
    for group_id in range(action.first_index, min(action.first_index + action.count, 256)):
        group = groups.get(group_id)
        members |= group.members if group else set()
    return [ManualOp(action.operation, kind, member, 1, action.duration)
            for member in sorted(members)]
