"""One read at a door's reader: from the card (or the PIN typed alone) to the event and the lock.

The order, first refusal wins: the card and its access level (``access_decision``, with the PIN
the reader mode asks for, ``reader_modes``), a wrong-PIN lockout, then the door's own state: its
interlock (``interlocks``: INTERLOCKED) and anti-passback (``antipassback``: PASSBACK, or granted
as GRANTED_PASSBACK on a soft door). A grant at an ordinary door releases the lock and may let a
FIRST_PERSON_IN schedule start. At a cab reader (DoorFlag.ELEVATOR, ``elevator``) a grant
selects floors instead: with a floor pressed, a valid or invalid floor selection event (6 bytes
with a 32-bit card, 10 with a BCD card) and that floor's button relay released; without one, the
access event and every allowed floor's button released, for the door's unlock time. Anti-passback
does not apply at cab readers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from emulators.kantech.access_decision import AccessDecision, Card, card_key, decide_access
from emulators.kantech.controller_automation import Automation
from emulators.kantech.door_state import Door
from emulators.kantech.elevator import (
    MAX_FLOOR,
    ElevatorRecords,
    allowed_floors,
    button_relays,
    floor_allowed,
    reported_digits,
)
from emulators.kantech.errors import ModelInputError
from emulators.kantech.interlocks import blocking_door
from emulators.kantech.points_state import Point
from emulators.kantech.reader_modes import PinLockout, card_for_pin, effective_mode
from emulators.kantech.record_store import RecordStore
from kantech_proto.codes import RecordType
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import GRANTED_RESULTS, AccessResult, EventType, Source
from kantech_proto.records_access import CardFlag
from kantech_proto.records_hardware import DoorFlag, ReaderMode

Queue = Callable[[ControllerEvent, float], None]


def check_card_number(card: int | str) -> None:
    """ModelInputError unless ``card`` is a 32-bit number or 1..20 BCD digits."""
    if isinstance(card, str):
        if not card.isdigit() or len(card) > 20:
            raise ModelInputError(f"card {card!r}: expected a BCD card number of 1..20 digits")
    elif not 0 <= card <= 0xFFFFFFFF:
        raise ModelInputError(f"card {card}: expected a 32-bit card number 0..{0xFFFFFFFF}")


class CardReader:
    """Reads at a controller's readers, decided from its records and its doors' state."""

    __slots__ = ("_automation", "_doors", "_queue", "_records", "_relays", "lockout")

    def __init__(self, records: RecordStore, doors: Sequence[Door], relays: Sequence[Point],
                 automation: Automation, queue: Queue) -> None:
        self._records, self._doors, self._relays = records, doors, relays
        self._automation, self._queue = automation, queue
        self.lockout = PinLockout()

    def read(self, door: Door, card: int | str | None, pin: str | None,
             clock: KantechDateTime | None, stamp: KantechDateTime, now: float, *,
             leaving: bool = False, floor: int | None = None) -> AccessResult | EventType:
        """A card (or, ``card`` None, a PIN typed alone) at ``door``'s entry reader, or its
        exit reader when ``leaving``; ``floor`` is the button pressed at a cab reader. Returns
        the access result, or a floor selection's event type."""
        record, in_force = door.record, self._automation.in_force(clock)
        if leaving and not record.exit_reader:
            raise ModelInputError(f"door {door.index} has no exit reader (exit_reader = 0)")
        if floor is not None and (DoorFlag.ELEVATOR not in record.flags
                                  or not 1 <= floor <= MAX_FLOOR):
            raise ModelInputError(f"floor {floor} at door {door.index}: expected a floor "
                                  f"1..{MAX_FLOOR} at an elevator door (DoorFlag.ELEVATOR)")
        mode = effective_mode(record, in_force)
        if card is None:
            if mode != ReaderMode.PIN_ONLY:
                raise ModelInputError(f"door {door.index} reads {mode.name}: a PIN alone is "
                                      "not an access request there")
            found = card_for_pin(self._records.access_records().cards, pin or "")
            if found is None:
                self._queue(ControllerEvent.access(stamp, door.index, 0,
                                                   AccessResult.WRONG_PIN), now)
                return AccessResult.WRONG_PIN
            card = card_key(found)
        check_card_number(card)
        decision = self._decide(door, card, pin, clock, mode, now)
        result, held = decision.result, decision.card
        if decision.granted and held is not None:
            result = self._door_state(door, held, leaving) or result
        if result in GRANTED_RESULTS and held is not None:
            if DoorFlag.ELEVATOR in record.flags:
                return self._select_floor(door, card, held, pin, floor, in_force, stamp, now,
                                          decision)
            self._queue(ControllerEvent.access(stamp, door.index, card, result), now)
            self._records.use_card(held)
            door.grant(now, decision.extended_unlock)
            self._automation.door_schedules.first_person(door.index, now)
            self._automation.passback.passed(record, held, leaving)
            return result
        self._queue(ControllerEvent.access(stamp, door.index, card, result), now)
        return result

    def _decide(self, door: Door, card: int | str, pin: str | None,
                clock: KantechDateTime | None, mode: ReaderMode, now: float) -> AccessDecision:
        """The card's own answer, with the wrong-PIN lockout applied."""
        controller = self._records.controller_record()
        decision = decide_access(card, door.index, self._records.access_records(), door.record,
                                 clock, pin, card_and_pin=mode != ReaderMode.CARD_ONLY,
                                 site_door=controller.site_door(door.index) if controller
                                 else door.index)
        held = decision.card
        if held is None:
            return decision
        asks_pin = mode != ReaderMode.CARD_ONLY or bool(int(held.flags) & CardFlag.PIN_REQUIRED)
        if asks_pin and decision.granted and self.lockout.locked(held, now):
            return AccessDecision(AccessResult.WRONG_PIN, held)
        if decision.result == AccessResult.WRONG_PIN:
            self.lockout.wrong_pin(held, now, self._records.global_system())
        elif decision.granted:
            self.lockout.granted(held)
        return decision

    def _door_state(self, door: Door, card: Card, leaving: bool) -> AccessResult | None:
        """What the door's interlock and anti-passback say about a granted card."""
        if blocking_door(door, self._doors) is not None:
            return AccessResult.INTERLOCKED
        if DoorFlag.ELEVATOR in door.record.flags:
            return None
        return self._automation.passback.check(door.record, card, leaving)

    def _select_floor(self, door: Door, card: int | str, held: Card, pin: str | None,
                      floor: int | None, in_force: Callable[[int], bool],
                      stamp: KantechDateTime, now: float, decision: AccessDecision
                      ) -> AccessResult | EventType:
        of = self._records.of_type
        elevator = ElevatorRecords(of(RecordType.FLOOR_GROUP), of(RecordType.FLOOR_GROUP_MASK),
                                   of(RecordType.FLOOR_DEFINITION),
                                   of(RecordType.FLOOR_ASSIGNATION).get(None))
        seconds = door.record.extended_unlock_time if decision.extended_unlock \
            else door.record.unlock_time
        outcome: AccessResult | EventType = decision.result
        if floor is None:
            self._queue(ControllerEvent.access(stamp, door.index, card, decision.result), now)
            floors = allowed_floors(held, elevator, in_force, pin)
        else:
            valid = floor_allowed(held, floor, elevator, in_force, pin)
            reported = reported_digits(card) if isinstance(card, str) else card
            event = ControllerEvent.floor_selection(stamp, door.index, reported, floor, valid)
            self._queue(event, now)
            outcome, floors = event.event_type, [floor] if valid else []
        if floors or floor is None:
            self._records.use_card(held)
        for relay in button_relays(elevator.assignation, floors):
            if 1 <= relay <= len(self._relays):
                point = self._relays[relay - 1]
                if not point.active or point.until is not None:
                    point.activate(now, Source.CARD, seconds)
        return outcome
