"""Polling the serial loop behind an IP-Link through TUNNEL, paced to a byte rate.

The paper (tables 10, 11): the gateway polls each controller in turn with a 4-byte query, an idle
controller answers with 1 presence byte, and the loop's bandwidth is a fixed rate per site (1000
bytes/s by default), so adding controllers lengthens the round instead of raising the rate. The
pacer (``kantech_proto.loop_pacing``, the same rule an IP-Link polls its own loop by) spends a
time budget of (bytes exchanged / rate) after each exchange, on the gateway's clock.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulators.kantech_gateway.gateway import DeviceRefusedError, SimulatedGateway
from emulators.kantech_gateway.traffic import IN, OUT, peer_text
from emulators.kantech_gateway.tunnel_events import serial_event
from kantech_proto.codes import Command
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.errors import ConfigurationError
from kantech_proto.loop_pacing import DEFAULT_RATE, POLL_BYTES, BytePacer
from kantech_proto.serial_frame import Presence, SerialFrame


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


async def poll_loop(gw: SimulatedGateway, device: str | tuple[str, int], loop_size: int, *,
                    rate: float = DEFAULT_RATE, duration: float | None = None,
                    rounds: int | None = None,
                    on_event: Callable[[str, ControllerEvent], None] | None = None,
                    stop: asyncio.Event | None = None) -> PollSummary:
    """Poll addresses 1..loop_size in turn until ``duration`` seconds of the gateway's clock,
    ``rounds`` rounds or ``stop`` is set (after the exchange in progress), whichever is first."""
    if not 1 <= loop_size <= 127:
        raise ConfigurationError(f"loop size {loop_size}: expected 1..127 controllers")
    peer = gw.resolve(device)
    name = peer_text(peer)
    summary = PollSummary(name, rate)
    pacer = BytePacer(rate)
    clock = gw.clock
    start = clock.now()
    before = gw.traffic.snapshot()
    done_rounds = 0
    while (rounds is None or done_rounds < rounds) and (
            duration is None or clock.now() - start < duration):
        for address in range(1, loop_size + 1):
            if stop is not None and stop.is_set():
                break
            started = clock.now()
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
                event = serial_event(item)
                if event is not None:
                    summary.events[item.address] += 1
                    source = f"{name}/{item.address}"
                    gw.publish(source, event)
                    if on_event is not None:
                        on_event(source, event)
            if not items:
                summary.silent[address] += 1
            summary.serial_bytes_in += received
            wait = pacer.after(started, POLL_BYTES + received) - clock.now()
            if wait > 0:
                await clock.sleep(wait)
        done_rounds += 1
        if stop is not None and stop.is_set():
            break
    summary.seconds = clock.now() - start
    spent = gw.traffic.since(before)
    summary.ip_bytes_out, summary.ip_bytes_in = spent.total(OUT, name), spent.total(IN, name)
    return summary


async def _exchange(gw: SimulatedGateway, peer: tuple[str, int],
                    address: int) -> tuple[Presence | SerialFrame, ...]:
    """One tunneled POLL; an address nobody answers (the IP-Link NAKs) gives no items."""
    try:
        return await gw.tunnel(peer, (SerialFrame(address, Command.POLL),))
    except DeviceRefusedError:
        return ()
