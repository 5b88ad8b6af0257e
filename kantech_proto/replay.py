"""Replay policies on received sequence numbers, per sender, so a lab can play old or patched firmware.

``none`` accepts everything (like vulnerable firmware). ``strict`` accepts only a sequence ahead of
the last accepted one in 16-bit serial-number arithmetic (RFC 1982), so wrap-around is fine.
``window`` is RFC 4303's anti-replay window (64 entries): reordering inside the window is accepted
once per sequence. Callers ``check`` before and ``accept`` only after the frame decrypted and
validated, so forged frames cannot move the window.
"""

from __future__ import annotations

import enum

SEQ_MOD = 1 << 16
HALF = SEQ_MOD >> 1
WINDOW_SIZE = 64
#: why a sequence is refused: seen before, or never seen but too far behind to tell
REPLAYED = "replayed"
TOO_OLD = "too-old"
REFUSAL_TEXT = {REPLAYED: "replayed (this sequence was already accepted)",
                TOO_OLD: "older than the window (too far behind the newest accepted sequence)"}


class ReplayPolicy(enum.StrEnum):
    NONE = "none"
    STRICT = "strict"
    WINDOW = "window"


def seq_ahead(candidate: int, reference: int) -> int:
    """Signed distance from ``reference`` to ``candidate`` in 16-bit serial arithmetic."""
    diff = (candidate - reference) % SEQ_MOD
    return diff - SEQ_MOD if diff >= HALF else diff


class ReplayGuard:
    """The state of one receiver for one sender id."""

    __slots__ = ("_bitmap", "_highest", "policy")

    def __init__(self, policy: ReplayPolicy) -> None:
        self.policy = policy
        self._highest: int | None = None
        self._bitmap = 0  # bit i set: sequence (highest - i) was accepted

    def check(self, sequence: int) -> bool:
        """Would ``sequence`` be accepted now? Does not change state."""
        return self.refusal(sequence) is None

    def refusal(self, sequence: int) -> str | None:
        """Why ``sequence`` would be refused (``REPLAYED`` or ``TOO_OLD``), None when accepted.

        A sequence already accepted is a replay under both policies (the bitmap remembers the
        last 64 whatever the policy); one never seen but behind is too old: behind the window,
        or under ``strict`` behind the last accepted one."""
        if self.policy is ReplayPolicy.NONE or self._highest is None:
            return None
        ahead = seq_ahead(sequence, self._highest)
        if ahead > 0:
            return None
        behind = -ahead
        if behind < WINDOW_SIZE and (self._bitmap >> behind) & 1:
            return REPLAYED
        if self.policy is ReplayPolicy.STRICT or behind >= WINDOW_SIZE:
            return TOO_OLD
        return None

    def accept(self, sequence: int) -> None:
        """Record ``sequence`` as received (call only after ``check`` and full validation)."""
        if self._highest is None:
            self._highest, self._bitmap = sequence, 1
            return
        ahead = seq_ahead(sequence, self._highest)
        if ahead > 0:
            self._bitmap = ((self._bitmap << ahead) | 1) & ((1 << WINDOW_SIZE) - 1)
            self._highest = sequence
        elif -ahead < WINDOW_SIZE:
            self._bitmap |= 1 << -ahead

    @property
    def highest(self) -> int | None:
        return self._highest
