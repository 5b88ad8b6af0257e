"""Ethernet II, IPv4, IPv6, UDP and TCP headers with correct checksums, as bytes.

Made up but well-formed: Wireshark and tshark check every checksum and find them good. MAC
addresses are derived from the IP address (locally administered 02:00:...), so each host keeps
one MAC across a capture.
"""

from __future__ import annotations

import ipaddress
import struct
from typing import TypeAlias

IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
PROTO_TCP = 6
PROTO_UDP = 17
TTL = 64
ETHERNET_SIZE = 14
IPV4_SIZE = 20
IPV6_SIZE = 40
UDP_SIZE = 8
TCP_SIZE = 20

TCP_FIN = 0x01
TCP_SYN = 0x02
TCP_PSH = 0x08
TCP_ACK = 0x10
TCP_WINDOW = 65535


def internet_checksum(data: bytes) -> int:
    """RFC 1071: the ones' complement of the ones' complement sum of 16-bit words."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def mac_for(address: IpAddress) -> bytes:
    return b"\x02\x00" + address.packed[-4:]


def ethernet(src: IpAddress, dst: IpAddress) -> bytes:
    kind = ETHERTYPE_IPV4 if src.version == 4 else ETHERTYPE_IPV6
    return mac_for(dst) + mac_for(src) + struct.pack("!H", kind)


def ip_header(src: IpAddress, dst: IpAddress, protocol: int, payload_size: int,
              identification: int) -> bytes:
    """An IPv4 header (don't fragment, checksum set) or an IPv6 header for ``payload_size``."""
    if src.version == 6:
        return struct.pack("!IHBB", 6 << 28, payload_size, protocol, TTL) + src.packed \
            + dst.packed
    head = struct.pack("!BBHHHBBH4s4s", 0x45, 0, IPV4_SIZE + payload_size,
                       identification & 0xFFFF, 0x4000, TTL, protocol, 0, src.packed, dst.packed)
    return head[:10] + struct.pack("!H", internet_checksum(head)) + head[12:]


def _pseudo_header(src: IpAddress, dst: IpAddress, protocol: int, size: int) -> bytes:
    if src.version == 6:
        return src.packed + dst.packed + struct.pack("!I3xB", size, protocol)
    return src.packed + dst.packed + struct.pack("!xBH", protocol, size)


def udp_segment(src: IpAddress, dst: IpAddress, src_port: int, dst_port: int,
                payload: bytes) -> bytes:
    """UDP header and payload; the checksum covers the pseudo-header (0 is sent as 0xFFFF)."""
    size = UDP_SIZE + len(payload)
    head = struct.pack("!HHHH", src_port, dst_port, size, 0)
    checksum = internet_checksum(_pseudo_header(src, dst, PROTO_UDP, size) + head + payload)
    return head[:6] + struct.pack("!H", checksum or 0xFFFF) + payload


def tcp_segment(src: IpAddress, dst: IpAddress, src_port: int, dst_port: int, seq: int,
                ack: int, flags: int, payload: bytes) -> bytes:
    """TCP header (no options) and payload with the checksum over the pseudo-header."""
    head = struct.pack("!HHIIBBHHH", src_port, dst_port, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                       (TCP_SIZE // 4) << 4, flags, TCP_WINDOW, 0, 0)
    size = TCP_SIZE + len(payload)
    checksum = internet_checksum(_pseudo_header(src, dst, PROTO_TCP, size) + head + payload)
    return head[:16] + struct.pack("!H", checksum) + head[18:] + payload
