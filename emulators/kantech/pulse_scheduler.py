"""Every device's heartbeat from one timer: a heap of due times on a fixed grid, so no drift.

A fleet of 10,000 devices pulsing every 10 s is 1,000 pulses a second; one timer of the fleet's
``Clock`` and a heap cost far less than a timer per device, and a grid (due + interval, not
now + interval) keeps a slow loop from pushing every later beat back.
"""

from __future__ import annotations

import heapq
from typing import Protocol

from protolab.clock import Clock, Timer
from protolab.logs import get_logger

log = get_logger("kantech.emulate")


class Pulsing(Protocol):
    """What the scheduler needs of a device (``DeviceRuntime`` fits)."""

    @property
    def closed(self) -> bool: ...

    @property
    def name(self) -> str: ...

    @property
    def pulse_interval(self) -> float: ...

    def pulse(self) -> None: ...


class PulseScheduler:
    """Calls each device's ``pulse`` every ``pulse_interval`` seconds of ``clock``."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        # (due, slot): a float and an int only, so the collector untracks every entry; entries
        # naming the device itself would live 10 s each and pile up in the oldest generation
        self._heap: list[tuple[float, int]] = []
        self._devices: list[Pulsing] = []
        self._handle: Timer | None = None
        self._handle_at: float | None = None
        self.beats = 0
        #: pulses sent per timer callback at most: a loop that fell behind catches up in
        #: slices, answering requests in between, instead of stalling on one long burst
        self.batch = 512

    def add(self, device: Pulsing, first: float) -> None:
        """Pulse ``device`` first at ``first`` (clock seconds), then on its grid."""
        self._devices.append(device)
        heapq.heappush(self._heap, (first, len(self._devices) - 1))
        self._arm()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        self._heap.clear()
        self._devices.clear()

    def _arm(self) -> None:
        when = self._heap[0][0] if self._heap else None
        if when == self._handle_at:
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle_at = when
        self._handle = self.clock.call_at(when, self._fire) if when is not None else None

    def _fire(self) -> None:
        self._handle = None
        self._handle_at = None
        now = self.clock.now()
        heap = self._heap
        budget = self.batch  # then let the loop read its sockets before the next batch
        while heap and heap[0][0] <= now and budget > 0:
            budget -= 1
            due, slot = heapq.heappop(heap)
            device = self._devices[slot]
            if device.closed:
                continue
            try:
                device.pulse()
            except Exception:  # one broken device must not stop every heartbeat
                log.exception("pulse failed", device=device.name)
            self.beats += 1
            interval = device.pulse_interval
            nxt = due + interval
            if nxt <= now:  # the loop was stalled: skip missed beats, stay on the grid
                nxt = due + interval * (int((now - due) / interval) + 1)
            heapq.heappush(heap, (nxt, slot))
        self._arm()
