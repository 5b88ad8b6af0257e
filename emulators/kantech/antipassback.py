"""Anti-passback: a card may not enter twice without leaving, nor leave twice without entering.

Doors with DoorFlag.PASSBACK take part. A granted read at such a door's entry reader puts the
card inside, one at its exit reader (the door record names one) puts it outside; a card never
seen, or forgiven, may go either way. A read that would enter while inside, or leave while
outside, is a violation: refused PASSBACK on a hard door, granted as GRANTED_PASSBACK (the
violation logged, the card's side updated) on a PASSBACK_SOFT door. PASSBACK_EXEMPT cards are
never tracked. The zone is the controller: an emulated controller knows only its own doors
(GLOBAL_PASSBACK would need the gateway to share sides between controllers).

Forgiving (every card, or one): the daily reset (SystemOption.PASSBACK_RESET_DAILY at
``passback_reset``), a full reload, a reload of the card type (an operator's "forgive" in
EntraPass is a card modification, and a modification reaches a controller as a reload of its
record type: card records outside a reload are refused, ``record_store``), and the control
API's forgive hook.
"""

from __future__ import annotations

import enum

from emulators.kantech.access_decision import Card, card_key
from kantech_proto.codes import RecordType
from kantech_proto.event_types import AccessResult
from kantech_proto.messages import ReloadBegin, ReloadEnd, ReloadRecords
from kantech_proto.records_access import CardFlag
from kantech_proto.records_hardware import DoorFlag, DoorRecord


class Side(enum.Enum):
    INSIDE = "inside"
    OUTSIDE = "outside"


class PassbackZone:
    """Which side of the controller's passback doors each card was last granted to."""

    __slots__ = ("_sides",)

    def __init__(self) -> None:
        self._sides: dict[int | str, Side] = {}

    def check(self, door: DoorRecord, card: Card, leaving: bool) -> AccessResult | None:
        """None when the read is no violation, else the result it gets at this door."""
        if not _tracked(door, card):
            return None
        wanted = Side.OUTSIDE if leaving else Side.INSIDE
        if self._sides.get(card_key(card)) != wanted:
            return None
        soft = DoorFlag.PASSBACK_SOFT in door.flags
        return AccessResult.GRANTED_PASSBACK if soft else AccessResult.PASSBACK

    def passed(self, door: DoorRecord, card: Card, leaving: bool) -> None:
        """A granted read: the card is now on the far side."""
        if _tracked(door, card):
            self._sides[card_key(card)] = Side.OUTSIDE if leaving else Side.INSIDE

    def side_of(self, key: int | str) -> Side | None:
        return self._sides.get(key)

    def reloaded(self, message: ReloadBegin | ReloadRecords | ReloadEnd,
                 card_type: RecordType) -> None:
        """A reload step the controller took: the start of a full one, or of one of cards (every
        card is then sent again), forgives every card."""
        if isinstance(message, ReloadBegin) and message.scope in (0, card_type):
            self.forgive()

    def forgive(self, key: int | str | None = None) -> int:
        """Forget one card's side (``key``) or every card's; how many were forgotten."""
        if key is None:
            count = len(self._sides)
            self._sides.clear()
            return count
        return 1 if self._sides.pop(key, None) is not None else 0


def _tracked(door: DoorRecord, card: Card) -> bool:
    return DoorFlag.PASSBACK in door.flags and not int(card.flags) & CardFlag.PASSBACK_EXEMPT
