"""A device's end: it answers requests, heartbeats, and delivers events until the gateway ACKs.

Device-initiated messages carry event id 0 (WIRE.md), so an ACK cannot name which one it answers:
reliable messages go out one at a time (stop-and-wait) and an ACK or NAK with event id 0 settles
the one outstanding. They are never dropped: after ``max_attempts`` the device reports a delay and
keeps retrying with a growing interval, as a controller buffers events while its gateway is away.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from kantech_proto.codes import Command, NakReason
from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import (
    Address,
    DeliveryConfirmed,
    DeliveryDelayed,
    MessageReceived,
    RequestReceived,
    RequestRefused,
)
from kantech_proto.errors import DecodeError, UnknownCommandError
from kantech_proto.ip_frame import FrameHeader, IpFrame, IpFrameCodec
from kantech_proto.messages import Ack, Message, Nak
from kantech_proto.replay import ReplayPolicy

REPLY_CACHE_SIZE = 64
#: commands that are answers themselves: never answered, not even by a NAK (no ping-pong)
_ANSWERS = frozenset({int(Command.ACK), int(Command.NAK)})


def nak_reason_for(error: DecodeError) -> NakReason:
    """WIRE.md section 3: an unknown command is NAK 1, data that does not fit is NAK 2."""
    return NakReason.UNKNOWN_COMMAND if isinstance(error, UnknownCommandError) \
        else NakReason.BAD_DATA


@dataclass(slots=True)
class _Outstanding:
    message: Message
    attempts: int
    deadline: float
    interval: float


class DeviceEndpoint(EndpointCore):
    """Sans-IO device side (KT-400, KT-1, IP-Link) of the IP protocol."""

    bytes_per_command = False

    def __init__(self, codec: IpFrameCodec, site_id: int, mac: bytes, gateway: Address, *,
                 replay_policy: ReplayPolicy = ReplayPolicy.WINDOW, initial_sequence: int = 0,
                 retry_interval: float = 1.0, max_attempts: int = 3,
                 max_retry_interval: float = 30.0) -> None:
        super().__init__(codec, site_id, mac, replay_policy=replay_policy,
                         initial_sequence=initial_sequence, retry_interval=retry_interval,
                         max_attempts=max_attempts)
        self.gateway = gateway
        self.max_retry_interval = max_retry_interval
        self._queue: deque[Message] | None = None  # made when a second message waits
        self._outstanding: _Outstanding | None = None
        #: (sender, event id) -> (sequence of the request answered, the answer), oldest first
        self._replies: dict[tuple[bytes, int], tuple[int, Message]] | None = None

    @property
    def queued(self) -> int:
        """Reliable messages not yet acknowledged (including the one in flight)."""
        return (len(self._queue) if self._queue else 0) + (self._outstanding is not None)

    def send(self, message: Message, peer: Address | None = None) -> None:
        """Fire and forget (PULSE), to the gateway unless told otherwise."""
        self._transmit(self.gateway if peer is None else peer, 0, message)

    def send_reliable(self, message: Message, now: float) -> None:
        """Queue a message the gateway must ACK (EVENT, ANNOUNCE)."""
        if self._queue is None:
            self._queue = deque()
        self._queue.append(message)
        self._start_next(now)

    def reply(self, request: RequestReceived, message: Message) -> None:
        """Answer a request; the answer is remembered to re-send if the request is retried."""
        frame = request.frame
        self._answer(request.peer, frame.sender_id, frame.event_id, frame.sequence, message)

    def _answer(self, peer: Address, sender_id: bytes, event_id: int, sequence: int,
                message: Message) -> None:
        key = (sender_id, event_id)
        replies = self._replies
        if replies is None:
            replies = self._replies = {}
        replies.pop(key, None)  # re-inserted last: the newest
        replies[key] = (sequence, message)
        while len(replies) > REPLY_CACHE_SIZE:
            del replies[next(iter(replies))]
        self._transmit(peer, event_id, message)

    def _refuse(self, header: FrameHeader, error: DecodeError, peer: Address, now: float) -> None:
        """Answer an authentic frame it cannot use with NAK 1 or 2 (ACK and NAK get nothing)."""
        if header.command in _ANSWERS:
            self._events.append(RequestRefused(peer, header, error, None))
            return
        reason = nak_reason_for(error)
        self.stats[f"nak_sent.{reason.name}"] += 1
        self._answer(peer, header.sender_id, header.event_id, header.sequence, Nak(reason))
        self._events.append(RequestRefused(peer, header, error, reason))

    def resend_now(self, now: float) -> None:
        """The link to the gateway is back (a TCP reconnect): the message in flight goes again
        now, with the retry interval reset, instead of after a backed-off wait."""
        out = self._outstanding
        if out is not None:
            out.interval = self.retry_interval
            out.deadline = now
            self.handle_timer(now)

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
        cached = self._replies.get((frame.sender_id, frame.event_id)) if self._replies else None
        if cached is not None and cached[0] != frame.sequence:
            # a retry (same event id, new sequence): the answer again, not the action again. A
            # byte-identical copy (same sequence, only accepted under the ``none`` policy) is a
            # replay, and vulnerable firmware executes it again (CVE-2021-27662).
            self.stats["duplicate_requests"] += 1
            self._transmit(peer, frame.event_id, cached[1])
            return
        if cached is not None:
            self.stats["replays_executed"] += 1
        self._events.append(RequestReceived(peer, frame))
