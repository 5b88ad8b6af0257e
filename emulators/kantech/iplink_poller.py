"""Whom an IP-Link polls next and when: the paper's polling of its loop, without I/O or a clock.

A 4-byte POLL to each address in turn, a 1-byte presence back, paced to a byte rate per site
(``BytePacer``, paper table 10: 1000 bytes/s by default) because a real IP-Link's bandwidth does
not grow with the loop, only the time between two polls of one controller does. An answer that is
an EVENT frame goes to the gateway as a TUNNEL.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from kantech_proto.codes import Command
from kantech_proto.errors import ConfigurationError
from kantech_proto.loop_pacing import DEFAULT_RATE, BytePacer
from kantech_proto.messages import Tunnel
from kantech_proto.serial_frame import Presence, SerialFrame, SerialItem

DEFAULT_REPLY_TIMEOUT = 0.05


def wire_size(item: SerialItem) -> int:
    """Bytes an item took on the loop (a presence is one)."""
    return 1 if isinstance(item, Presence) else item.wire_size


@dataclass(slots=True)
class PollStats:
    polls: collections.Counter[int] = field(default_factory=collections.Counter)
    #: bytes polled per controller: POLLs sent plus what came back, tunneled exchanges included
    bytes_by_address: collections.Counter[int] = field(default_factory=collections.Counter)
    timeouts: collections.Counter[int] = field(default_factory=collections.Counter)
    events: collections.Counter[int] = field(default_factory=collections.Counter)
    stray_items: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    first_exchange: float | None = None
    last_exchange: float | None = None

    def measured_rate(self) -> float:
        """Bytes/s over the loop since the first exchange (what Table 10 measures)."""
        if self.first_exchange is None or self.last_exchange is None:
            return 0.0
        span = self.last_exchange - self.first_exchange
        return (self.bytes_sent + self.bytes_received) / span if span > 0 else 0.0


class IpLinkPoller:
    """Whom to poll next and when the next exchange may start; time comes in as values."""

    def __init__(self, loop_size: int, *, rate: float = DEFAULT_RATE,
                 reply_timeout: float = DEFAULT_REPLY_TIMEOUT, history: int = 1024) -> None:
        if not 1 <= loop_size <= 127:
            raise ConfigurationError(f"loop size {loop_size}: expected 1..127 controllers")
        self.pacer = BytePacer(rate)
        self.loop_size, self.rate, self.reply_timeout = loop_size, rate, reply_timeout
        self.stats = PollStats()
        self.order: collections.deque[int] = collections.deque(maxlen=history)
        self._next = 1

    def next_address(self) -> int:
        address = self._next
        self._next = address % self.loop_size + 1
        self.order.append(address)
        self.stats.polls[address] += 1
        return address

    def record(self, address: int, sent: int, received: int, started: float) -> float:
        """Account one exchange begun at ``started``; returns when the next one may begin."""
        stats = self.stats
        if stats.first_exchange is None:
            stats.first_exchange = started
        stats.bytes_sent += sent
        stats.bytes_received += received
        stats.bytes_by_address[address] += sent + received
        stats.last_exchange = self.pacer.after(started, sent + received)
        return stats.last_exchange

    def poll_reply(self, address: int, item: SerialItem | None) -> Tunnel | None:
        """What a poll's answer means for the gateway: an EVENT frame is forwarded as TUNNEL."""
        if item is None:
            self.stats.timeouts[address] += 1
            return None
        if isinstance(item, SerialFrame) and item.command == Command.EVENT:
            self.stats.events[address] += 1
            return Tunnel((item,))
        return None
