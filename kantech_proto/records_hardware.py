"""Reload records for the points a controller drives: doors, relays, inputs, outputs, their
groups, timed actions and the elevator floors.

Component indexes count from 1 (WIRE.md section 3); in every reference field 0 means "none".
Schedule references are ``ScheduleKt400``/``ScheduleKt100`` ids, 0 meaning "never" unless the
field says otherwise. Timers are 16-bit seconds; KT-100/KT-300 firmware counts door timers in one
byte, so their emulators use ``DoorRecord.clamped()``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.codes import ManualOperation, RecordType
from kantech_proto.errors import FieldValueError
from kantech_proto.record_kinds import (
    INDEX,
    Choice,
    Clock,
    Date,
    Date3,
    Flags,
    HhMm,
    MemberSet,
    Nested,
    Number,
    Table,
    Text,
)
from kantech_proto.records_access import Day
from kantech_proto.records_base import ReloadRecord, WireModel, record

KT100_MAX_TIMER = 255
MAX_FLOORS = 256
GROUP_MEMBERS = 16
DOOR_TIMERS = ("unlock_time", "extended_unlock_time", "open_time", "extended_open_time",
               "pre_alarm_time", "relock_delay")


class DoorFlag(enum.IntFlag):
    RELOCK_ON_OPEN = 0x0001  # relock as soon as the contact opens, not when unlock_time ends
    RELOCK_ON_CLOSE = 0x0002  # relock relock_delay seconds after the contact closes
    REX_UNLOCKS = 0x0004  # request-to-exit releases the lock; else it only masks the contact
    FIRST_PERSON_IN = 0x0008  # the unlock schedule waits for a first granted card
    FAIL_SECURE = 0x0010  # lock stays locked without power (relay energized to unlock)
    CONTACT_SUPERVISED = 0x0020  # door contact wired with end-of-line resistors
    ELEVATOR = 0x0040  # the reader selects floors (FloorAssignation) instead of unlocking
    DISABLED = 0x0080  # every card refused: DENIED_DOOR_DISABLED
    PASSBACK = 0x0100  # anti-passback enforced between entry and exit readers


DoorLayout = c.Struct(
    "door" / c.Int8ub * "1..4",
    "flags" / c.Int16ub * "DoorFlag",
    "unlock_time" / c.Int16ub * "s the lock stays released after a grant",
    "extended_unlock_time" / c.Int16ub * "s, for EXTENDED_UNLOCK cards",
    "open_time" / c.Int16ub * "s the door may stay open before 'open too long'",
    "extended_open_time" / c.Int16ub * "s, for EXTENDED_UNLOCK cards",
    "pre_alarm_time" / c.Int16ub * "s before open_time runs out when the pre-alarm starts; 0 none",
    "relock_delay" / c.Int16ub * "s after closing before relocking (RELOCK_ON_CLOSE)",
    "contact_input" / c.Int8ub * "input wired to the door contact; 0 = the model's default (input 2d-1)",
    "rex_input" / c.Int8ub * "input wired to the request-to-exit button; 0 = default (input 2d)",
    "lock_relay" / c.Int8ub * "relay that releases the lock; 0 = default (relay d)",
    "buzzer_output" / c.Int8ub * "sounds during pre-alarm and open too long",
    "entry_reader" / c.Int8ub * "reader driver id of the entry reader; 0 = none",
    "exit_reader" / c.Int8ub * "reader driver id of the exit reader; 0 = none",
    "unlock_schedule" / c.Int8ub * "door unlocked while active",
    "pin_schedule" / c.Int8ub * "card and PIN required while active",
    "disabled_schedule" / c.Int8ub * "door refuses every card while active",
    "interlock_door" / c.Int8ub * "mantrap: this door stays locked while that one is open",
    "pin_timeout" / c.Int8ub * "s to type the PIN after the card",
    "reserved" / c.Bytes(1),
)


@record(RecordType.DOOR, DoorLayout)
@dataclass(frozen=True, slots=True)
class DoorRecord(ReloadRecord):
    """How a door runs: timers, its wiring to points, and the schedules that change its mode."""

    door: int
    flags: DoorFlag = DoorFlag.RELOCK_ON_CLOSE
    unlock_time: int = 5
    extended_unlock_time: int = 15
    open_time: int = 30
    extended_open_time: int = 60
    pre_alarm_time: int = 10
    relock_delay: int = 0
    contact_input: int = 0
    rex_input: int = 0
    lock_relay: int = 0
    buzzer_output: int = 0
    entry_reader: int = 0
    exit_reader: int = 0
    unlock_schedule: int = 0
    pin_schedule: int = 0
    disabled_schedule: int = 0
    interlock_door: int = 0
    pin_timeout: int = 10

    KINDS: ClassVar = {"door": Number(1, 255), "flags": Flags(DoorFlag)}

    def check(self) -> None:
        if self.pre_alarm_time > self.open_time:
            raise FieldValueError(f"pre-alarm {self.pre_alarm_time} s exceeds open time "
                             f"{self.open_time} s")

    def clamped(self, max_seconds: int = KT100_MAX_TIMER) -> DoorRecord:
        """The door as a KT-100/KT-300 runs it: its firmware keeps each timer in one byte."""
        return dataclasses.replace(self, **{name: min(getattr(self, name), max_seconds)
                                            for name in DOOR_TIMERS})


class RelayFlag(enum.IntFlag):
    INVERTED = 0x01  # energized at rest, released when "active"
    REPORT = 0x02  # every change is reported (RELAY_ACTIVATED / RELAY_DEACTIVATED)


RelayLayout = c.Struct(
    "relay" / c.Int8ub * "relay number 1..255 on this controller",
    "flags" / c.Int8ub * "RelayFlag",
    "schedule" / c.Int8ub * "active while this schedule is",
    "pulse_time" / c.Int16ub * "s, default duration of a timed activation",
    "follow_input" / c.Int8ub * "active while this input is in alarm",
)


@record(RecordType.RELAY, RelayLayout)
@dataclass(frozen=True, slots=True)
class RelayRecord(ReloadRecord):
    relay: int
    flags: RelayFlag = RelayFlag.REPORT
    schedule: int = 0
    pulse_time: int = 5
    follow_input: int = 0
    KINDS: ClassVar = {"relay": Number(1, 255), "flags": Flags(RelayFlag)}


class NormalState(enum.IntEnum):
    OPEN = 0  # NO contact: closing it is the alarm
    CLOSED = 1  # NC contact: opening it is the alarm


class Supervision(enum.IntEnum):
    NONE = 0
    SINGLE_EOL = 1  # one end-of-line resistor: open circuit is a trouble
    DOUBLE_EOL = 2  # two resistors: open and short circuits are troubles, alarm is distinct


class InputFlag(enum.IntFlag):
    LATCHED = 0x01  # stays in alarm after restoring until reset by the gateway
    REPORT_RESTORE = 0x02
    SILENT = 0x04  # alarm not reported, only its relay/output effects
    TAMPER = 0x08  # a tamper switch: reported as a system tamper


InputLayout = c.Struct(
    "input" / c.Int8ub * "input number 1..255 on this controller",
    "normal_state" / c.Int8ub * "NormalState",
    "supervision" / c.Int8ub * "Supervision",
    "flags" / c.Int8ub * "InputFlag",
    "debounce_ms" / c.Int16ub * "ms a change must last before it counts",
    "alarm_delay" / c.Int16ub * "s in alarm before it is reported (entry delay)",
    "shunt_time" / c.Int16ub * "s of a temporary shunt (a granted door shunts its contact)",
    "alarm_schedule" / c.Int8ub * "monitored only while active; 0 = always monitored",
    "shunt_schedule" / c.Int8ub * "shunted while active; 0 = never",
    "alarm_relay" / c.Int8ub * "activated while in alarm",
    "alarm_output" / c.Int8ub * "activated while in alarm",
)


@record(RecordType.INPUT, InputLayout)
@dataclass(frozen=True, slots=True)
class InputRecord(ReloadRecord):
    input: int
    normal_state: NormalState = NormalState.CLOSED
    supervision: Supervision = Supervision.NONE
    flags: InputFlag = InputFlag.REPORT_RESTORE
    debounce_ms: int = 50
    alarm_delay: int = 0
    shunt_time: int = 30
    alarm_schedule: int = 0
    shunt_schedule: int = 0
    alarm_relay: int = 0
    alarm_output: int = 0
    KINDS: ClassVar = {"input": Number(1, 255), "normal_state": Choice(NormalState),
                       "supervision": Choice(Supervision), "flags": Flags(InputFlag)}


class OutputFlag(enum.IntFlag):
    INVERTED = 0x01
    LATCHED = 0x02  # stays on until the gateway resets it


class OutputTrigger(enum.IntFlag):
    """Events that activate an output (Table 12's "output by event activation")."""

    DOOR_FORCED = 0x0001
    DOOR_OPEN_TOO_LONG = 0x0002
    DOOR_PRE_ALARM = 0x0004
    DOOR_UNLOCKED = 0x0008
    ACCESS_GRANTED = 0x0010
    ACCESS_DENIED = 0x0020
    DURESS = 0x0040
    INPUT_ALARM = 0x0080
    INPUT_TROUBLE = 0x0100
    TAMPER = 0x0200
    AC_FAIL = 0x0400
    LOW_BATTERY = 0x0800
    GATEWAY_LOST = 0x1000


OutputLayout = c.Struct(
    "output" / c.Int8ub * "auxiliary output number 1..255 on this controller",
    "flags" / c.Int8ub * "OutputFlag",
    "schedule" / c.Int8ub * "on while active, triggers or not",
    "on_time" / c.Int16ub * "s per trigger; 0 = as long as the cause lasts",
    "blink_on" / c.Int8ub * "1/10 s on, then blink_off 1/10 s off; both 0 = steady",
    "blink_off" / c.Int8ub * "1/10 s off between blink_on periods",
    "triggers" / c.Int32ub * "OutputTrigger",
    "trigger_door" / c.Int8ub * "door events from this door only; 0 = any door",
    "trigger_input" / c.Int8ub * "input events from this input only; 0 = any input",
    "reserved" / c.Bytes(2),
)


@record(RecordType.OUTPUT, OutputLayout)
@dataclass(frozen=True, slots=True)
class OutputRecord(ReloadRecord):
    output: int
    flags: OutputFlag = OutputFlag(0)
    schedule: int = 0
    on_time: int = 0
    blink_on: int = 0
    blink_off: int = 0
    triggers: OutputTrigger = OutputTrigger(0)
    trigger_door: int = 0
    trigger_input: int = 0
    KINDS: ClassVar = {"output": Number(1, 255), "flags": Flags(OutputFlag),
                       "triggers": Flags(OutputTrigger)}


GroupLayout = c.Struct(
    "group_id" / c.Int8ub * "1..255",
    "members" / c.Int16ub * "point n is bit n-1",
)


@record(RecordType.RELAY_GROUP, GroupLayout)
@dataclass(frozen=True, slots=True)
class RelayGroup(ReloadRecord):
    """Relays 1..16 operated together by one manual operation or action."""

    group_id: int
    members: frozenset[int] = frozenset()
    KINDS: ClassVar = {"group_id": Number(1, 255), "members": MemberSet(GROUP_MEMBERS)}


@record(RecordType.INPUT_GROUP, GroupLayout)
@dataclass(frozen=True, slots=True)
class InputGroup(ReloadRecord):
    """Inputs 1..16 shunted or unshunted together."""

    group_id: int
    members: frozenset[int] = frozenset()
    KINDS: ClassVar = {"group_id": Number(1, 255), "members": MemberSet(GROUP_MEMBERS)}


class ActionFlag(enum.IntFlag):
    REPORT = 0x01  # each run is reported with a COMMAND_DONE event
    RUN_MISSED = 0x02  # at power-up, run a run missed while powered off


ActionSchedulerLayout = c.Struct(
    "action_id" / c.Int8ub * "1..255",
    "operation" / c.Int8ub * "ManualOperation, as in MANUAL_OP",
    "first_index" / c.Int8ub * "first component (1-based), as in MANUAL_OP",
    "count" / c.Int8ub * "components from first_index, 1..255",
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

    def check(self) -> None:
        if Day.HOLIDAY in self.days:
            raise FieldValueError("actions name holiday types in holiday_types, not Day.HOLIDAY")
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise FieldValueError(f"valid_from {self.valid_from} is after {self.valid_until}")


FloorButtonLayout = c.Struct(
    "relay" / c.Int8ub * "enables the floor's button in the cab",
    "feedback_input" / c.Int8ub * "closes when the button is pressed, to report the selection",
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


class FloorFlag(enum.IntFlag):
    PIN_REQUIRED = 0x01  # card and PIN to select this floor
    DISABLED = 0x02  # nobody may select it


FloorDefinitionLayout = c.Struct(
    "floor" / c.Int8ub * "1..255, index into FloorAssignation and floor groups",
    "label" / c.Int8sb * "the number shown in the cab: -2 for the second basement",
    "free_schedule" / c.Int8ub * "anybody may select the floor while active",
    "flags" / c.Int8ub * "FloorFlag",
    "name" / c.Bytes(30) * "ASCII, zero-padded",
    "second_name" / c.Bytes(30) * "the name in EntraPass's second language",
)


@record(RecordType.FLOOR_DEFINITION, FloorDefinitionLayout)
@dataclass(frozen=True, slots=True)
class FloorDefinition(ReloadRecord):
    floor: int
    label: int = 0
    free_schedule: int = 0
    flags: FloorFlag = FloorFlag(0)
    name: str = ""
    second_name: str = ""
    KINDS: ClassVar = {"floor": Number(1, 255), "label": Number(-128, 127),
                       "free_schedule": INDEX, "flags": Flags(FloorFlag), "name": Text(30),
                       "second_name": Text(30)}
