"""The store-and-forward book: which outbox rows to send now, and when a row is done (sans-IO).

A row is done only when the portal's receipt says it is stored. The XMPP server's XEP-0198 ack
is necessary but not enough: it means the server took the stanza, not that it reached the
portal (it may still bounce with ``<message type="error">``, or die with the stanza in its
buffers). So a row goes QUEUED -> SENT (in a batch stanza) -> done by receipt, and back to
QUEUED when:

- a new stream starts (the server restarted: slixmpp's own queue is gone), every row not done;
- the batch bounced (after ``retry_delay``);
- the portal came back (it may have missed what was sent while it went away);
- no receipt came within ``receipt_timeout`` while the portal was there.

Sending happens only while a stream is up and the portal is available (its presence). The
portal de-duplicates by message id, so a resend can never store a message twice. The book holds
at most ``window`` rows; time comes in as ``now``, ids for batches from ``new_id``.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ekm_proto.shipping.outbox import OutboxRow


class RowState(enum.Enum):
    QUEUED = "queued"
    SENT = "sent"


@dataclass(slots=True)
class _Held:
    row: OutboxRow
    state: RowState = RowState.QUEUED
    not_before: float = 0.0
    sent_at: float = 0.0
    batch: str | None = None


@dataclass(frozen=True, slots=True)
class OutgoingBatch:
    batch_id: str
    rows: tuple[OutboxRow, ...]


@dataclass(frozen=True, slots=True)
class Settled:
    """What a receipt settled: rows the portal stored, and rows it refused (id -> reason)."""

    stored: tuple[str, ...] = ()
    refused: Mapping[str, str] = field(default_factory=dict)


class DeliveryBook:
    """Rows in flight between the outbox and the portal's receipts."""

    def __init__(self, new_id: Callable[[], str], *, batch_size: int = 50, window: int = 5000,
                 receipt_timeout: float = 60.0, retry_delay: float = 2.0) -> None:
        self.new_id = new_id
        self.batch_size, self.window = batch_size, window
        self.receipt_timeout, self.retry_delay = receipt_timeout, retry_delay
        self.cursor = 0
        self.streaming = False
        self.portal_available = False
        self._held: dict[str, _Held] = {}
        self._queue: deque[str] = deque()
        self._batches: dict[str, list[str]] = {}
        self._acked_batches: set[str] = set()
        self.resends = 0
        self.bounces = 0

    # -- rows in ------------------------------------------------------------------------------
    @property
    def room(self) -> int:
        """How many more rows the book takes (fetch ``pending(room, after=cursor)``)."""
        return max(0, self.window - len(self._held))

    def add_rows(self, rows: Iterable[OutboxRow]) -> None:
        for row in rows:
            self.cursor = max(self.cursor, row.seq)
            if row.message_id not in self._held:
                self._held[row.message_id] = _Held(row)
                self._queue.append(row.message_id)

    def drop(self, message_id: str) -> None:
        """Forget a row settled outside the book (refused before sending)."""
        self._held.pop(message_id, None)

    @property
    def held(self) -> int:
        return len(self._held)

    def counts(self) -> dict[str, int]:
        queued = sum(1 for h in self._held.values() if h.state is RowState.QUEUED)
        return {"held": len(self._held), "queued": queued, "sent": len(self._held) - queued}

    # -- what the connection tells ------------------------------------------------------------
    def stream_started(self) -> None:
        """A new stream (not a resumption): nothing sent before is known to have arrived."""
        self.streaming = True
        self._requeue(lambda h: h.state is RowState.SENT, 0.0)

    def stream_resumed(self) -> None:
        self.streaming = True

    def stream_lost(self) -> None:
        self.streaming = False

    def portal_presence(self, available: bool) -> None:
        """Only a return (unavailable -> available) resends what the portal may have missed."""
        if available and not self.portal_available:
            self._requeue(lambda h: h.state is RowState.SENT, 0.0)
        self.portal_available = available

    def server_acked(self, batch_id: str) -> bool:
        """The server took this stanza (XEP-0198); True when it was one of ours."""
        if batch_id in self._batches:
            self._acked_batches.add(batch_id)
            return True
        return False

    def bounced(self, batch_id: str, now: float) -> int:
        """The stanza came back as an error: its rows go again after ``retry_delay``."""
        ids = set(self._batches.get(batch_id, ()))
        self.bounces += bool(ids)
        return self._requeue(lambda h: h.state is RowState.SENT and h.batch == batch_id
                             and h.row.message_id in ids, now + self.retry_delay)

    def receipt(self, batch_id: str, rejected: Mapping[str, str], refused: str | None
                ) -> Settled:
        """The portal's answer to ``batch_id``: what it settles (rows no longer held)."""
        ids = self._batches.pop(batch_id, None)
        self._acked_batches.discard(batch_id)
        if ids is None:
            return Settled()
        stored: list[str] = []
        refusals: dict[str, str] = {}
        for ident in ids:
            if self._held.pop(ident, None) is None:
                continue  # settled by an earlier receipt of another copy
            if refused is not None:
                refusals[ident] = refused
            elif ident in rejected:
                refusals[ident] = rejected[ident]
            else:
                stored.append(ident)
        return Settled(tuple(stored), refusals)

    # -- rows out -----------------------------------------------------------------------------
    def expire(self, now: float) -> int:
        """Requeue rows whose receipt is overdue (counted only while the portal is there)."""
        if not (self.streaming and self.portal_available):
            return 0
        limit = now - self.receipt_timeout
        if len(self._batches) > 2 * self.window // self.batch_size + 100:
            self._batches = {b: ids for b, ids in self._batches.items()
                             if any(i in self._held for i in ids)}
            self._acked_batches &= set(self._batches)
        return self._requeue(lambda h: h.state is RowState.SENT and h.sent_at <= limit, 0.0)

    def next_batches(self, now: float, limit: int = 20) -> list[OutgoingBatch]:
        """Batches to send now (none unless streaming and the portal is available)."""
        if not (self.streaming and self.portal_available):
            return []
        batches: list[OutgoingBatch] = []
        current: list[OutboxRow] = []
        deferred: list[str] = []
        while self._queue and len(batches) < limit:
            ident = self._queue.popleft()
            held = self._held.get(ident)
            if held is None or held.state is not RowState.QUEUED:
                continue
            if held.not_before > now:
                deferred.append(ident)
                continue
            current.append(held.row)
            if len(current) == self.batch_size:
                batches.append(self._send(current, now))
                current = []
        if current:
            batches.append(self._send(current, now))
        self._queue.extendleft(reversed(deferred))
        return batches

    def next_deadline(self) -> float | None:
        """When the book next wants attention (a retry comes due, a receipt is overdue)."""
        times = [h.not_before for h in self._held.values()
                 if h.state is RowState.QUEUED and h.not_before > 0]
        times += [h.sent_at + self.receipt_timeout for h in self._held.values()
                  if h.state is RowState.SENT]
        return min(times) if times else None

    def _send(self, rows: list[OutboxRow], now: float) -> OutgoingBatch:
        batch_id = self.new_id()
        for row in rows:
            held = self._held[row.message_id]
            held.state, held.sent_at, held.batch = RowState.SENT, now, batch_id
        self._batches[batch_id] = [row.message_id for row in rows]
        return OutgoingBatch(batch_id, tuple(rows))

    def _requeue(self, which: Callable[[_Held], bool], not_before: float) -> int:
        moved = [h for h in self._held.values() if which(h)]
        moved.sort(key=lambda h: h.row.seq)
        for held in moved:
            held.state, held.not_before = RowState.QUEUED, not_before
            self._queue.append(held.row.message_id)
        self.resends += len(moved)
        return len(moved)
