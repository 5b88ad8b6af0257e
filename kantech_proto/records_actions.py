"""Reload records for what a controller does by itself at set times: the action scheduler, and
the relay and input groups its actions may name.

An action is a MANUAL_OP the controller runs on its own clock: ``operation`` on ``count``
components from ``first_index`` (or, with ``ActionFlag.GROUPS``, on the members of ``count``
relay or input groups from group ``first_index``). Runs happen at ``at`` and then every
``repeat_every`` minutes up to ``repeat_until``, on the days in ``days`` (on a holiday only if
its type is in ``holiday_types``), between ``valid_from`` and ``valid_until``, and only while
``condition_schedule`` (if any) is in force. A run reports what each component became with the
usual events (door status, relay activation status, shunt reports) whose source is ACTION.
"""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.codes import ManualOperation, RecordType
from kantech_proto.errors import FieldValueError
from kantech_proto.record_kinds import Choice, Clock, Date, Date3, Flags, HhMm, MemberSet, Number
from kantech_proto.records_access import Day
from kantech_proto.records_base import ReloadRecord, record

GROUP_MEMBERS = 16
_DOOR_OPERATIONS = frozenset({ManualOperation.UNLOCK_DOOR, ManualOperation.LOCK_DOOR,
                              ManualOperation.UNLOCK_DOOR_TIMED})
_RELAY_OPERATIONS = frozenset({ManualOperation.ACTIVATE_RELAY, ManualOperation.DEACTIVATE_RELAY,
                               ManualOperation.ACTIVATE_RELAY_TIMED})

GroupLayout = c.Struct(
    "group_id" / c.Int8ub * "1..255, what an action with ActionFlag.GROUPS names",
    "members" / c.Int16ub * "point n is bit n-1 (points 1..16)",
)


@record(RecordType.RELAY_GROUP, GroupLayout)
@dataclass(frozen=True, slots=True)
class RelayGroup(ReloadRecord):
    """Relays 1..16 operated together by one manual operation or action."""

    group_id: int
    members: frozenset[int] = frozenset()
    KINDS: ClassVar = {"group_id": Number(1, 255), "members": MemberSet(GROUP_MEMBERS)}
    BEHAVIOUR: ClassVar = (
        "Named by an action with ActionFlag.GROUPS and a relay operation (4-6): the operation "
        "runs on every member relay (or auxiliary output, with ActionFlag.OUTPUTS). A member "
        "the controller does not have is answered NO_SUCH_COMPONENT and skipped.")


@record(RecordType.INPUT_GROUP, GroupLayout)
@dataclass(frozen=True, slots=True)
class InputGroup(ReloadRecord):
    """Inputs 1..16 shunted or unshunted together."""

    group_id: int
    members: frozenset[int] = frozenset()
    KINDS: ClassVar = {"group_id": Number(1, 255), "members": MemberSet(GROUP_MEMBERS)}
    BEHAVIOUR: ClassVar = (
        "Named by an action with ActionFlag.GROUPS and a shunt operation (7-8): every member "
        "input is shunted or unshunted together.")


class ActionFlag(enum.IntFlag):
    REPORT = 0x01  # each run is reported with a COMMAND_DONE event
    RUN_MISSED = 0x02  # at power-up, run a run missed while powered off
    GROUPS = 0x04  # first_index/count name relay or input groups, not components
    OUTPUTS = 0x08  # relay operations act on auxiliary outputs instead of relays


ActionSchedulerLayout = c.Struct(
    "action_id" / c.Int8ub * "1..255",
    "operation" / c.Int8ub * "ManualOperation, as in MANUAL_OP",
    "first_index" / c.Int8ub * "first component (1-based), as in MANUAL_OP; with "
    "ActionFlag.GROUPS the first group id",
    "count" / c.Int8ub * "components (or groups) from first_index, 1..255",
    "duration" / c.Int16ub * "s for the timed operations, else 0",
    "at" / HhMm * "time of the first run of the day",
    "repeat_every" / c.Int16ub * "minutes between runs after the first; 0 = once a day",
    "repeat_until" / HhMm * "no run after this time (with repeat_every)",
    "days" / c.Int8ub * "Day bits MON..SUN",
    "holiday_types" / c.Int8ub * "bit n-1: also runs on holidays of type n",
    "valid_from" / Date3 * "first day the action runs; zero = no start",
    "valid_until" / Date3 * "last day it runs; zero = no end",
    "condition_schedule" / c.Int8ub * "runs only while active; 0 = no condition",
    "flags" / c.Int8ub * "ActionFlag",
)


@record(RecordType.ACTION_SCHEDULER, ActionSchedulerLayout)
@dataclass(frozen=True, slots=True)
class ActionScheduler(ReloadRecord):
    """A manual operation the controller runs by itself at set times (unlock at 8:00, ...)."""

    action_id: int
    operation: ManualOperation
    first_index: int = 1
    count: int = 1
    duration: int = 0
    at: int = 0
    repeat_every: int = 0
    repeat_until: int = 0
    days: Day = Day(0)
    holiday_types: int = 0
    valid_from: _dt.date | None = None
    valid_until: _dt.date | None = None
    condition_schedule: int = 0
    flags: ActionFlag = ActionFlag(0)
    KINDS: ClassVar = {
        "action_id": Number(1, 255), "operation": Choice(ManualOperation),
        "first_index": Number(1, 255), "count": Number(1, 255), "at": Clock(),
        "repeat_until": Clock(), "days": Flags(Day), "valid_from": Date(), "valid_until": Date(),
        "flags": Flags(ActionFlag),
    }
    BEHAVIOUR: ClassVar = (
        "The controller runs the operation itself, as if a MANUAL_OP had arrived, at each run "
        "time: doors for operations 1-3, relays (auxiliary outputs with OUTPUTS) for 4-6, "
        "inputs for 7-8. Events report what changed, with source ACTION. Runs need the clock "
        "(SET_DATETIME); a clock set or moved by the gateway never makes up the runs it skips.")
    FIELD_BEHAVIOUR: ClassVar = {
        "duration": "seconds for a timed unlock, relay activation or temporary shunt; 0 with "
                    "operation 3 or 6 uses the component's programmed time",
        "at": "first run of the day, on the minute",
        "repeat_every": "then a run every this many minutes while the time is at or before "
                        "repeat_until; 0 = one run a day",
        "days": "weekdays the action runs on (a holiday counts as its holiday type, not its "
                "weekday)",
        "holiday_types": "bit n-1: the action runs on holidays of type n",
        "condition_schedule": "a run is skipped while this schedule is not in force",
        "flags": "REPORT: each run is reported as COMMAND_DONE (component = action_id), or "
                 "COMMAND_REFUSED when no component took the operation; RUN_MISSED: at "
                 "power-up the day's latest run before now is made if it was not; GROUPS: "
                 "first_index/count are RelayGroup (operations 4-6) or InputGroup (7-8) ids; "
                 "OUTPUTS: operations 4-6 act on auxiliary outputs",
    }

    def check(self) -> None:
        if Day.HOLIDAY in self.days:
            raise FieldValueError("actions name holiday types in holiday_types, not Day.HOLIDAY")
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise FieldValueError(f"valid_from {self.valid_from} is after {self.valid_until}")
        if ActionFlag.GROUPS in self.flags and self.operation in _DOOR_OPERATIONS:
            raise FieldValueError("door operations name doors, not groups (ActionFlag.GROUPS)")
        if ActionFlag.OUTPUTS in self.flags and self.operation not in _RELAY_OPERATIONS:
            raise FieldValueError("ActionFlag.OUTPUTS goes with relay operations (4-6) only")

    def run_minutes(self) -> tuple[int, ...]:
        """The minutes of the day the action runs at (whether today is a run day or not)."""
        if not self.repeat_every:
            return (self.at,)
        return tuple(range(self.at, max(self.at, self.repeat_until) + 1, self.repeat_every))
