"""The gateway's end: it asks, devices answer; it owns event ids and retries its requests.

Retries re-encode the request with a fresh sequence number and the same event id, so a device with
a strict or window replay policy still accepts them, and a device that already answered can
recognise the duplicate by its event id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import (
    Address,
    MessageReceived,
    ReplyReceived,
    RequestTimedOut,
)
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import Ack, Announce, Discover, Event, Message
from kantech_proto.replay import ReplayPolicy

AckPolicy = Callable[[IpFrame], bool]


def acknowledges_reliable_messages(frame: IpFrame) -> bool:
    """The default: a device-initiated (event id 0) EVENT or ANNOUNCE gets an ACK at once."""
    return frame.event_id == 0 and isinstance(frame.message, Event | Announce)


@dataclass(slots=True)
class _Pending:
    peer: Address
    message: Message
    attempts: int
    deadline: float


class GatewayEndpoint(EndpointCore):
    """Sans-IO gateway side of the IP protocol for one site (one key, one site id)."""

    def __init__(self, codec: IpFrameCodec, site_id: int, session_id: bytes, *,
                 replay_policy: ReplayPolicy = ReplayPolicy.WINDOW, initial_sequence: int = 0,
                 retry_interval: float = 1.0, max_attempts: int = 3,
                 auto_ack: bool = True, ack_policy: AckPolicy | None = None) -> None:
        """``ack_policy`` says which unsolicited frames are acknowledged on arrival (default:
        ``acknowledges_reliable_messages``); ``auto_ack=False`` acknowledges none."""
        super().__init__(codec, site_id, session_id, replay_policy=replay_policy,
                         initial_sequence=initial_sequence, retry_interval=retry_interval,
                         max_attempts=max_attempts)
        self.auto_ack = auto_ack
        self.ack_policy: AckPolicy = ack_policy or acknowledges_reliable_messages
        self._next_event_id = 1
        self._pending: dict[int, _Pending] = {}
        self._initial_sequence = initial_sequence & 0xFFFF
        self._sequences: dict[Any, int] = {}
        self._discover_sequence = self._initial_sequence
        #: the sender id of DISCOVERs: the session id with its last byte inverted
        self.discovery_id = session_id[:-1] + bytes((session_id[-1] ^ 0xFF,))
        self.other_sender_ids = frozenset({self.discovery_id})

    def _sender_and_sequence(self, peer: Address, message: Message) -> tuple[bytes, int]:
        """One counter per device host: a device's replay window (16-bit serial arithmetic)
        must see the gateway's sequence advance by one per frame it receives; with one counter
        for a fleet of 100,000 devices a device would see jumps of more than half the range,
        which read as old frames. A DISCOVER (it may reach every device) goes out under a
        sender id of its own with its own counter, so it never collides with a device's."""
        if isinstance(message, Discover):
            sequence = self._discover_sequence
            self._discover_sequence = (sequence + 1) & 0xFFFF
            return self.discovery_id, sequence
        host = peer[0] if isinstance(peer, tuple) else peer
        sequence = self._sequences.get(host, self._initial_sequence)
        self._sequences[host] = (sequence + 1) & 0xFFFF
        return self.sender_id, sequence

    def request(self, peer: Address, message: Message, now: float) -> int:
        """Send a request that expects a reply; returns its event id."""
        event_id = self._allocate_event_id()
        self._pending[event_id] = _Pending(peer, message, 1, now + self.retry_interval)
        self._transmit(peer, event_id, message)
        return event_id

    def send(self, peer: Address, message: Message, event_id: int = 0) -> None:
        """Send without waiting for an answer (an ACK, a broadcast DISCOVER)."""
        self._transmit(peer, event_id, message)

    def cancel(self, event_id: int) -> bool:
        return self._pending.pop(event_id, None) is not None

    @property
    def pending_requests(self) -> int:
        return len(self._pending)

    def next_timer(self) -> float | None:
        return min((p.deadline for p in self._pending.values()), default=None)

    def handle_timer(self, now: float) -> None:
        for event_id, pending in list(self._pending.items()):
            if pending.deadline > now:
                continue
            if pending.attempts >= self.max_attempts:
                del self._pending[event_id]
                self.stats["requests_timed_out"] += 1
                self._events.append(RequestTimedOut(event_id, pending.peer, pending.message,
                                                    pending.attempts))
                continue
            pending.attempts += 1
            pending.deadline = now + self.retry_interval
            self.stats["retransmissions"] += 1
            self._transmit(pending.peer, event_id, pending.message)

    def _allocate_event_id(self) -> int:
        while True:
            event_id = self._next_event_id
            self._next_event_id = event_id % 0xFFFFFFFF + 1  # 1..2^32-1: 0 means "device-initiated"
            if event_id not in self._pending:
                return event_id

    def _handle(self, frame: IpFrame, peer: Address, now: float) -> None:
        pending = self._pending.pop(frame.event_id, None) if frame.event_id else None
        if pending is not None:
            self._events.append(ReplyReceived(frame.event_id, peer, frame, pending.attempts))
            return
        if self.auto_ack and self.ack_policy(frame):
            self._transmit(peer, 0, Ack())
        self._events.append(MessageReceived(peer, frame))
