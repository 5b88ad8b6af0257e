"""The 63-byte complete status (STATUS_REPLY) and the 8-byte per-component manual-operation result.

WIRE.md fixes only the sizes (paper: "Controller's complete status 63", "8 bytes reply per activated
component"); the layouts are protolab's, sized for the largest controller (KT-400: 4 doors,
16 inputs, 16 outputs), with smaller models leaving unused slots at zero.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from typing import Any

import construct as c

from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, DecodeError, EncodeError

STATUS_SIZE = 63
COMPONENT_RESULT_SIZE = 8
MAX_DOORS = 4
MAX_POINTS = 16  # relays, inputs and outputs each fit a 16-bit mask


class DoorLockState(enum.IntEnum):
    LOCKED = 0  # the lock holds
    UNLOCKED = 1  # released until told otherwise (manual op or schedule)
    UNLOCKED_TIMED = 2  # released for a time (a grant, a timed manual op)
    DISABLED = 3  # every card refused


class DoorFlag(enum.IntFlag):
    OPEN = 0x01  # the door contact is open
    FORCED = 0x02  # opened without a grant or REX
    HELD_OPEN = 0x04  # open longer than its open time
    REX_ACTIVE = 0x08  # inside a request-to-exit window
    PRE_ALARM = 0x10  # the open time is about to run out


class SystemFlag(enum.IntFlag):
    EVENTS_PENDING = 0x01  # events wait for the gateway's ACK (events_queued says how many)
    RELOAD_REQUIRED = 0x02  # no complete full reload since power-up, new firmware or a failed END
    TAMPER = 0x04  # the cabinet tamper is open
    AC_FAIL = 0x08  # running on battery
    LOW_BATTERY = 0x10  # the battery is low
    FIRMWARE_PENDING = 0x20  # FIRMWARE_BLOCKs received, FIRMWARE_END not yet
    CLOCK_NOT_SET = 0x40  # no SET_DATETIME (or DATE_TIME record) since power-up


class OperationResult(enum.IntEnum):
    DONE = 0  # the operation ran; state and flags say what the component is now
    NO_SUCH_COMPONENT = 1  # the model has no component with that index
    NOT_ALLOWED = 2  # the operation does not fit that kind, or the component refuses it
    BUSY = 3  # the component cannot take it now


_MASK_FIELDS = ("relays_active", "relays_timed", "inputs_active", "inputs_alarm", "inputs_shunted",
                "inputs_trouble", "outputs_active")

DoorStatusStruct = c.Struct(
    "lock_state" / c.Int8ub * "DoorLockState: how the door's lock is held now",
    "flags" / c.Int8ub * "DoorFlag bits: what its contact and REX say now",
)

ControllerStatusStruct = c.Struct(
    "model" / c.Int8ub * "DeviceModel of the answering device",
    "firmware" / c.Array(3, c.Int8ub) * "firmware major, minor, build",
    "clock" / c.Bytes(7) * "a date/time record, or seven zero bytes when never set",
    "system_flags" / c.Int8ub * "SystemFlag bits",
    "events_queued" / c.Int16ub * "events not yet acknowledged by the gateway (0..65535, capped)",
    "door_count" / c.Int8ub * "doors the model has (0..4); door slots beyond it are zero",
    "doors" / c.Array(MAX_DOORS, DoorStatusStruct) * "door 1..4: lock state and flags",
    "relay_count" / c.Int8ub * "relays the model has (0..16)",
    "relays_active" / c.Int16ub * "bit n-1: relay n energized (a released door lock counts)",
    "relays_timed" / c.Int16ub * "bit n-1: relay n runs a timed activation",
    "input_count" / c.Int8ub * "inputs the model has (0..16)",
    "inputs_active" / c.Int16ub * "bit n-1: input n away from its normal state",
    "inputs_alarm" / c.Int16ub * "bit n-1: input n in alarm",
    "inputs_shunted" / c.Int16ub * "bit n-1: input n shunted (ignored)",
    "inputs_trouble" / c.Int16ub * "bit n-1: supervised input n in trouble (open or short circuit)",
    "output_count" / c.Int8ub * "auxiliary outputs the model has (0..16)",
    "outputs_active" / c.Int16ub * "bit n-1: output n on",
    "cards_loaded" / c.Int32ub * "card records held",
    "schedules_loaded" / c.Int16ub * "schedule records held",
    "access_levels_loaded" / c.Int16ub * "access level records held",
    "records_loaded" / c.Int32ub * "reload records held, every type",
    "uptime_seconds" / c.Int32ub * "seconds since the last power-up or reboot",
    "firmware_crc32" / c.Int32ub * "CRC-32 of the running firmware image",
    "reserved" / c.Bytes(3),
)
# the same 63 bytes as one struct format: the decode hot path (tests check it against the schema)
FAST_STATUS = struct.Struct(">B3B7sBHB" + "BB" * MAX_DOORS + "BHHBHHHHBHIHHIII3s")
_DOOR_STATES = {int(s): s for s in DoorLockState}

ComponentResultStruct = c.Struct(
    "kind" / c.Int8ub * "ComponentKind of the component",
    "index" / c.Int8ub * "its number, 1-based",
    "operation" / c.Int8ub * "the ManualOperation asked",
    "result" / c.Int8ub * "OperationResult",
    ("state" / c.Int8ub
     * "after the operation: a door's DoorLockState; a relay, output or input 1 active / 0 not"),
    ("flags" / c.Int8ub
     * "a door's DoorFlag bits; a relay or output 1 when timed; an input bit 0 alarm, bit 1 shunted"),
    "remaining_seconds" / c.Int16ub * "what is left of a timed state; 0 = not timed",
)
CompiledComponentResultStruct = ComponentResultStruct.compile()


@dataclass(frozen=True, slots=True)
class DoorStatus:
    lock_state: DoorLockState = DoorLockState.LOCKED
    flags: DoorFlag = DoorFlag(0)


@dataclass(frozen=True, slots=True)
class ControllerStatus:
    """Everything a gateway learns from one STATUS_QUERY."""

    model: DeviceModel
    firmware: tuple[int, int, int]
    clock: KantechDateTime | None
    system_flags: SystemFlag = SystemFlag(0)
    events_queued: int = 0
    doors: tuple[DoorStatus, ...] = ()
    relay_count: int = 0
    relays_active: int = 0
    relays_timed: int = 0
    input_count: int = 0
    inputs_active: int = 0
    inputs_alarm: int = 0
    inputs_shunted: int = 0
    inputs_trouble: int = 0
    output_count: int = 0
    outputs_active: int = 0
    cards_loaded: int = 0
    schedules_loaded: int = 0
    access_levels_loaded: int = 0
    records_loaded: int = 0
    uptime_seconds: int = 0
    firmware_crc32: int = 0

    def encode(self) -> bytes:
        if len(self.doors) > MAX_DOORS:
            raise EncodeError(f"a status holds at most {MAX_DOORS} doors, got {len(self.doors)}")
        for count_name in ("relay_count", "input_count", "output_count"):
            if not 0 <= getattr(self, count_name) <= MAX_POINTS:
                raise EncodeError(f"{count_name} must be 0..{MAX_POINTS}")
        door_fields: list[int] = []
        for door in self.doors:
            door_fields += (int(door.lock_state), int(door.flags))
        door_fields += [0] * (2 * (MAX_DOORS - len(self.doors)))
        try:
            return FAST_STATUS.pack(
                int(self.model), *self.firmware,
                self.clock.encode() if self.clock else bytes(7), int(self.system_flags),
                self.events_queued, len(self.doors), *door_fields, self.relay_count,
                self.relays_active, self.relays_timed, self.input_count, self.inputs_active,
                self.inputs_alarm, self.inputs_shunted, self.inputs_trouble, self.output_count,
                self.outputs_active, self.cards_loaded, self.schedules_loaded,
                self.access_levels_loaded, self.records_loaded, self.uptime_seconds,
                self.firmware_crc32, bytes(3))
        except struct.error as exc:
            raise EncodeError(f"controller status does not fit its 63 bytes: {exc}") from None

    @classmethod
    def decode(cls, data: bytes) -> ControllerStatus:
        if len(data) != STATUS_SIZE:
            raise BadDataSizeError(f"a complete status is {STATUS_SIZE} bytes, got {len(data)}")
        (model_code, fw_major, fw_minor, fw_build, clock_raw, system_flags, events_queued,
         door_count, *rest) = FAST_STATUS.unpack(data)
        door_raw, rest = rest[: 2 * MAX_DOORS], rest[2 * MAX_DOORS:]
        (relay_count, relays_active, relays_timed, input_count, inputs_active, inputs_alarm,
         inputs_shunted, inputs_trouble, output_count, outputs_active, cards_loaded,
         schedules_loaded, access_levels_loaded, records_loaded, uptime_seconds, firmware_crc32,
         reserved) = rest
        try:
            model = DeviceModel(model_code)
        except ValueError:
            raise BadFieldError(f"unknown controller model {model_code}") from None
        if reserved != bytes(3):
            raise BadFieldError("reserved bytes of the complete status must be zero")
        if door_count > MAX_DOORS:
            raise BadFieldError(f"door count {door_count} exceeds {MAX_DOORS}")
        if max(relay_count, input_count, output_count) > MAX_POINTS:
            raise BadFieldError(f"relay, input and output counts are at most {MAX_POINTS}")
        if any(door_raw[2 * door_count:]):
            raise BadFieldError("status slots beyond the door count must be zero")
        doors = []
        for i in range(door_count):
            state = _DOOR_STATES.get(door_raw[2 * i])
            if state is None:
                raise BadFieldError(f"door {i + 1} lock state {door_raw[2 * i]} is unknown")
            doors.append(DoorStatus(state, DoorFlag(door_raw[2 * i + 1])))
        clock = None if clock_raw == bytes(7) else KantechDateTime.decode(clock_raw)
        return cls(model, (fw_major, fw_minor, fw_build), clock, SystemFlag(system_flags),
                   events_queued, tuple(doors), relay_count, relays_active, relays_timed,
                   input_count, inputs_active, inputs_alarm, inputs_shunted, inputs_trouble,
                   output_count, outputs_active, cards_loaded, schedules_loaded,
                   access_levels_loaded, records_loaded, uptime_seconds, firmware_crc32)

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model.name, "firmware": ".".join(map(str, self.firmware)),
            "clock": self.clock.as_json() if self.clock else None,
            "system_flags": [f.name for f in SystemFlag if f in self.system_flags],
            "events_queued": self.events_queued,
            "doors": [{"lock_state": d.lock_state.name,
                       "flags": [f.name for f in DoorFlag if f in d.flags]} for d in self.doors],
            "relay_count": self.relay_count, "input_count": self.input_count,
            "output_count": self.output_count,
            **{name: f"{getattr(self, name):016b}" for name in _MASK_FIELDS},
            "cards_loaded": self.cards_loaded, "schedules_loaded": self.schedules_loaded,
            "access_levels_loaded": self.access_levels_loaded,
            "records_loaded": self.records_loaded, "uptime_seconds": self.uptime_seconds,
            "firmware_crc32": f"{self.firmware_crc32:08x}",
        }


@dataclass(frozen=True, slots=True)
class ComponentResult:
    """What one component became after a manual operation (8 bytes on the wire)."""

    kind: ComponentKind
    index: int
    operation: ManualOperation
    result: OperationResult = OperationResult.DONE
    state: int = 0
    flags: int = 0
    remaining_seconds: int = 0

    def encode(self) -> bytes:
        if not 1 <= self.index <= 255:
            raise EncodeError(f"component index {self.index} is outside 1..255")
        try:
            return ComponentResultStruct.build({
                "kind": int(self.kind), "index": self.index, "operation": int(self.operation),
                "result": int(self.result), "state": self.state, "flags": self.flags,
                "remaining_seconds": self.remaining_seconds,
            })
        except (c.ConstructError, ValueError, TypeError) as exc:
            raise EncodeError(f"component result does not fit 8 bytes: {exc}") from None

    @classmethod
    def decode(cls, data: bytes) -> ComponentResult:
        if len(data) != COMPONENT_RESULT_SIZE:
            raise BadDataSizeError(f"a component result is 8 bytes, got {len(data)}")
        try:
            raw = CompiledComponentResultStruct.parse(data)
        except Exception as exc:
            raise DecodeError(f"component result does not parse: {exc}") from None
        if raw.index == 0:
            raise BadFieldError("component indexes count from 1")
        try:
            return cls(ComponentKind(raw.kind), raw.index, ManualOperation(raw.operation),
                       OperationResult(raw.result), raw.state, raw.flags, raw.remaining_seconds)
        except ValueError as exc:
            raise BadFieldError(f"bad component result: {exc}") from None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.name, "index": self.index, "operation": self.operation.name,
                "result": self.result.name, "state": self.state, "flags": self.flags,
                "remaining_seconds": self.remaining_seconds}
