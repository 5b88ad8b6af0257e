"""A controller's buffer of events the gateway has not acknowledged yet, bounded (sans-IO).

A controller keeps its events until the gateway ACKs them (stop-and-wait: one in flight at a
time), also while the gateway is away. Up to ``bound`` events nothing is ever lost; past it the
oldest event not already in flight is dropped, and a BUFFER_OVERFLOW system event whose value is
how many were dropped goes out before the events that remain. What waits here is what PULSE bit
0, the status's ``events_queued`` and its EVENTS_PENDING flag report.
"""

from __future__ import annotations

import dataclasses
from collections import deque

from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ControllerStatus, SystemFlag
from kantech_proto.errors import ConfigurationError
from kantech_proto.event_types import EventType

DEFAULT_BOUND = 5000
_MAX_VALUE = 0xFFFFFF  # a system report's value is 24 bits


class EventBuffer:
    """``push`` what a model produced, ``next_to_send`` / ``delivered`` as the gateway ACKs."""

    __slots__ = ("_events", "_notice", "bound", "dropped_total", "in_flight", "lost")

    def __init__(self, bound: int = DEFAULT_BOUND) -> None:
        if bound < 1:
            raise ConfigurationError(f"event buffer of {bound}: expected at least 1 event")
        self.bound = bound
        self._events: deque[ControllerEvent] | None = None  # made on the first event
        self._notice: ControllerEvent | None = None  # the BUFFER_OVERFLOW in flight
        self.in_flight: ControllerEvent | None = None
        self.lost = 0  # dropped since the last BUFFER_OVERFLOW went out
        self.dropped_total = 0

    def __len__(self) -> int:
        """Events not acknowledged yet, the one in flight and a pending overflow notice too."""
        waiting = len(self._events) if self._events else 0
        return waiting + (1 if self.lost or self._notice is not None else 0)

    def push(self, event: ControllerEvent) -> None:
        events = self._events
        if events is None:
            events = self._events = deque()
        if len(events) >= self.bound:
            victim = 1 if self.in_flight is not None and events[0] is self.in_flight else 0
            del events[victim]
            self.lost += 1
            self.dropped_total += 1
        events.append(event)

    def next_to_send(self) -> ControllerEvent | None:
        """The event to hand to the endpoint now, None while one is in flight or none waits.
        A pending overflow notice goes first: it speaks of events older than those left."""
        if self.in_flight is not None:
            return None
        if self.lost:
            first = self._events[0] if self._events else None
            stamp = first.timestamp if first is not None else None
            if stamp is not None:
                self._notice = ControllerEvent.system(stamp, EventType.BUFFER_OVERFLOW,
                                                      min(self.lost, _MAX_VALUE))
                self.lost = 0
                self.in_flight = self._notice
                return self._notice
        if self._events:
            self.in_flight = self._events[0]
            return self.in_flight
        return None

    def delivered(self) -> None:
        """The gateway acknowledged (ACK or NAK) the event in flight."""
        sent, self.in_flight = self.in_flight, None
        if sent is None:
            return
        if sent is self._notice:
            self._notice = None
        elif self._events and self._events[0] is sent:
            self._events.popleft()

    def requeue(self) -> None:
        """The event in flight was not delivered (the endpoint was reset): send it again."""
        if self.in_flight is self._notice and self._notice is not None:
            self.lost += self._notice.value or 0
            self._notice = None
        self.in_flight = None


def with_backlog(status: ControllerStatus, waiting: int) -> ControllerStatus:
    """``status`` saying ``waiting`` events are queued (and EVENTS_PENDING when any)."""
    flags = status.system_flags | SystemFlag.EVENTS_PENDING if waiting else \
        status.system_flags & ~SystemFlag.EVENTS_PENDING
    return dataclasses.replace(status, events_queued=min(waiting, 0xFFFF),
                               system_flags=SystemFlag(flags))
