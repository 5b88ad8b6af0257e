"""Door interlocks (mantraps): a door stays locked while its interlocked door is open or released.

The rule is the door record's ``interlock_door``, one way: door A naming door B is held locked
while B is open or its lock released; a mantrap names each door on the other. What "held
locked" means for each way of releasing A: a card is denied INTERLOCKED, a manual or action
unlock answers NOT_ALLOWED, a REX does not release it (its window still masks the contact) and
an unlock schedule starting then leaves it locked until its next start. Locking is never
refused. A partner door the controller does not have never blocks.
"""

from __future__ import annotations

from collections.abc import Sequence

from emulators.kantech.door_state import Door


def blocking_door(door: Door, doors: Sequence[Door]) -> Door | None:
    """The interlocked door that keeps ``door`` locked now, or None."""
    partner = door.record.interlock_door
    if not partner or partner == door.index or not 1 <= partner <= len(doors):
        return None
    other = doors[partner - 1]
    return other if other.is_open or other.released else None
