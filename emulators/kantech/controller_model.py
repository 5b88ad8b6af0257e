"""An emulated KT-400 / KT-1 / KT-100 / KT-300 controller satisfying ``ControllerModel``.

It answers gateway requests, holds its reload records and decides card reads from them, runs
its doors, relays, inputs and outputs, queues table-12 events, and takes new firmware. Test hooks
(``present_card``, ``open_door``, ...) play the people and wiring in front of it; like the
protocol methods they take ``now`` and never touch a socket or a clock.

Choices the spec leaves open:
- Clock: SET_DATETIME (or a DATE_TIME reload record) sets it at ``now``; it then runs with
  ``now``. The weekday the gateway sent is kept in step with the date. Without a clock, events
  are stamped 2000-01-01 00:00:00 plus the uptime, and cards are refused (access_decision).
- Door contact and REX inputs belong to their door (``wiring``); a door's lock relay reads
  active in the status while the door is released.
- What the records make it do by itself (schedules, actions, event-driven outputs,
  anti-passback resets) is ``controller_automation``'s; a card or PIN read is ``card_reader``'s.
- POLL answers ACK (events leave through ``take_events``, presence bytes are the runtime's);
  DISCOVER and device-to-gateway commands answer NAK(UNKNOWN_COMMAND).
- ``reboot`` is a power cycle: records survive (battery-backed), doors and points restart at
  rest and a POWER_UP event is queued. A new firmware does the same and also clears the records.
"""

from __future__ import annotations

import zlib
from functools import partial
from typing import Any

from emulators.kantech.card_reader import CardReader
from emulators.kantech.controller_api import DeviceIdentity
from emulators.kantech.controller_automation import Automation
from emulators.kantech.controller_clock import ControllerClock
from emulators.kantech.door_state import Door
from emulators.kantech.errors import ModelInputError
from emulators.kantech.firmware_update import AcceptedImage, FirmwareReceiver, bump_build
from emulators.kantech.input_supervision import Line, parse_line
from emulators.kantech.manual_ops import programmed_time, run_manual_operation
from emulators.kantech.model_specs import ModelSpec, spec_for
from emulators.kantech.points_state import Input, Point
from emulators.kantech.record_store import RecordStore
from emulators.kantech.wiring import Wiring
from kantech_proto.codes import ComponentKind, DeviceModel, NakReason, RecordType
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ComponentResult, ControllerStatus, SystemFlag
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import ConfigurationError, KantechError
from kantech_proto.event_types import AccessResult, EventType, Source
from kantech_proto.messages import (
    Ack,
    FirmwareBlock,
    FirmwareEnd,
    ManualOp,
    ManualOpReply,
    Message,
    Nak,
    Poll,
    ReloadBegin,
    ReloadEnd,
    ReloadRecords,
    SetDateTime,
    StatusQuery,
    StatusReply,
)
from kantech_proto.records_hardware import RelayFlag
from kantech_proto.reload_records import DoorRecord


def _bits(flags: list[bool]) -> int:
    return sum(1 << i for i, on in enumerate(flags) if on)


class Controller(DeviceIdentity):
    """One emulated controller; see the module docstring for the choices it makes."""

    def __init__(self, spec: ModelSpec, mac: bytes, serial_number: str,
                 firmware: tuple[int, int, int] = (1, 0, 0), *, now: float | None = None) -> None:
        if len(mac) != 6:
            raise ConfigurationError(f"MAC address {mac.hex(':')}: expected 6 bytes, "
                                     f"got {len(mac)}")
        if len(serial_number) > 16 or not all(" " <= ch <= "~" for ch in serial_number):
            raise ConfigurationError(f"serial number {serial_number!r}: expected 0..16 "
                                     "printable ASCII characters")
        if len(firmware) != 3 or any(not 0 <= part <= 255 for part in firmware):
            raise ConfigurationError(f"firmware {firmware}: expected three numbers 0..255")
        self.spec = spec
        self._mac = bytes(mac)
        self._serial = serial_number
        self._firmware: tuple[int, int, int] = (firmware[0], firmware[1], firmware[2])
        self._firmware_crc = zlib.crc32(f"{spec.model.name} {firmware}".encode())
        self.records = RecordStore(spec)
        self._firmware_rx = FirmwareReceiver()
        self._events: list[ControllerEvent] = []
        self.clock = ControllerClock()
        self._boot_at = now
        self._last_now = now or 0.0
        self._reboot_pending = False
        self.doors = [Door(i, self._emit) for i in range(1, spec.doors + 1)]
        self.relays = [Point("relay", i, self._emit) for i in range(1, spec.relays + 1)]
        self.inputs = [Input(i, self._emit) for i in range(1, spec.inputs + 1)]
        self.outputs = [Point("output", i, self._emit) for i in range(1, spec.outputs + 1)]
        self.wiring = Wiring(spec, self.doors, self.inputs)
        self.automation = Automation(self.records, self.clock, self.doors, self.relays,
                                     self.inputs, self.outputs, self._emit, self._run_action)
        self.reader = CardReader(self.records, self.doors, self.relays, self.automation,
                                 self._queue)
        self._apply_records()

    # ControllerModel ----------------------------------------------------------------------------

    @property
    def model(self) -> DeviceModel:
        return self.spec.model

    def handle_request(self, message: Message, now: float) -> Message:
        self.advance(now)
        try:
            return self._answer(message, now)
        except (KantechError, ValueError) as exc:  # a record the model cannot run
            return Nak(NakReason.BAD_DATA, f"{message.COMMAND.name}: {exc}")

    def advance(self, now: float) -> None:
        self._touch(now)
        while (due := self.next_deadline()) is not None and due <= now:
            for part in self._timed_parts():
                deadline = part.deadline()
                if deadline is not None and deadline <= due:
                    part.advance(due)

    def next_deadline(self) -> float | None:
        pending = [d for part in self._timed_parts() if (d := part.deadline()) is not None]
        return min(pending) if pending else None

    def take_events(self) -> list[ControllerEvent]:
        events, self._events = self._events, []
        return events

    @property
    def events_waiting(self) -> bool:
        return bool(self._events)

    @property
    def reboot_pending(self) -> bool:
        return self._reboot_pending

    def acknowledge_reboot(self) -> None:
        self._reboot_pending = False

    # requests -----------------------------------------------------------------------------------

    def _answer(self, message: Message, now: float) -> Message:
        nak: Nak | NakReason | None = None
        if isinstance(message, StatusQuery):
            return StatusReply(self.status(now))
        if isinstance(message, Poll):
            return Ack()
        if isinstance(message, SetDateTime):
            self.set_clock(message.when, now)
        elif isinstance(message, ManualOp):
            return ManualOpReply(self.manual_operation(message, now))
        elif isinstance(message, ReloadBegin):
            nak = self.records.begin(message.scope)
        elif isinstance(message, ReloadRecords):
            nak = self.records.add(message.record_type, message.records)
            if nak is None and message.record_type == RecordType.DATE_TIME:
                self.clock.set(message.records[-1], now)
        elif isinstance(message, ReloadEnd):
            nak = self.records.end(message.record_count)
            if nak is None:
                self._emit(now, 0, EventType.RELOAD_DONE, value=min(self.records.total, 0xFFFFFF))
        elif isinstance(message, FirmwareBlock):
            self._firmware_rx.block(message.block_number, message.chunk)
        elif isinstance(message, FirmwareEnd):
            outcome = self._firmware_rx.end(message.block_count, message.crc32)
            if isinstance(outcome, AcceptedImage):
                self._install(outcome, now)
            else:
                nak = outcome
        else:
            nak = Nak(NakReason.UNKNOWN_COMMAND, f"{message.COMMAND.name} is not a request a "
                      f"{self.model.name} takes")
        if isinstance(message, ReloadBegin | ReloadRecords | ReloadEnd):
            if nak is None:
                self.automation.passback.reloaded(message, self.spec.card_type)
            self._apply_records()
            self.automation.refresh(now)
        return Ack() if nak is None else nak if isinstance(nak, Nak) else Nak(nak)

    def set_clock(self, when: KantechDateTime, now: float) -> None:
        self._touch(now)
        self.clock.set(when, now)
        self.automation.refresh(now)

    def clock_at(self, now: float) -> KantechDateTime | None:
        """The controller's date and time at ``now``; None while never set."""
        return self.clock.at(now)

    def manual_operation(self, op: ManualOp, now: float) -> tuple[ComponentResult, ...]:
        """Run a MANUAL_OP: one result per component from ``first_index``, ``count`` of them."""
        self.advance(now)
        return self._operate(op, now, Source.MANUAL)

    def status(self, now: float) -> ControllerStatus:
        """The 63-byte complete status at ``now``."""
        self.advance(now)
        flags = SystemFlag(0)
        for on, flag in ((bool(self._events), SystemFlag.EVENTS_PENDING),
                         (self.records.reload_required, SystemFlag.RELOAD_REQUIRED),
                         (self._firmware_rx.receiving, SystemFlag.FIRMWARE_PENDING),
                         (not self.clock.is_set, SystemFlag.CLOCK_NOT_SET)):
            if on:
                flags |= flag
        lock_relays = self.wiring.released_lock_relays()
        troubles = _bits([i.trouble is not None for i in self.inputs])
        return ControllerStatus(
            self.model, self._firmware, self.clock_at(now), flags, min(len(self._events), 0xFFFF),
            tuple(d.status(now) for d in self.doors), len(self.relays),
            _bits([r.active or r.index in lock_relays for r in self.relays]),
            _bits([r.until is not None for r in self.relays]), len(self.inputs),
            _bits([i.active for i in self.inputs]), _bits([i.alarm for i in self.inputs]),
            _bits([i.shunted for i in self.inputs]), troubles, len(self.outputs),
            _bits([o.active for o in self.outputs]),
            self.records.count(self.spec.card_type), self.records.count(self.spec.schedule_type),
            self.records.count(RecordType.ACCESS_LEVEL), self.records.total,
            self.uptime(now), self._firmware_crc)

    def uptime(self, now: float) -> int:
        return max(0, int(now - (self._boot_at if self._boot_at is not None else now)))

    # test hooks ---------------------------------------------------------------------------------

    def present_card(self, door: int, card_number: int | str, pin: str | None = None, *,
                     now: float, exit: bool = False, floor: int | None = None
                     ) -> AccessResult | EventType:
        """A card read at ``door``'s entry reader (its exit reader with ``exit``); an int is a
        32-bit card, a str BCD digits; ``pin`` what was typed on the keypad, ``floor`` the
        button pressed at a cab reader. Returns the access result (the floor selection's event
        type for a floor)."""
        return self.reader.read(self._door(door, now), card_number, pin, self.clock_at(now),
                                self._timestamp(now), now, leaving=exit, floor=floor)

    def present_pin(self, door: int, pin: str, *, now: float, exit: bool = False,
                    floor: int | None = None) -> AccessResult | EventType:
        """A PIN typed alone at a PIN_ONLY reader (ReaderMode)."""
        return self.reader.read(self._door(door, now), None, pin, self.clock_at(now),
                                self._timestamp(now), now, leaving=exit, floor=floor)

    def forgive_passback(self, card: int | str | None = None, *, now: float) -> int:
        """Forget where one card (or every card) was last seen; how many were forgotten."""
        self.advance(now)
        return self.automation.passback.forgive(card)

    def open_door(self, door: int, now: float) -> bool:
        """The door contact opens; False when that is a forced door."""
        self._door(door, now)
        return self.wiring.open_door(door, now)

    def close_door(self, door: int, now: float) -> None:
        self._door(door, now)
        self.wiring.close_door(door, now)

    def press_rex(self, door: int, now: float) -> None:
        self._door(door, now).rex(now, may_release=not self.automation.blocked(door))

    def force_door(self, door: int, now: float) -> bool:
        """Open the contact with no REX window: True when reported forced (the lock was not
        released)."""
        self._door(door, now)
        return self.wiring.force_door(door, now)

    def hold_door(self, door: int, now: float) -> None:
        """Someone passes and holds the door: a closed, locked door gets a REX first, then
        open-too-long is raised at once rather than after the door's open time."""
        self._door(door, now)
        self.wiring.hold_door(door, now, self.press_rex)

    def set_input(self, index: int, active: bool, now: float) -> None:
        """An input changes; a door's contact or REX input acts on its door instead."""
        self.advance(now)
        self.wiring.set_input(index, active, now, self.press_rex)

    def set_input_line(self, index: int, line: str | Line, now: float) -> None:
        """An input's wiring is cut (``open``), bridged (``short``) or repaired (``normal``)."""
        self.advance(now)
        self.wiring.set_line(index, parse_line(line), self.records.of_type(
            RecordType.INPUT).get(index), now, self.press_rex)

    def reboot(self, now: float) -> None:
        """A power cycle: the records survive, everything else restarts at rest."""
        self._restart(now)

    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-friendly values, at the latest ``now`` seen."""
        now = self._last_now
        clock = self.clock_at(now)
        return {
            "model": self.model.name, "mac": self._mac.hex(":"), "serial_number": self._serial,
            "firmware": ".".join(map(str, self._firmware)),
            "firmware_crc32": f"{self._firmware_crc:08x}",
            "clock": clock.as_json() if clock else None, "uptime_seconds": self.uptime(now),
            "reload_required": self.records.reload_required,
            "reload_in_progress": self.records.in_session,
            "firmware_transfer": self._firmware_rx.receiving,
            "reboot_pending": self._reboot_pending, "events_queued": len(self._events),
            "records": self.records.counts(),
            "doors": [{**d.snapshot(now), **dict(zip(("contact_input", "rex_input", "lock_relay"),
                                                     self.wiring.points_of(d.index), strict=True))}
                      for d in self.doors],
            "relays": [r.snapshot(now) for r in self.relays],
            "inputs": [i.snapshot(now) for i in self.inputs],
            "outputs": [o.snapshot(now) for o in self.outputs],
        }

    # internals ----------------------------------------------------------------------------------

    def _touch(self, now: float) -> None:
        if self._boot_at is None:
            self._boot_at = now
        self._last_now = max(self._last_now, now)

    def _points(self) -> list[Any]:
        return [*self.doors, *self.relays, *self.inputs, *self.outputs]

    def _timed_parts(self) -> list[Any]:
        return [*self._points(), self.automation]  # the points' own timers fire first

    def _door(self, door: int, now: float) -> Door:
        if not 1 <= door <= len(self.doors):
            raise ModelInputError(f"door {door}: {self.model.name} has doors "
                                  f"1..{len(self.doors)}")
        self.advance(now)
        return self.doors[door - 1]

    def _operate(self, op: ManualOp, now: float, source: Source) -> tuple[ComponentResult, ...]:
        by_kind: dict[ComponentKind, list[Any]] = {
            ComponentKind.DOOR: self.doors, ComponentKind.RELAY: self.relays,
            ComponentKind.INPUT: self.inputs, ComponentKind.OUTPUT: self.outputs}
        return run_manual_operation(op, by_kind[op.kind], self.spec.max_timer,
                                    partial(programmed_time, self.records), now, source=source,
                                    blocked=self.automation.blocked)

    def _run_action(self, op: ManualOp, now: float) -> tuple[ComponentResult, ...]:
        return self._operate(op, now, Source.ACTION)

    def _apply_records(self) -> None:
        """Give each door its record (or the record's defaults), claim its inputs, and let each
        relay report as its record says."""
        for door in self.doors:
            door.record = self.records.door_record(door.index) or DoorRecord(
                door=door.index).clamped(self.spec.max_timer)
        self.wiring.claim_inputs()
        relays = self.records.of_type(RecordType.RELAY)
        for relay in self.relays:
            record = relays.get(relay.index)
            relay.reporting = record is None or RelayFlag.REPORT in record.flags

    def _install(self, image: AcceptedImage, now: float) -> None:
        self._firmware = image.version or bump_build(self._firmware)
        self._firmware_crc = image.crc32
        self.records.clear()
        self._restart(now)

    def _restart(self, now: float) -> None:
        for part in self._points():
            part.reset()
        self.wiring.forget_faults()
        self.records.abort_session()
        self._firmware_rx.reset()
        self._apply_records()
        self._boot_at = now
        self._last_now = max(self._last_now, now)
        self._reboot_pending = True
        major, minor, build = self._firmware
        self._emit(now, 0, EventType.POWER_UP, value=major << 16 | minor << 8 | build)
        self.automation.power_up(now)

    def _timestamp(self, at: float) -> KantechDateTime:
        return self.clock.stamp(at, self.uptime(at))

    def _emit(self, at: float, component: int, event_type: EventType,
              source: Source | None = None, minutes: int | None = None,
              value: int | None = None, schedule: int | None = None) -> None:
        self._queue(ControllerEvent(self._timestamp(at), component, event_type, source=source,
                                    minutes=minutes, value=value, schedule=schedule), at)

    def _queue(self, event: ControllerEvent, at: float) -> None:
        """Every event leaves through here: queued for the gateway, and seen by the outputs
        that follow events."""
        self._events.append(event)
        self.automation.observe(event, at)


def make_controller(model: DeviceModel, mac: bytes, serial_number: str, *,
                    firmware: tuple[int, int, int] = (1, 0, 0)) -> Controller:
    """A controller of ``model`` at rest, with no records and no clock (an IP-Link is not a
    controller: ConfigurationError)."""
    return Controller(spec_for(model), mac, serial_number, firmware)
