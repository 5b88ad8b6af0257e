"""Which printer is where, without building a million printers up front.

Printer i answers at first-address + i and is of the model a smooth weighted round robin gives
slot i. Both are computed from i, and a printer's state is only made the first time anything asks
for it (its first datagram, the control API, a walk), from the fleet's start time, so it is the
same printer it would have been if built at start: a fleet of 1,000,000 starts in the time it
takes to reserve a list, and costs memory only for the printers in use.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from emulators.printers.model import PrinterModel
from emulators.printers.printer_state import PrinterState
from protolab.errors import ConfigurationError

_MAX_PERIOD = 1 << 20
_MAX_SCALE = 1000


def _round_robin(weights: list[float], count: int) -> bytes:
    """Model positions for ``count`` slots (smooth weighted round robin: equal weights give
    model 0, 1, 2, ... in turn), one octet each."""
    total = sum(weights)
    current = [0.0] * len(weights)
    chosen = bytearray(count)
    indices = range(len(weights))
    for slot in range(count):
        for k in indices:
            current[k] += weights[k]
        best = max(indices, key=current.__getitem__)
        current[best] -= total
        chosen[slot] = best
    return bytes(chosen)


def _period(weights: list[float]) -> int | None:
    """The length after which the round robin repeats: the sum of the weights scaled to small
    integers, if they scale to integers at all."""
    for scale in range(1, _MAX_SCALE + 1):
        scaled = [w * scale for w in weights]
        if all(abs(x - round(x)) < 1e-9 for x in scaled):
            period = round(sum(scaled))
            return period if 0 < period <= _MAX_PERIOD else None
    return None


class ModelPlan:
    """The model of every slot: one period of the round robin when the weights repeat (always,
    for the shipped profiles), else one octet per slot."""

    def __init__(self, models: Sequence[PrinterModel], count: int) -> None:
        if len(models) > 256:
            raise ConfigurationError(f"{len(models)} profiles in one fleet; expected at most 256")
        weights = [max(0.0, m.profile.fleet_weight) for m in models]
        if not any(weights):
            weights = [1.0] * len(models)
        self.models = list(models)
        period = _period(weights)
        self._cycle = _round_robin(weights, min(count, period) if period else count)
        self._period = len(self._cycle) or 1

    def __call__(self, slot: int) -> PrinterModel:
        return self.models[self._cycle[slot % self._period]]


def address_of(base: int, slot: int) -> str:
    return socket.inet_ntoa((base + slot).to_bytes(4, "big"))


def slot_of(address: str, base: int, count: int) -> int | None:
    """The slot an address belongs to by arithmetic, or None outside the fleet's range."""
    try:
        number = int.from_bytes(socket.inet_aton(address), "big")
    except OSError:
        return None
    slot = number - base
    return slot if 0 <= slot < count and address.count(".") == 3 else None


class PrinterSlots(Sequence[PrinterState]):
    """The fleet's printers as a sequence: indexing or iterating makes a printer that does not
    exist yet (through ``make``); ``made`` iterates only those that exist."""

    def __init__(self, count: int, make: Callable[[int], PrinterState]) -> None:
        self._states: list[PrinterState | None] = [None] * count
        self._make = make

    def __len__(self) -> int:
        return len(self._states)

    @overload
    def __getitem__(self, index: int) -> PrinterState: ...

    @overload
    def __getitem__(self, index: slice) -> list[PrinterState]: ...

    def __getitem__(self, index: int | slice) -> PrinterState | list[PrinterState]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._states)))]
        state = self._states[index]
        if state is None:
            state = self._make(index % len(self._states))
        return state

    def __iter__(self) -> Iterator[PrinterState]:
        for i in range(len(self._states)):
            yield self[i]

    def existing(self, index: int) -> PrinterState | None:
        return self._states[index]

    def put(self, index: int, state: PrinterState) -> None:
        self._states[index] = state

    def made(self) -> Iterator[PrinterState]:
        return (state for state in self._states if state is not None)
