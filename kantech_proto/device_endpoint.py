"""A device's end: it answers requests, heartbeats, and delivers events until the gateway ACKs.

Device-initiated messages carry event id 0 (WIRE.md), so an ACK cannot name which one it answers:
reliable messages go out one at a time (stop-and-wait) and an ACK or NAK with event id 0 settles
the one outstanding. They are never dropped: after ``max_attempts`` the device reports a delay and
keeps retrying with a growing interval, as a controller buffers events while its gateway is away.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass

from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import (
    Address,
    DeliveryConfirmed,
    DeliveryDelayed,
    MessageReceived,
    RequestReceived,
)
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import Ack, Message, Nak
from kantech_proto.replay import ReplayPolicy

REPLY_CACHE_SIZE = 64


@dataclass(slots=True)
class _Outstanding:
    message: Message
    attempts: int
    deadline: float
    interval: float


class DeviceEndpoint(EndpointCore):
    """Sans-IO device side (KT-400, KT-1, IP-Link) of the IP protocol."""

    def __init__(self, codec: IpFrameCodec, site_id: int, mac: bytes, gateway: Address, *,
                 replay_policy: ReplayPolicy = ReplayPolicy.WINDOW, initial_sequence: int = 0,
                 retry_interval: float = 1.0, max_attempts: int = 3,
                 max_retry_interval: float = 30.0) -> None:
        super().__init__(codec, site_id, mac, replay_policy=replay_policy,
                         initial_sequence=initial_sequence, retry_interval=retry_interval,
                         max_attempts=max_attempts)
        self.gateway = gateway
        self.max_retry_interval = max_retry_interval
        self._queue: deque[Message] = deque()
        self._outstanding: _Outstanding | None = None
        self._replies: OrderedDict[tuple[bytes, int], tuple[Address, Message]] = OrderedDict()

    @property
    def queued(self) -> int:
        """Reliable messages not yet acknowledged (including the one in flight)."""
        return len(self._queue) + (self._outstanding is not None)

    def send(self, message: Message, peer: Address | None = None) -> None:
        """Fire and forget (PULSE), to the gateway unless told otherwise."""
        self._transmit(self.gateway if peer is None else peer, 0, message)

    def send_reliable(self, message: Message, now: float) -> None:
        """Queue a message the gateway must ACK (EVENT, ANNOUNCE)."""
        self._queue.append(message)
        self._start_next(now)

    def reply(self, request: RequestReceived, message: Message) -> None:
        """Answer a request; the answer is remembered to re-send if the request is retried."""
        key = (request.frame.sender_id, request.frame.event_id)
        self._replies[key] = (request.peer, message)
        self._replies.move_to_end(key)
        while len(self._replies) > REPLY_CACHE_SIZE:
            self._replies.popitem(last=False)
        self._transmit(request.peer, request.frame.event_id, message)

    def next_timer(self) -> float | None:
        return self._outstanding.deadline if self._outstanding else None

    def handle_timer(self, now: float) -> None:
        out = self._outstanding
        if out is None or out.deadline > now:
            return
        if out.attempts == self.max_attempts:
            self._events.append(DeliveryDelayed(out.message, out.attempts))
        if out.attempts >= self.max_attempts:
            out.interval = min(out.interval * 2, self.max_retry_interval)
        out.attempts += 1
        out.deadline = now + out.interval
        self.stats["retransmissions"] += 1
        self._transmit(self.gateway, 0, out.message)

    def _start_next(self, now: float) -> None:
        if self._outstanding is not None or not self._queue:
            return
        message = self._queue.popleft()
        self._outstanding = _Outstanding(message, 1, now + self.retry_interval,
                                         self.retry_interval)
        self._transmit(self.gateway, 0, message)

    def _handle(self, frame: IpFrame, peer: Address, now: float) -> None:
        if frame.event_id == 0:
            out = self._outstanding
            if out is not None and isinstance(frame.message, Ack | Nak):
                self._outstanding = None
                self._events.append(DeliveryConfirmed(out.message, out.attempts,
                                                      isinstance(frame.message, Ack)))
                self._start_next(now)
                return
            self._events.append(MessageReceived(peer, frame))
            return
        cached = self._replies.get((frame.sender_id, frame.event_id))
        if cached is not None:
            self.stats["duplicate_requests"] += 1
            self._transmit(peer, frame.event_id, cached[1])
            return
        self._events.append(RequestReceived(peer, frame))
