"""``DoorWatcher``: listens where a site's controllers report, acknowledges what they send,
keeps every card swipe, and tells which controllers have been silent too long.

The protocol work is kantech_proto's sans-IO ``GatewayEndpoint``; this class only moves bytes
and reads the time from the clock it is given, so a test can run it on a manual clock.
"""

from __future__ import annotations

import asyncio
import os

from kantech_proto import Event, GatewayEndpoint, IpFrameCodec, MessageReceived
from protolab import Clock


class DoorWatcher(asyncio.DatagramProtocol):
    def __init__(self, key: str, site_id: int, clock: Clock, silent_after: float = 60.0) -> None:
        self.clock = clock
        self.silent_after = silent_after
        self.endpoint = GatewayEndpoint(IpFrameCodec(key), site_id, os.urandom(6))
        self.swipes: list[tuple[str, int]] = []
        self.last_heard: dict[str, float] = {}
        self._transport: asyncio.DatagramTransport | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(host, port))
        self._transport = transport
        return self.address

    @property
    def address(self) -> tuple[str, int]:
        assert self._transport is not None, "start() first"
        host, port = self._transport.get_extra_info("sockname")[:2]
        return str(host), int(port)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        peer = (str(addr[0]), int(addr[1]))
        now = self.clock.now()
        self.endpoint.receive_datagram(data, peer, now)
        for event in self.endpoint.events():
            if not isinstance(event, MessageReceived):
                continue
            self.last_heard[peer[0]] = now
            message = event.message
            if isinstance(message, Event) and isinstance(message.event.card_number, int):
                self.swipes.append((peer[0], message.event.card_number))
        assert self._transport is not None
        for out, target in self.endpoint.datagrams_to_send():
            self._transport.sendto(out, target)

    def silent(self) -> list[str]:
        """Controllers heard once but not within ``silent_after`` seconds, by address."""
        now = self.clock.now()
        return sorted(host for host, heard in self.last_heard.items()
                      if now - heard > self.silent_after)
