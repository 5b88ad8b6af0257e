"""Relays and auxiliary outputs driven by the controller's own events.

Every event the controller queues passes through ``EventOutputs.observe``:
- an input going into alarm activates the relays that follow it (RelayRecord.follow_input) and
  its own alarm relay and output (InputRecord.alarm_relay / alarm_output), source INPUT; they
  are released when the input restores or is shunted, once no other input holds them;
- an output whose ``triggers`` match the event (``OutputTrigger``, filtered by trigger_door /
  trigger_input) is activated: for ``on_time`` seconds; with ``on_time`` 0 while the cause lasts
  (until the event that ends it, and the last such cause) or 1 s for a momentary cause (access
  and floor results); a LATCHED output stays on until a manual operation or action turns it off.
A timed activation never shortens an activation "until told". Outputs report themselves with
table 12's "output by event activation status" row.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from emulators.kantech.points_state import Point
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.event_types import (
    GRANTED_RESULTS,
    AccessResult,
    EventType,
    Source,
    access_result_of,
)
from kantech_proto.records_hardware import (
    InputRecord,
    OutputFlag,
    OutputRecord,
    OutputTrigger,
    RelayRecord,
)

T, E = OutputTrigger, EventType
MOMENTARY_SECONDS = 1
DOOR_TRIGGERS = (T.DOOR_FORCED | T.DOOR_OPEN_TOO_LONG | T.DOOR_PRE_ALARM | T.DOOR_UNLOCKED
                 | T.ACCESS_GRANTED | T.ACCESS_DENIED | T.DURESS)
INPUT_TRIGGERS = T.INPUT_ALARM | T.INPUT_TROUBLE
LASTING = (T.DOOR_FORCED | T.DOOR_OPEN_TOO_LONG | T.DOOR_PRE_ALARM | T.DOOR_UNLOCKED
           | T.INPUT_ALARM | T.INPUT_TROUBLE | T.TAMPER | T.AC_FAIL | T.LOW_BATTERY
           | T.GATEWAY_LOST)
#: event -> the causes it starts (access and floor results are added by ``triggers_of``)
STARTS: dict[EventType, OutputTrigger] = {
    E.DOOR_FORCED_OPEN: T.DOOR_FORCED, E.DOOR_OPEN_TOO_LONG: T.DOOR_OPEN_TOO_LONG,
    E.DOOR_PRE_ALARM: T.DOOR_PRE_ALARM, E.DOOR_UNLOCKED: T.DOOR_UNLOCKED,
    E.DOOR_UNLOCKED_TIMED: T.DOOR_UNLOCKED, E.STANDALONE_DOOR_UNLOCKED: T.DOOR_UNLOCKED,
    E.INPUT_ALARM: T.INPUT_ALARM, E.INPUT_TROUBLE_OPEN: T.INPUT_TROUBLE,
    E.INPUT_TROUBLE_SHORT: T.INPUT_TROUBLE, E.TAMPER: T.TAMPER, E.AC_FAIL: T.AC_FAIL,
    E.LOW_BATTERY: T.LOW_BATTERY, E.GATEWAY_LOST: T.GATEWAY_LOST,
    E.FLOOR_VALID: T.ACCESS_GRANTED, E.FLOOR_VALID_BCD: T.ACCESS_GRANTED,
    E.FLOOR_INVALID: T.ACCESS_DENIED, E.FLOOR_INVALID_BCD: T.ACCESS_DENIED,
}
#: event -> the lasting causes it ends
ENDS: dict[EventType, OutputTrigger] = {
    E.DOOR_CLOSED: T.DOOR_FORCED | T.DOOR_OPEN_TOO_LONG | T.DOOR_PRE_ALARM,
    E.DOOR_OPEN_TOO_LONG: T.DOOR_PRE_ALARM, E.DOOR_LOCKED: T.DOOR_UNLOCKED,
    E.STANDALONE_DOOR_RELOCKED: T.DOOR_UNLOCKED, E.INPUT_RESTORED: T.INPUT_ALARM,
    E.INPUT_SHUNTED: T.INPUT_ALARM, E.INPUT_TEMP_SHUNTED: T.INPUT_ALARM,
    E.INPUT_TROUBLE_RESTORED: T.INPUT_TROUBLE, E.TAMPER_RESTORED: T.TAMPER,
    E.AC_RESTORED: T.AC_FAIL, E.BATTERY_RESTORED: T.LOW_BATTERY,
    E.GATEWAY_RESTORED: T.GATEWAY_LOST,
}
_ALARM_ENDS = frozenset({E.INPUT_RESTORED, E.INPUT_SHUNTED, E.INPUT_TEMP_SHUNTED})


def triggers_of(event_type: EventType) -> OutputTrigger:
    """The output triggers an event starts."""
    result = access_result_of(event_type)
    if result is None:
        return STARTS.get(event_type, T(0))
    if result == AccessResult.GRANTED_DURESS:
        return T.DURESS | T.ACCESS_GRANTED
    return T.ACCESS_GRANTED if result in GRANTED_RESULTS else T.ACCESS_DENIED


class EventOutputs:
    """Which causes hold each relay and output, and what each event does to them."""

    __slots__ = ("_causes", "_outputs", "_relays")

    def __init__(self, relays: Sequence[Point], outputs: Sequence[Point]) -> None:
        self._relays, self._outputs = relays, outputs
        self._causes: dict[tuple[str, int], set[Hashable]] = {}

    def forget(self) -> None:
        """A power-up: every point is at rest and no cause holds it."""
        self._causes.clear()

    def observe(self, event: ControllerEvent, at: float, relays: Mapping[int, RelayRecord],
                inputs: Mapping[int, InputRecord], outputs: Mapping[int, OutputRecord]) -> None:
        kind, component = event.event_type, event.component
        if kind == E.INPUT_ALARM or kind in _ALARM_ENDS:
            self._input_points(kind == E.INPUT_ALARM, component, at, relays, inputs)
        starts, ends = triggers_of(kind), ENDS.get(kind, T(0))
        if not starts and not ends:
            return
        for record in outputs.values():
            if not 1 <= record.output <= len(self._outputs):
                continue
            point, allowed = self._outputs[record.output - 1], _allowed(record, component)
            if matched := starts & record.triggers & allowed:
                self._trigger(point, record, matched, component, at)
            for bit in ends & record.triggers & allowed:
                self._release(point, (bit, component), at, Source.INPUT)

    def _input_points(self, alarm: bool, index: int, at: float,
                      relays: Mapping[int, RelayRecord], inputs: Mapping[int, InputRecord]) -> None:
        record = inputs.get(index)
        targets = [self._relays[r.relay - 1] for r in relays.values()
                   if r.follow_input == index and 1 <= r.relay <= len(self._relays)]
        if record and 1 <= record.alarm_relay <= len(self._relays):
            targets.append(self._relays[record.alarm_relay - 1])
        if record and 1 <= record.alarm_output <= len(self._outputs):
            targets.append(self._outputs[record.alarm_output - 1])
        for point in targets:
            if alarm:
                self._hold(point, ("input", index), at, Source.INPUT)
            else:
                self._release(point, ("input", index), at, Source.INPUT)

    def _trigger(self, point: Point, record: OutputRecord, matched: OutputTrigger,
                 component: int, at: float) -> None:
        if OutputFlag.LATCHED in record.flags:
            point.activate(at, Source.INPUT)
        elif record.on_time:
            self._pulse(point, record.on_time, at)
        elif lasting := matched & LASTING:
            for bit in lasting:
                self._hold(point, (bit, component), at, Source.INPUT)
        else:
            self._pulse(point, MOMENTARY_SECONDS, at)

    def _hold(self, point: Point, cause: Hashable, at: float, source: Source) -> None:
        self._causes.setdefault((point.kind, point.index), set()).add(cause)
        if not point.active or point.until is not None:
            point.activate(at, source)

    def _release(self, point: Point, cause: Hashable, at: float, source: Source) -> None:
        causes = self._causes.get((point.kind, point.index), set())
        if cause not in causes:
            return
        causes.discard(cause)
        if not causes and point.active and point.until is None:
            point.deactivate(at, source)

    @staticmethod
    def _pulse(point: Point, seconds: int, at: float) -> None:
        if point.active and (point.until is None or point.until >= at + seconds):
            return  # never shorten what is already on
        point.activate(at, Source.INPUT, seconds)


def _allowed(record: OutputRecord, component: int) -> OutputTrigger:
    """The triggers an event from ``component`` may fire on this output (door and input
    filters; controller-wide triggers always)."""
    allowed = LASTING & ~(DOOR_TRIGGERS | INPUT_TRIGGERS)
    if not record.trigger_door or record.trigger_door == component:
        allowed |= DOOR_TRIGGERS
    if not record.trigger_input or record.trigger_input == component:
        allowed |= INPUT_TRIGGERS
    return allowed
