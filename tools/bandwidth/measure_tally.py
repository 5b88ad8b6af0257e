"""What a measurement counts, sans-IO: a wire observer the simulated gateway calls with every
datagram, each decoded and added to its plan line.

Payload is what the paper's tables count: the records of a RELOAD_RECORDS frame (count x record
size), or a PULSE's data. Protocol overhead is the rest of the 0x99 frame (framing, plaintext
header, the records header, AES padding, checksum), plus whole frames the tables leave out
(RELOAD_BEGIN, RELOAD_END and the controller's ACKs, under ``exchange``). Transport overhead is
what each datagram takes in Ethernet II, IPv4 and UDP headers, as the capture carries it. An
IP-Link's serial-loop bytes (POLLs, presence bytes, frames) count under ``loop``, all payload.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from emulators.kantech.wire_observer import Direction, WireTransport
from kantech_proto.codes import RecordType
from kantech_proto.errors import DecodeError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Pulse, ReloadRecords
from kantech_proto.reload_records import RECORD_SIZES
from tools.bandwidth.measure_site import COMPONENTS
from tools.bandwidth.tables_protocols import ETHERNET_IPV4_TCP, ETHERNET_IPV4_UDP

EXCHANGE = "exchange"
IDLE = "idle"
UNDECODED = "undecoded"
#: an IP-Link's serial loop: its POLLs (4 bytes) and the controllers' answers, counted under the
#: IP-Link's host; what table 11 counts, so all payload
LOOP = "loop"


@dataclass(slots=True)
class Counted:
    payload: int = 0
    protocol_overhead: int = 0
    transport_overhead: int = 0
    frames: int = 0

    def add(self, payload: int, wire: int, transport: int) -> None:
        self.payload += payload
        self.protocol_overhead += wire - payload
        self.transport_overhead += transport
        self.frames += 1

    @property
    def total(self) -> int:
        return self.payload + self.protocol_overhead + self.transport_overhead


class WireTally:
    """Counts per device host and component (a plan component name, ``exchange``, ``idle`` or
    ``undecoded``); ``counting`` False ignores what comes (between phases)."""

    def __init__(self, codec: IpFrameCodec) -> None:
        self._codec = codec
        self.counts: dict[str, dict[str, Counted]] = defaultdict(lambda: defaultdict(Counted))
        self.counting = True

    def __call__(self, direction: Direction, local_addr: tuple[str, int],
                 peer_addr: tuple[str, int], transport: WireTransport, data: bytes,
                 timestamp: float) -> None:
        if not self.counting:
            return
        if transport == "serial":  # local is the loop, peer the IP-Link (loop address as port)
            self.counts[peer_addr[0]][LOOP].add(len(data), len(data), 0)
            return
        overhead = ETHERNET_IPV4_UDP if transport == "udp" else ETHERNET_IPV4_TCP
        try:
            message = self._codec.decode(data).message
        except DecodeError:
            self.counts[peer_addr[0]][UNDECODED].add(0, len(data), overhead)
            return
        payload, component = 0, EXCHANGE
        if isinstance(message, ReloadRecords) and direction == "sent":
            kind = RecordType(message.record_type)
            payload = len(message.records) * RECORD_SIZES[kind]
            component = COMPONENTS.get(kind, kind.name)
        elif isinstance(message, Pulse):
            payload, component = len(message.encode_data()), IDLE
        self.counts[peer_addr[0]][component].add(payload, len(data), overhead)

    def reset(self, *components: str) -> None:
        for by_component in self.counts.values():
            for component in components:
                by_component.pop(component, None)
