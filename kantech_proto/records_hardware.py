"""Reload records for the points a controller drives: doors, relays, inputs and outputs (their
groups and timed actions are in ``records_actions``, elevator floors in ``records_elevator``).

Component indexes count from 1 (WIRE.md section 3); in every reference field 0 means "none".
Schedule references are ``ScheduleKt400``/``ScheduleKt100`` ids, 0 meaning "never" unless the
field says otherwise. Timers are 16-bit seconds; KT-100/KT-300 firmware counts door timers in one
byte, so their emulators use ``DoorRecord.clamped()``.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.codes import RecordType
from kantech_proto.errors import FieldValueError
from kantech_proto.record_kinds import Choice, Flags, Number
from kantech_proto.records_base import ReloadRecord, record

KT100_MAX_TIMER = 255
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
    DISABLED = 0x0080  # every card refused (access result DOOR_DISABLED)
    PASSBACK = 0x0100  # anti-passback enforced between entry and exit readers
    PASSBACK_SOFT = 0x0200  # a passback violation is granted and logged, not denied


class ReaderMode(enum.IntEnum):
    """What the door's reader asks for (the door record's last byte)."""

    CARD_ONLY = 0  # a card; card and PIN while pin_schedule is in force or for PIN_REQUIRED cards
    CARD_AND_PIN = 1  # always a card and its PIN
    PIN_ONLY = 2  # a PIN typed alone finds the card it belongs to; a card with its PIN works too


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
    "entry_reader" / c.Int8ub * "reader driver id of the entry reader; 0 = the door's one reader",
    "exit_reader" / c.Int8ub * "reader driver id of the exit reader; 0 = none",
    "unlock_schedule" / c.Int8ub * "door unlocked while active",
    "pin_schedule" / c.Int8ub * "card and PIN required while active",
    "disabled_schedule" / c.Int8ub * "door refuses every card while active",
    "interlock_door" / c.Int8ub * "mantrap: stays locked while that door is open or released; 0 = none",
    "pin_timeout" / c.Int8ub * "s to type the PIN after the card",
    "reader_mode" / c.Int8ub * "ReaderMode: card only, card and PIN, or PIN only",
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
    reader_mode: ReaderMode = ReaderMode.CARD_ONLY

    KINDS: ClassVar = {"door": Number(1, 255), "flags": Flags(DoorFlag),
                       "reader_mode": Choice(ReaderMode)}
    BEHAVIOUR: ClassVar = (
        "A card read at the door is decided in this order: the door's own state (DISABLED, "
        "disabled_schedule), the card and its access level (records_access), the PIN the "
        "reader mode asks for, then the interlock and anti-passback; a grant releases the lock "
        "for unlock_time. Scheduled changes are reported with the stand-alone rows of table 12 "
        "(door unlocked / relocked by schedule, door disabled / enabled), naming the schedule. "
        "Manual operations and schedules: the latest wins. A manual LOCK_DOOR while the unlock "
        "schedule holds the door unlocked locks it until the schedule's next start; a manual "
        "UNLOCK_DOOR lasts until told or until the schedule's next end; a timed unlock (card, "
        "REX, operation 3) runs its time even past the schedule's end, and a schedule start "
        "replaces it with the schedule's hold. Without a DOOR record a door runs with this "
        "record's defaults; KT-100/KT-300 firmware keeps each timer in one byte, so values "
        "over 255 s run as 255 s there.")
    FIELD_BEHAVIOUR: ClassVar = {
        "unlock_time": "seconds a grant (or REX with REX_UNLOCKS, or operation 3 with duration "
                       "0) releases the lock; extended_unlock_time for EXTENDED_UNLOCK cards",
        "open_time": "seconds the door may stay open before DOOR_OPEN_TOO_LONG "
                     "(extended_open_time after an EXTENDED_UNLOCK card); opening the contact "
                     "while locked and outside a REX window is DOOR_FORCED_OPEN",
        "pre_alarm_time": "DOOR_PRE_ALARM is reported this many seconds before open_time runs "
                          "out; 0 = no pre-alarm",
        "contact_input": "changes on the door's contact and REX inputs are door reports, "
                         "never input alarms; 0 = the model's default wiring",
        "lock_relay": "reads active in the status while the door is released; 0 = relay d",
        "flags": "PASSBACK: reads at entry_reader / exit_reader are checked against where the "
                 "card was last seen (hard: denied PASSBACK; with PASSBACK_SOFT granted as "
                 "GRANTED_PASSBACK); ELEVATOR: the reader is a cab reader (records_elevator); "
                 "FIRST_PERSON_IN: the unlock schedule holds the door unlocked only after a "
                 "first card is granted while it is in force; DISABLED: every card refused; "
                 "CONTACT_SUPERVISED: the contact input is supervised as DOUBLE_EOL",
        "entry_reader": "the reader driver that reads entries (anti-passback: the card is then "
                        "inside); 0 = the door's one reader",
        "exit_reader": "the reader driver that reads exits (the card is then outside); 0 = the "
                       "door has no exit reader",
        "unlock_schedule": "the door is held unlocked while this schedule is in force: "
                           "unlocked at its start, relocked at its end (stand-alone rows with "
                           "the schedule id); 0 = never",
        "pin_schedule": "while in force a CARD_ONLY reader asks for card and PIN",
        "disabled_schedule": "while in force the door refuses every card (DOOR_DISABLED) and "
                             "its lock state reads DISABLED",
        "interlock_door": "this door is not released (card denied INTERLOCKED, manual unlock "
                          "NOT_ALLOWED, REX and schedule unlocks skipped) while that door is "
                          "open or released; name each other on both doors for a mantrap",
        "pin_timeout": "seconds the keypad waits for the PIN; a read that needs a PIN and gets "
                       "none is denied PIN_TIMEOUT",
        "reader_mode": "ReaderMode: CARD_ONLY 0, CARD_AND_PIN 1, PIN_ONLY 2 (a wrong PIN is "
                       "denied WRONG_PIN, a missing one PIN_TIMEOUT)",
    }

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
    """One relay: when it reports, its schedule, its pulse time and the input it follows."""

    relay: int
    flags: RelayFlag = RelayFlag.REPORT
    schedule: int = 0
    pulse_time: int = 5
    follow_input: int = 0
    KINDS: ClassVar = {"relay": Number(1, 255), "flags": Flags(RelayFlag)}
    BEHAVIOUR: ClassVar = (
        "A relay is driven by manual operations, actions, its schedule, inputs (follow_input, "
        "an input's alarm_relay), elevator floors and door locks; the latest cause wins, "
        "except that a relay held by inputs is released only when none of them is in alarm. "
        "The status shows the logical state (INVERTED changes only the wiring).")
    FIELD_BEHAVIOUR: ClassVar = {
        "flags": "REPORT: changes are reported as relay activation status (source MANUAL, "
                 "ACTION, INPUT, CARD); without it only the scheduled changes are reported",
        "schedule": "active while this schedule is in force: activated at its start, "
                    "deactivated at its end, reported with the stand-alone relay rows naming "
                    "the schedule; 0 = no schedule",
        "pulse_time": "seconds of operation 6 (and of actions) given duration 0",
        "follow_input": "activated when this input goes into alarm, deactivated when it "
                        "restores (source INPUT); 0 = none",
    }


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
    """One input: its wiring, supervision, delays, schedules and what it drives in alarm."""

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
    BEHAVIOUR: ClassVar = (
        "An input is in alarm while its contact is in its abnormal state and it is not "
        "shunted. Its wiring can also fail: an open or a short circuit. A supervised input "
        "reports such a failure as a trouble (supervised inputs report: trouble open, trouble "
        "short, trouble restored; status inputs_trouble), keeping its last contact state; an "
        "unsupervised one reads the open circuit as an open contact and the short as a closed "
        "one. Troubles are reported even while the input is shunted.")
    FIELD_BEHAVIOUR: ClassVar = {
        "normal_state": "which contact state is normal; decides what an unsupervised wiring "
                        "fault reads as (NC: an open circuit is an alarm; NO: a short is)",
        "supervision": "NONE: no troubles; SINGLE_EOL: an open circuit is a trouble, a short "
                       "reads as a closed contact; DOUBLE_EOL: open and short circuits are "
                       "troubles",
        "shunt_schedule": "shunted while this schedule is in force (shunt reports, source "
                          "SCHEDULE); 0 = never",
        "alarm_relay": "this relay is active while the input is in alarm (source INPUT)",
        "alarm_output": "this auxiliary output is active while the input is in alarm",
    }


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
    """One auxiliary output: its schedule, the events that activate it and for how long."""

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
    BEHAVIOUR: ClassVar = (
        "An auxiliary output is activated by the events its triggers name (output by event "
        "activation status: activated / deactivated), by its schedule, by inputs "
        "(alarm_output) and by manual operations and actions. A trigger with a lasting cause "
        "(a forced or held door until it closes, an unlock until the lock, an input alarm or "
        "trouble until it restores, tamper, AC, battery, gateway until restored) holds the "
        "output for on_time, or while the cause lasts when on_time is 0, until the last such "
        "cause ends; a momentary cause (an access or floor result) holds it for on_time, or "
        "1 s when on_time is 0. Blinking is not reported (the status shows it steady on).")
    FIELD_BEHAVIOUR: ClassVar = {
        "flags": "LATCHED: once activated by an event it stays on until a manual or action "
                 "deactivation; INVERTED: wiring only",
        "schedule": "on while this schedule is in force, off at its end",
        "on_time": "seconds per trigger; 0 = as long as the cause lasts (1 s for a momentary "
                   "cause)",
        "triggers": "OutputTrigger bits: which events activate the output",
        "trigger_door": "door triggers (forced, held, pre-alarm, unlocked, access, duress) "
                        "count only from this door; 0 = any door",
        "trigger_input": "input triggers (alarm, trouble) count only from this input; 0 = any",
    }
