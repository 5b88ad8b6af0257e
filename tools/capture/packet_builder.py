"""Turns "these bytes went from here to there over UDP, TCP or a serial loop" into Ethernet
frames, sans-IO: no clock, no file, just bytes out.

TCP gets what a reader of the capture needs to follow a stream: per-flow sequence and
acknowledgement numbers that advance with the data, a three-way handshake when a flow opens
(``tcp_open``, or before its first segment) and, on ``tcp_close``, the FIN exchange. Initial
sequence numbers are derived from the flow (and how many times it was opened), so the same run
gives the same file.
"""

from __future__ import annotations

import ipaddress
import zlib
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from tools.capture.errors import CaptureError
from tools.capture.packet_headers import (
    IPV4_SIZE,
    PROTO_TCP,
    PROTO_UDP,
    TCP_ACK,
    TCP_FIN,
    TCP_PSH,
    TCP_SIZE,
    TCP_SYN,
    UDP_SIZE,
    IpAddress,
    ethernet,
    ip_header,
    tcp_segment,
    udp_segment,
)

Direction: TypeAlias = Literal["sent", "received"]
Transport: TypeAlias = Literal["udp", "tcp", "serial"]
Address: TypeAlias = tuple[str, int]
Endpoint: TypeAlias = tuple[IpAddress, int]

#: serial-loop bytes travel in UDP datagrams from and to this port (documented in the README)
SERIAL_CAPTURE_PORT = 18899
#: the most a single IP packet carries (IPv4 total length is 16 bits)
MAX_IP_PAYLOAD = 65535 - IPV4_SIZE
MAX_TCP_SEGMENT = MAX_IP_PAYLOAD - TCP_SIZE
MAX_UDP_PAYLOAD = MAX_IP_PAYLOAD - UDP_SIZE


def endpoint(address: Address, what: str) -> Endpoint:
    try:
        host, port = address
        ip = ipaddress.ip_address(host)
    except (TypeError, ValueError):
        raise CaptureError(f"{what} address {address!r} is not (IP address, port)") from None
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise CaptureError(f"{what} port {port!r} is not 0..65535")
    return ip, port


@dataclass
class _Flow:
    next_seq: dict[Endpoint, int]


@dataclass
class PacketSynthesizer:
    """Link-layer frames for one capture; keeps the IP identification and TCP flow state."""

    _ip_id: int = field(default=0, init=False)
    _flows: dict[tuple[Endpoint, Endpoint], _Flow] = field(default_factory=dict, init=False)
    _opened: dict[tuple[Endpoint, Endpoint], int] = field(default_factory=dict, init=False)

    def frames(self, direction: Direction, local: Address, peer: Address, transport: Transport,
               data: bytes) -> list[bytes]:
        src, dst = self._ends(direction, local, peer)
        if transport == "tcp":
            known = _key(src, dst) in self._flows
            frames = [] if known else self._handshake(*_client_first(src, dst))
            flow = self._flows[_key(src, dst)]
            for start in range(0, len(data), MAX_TCP_SEGMENT):
                chunk = data[start:start + MAX_TCP_SEGMENT]
                frames.append(self._tcp(src, dst, flow, TCP_PSH | TCP_ACK, chunk))
                flow.next_seq[src] += len(chunk)
            return frames
        if transport == "serial":
            src, dst = (src[0], SERIAL_CAPTURE_PORT), (dst[0], SERIAL_CAPTURE_PORT)
        elif transport != "udp":
            raise CaptureError(f"transport {transport!r} is not udp, tcp or serial")
        if len(data) > MAX_UDP_PAYLOAD:
            raise CaptureError(f"{len(data)} bytes do not fit one UDP datagram")
        return [self._ip(src, dst, PROTO_UDP, udp_segment(src[0], dst[0], src[1], dst[1], data))]

    def tcp_open(self, direction: Direction, local: Address, peer: Address) -> list[bytes]:
        """The handshake of a connection the sender (local when "sent") opened."""
        src, dst = self._ends(direction, local, peer)
        return [] if _key(src, dst) in self._flows else self._handshake(src, dst)

    def tcp_close(self, direction: Direction, local: Address, peer: Address) -> list[bytes]:
        """The FIN exchange, the sender closing first; nothing for a flow never seen."""
        src, dst = self._ends(direction, local, peer)
        flow = self._flows.pop(_key(src, dst), None)
        if flow is None:
            return []
        frames = [self._tcp(src, dst, flow, TCP_FIN | TCP_ACK, b"")]
        flow.next_seq[src] += 1
        frames.append(self._tcp(dst, src, flow, TCP_ACK, b""))
        frames.append(self._tcp(dst, src, flow, TCP_FIN | TCP_ACK, b""))
        flow.next_seq[dst] += 1
        frames.append(self._tcp(src, dst, flow, TCP_ACK, b""))
        return frames

    def _ends(self, direction: Direction, local: Address, peer: Address
              ) -> tuple[Endpoint, Endpoint]:
        here, there = endpoint(local, "local"), endpoint(peer, "peer")
        if here[0].version != there[0].version:
            raise CaptureError(f"local {local!r} and peer {peer!r} are not both IPv4 or IPv6")
        if direction == "sent":
            return here, there
        if direction == "received":
            return there, here
        raise CaptureError(f"direction {direction!r} is not 'sent' or 'received'")

    def _handshake(self, client: Endpoint, server: Endpoint) -> list[bytes]:
        key = _key(client, server)
        generation = self._opened[key] = self._opened.get(key, 0) + 1
        flow = _Flow({client: _isn(client, server, generation),
                      server: _isn(server, client, generation)})
        self._flows[key] = flow
        frames = [self._tcp(client, server, flow, TCP_SYN, b"", ack=False)]
        flow.next_seq[client] += 1
        frames.append(self._tcp(server, client, flow, TCP_SYN | TCP_ACK, b""))
        flow.next_seq[server] += 1
        frames.append(self._tcp(client, server, flow, TCP_ACK, b""))
        return frames

    def _tcp(self, src: Endpoint, dst: Endpoint, flow: _Flow, flags: int, payload: bytes,
             *, ack: bool = True) -> bytes:
        segment = tcp_segment(src[0], dst[0], src[1], dst[1], flow.next_seq[src],
                              flow.next_seq[dst] if ack else 0, flags, payload)
        return self._ip(src, dst, PROTO_TCP, segment)

    def _ip(self, src: Endpoint, dst: Endpoint, protocol: int, segment: bytes) -> bytes:
        self._ip_id = (self._ip_id + 1) & 0xFFFF
        return ethernet(src[0], dst[0]) + ip_header(src[0], dst[0], protocol, len(segment),
                                                    self._ip_id) + segment


def _client_first(src: Endpoint, dst: Endpoint) -> tuple[Endpoint, Endpoint]:
    """A flow seen first by its data: the end with the larger (ephemeral-looking) port is taken
    for the one that connected. Runtimes that know call ``tcp_open`` instead."""
    return (src, dst) if src[1] >= dst[1] else (dst, src)


def _key(a: Endpoint, b: Endpoint) -> tuple[Endpoint, Endpoint]:
    return (a, b) if (a[0].packed, a[1]) <= (b[0].packed, b[1]) else (b, a)


def _isn(src: Endpoint, dst: Endpoint, generation: int) -> int:
    return zlib.crc32(f"{src[0]}:{src[1]}>{dst[0]}:{dst[1]}#{generation}".encode())
