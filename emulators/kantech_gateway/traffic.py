"""Wire-byte accounting per device and per command, in both directions.

The paper sizes links in bytes per second and reloads in bytes (tables 7, 10, 11), so the gateway
counts exactly what crosses the socket: the whole IP frame, retransmissions included. The base
endpoint only counts its totals and what it sends per command; the peer is lost by then, so this
module hooks the endpoint where both the peer and the command are still known.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kantech_proto.endpoint_events import Address
from kantech_proto.errors import DecodeError
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrame
from kantech_proto.messages import Message

OUT = "out"
IN = "in"
#: the kind under which bytes that never decoded (wrong key, bad checksum) are counted
UNDECODED = "UNDECODED"


def peer_text(peer: Address) -> str:
    """``host:port``: the one spelling used as a device's key in counters, reports and JSON."""
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer)


@dataclass(slots=True)
class TrafficCounter:
    """Frames and bytes keyed by (direction, device, kind)."""

    frames: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    octets: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def record(self, direction: str, peer: Address, kind: str, size: int) -> None:
        key = (direction, peer_text(peer), kind)
        self.frames[key] += 1
        self.octets[key] += size

    def total(self, direction: str | None = None, device: str | None = None,
              kind: str | None = None) -> int:
        """Bytes matching every filter given (None matches anything)."""
        return sum(n for (d, dev, k), n in self.octets.items()
                   if (direction is None or d == direction) and (device is None or dev == device)
                   and (kind is None or k == kind))

    def frame_count(self, direction: str | None = None, device: str | None = None,
                    kind: str | None = None) -> int:
        return sum(n for (d, dev, k), n in self.frames.items()
                   if (direction is None or d == direction) and (device is None or dev == device)
                   and (kind is None or k == kind))

    def snapshot(self) -> TrafficCounter:
        """A copy, so a caller can measure one operation as the difference of two snapshots."""
        return TrafficCounter(Counter(self.frames), Counter(self.octets))

    def since(self, before: TrafficCounter) -> TrafficCounter:
        frames = Counter(self.frames)
        frames.subtract(before.frames)
        octets = Counter(self.octets)
        octets.subtract(before.octets)
        return TrafficCounter(+frames, +octets)

    def as_dict(self) -> dict[str, Any]:
        """``{"devices": {dev: {"in": {kind: {frames, bytes}}, "out": ...}}, totals}``."""
        devices: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
        for (direction, device, kind), size in sorted(self.octets.items()):
            per_dir = devices.setdefault(device, {IN: {}, OUT: {}})[direction]
            per_dir[kind] = {"frames": self.frames[(direction, device, kind)], "bytes": size}
        return {"devices": devices,
                "bytes_in": self.total(IN), "bytes_out": self.total(OUT),
                "frames_in": self.frame_count(IN), "frames_out": self.frame_count(OUT)}


class CountingGatewayEndpoint(GatewayEndpoint):
    """A GatewayEndpoint that reports every frame's wire size, peer and command to a counter.

    Received bytes are counted before the replay and site checks, since they crossed the link
    whatever the endpoint then does with them: a UDP datagram by its size, a frame cut from a
    TCP stream by its ``wire_size``.
    """

    def __init__(self, *args: Any, traffic: TrafficCounter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.traffic = traffic
        self._incoming: int | None = None

    def receive_datagram(self, data: bytes, peer: Address, now: float) -> None:
        self._incoming = len(data)
        try:
            super().receive_datagram(data, peer, now)
        finally:
            if self._incoming is not None:  # no frame came out of it
                self.traffic.record(IN, peer, UNDECODED, len(data))
            self._incoming = None

    def receive_frame(self, frame: IpFrame, peer: Address, now: float) -> None:
        size = self._incoming if self._incoming is not None else frame.wire_size
        self._incoming = None
        self.traffic.record(IN, peer, frame.command.name, size)
        super().receive_frame(frame, peer, now)

    def receive_error(self, error: DecodeError, peer: Address, now: float) -> None:
        if self._incoming is None:  # cut from a TCP stream: its size is not known
            self.traffic.record(IN, peer, UNDECODED, 0)
        super().receive_error(error, peer, now)

    def _transmit(self, peer: Address, event_id: int, message: Message) -> bytes:
        data = super()._transmit(peer, event_id, message)
        self.traffic.record(OUT, peer, message.COMMAND.name, len(data))
        return data
