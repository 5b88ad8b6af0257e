"""MANUAL_OP on one component, answered with its 8-byte ComponentResult.

Which operations fit which kind (WIRE.md section 3): doors take 1-3, relays and auxiliary outputs
4-6, inputs 7-8; any other pairing answers NOT_ALLOWED, as does unlocking a disabled door.
Durations (protolab's reading of "0 = until told"): a non-zero duration makes any operation
timed (an unlock, an activation, a temporary shunt); the "for a time" operations (3 and 6) with
duration 0 use the component's programmed time (DoorRecord.unlock_time, RelayRecord.pulse_time,
OutputRecord.on_time), an output without one staying on until told. Door times are clamped to
the model's timer limit (255 s on a KT-100/KT-300).

Result bytes: ``state`` is the door's DoorLockState or 1/0 for an active point, ``flags`` the
door's status DoorFlag bits, for a relay/output 1 when timed, for an input bit 0 alarm and bit 1
shunted; ``remaining_seconds`` what is left of the timed state.

The action scheduler runs its operations through here too (source ACTION); an interlocked door
(``interlocks``) answers NOT_ALLOWED to an unlock while its partner is open or released.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from emulators.kantech.door_state import Door
from emulators.kantech.points_state import Input, Point
from emulators.kantech.record_store import RecordStore
from kantech_proto.codes import ComponentKind, ManualOperation, RecordType
from kantech_proto.controller_status import ComponentResult, DoorLockState, OperationResult
from kantech_proto.event_types import Source
from kantech_proto.messages import ManualOp

Op = ManualOperation
VALID_OPERATIONS: dict[ComponentKind, frozenset[ManualOperation]] = {
    ComponentKind.DOOR: frozenset({Op.UNLOCK_DOOR, Op.LOCK_DOOR, Op.UNLOCK_DOOR_TIMED}),
    ComponentKind.RELAY: frozenset({Op.ACTIVATE_RELAY, Op.DEACTIVATE_RELAY,
                                    Op.ACTIVATE_RELAY_TIMED}),
    ComponentKind.OUTPUT: frozenset({Op.ACTIVATE_RELAY, Op.DEACTIVATE_RELAY,
                                     Op.ACTIVATE_RELAY_TIMED}),
    ComponentKind.INPUT: frozenset({Op.SHUNT_INPUT, Op.UNSHUNT_INPUT}),
}


def refused(op: ManualOp, index: int, result: OperationResult) -> ComponentResult:
    return ComponentResult(op.kind, index, op.operation, result)


def door_op(door: Door, op: ManualOp, max_timer: int, now: float, source: Source = Source.MANUAL,
            blocked: bool = False) -> ComponentResult:
    """``blocked``: the door's interlock keeps it locked (unlocks are refused)."""
    if op.operation != Op.LOCK_DOOR and (door.lock_state == DoorLockState.DISABLED or blocked):
        return refused(op, door.index, OperationResult.NOT_ALLOWED)
    if op.operation == Op.LOCK_DOOR:
        door.lock(now, source)
    elif op.operation == Op.UNLOCK_DOOR and not op.duration:
        door.unlock(now, source)
    else:
        door.unlock_for(now, min(op.duration or door.record.unlock_time, max_timer), source)
    status = door.status(now)
    return ComponentResult(op.kind, door.index, op.operation, OperationResult.DONE,
                           int(status.lock_state), int(status.flags), door.remaining_unlock(now))


def point_op(point: Point, op: ManualOp, programmed: int, now: float,
             source: Source = Source.MANUAL) -> ComponentResult:
    """A relay or output; ``programmed`` is its record's default time (0 = until told)."""
    if op.operation == Op.DEACTIVATE_RELAY:
        point.deactivate(now, source)
    else:
        seconds = op.duration or (programmed if op.operation == Op.ACTIVATE_RELAY_TIMED else 0)
        point.activate(now, source, seconds or None)
    return ComponentResult(op.kind, point.index, op.operation, OperationResult.DONE,
                           int(point.active), int(point.until is not None), point.remaining(now))


def input_op(point: Input, op: ManualOp, now: float,
             source: Source = Source.MANUAL) -> ComponentResult:
    if op.operation == Op.SHUNT_INPUT:
        point.shunt(now, source, op.duration or None)
    else:
        point.unshunt(now, source)
    return ComponentResult(op.kind, point.index, op.operation, OperationResult.DONE,
                           int(point.active), int(point.alarm) | int(point.shunted) << 1,
                           point.remaining(now))


def programmed_time(records: RecordStore, kind: ComponentKind, index: int) -> int:
    """A relay's pulse_time (5 s without a record), an output's on_time (0 without one)."""
    if kind == ComponentKind.RELAY:
        relay = records.of_type(RecordType.RELAY).get(index)
        return relay.pulse_time if relay else 5
    output = records.of_type(RecordType.OUTPUT).get(index)
    return output.on_time if output else 0


def run_manual_operation(op: ManualOp, parts: Sequence[Any], max_timer: int,
                         programmed: Callable[[ComponentKind, int], int],
                         now: float, *, source: Source = Source.MANUAL,
                         blocked: Callable[[int], bool] | None = None
                         ) -> tuple[ComponentResult, ...]:
    """A whole MANUAL_OP on ``parts`` (the components of ``op.kind``, index 1 first): one result
    per component from ``first_index``, ``count`` of them; ``programmed`` gives a relay's or
    output's programmed time, ``blocked`` whether a door's interlock holds it locked."""
    results = []
    for index in range(op.first_index, min(op.first_index + op.count - 1, 255) + 1):
        if index > len(parts):
            results.append(refused(op, index, OperationResult.NO_SUCH_COMPONENT))
        elif op.operation not in VALID_OPERATIONS[op.kind]:
            results.append(refused(op, index, OperationResult.NOT_ALLOWED))
        elif op.kind == ComponentKind.DOOR:
            results.append(door_op(parts[index - 1], op, max_timer, now, source,
                                   bool(blocked and blocked(index))))
        elif op.kind == ComponentKind.INPUT:
            results.append(input_op(parts[index - 1], op, now, source))
        else:
            results.append(point_op(parts[index - 1], op, programmed(op.kind, index), now,
                                    source))
    return tuple(results)
