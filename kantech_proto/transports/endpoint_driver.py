"""Glue between a sans-IO endpoint and asyncio: a clock, one timer, futures for replies.

Transports (UDP, TCP) differ only in how bytes leave; they hand this driver a ``send`` function.
Time comes from the ``Clock`` the driver is given (the real one by default), so a test can run
an endpoint's retries and back-off on a ``ManualClock`` in milliseconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import (
    Address,
    EndpointEvent,
    FrameRejected,
    ReplayRejected,
    ReplyReceived,
    RequestTimedOut,
)
from kantech_proto.errors import ConfigurationError, KantechError
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.messages import Message
from protolab.clock import Clock, SystemClock, Timer
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

#: at most one "dropped" log line per endpoint per this many seconds; the rest are only counted
DROP_LOG_INTERVAL = 5.0


class RequestTimeoutError(KantechError):
    """A request got no reply after all its attempts."""


class EndpointDriver:
    """Runs one endpoint on the running loop; events not claimed by a future go to ``events``."""

    def __init__(self, endpoint: EndpointCore, send: Callable[[bytes, Address], None],
                 name: str = "kantech", clock: Clock | None = None) -> None:
        self.endpoint = endpoint
        self._send = send
        self.clock: Clock = clock or SystemClock()
        self._loop = asyncio.get_running_loop()
        self._timer: Timer | None = None
        self._timer_at: float | None = None
        self._waiters: dict[int, asyncio.Future[ReplyReceived]] = {}
        self.events: asyncio.Queue[EndpointEvent] = asyncio.Queue()
        self.log = get_logger("kantech.transport", endpoint=name)
        self.closed = False
        self._drop_log = LogThrottle(DROP_LOG_INTERVAL)

    def now(self) -> float:
        return self.clock.now()

    def feed(self, data: bytes, peer: Address) -> None:
        self.endpoint.receive_datagram(data, peer, self.now())
        self.pump()

    def pump(self) -> None:
        """Send what the endpoint queued, dispatch its events, re-arm its timer."""
        if self.closed:
            return
        for data, peer in self.endpoint.datagrams_to_send():
            try:
                self._send(data, peer)
            except OSError as exc:
                self.log.warning("send failed", peer=str(peer), error=str(exc))
        for event in self.endpoint.events():
            self._dispatch(event)
        self._arm_timer()

    async def request(self, peer: Address, message: Message) -> ReplyReceived:
        """Send a request and wait for its reply; raises RequestTimeoutError after all retries."""
        if not isinstance(self.endpoint, GatewayEndpoint):
            raise ConfigurationError(f"{type(self.endpoint).__name__} cannot send requests: "
                                     "expected a GatewayEndpoint")
        event_id = self.endpoint.request(peer, message, self.now())
        future: asyncio.Future[ReplyReceived] = self._loop.create_future()
        self._waiters[event_id] = future
        self.pump()
        try:
            return await future
        finally:
            self._waiters.pop(event_id, None)

    def close(self) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
        for future in self._waiters.values():
            if not future.done():
                future.cancel()

    def _dispatch(self, event: EndpointEvent) -> None:
        if isinstance(event, ReplyReceived | RequestTimedOut):
            future = self._waiters.get(event.event_id)
            if future is not None and not future.done():
                if isinstance(event, ReplyReceived):
                    future.set_result(event)
                else:
                    future.set_exception(RequestTimeoutError(
                        f"no reply from {event.peer} to {event.message.COMMAND.name} "
                        f"(event id {event.event_id}) after {event.attempts} attempts"))
                return
        if isinstance(event, FrameRejected | ReplayRejected):
            self._log_drop(event)
        self.events.put_nowait(event)

    def _log_drop(self, event: FrameRejected | ReplayRejected) -> None:
        """Garbage floods must not flood the log: one line per interval and reason, with a
        count, so a flood of one kind never hides the first line of another."""
        reason = event.reason if isinstance(event, FrameRejected) else "replay"
        suppressed = self._drop_log.allow(self.now(), reason)
        if suppressed is None:
            return
        if isinstance(event, FrameRejected):
            self.log.info("frame dropped", peer=str(event.peer), reason=event.reason,
                          detail=str(event.error), suppressed=suppressed)
        else:
            self.log.info("replayed frame dropped", peer=str(event.peer),
                          sender=event.sender_id.hex(), sequence=event.sequence,
                          suppressed=suppressed)

    def _arm_timer(self) -> None:
        when = self.endpoint.next_timer()
        if when == self._timer_at:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._timer_at = when
        if when is not None:
            self._timer = self.clock.call_at(when, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._timer_at = None
        self.endpoint.handle_timer(self.now())
        self.pump()
