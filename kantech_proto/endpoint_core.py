"""What gateway and device endpoints share: decoding, replay guards, sequence numbers, the outbox.

Nothing here touches a socket or a clock: bytes and ``now`` come in, datagrams and events go out.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter

from kantech_proto.endpoint_events import (
    Address,
    EndpointEvent,
    FrameRejected,
    ReplayRejected,
    RequestRefused,
)
from kantech_proto.errors import ConfigurationError, DecodeError, EncodeError, SiteMismatchError
from kantech_proto.ip_frame import SENDER_ID_SIZE, FrameHeader, IpFrame, IpFrameCodec
from kantech_proto.messages import Message
from kantech_proto.replay import ReplayGuard, ReplayPolicy


def count_rejection(stats: Counter[str], error: DecodeError) -> None:
    """The counters every receiver keeps for a frame it refused: a total and one per reason."""
    stats["frames_rejected"] += 1
    stats[f"rejected.{error.reason}"] += 1


class EndpointCore(ABC):
    """Base of both ends. Subclasses implement ``_handle`` and the timer logic."""

    #: count bytes sent per command too (a gateway reports them; a fleet of devices saves the
    #: memory)
    bytes_per_command = True

    def __init__(self, codec: IpFrameCodec, site_id: int, sender_id: bytes, *,
                 replay_policy: ReplayPolicy = ReplayPolicy.WINDOW, initial_sequence: int = 0,
                 retry_interval: float = 1.0, max_attempts: int = 3) -> None:
        if len(sender_id) != SENDER_ID_SIZE:
            raise EncodeError(f"sender id must be {SENDER_ID_SIZE} bytes")
        if retry_interval <= 0 or max_attempts < 1:
            raise ConfigurationError(f"retry interval {retry_interval} s and {max_attempts} attempts: "
                                     "expected a positive interval and at least 1 attempt")
        self.codec = codec
        self.site_id = site_id
        self.sender_id = sender_id
        self.replay_policy = ReplayPolicy(replay_policy)
        self.retry_interval = retry_interval
        self.max_attempts = max_attempts
        self._sequence = initial_sequence & 0xFFFF
        self._guards: dict[bytes, ReplayGuard] = {}
        # plain lists: an owner drains both after every input, and a fleet holds 100,000
        # endpoints (an empty deque costs ten times an empty list)
        self._outbox: list[tuple[bytes, Address]] = []
        self._events: list[EndpointEvent] = []
        #: counters: frames/bytes in and out by command, rejections by reason, replays, retries
        self.stats: Counter[str] = Counter()

    # -- what the owner calls -------------------------------------------------------------
    def receive_datagram(self, data: bytes, peer: Address, now: float) -> None:
        """One whole frame from UDP (or from a stream decoder as bytes)."""
        self.stats["bytes_in"] += len(data)
        try:
            frame = self.codec.decode(data)
        except DecodeError as exc:
            self.receive_error(exc, peer, now)
            return
        self.receive_frame(frame, peer, now)

    def receive_frame(self, frame: IpFrame, peer: Address, now: float) -> None:
        """A frame already decoded (TCP stream decoder); applies site and replay checks."""
        if not self._admit(frame.site_id, frame.sender_id, frame.sequence, peer):
            return
        self.stats["frames_in"] += 1
        self.stats[f"in.{frame.command.name}"] += 1
        self._handle(frame, peer, now)

    def receive_error(self, error: DecodeError, peer: Address, now: float) -> None:
        """A frame that did not decode. One that is not authentic is rejected in silence
        (counted, reported as ``FrameRejected``: no oracle for whoever forged it); an authentic
        one (``error.header`` set) passes the site and replay checks like any frame and is then
        refused (``_refuse``): a device answers it with a NAK."""
        header = error.header
        if not isinstance(header, FrameHeader):
            self.reject(error, peer)
            return
        if not self._admit(header.site_id, header.sender_id, header.sequence, peer):
            return
        self.stats["requests_refused"] += 1
        self.stats[f"refused.{error.reason}"] += 1
        self._refuse(header, error, peer, now)

    def _admit(self, site_id: int, sender_id: bytes, sequence: int, peer: Address) -> bool:
        """The site check, then the sender's replay guard (created on its first frame: a new
        gateway session id starts a new window); True when the frame may be used."""
        if site_id != self.site_id:
            self.reject(SiteMismatchError(
                f"frame for site {site_id}, this end belongs to site {self.site_id}"), peer)
            return False
        if sender_id == self.sender_id or sender_id in self.other_sender_ids:
            return False  # our own broadcast looping back
        guard = self._guards.get(sender_id)
        if guard is None:
            guard = self._guards[sender_id] = ReplayGuard(self.replay_policy)
        why = guard.refusal(sequence)
        if why is not None:
            self.stats["replays_rejected"] += 1
            self.stats[f"replays_rejected.{why}"] += 1
            self._events.append(ReplayRejected(peer, sender_id, sequence, why))
            return False
        guard.accept(sequence)
        return True

    def _refuse(self, header: FrameHeader, error: DecodeError, peer: Address, now: float) -> None:
        """An authentic frame that cannot be used; the gateway only reports it."""
        self._events.append(RequestRefused(peer, header, error, None))

    def reject(self, error: DecodeError, peer: Address) -> None:
        """Count and report a frame that failed to decode (stream decoders call this too)."""
        count_rejection(self.stats, error)
        self._events.append(FrameRejected(peer, error))

    def datagrams_to_send(self) -> list[tuple[bytes, Address]]:
        out = self._outbox[:]  # a copy: the endpoint's own list lives as long as it does
        self._outbox.clear()
        return out

    def next_event(self) -> EndpointEvent | None:
        return self._events.pop(0) if self._events else None

    def events(self) -> list[EndpointEvent]:
        out = self._events[:]
        self._events.clear()
        return out

    @abstractmethod
    def next_timer(self) -> float | None:
        """When ``handle_timer`` must next be called, or None when nothing is waiting."""

    @abstractmethod
    def handle_timer(self, now: float) -> None:
        """Retries and time-outs due at ``now``."""

    # -- for subclasses -------------------------------------------------------------------
    @abstractmethod
    def _handle(self, frame: IpFrame, peer: Address, now: float) -> None:
        """A frame that passed the site and replay checks."""

    def _transmit(self, peer: Address, event_id: int, message: Message) -> bytes:
        """Encode with the next sequence number; a retransmission is a new frame, same event id.
        Returns the frame queued for ``peer``."""
        sender, sequence = self._sender_and_sequence(peer, message)
        data = self.codec.encode(IpFrame(self.site_id, sender, sequence, event_id, message))
        self.stats["frames_out"] += 1
        self.stats["bytes_out"] += len(data)
        self.stats[f"out.{message.COMMAND.name}"] += 1
        if self.bytes_per_command:
            self.stats[f"bytes_out.{message.COMMAND.name}"] += len(data)
        self._outbox.append((data, peer))
        return data

    #: sender ids this end also sends with (frames from them looping back are ignored)
    other_sender_ids: frozenset[bytes] = frozenset()

    def _sender_and_sequence(self, peer: Address, message: Message) -> tuple[bytes, int]:
        """The sender id and sequence number of the next frame (one counter for every peer)."""
        sequence = self._sequence
        self._sequence = (sequence + 1) & 0xFFFF
        return self.sender_id, sequence

    @property
    def sequence(self) -> int:
        """The sequence number the next frame will carry."""
        return self._sequence
