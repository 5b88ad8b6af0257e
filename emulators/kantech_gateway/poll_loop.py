"""Polling the serial loop behind an IP-Link through TUNNEL, paced to a byte rate.

The paper (tables 10, 11): the gateway polls each controller in turn with a 4-byte query, an idle
controller answers with 1 presence byte, and the loop's bandwidth is a fixed rate per site (1000
bytes/s by default), so adding controllers lengthens the round instead of raising the rate. The
pacer therefore spends a time budget of (bytes exchanged / rate) after each exchange.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulators.kantech_gateway.gateway import GatewayError, SimulatedGateway
from emulators.kantech_gateway.traffic import IN, OUT, peer_text
from kantech_proto.codes import Command
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.errors import DecodeError
from kantech_proto.messages import Event, decode_message
from kantech_proto.serial_frame import Presence, SerialFrame

DEFAULT_RATE = 1000.0  # bytes/s per site, paper table 10 (corporate gateway default)
#: how far behind schedule the pacer may fall before it forgets the debt, so a stalled loop does
#: not turn into a burst above the configured rate
MAX_CATCH_UP = 0.05
POLL_BYTES = 4


@dataclass(slots=True)
class PollSummary:
    """What one poll-loop run cost and found."""

    device: str
    rate: float
    polls: Counter[int] = field(default_factory=Counter)
    presences: Counter[int] = field(default_factory=Counter)
    events: Counter[int] = field(default_factory=Counter)
    silent: Counter[int] = field(default_factory=Counter)
    serial_bytes_out: int = 0
    serial_bytes_in: int = 0
    ip_bytes_out: int = 0
    ip_bytes_in: int = 0
    seconds: float = 0.0

    @property
    def measured_rate(self) -> float:
        """Serial bytes per second over the run (what table 10 measures)."""
        total = self.serial_bytes_out + self.serial_bytes_in
        return total / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        def per(counter: Counter[int]) -> dict[str, int]:
            return {str(a): n for a, n in sorted(counter.items())}
        return {"device": self.device, "rate": self.rate, "polls": per(self.polls),
                "presences": per(self.presences), "events": per(self.events),
                "silent": per(self.silent), "serial_bytes_out": self.serial_bytes_out,
                "serial_bytes_in": self.serial_bytes_in, "ip_bytes_out": self.ip_bytes_out,
                "ip_bytes_in": self.ip_bytes_in, "seconds": round(self.seconds, 3),
                "measured_rate": round(self.measured_rate, 1)}


class BytePacer:
    """When the next exchange may start, given the bytes the previous ones moved."""

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("the poll rate must be positive")
        self.rate = rate
        self._slot: float | None = None

    def after(self, started: float, octets: int) -> float:
        slot = started if self._slot is None else max(self._slot, started - MAX_CATCH_UP)
        self._slot = slot + octets / self.rate
        return self._slot


async def poll_loop(gw: SimulatedGateway, device: str | tuple[str, int], loop_size: int, *,
                    rate: float = DEFAULT_RATE, duration: float | None = None,
                    rounds: int | None = None,
                    on_event: Callable[[str, ControllerEvent], None] | None = None
                    ) -> PollSummary:
    """Poll addresses 1..loop_size in turn until ``duration`` seconds or ``rounds`` rounds."""
    if not 1 <= loop_size <= 127:
        raise ValueError(f"loop size {loop_size} is outside 1..127")
    peer = gw.resolve(device)
    name = peer_text(peer)
    summary = PollSummary(name, rate)
    pacer = BytePacer(rate)
    loop = asyncio.get_running_loop()
    start = loop.time()
    before = gw.traffic.snapshot()
    done_rounds = 0
    while (rounds is None or done_rounds < rounds) and (
            duration is None or loop.time() - start < duration):
        for address in range(1, loop_size + 1):
            started = loop.time()
            items = await _exchange(gw, peer, address)
            summary.polls[address] += 1
            summary.serial_bytes_out += POLL_BYTES
            received = 0
            for item in items:
                if isinstance(item, Presence):
                    received += 1
                    summary.presences[item.address] += 1
                    continue
                received += item.wire_size
                event = _event_of(item)
                if event is not None:
                    summary.events[item.address] += 1
                    source = f"{name}/{item.address}"
                    gw.publish(source, event)
                    if on_event is not None:
                        on_event(source, event)
            if not items:
                summary.silent[address] += 1
            summary.serial_bytes_in += received
            wait = pacer.after(started, POLL_BYTES + received) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
        done_rounds += 1
    summary.seconds = loop.time() - start
    spent = gw.traffic.since(before)
    summary.ip_bytes_out, summary.ip_bytes_in = spent.total(OUT, name), spent.total(IN, name)
    return summary


async def _exchange(gw: SimulatedGateway, peer: tuple[str, int],
                    address: int) -> tuple[Presence | SerialFrame, ...]:
    """One tunneled POLL; an address nobody answers (the IP-Link NAKs) gives no items."""
    try:
        return await gw.tunnel(peer, (SerialFrame(address, Command.POLL),))
    except GatewayError as exc:
        if "NAK" in exc.got:
            return ()
        raise


def _event_of(frame: SerialFrame) -> ControllerEvent | None:
    if frame.command != Command.EVENT:
        return None
    try:
        message = decode_message(frame.command, frame.data)
    except DecodeError:
        return None
    return message.event if isinstance(message, Event) else None


__all__ = ["DEFAULT_RATE", "BytePacer", "PollSummary", "poll_loop"]
