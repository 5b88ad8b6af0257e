"""The reload records a controller holds, and the RELOAD_BEGIN / RECORDS / END exchange.

Records are kept per type, keyed by what other records refer to them by (card number, schedule
id, level id, door, ...): a record sent again replaces the earlier one, as a gateway's
modification does. Types with one record per controller (global system, controller, holidays,
floor assignation, date/time, module lists) keep the last one received.

Session rules (WIRE.md section 3 says only "u32 number of records sent since RELOAD_BEGIN; the
device NAKs (2) on a mismatch"; the rest is protolab's choice):
- RELOAD_BEGIN scope 0 clears everything, scope N clears type N; a type the model does not take
  answers NAK(BAD_DATA).
- RELOAD_RECORDS of a type the model does not take, or of another type than a scope-N session's,
  answer NAK(BAD_DATA) and store nothing of that packet.
- RELOAD_RECORDS and RELOAD_END outside a session answer NAK(NOT_ALLOWED) and change nothing
  (a modification is a scope-N reload of its type).
- A RELOAD_END count mismatch answers NAK(BAD_DATA) and leaves the controller flagged
  RELOAD_REQUIRED. A successful full (scope 0) reload clears that flag; a fresh controller, and
  one whose firmware changed, starts with it set.

Every refusal is a ``Nak`` whose ``detail`` names what was wrong and what was expected, for the
device's log (the wire carries the reason byte only).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from emulators.kantech.access_decision import AccessRecords, Card, card_key
from emulators.kantech.model_specs import ModelSpec
from kantech_proto.codes import NakReason, RecordType
from kantech_proto.messages import Nak
from kantech_proto.reload_records import (
    AccessLevel,
    ControllerRecord,
    DoorRecord,
    GlobalSystem,
    Holidays,
    Record,
    ScheduleKt100,
    ScheduleKt400,
)

_KEY_FIELDS: dict[RecordType, str] = {
    RecordType.READER_DRIVER: "driver_id", RecordType.FLOOR_DEFINITION: "floor",
    RecordType.DOOR: "door", RecordType.RELAY: "relay", RecordType.INPUT: "input",
    RecordType.OUTPUT: "output", RecordType.SCHEDULE_KT400: "schedule_id",
    RecordType.SCHEDULE_KT100: "schedule_id", RecordType.ACCESS_LEVEL: "level_id",
    RecordType.FLOOR_GROUP: "group_id", RecordType.FLOOR_GROUP_MASK: "group_id",
    RecordType.RELAY_GROUP: "group_id", RecordType.INPUT_GROUP: "group_id",
    RecordType.ACTION_SCHEDULER: "action_id",
}
_CARD_TYPES = (RecordType.CARD_KT400, RecordType.CARD_KT100)


def record_key(record_type: RecordType, record: Record) -> Hashable:
    """What a record is found by; None for the types a controller holds one of."""
    if record_type in _CARD_TYPES:
        return card_key(record)  # type: ignore[arg-type]
    name = _KEY_FIELDS.get(record_type)
    return getattr(record, name) if name else None


@dataclass(slots=True)
class _Session:
    scope: int
    received: int = 0


class RecordStore:
    """Every reload record one controller received, and the reload in progress."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self._records: dict[RecordType, dict[Hashable, Record]] = {}
        self._session: _Session | None = None
        self.reload_required = True

    # the exchange -------------------------------------------------------------------------------

    def _types_taken(self) -> str:
        return ", ".join(f"{int(t)} {t.name}" for t in sorted(self.spec.record_types))

    def begin(self, scope: int) -> Nak | None:
        if scope and scope not in self.spec.record_types:
            return Nak(NakReason.BAD_DATA, f"RELOAD_BEGIN scope {scope}: a {self.spec.model.name} "
                       f"does not take that record type; expected 0 (all) or one of "
                       f"{self._types_taken()}")
        if scope:
            self._records.pop(RecordType(scope), None)
        else:
            self._records.clear()
            self.reload_required = True
        self._session = _Session(scope)
        return None

    def add(self, record_type: int, records: Sequence[Record]) -> Nak | None:
        if self._session is None:
            return Nak(NakReason.NOT_ALLOWED, "RELOAD_RECORDS outside a reload: expected "
                       "RELOAD_BEGIN first")
        if record_type not in self.spec.record_types:
            return Nak(NakReason.BAD_DATA, f"RELOAD_RECORDS record_type {record_type}: a "
                       f"{self.spec.model.name} does not take it; expected one of "
                       f"{self._types_taken()}")
        kind = RecordType(record_type)
        if self._session.scope not in (0, kind):
            return Nak(NakReason.BAD_DATA, f"RELOAD_RECORDS record_type {record_type} in a "
                       f"reload of scope {self._session.scope}: expected only that type")
        self._session.received += len(records)
        if kind == RecordType.DOOR:
            records = [r.clamped(self.spec.max_timer) for r in records]  # type: ignore[union-attr]
        held = self._records.setdefault(kind, {})
        for record in records:
            held[record_key(kind, record)] = record
        return None

    def end(self, record_count: int) -> Nak | None:
        session, self._session = self._session, None
        if session is None:
            return Nak(NakReason.NOT_ALLOWED, "RELOAD_END outside a reload: expected "
                       "RELOAD_BEGIN first")
        if session.received != record_count:
            self.reload_required = True
            return Nak(NakReason.BAD_DATA, f"RELOAD_END record_count {record_count}: expected "
                       f"{session.received}, the records received since RELOAD_BEGIN")
        if session.scope == 0:
            self.reload_required = False
        return None

    @property
    def in_session(self) -> bool:
        return self._session is not None

    def abort_session(self) -> None:
        """A reload cut short by a restart: the gateway has to start it again."""
        if self._session is not None:
            self._session = None
            self.reload_required = True

    def clear(self) -> None:
        """Forget everything (a new firmware): the controller must be reloaded."""
        self._records.clear()
        self._session = None
        self.reload_required = True

    # what the controller reads ------------------------------------------------------------------

    def of_type(self, record_type: RecordType) -> dict[Any, Any]:
        return self._records.get(record_type, {})

    def count(self, record_type: RecordType) -> int:
        return len(self._records.get(record_type, {}))

    @property
    def total(self) -> int:
        return sum(map(len, self._records.values()))

    def access_records(self) -> AccessRecords:
        """A view (not a copy: a card read must not cost a pass over every card)."""
        cards: Mapping[int | str, Card] = self.of_type(self.spec.card_type)
        levels: Mapping[int, AccessLevel] = self.of_type(RecordType.ACCESS_LEVEL)
        schedules: Mapping[int, ScheduleKt400 | ScheduleKt100] = self.of_type(
            self.spec.schedule_type)
        holidays: Holidays | None = self.of_type(RecordType.HOLIDAYS).get(None)
        return AccessRecords(cards, levels, schedules, holidays)

    def door_record(self, door: int) -> DoorRecord | None:
        record: DoorRecord | None = self.of_type(RecordType.DOOR).get(door)
        return record

    def controller_record(self) -> ControllerRecord | None:
        record: ControllerRecord | None = self.of_type(RecordType.CONTROLLER).get(None)
        return record

    def global_system(self) -> GlobalSystem | None:
        record: GlobalSystem | None = self.of_type(RecordType.GLOBAL_SYSTEM).get(None)
        return record

    def use_card(self, card: Card) -> None:
        """One use of a card with limited uses."""
        if card.uses_left:
            held = self._records[self.spec.card_type]
            held[card_key(card)] = dataclasses.replace(card, uses_left=card.uses_left - 1)

    def counts(self) -> dict[str, int]:
        return {kind.name: len(held) for kind, held in sorted(self._records.items()) if held}
