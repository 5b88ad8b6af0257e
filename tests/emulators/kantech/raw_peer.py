"""A bare UDP peer for frames a gateway endpoint would never send (replays, garbage, frames
under another key or site), shared by the fleet tests that need one."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import StatusQuery


class RawPeer(asyncio.DatagramProtocol):
    """A bare UDP socket on 127.0.0.1 for frames the gateway endpoint would never send."""

    def __init__(self) -> None:
        self.received: asyncio.Queue[tuple[bytes, Any]] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport

    @classmethod
    async def open(cls) -> RawPeer:
        loop = asyncio.get_running_loop()
        transport, peer = await loop.create_datagram_endpoint(
            cls, local_addr=("127.0.0.1", 0), family=socket.AF_INET)
        peer.transport = transport
        return peer

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.received.put_nowait((data, addr))

    async def drain(self, quiet: float = 0.25) -> list[tuple[bytes, Any]]:
        out = []
        while True:
            try:
                out.append(await asyncio.wait_for(self.received.get(), quiet))
            except TimeoutError:
                return out


def request_frame(site: Any, sequence: int, event_id: int, key: str | None = None,
                  site_id: int | None = None) -> bytes:
    return IpFrameCodec(key or site.key).encode(IpFrame(
        site.id if site_id is None else site_id, site.session, sequence, event_id, StatusQuery()))
