"""What a door's reader asks for (card only, card and PIN, PIN only) and wrong-PIN lockout.

The mode is the door record's ``reader_mode`` (``ReaderMode``); a CARD_ONLY reader asks for card
and PIN while the door's ``pin_schedule`` is in force (and for PIN_REQUIRED cards, which
``access_decision`` checks). In PIN_ONLY mode a PIN typed alone stands for the card it belongs
to: the first card whose PIN it is, else the first DURESS card whose PIN + 1 it is (then granted
as duress); a PIN nobody has is denied WRONG_PIN with card number 0. A card presented with its
PIN also works in PIN_ONLY mode.

Lockout (GlobalSystem.pin_attempts / pin_lockout): after ``pin_attempts`` WRONG_PIN denials of
one card in a row, that card is refused WRONG_PIN for ``pin_lockout`` seconds wherever a PIN is
asked for, its right PIN included (a card-only read still passes); a grant resets its count.
Without a global system record there is no lockout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from emulators.kantech.access_decision import Card, card_key, duress_pin
from kantech_proto.records_access import CardFlag
from kantech_proto.records_hardware import DoorRecord, ReaderMode
from kantech_proto.records_system import GlobalSystem


def effective_mode(door: DoorRecord, in_force: Callable[[int], bool]) -> ReaderMode:
    """The mode the reader runs in now."""
    if door.reader_mode == ReaderMode.CARD_ONLY and door.pin_schedule and in_force(
            door.pin_schedule):
        return ReaderMode.CARD_AND_PIN
    return door.reader_mode


def card_for_pin(cards: Mapping[int | str, Card], pin: str) -> Card | None:
    """The card a PIN typed alone stands for (see the module docstring), None for nobody's."""
    if not pin:
        return None
    for card in cards.values():
        if card.pin == pin:
            return card
    for card in cards.values():
        if card.pin and int(card.flags) & CardFlag.DURESS and duress_pin(card.pin) == pin:
            return card
    return None


class PinLockout:
    """Wrong PINs in a row per card, and the cards locked out until when."""

    __slots__ = ("_until", "_wrong")

    def __init__(self) -> None:
        self._wrong: dict[int | str, int] = {}
        self._until: dict[int | str, float] = {}

    def locked(self, card: Card, now: float) -> bool:
        until = self._until.get(card_key(card))
        if until is not None and now >= until:
            del self._until[card_key(card)]
            return False
        return until is not None

    def wrong_pin(self, card: Card, now: float, system: GlobalSystem | None) -> None:
        key = card_key(card)
        self._wrong[key] = self._wrong.get(key, 0) + 1
        if system and system.pin_attempts and self._wrong[key] >= system.pin_attempts:
            self._until[key] = now + system.pin_lockout
            self._wrong.pop(key)

    def granted(self, card: Card) -> None:
        self._wrong.pop(card_key(card), None)

    def clear(self) -> None:
        self._wrong.clear()
        self._until.clear()
