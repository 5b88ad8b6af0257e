"""The trap port's asyncio edge (``--trap-listen HOST:PORT``): a UDP socket that hands each
datagram to the sans-IO TrapIntake, sends back what it answers, and tells the agent which device
to read now. What was ignored is logged, rate-limited per reason."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

from ekm_proto.monitor.trap_intake import TrapIntake
from protolab.clock import Clock
from protolab.errors import bind_failure
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

_log = get_logger("monitor.traps")


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, listener: TrapListener) -> None:
        self.listener = listener

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.listener.received(data, (str(addr[0]), int(addr[1])))

    def error_received(self, exc: Exception) -> None:  # an ICMP error: nothing to do
        pass


class TrapListener:
    """See the module docstring. ``read(address)`` is called for each accepted notification."""

    def __init__(self, intake: TrapIntake, read: Callable[[str], None], clock: Clock,
                 host: str, port: int) -> None:
        self.intake = intake
        self.read = read
        self.clock = clock
        self.host = host
        self.port = port
        self._transport: asyncio.DatagramTransport | None = None
        self._throttle = LogThrottle(10.0)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Protocol(self), local_addr=(self.host, self.port), family=family)
        except OSError as exc:
            raise bind_failure(exc, self.host, self.port, flag="--trap-listen",
                               what="trap port") from None
        self._transport = transport
        self.port = int(transport.get_extra_info("sockname")[1])
        _log.info("monitor.trap-listening", address=f"{self.host}:{self.port}")

    def received(self, data: bytes, sender: tuple[str, int]) -> None:
        outcome = self.intake.receive(data, sender, self.clock.now())
        if outcome.reply is not None and self._transport is not None:
            self._transport.sendto(outcome.reply, sender)
        if outcome.device is not None:
            self.read(outcome.device)
        elif outcome.ignored is not None:
            suppressed = self._throttle.allow(self.clock.now(), outcome.ignored)
            if suppressed is not None:
                stats = self.intake.stats
                _log.warning("monitor.trap-ignored", reason=outcome.ignored,
                             sender=f"{sender[0]}:{sender[1]}", suppressed=suppressed,
                             unknown_source=stats.unknown_source,
                             bad_credentials=stats.bad_credentials, malformed=stats.malformed)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None
        _log.info("monitor.traps", **self.intake.stats.snapshot())
