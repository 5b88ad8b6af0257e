"""The pcap bytes and the header arithmetic, against known answers."""

from __future__ import annotations

import ipaddress
import struct

import pytest

from protolab.errors import UsageError
from tools.capture.packet_headers import (
    internet_checksum,
    ip_header,
    tcp_segment,
    udp_segment,
)
from tools.capture.pcap_format import global_header, packet_record, split_timestamp

V4 = ipaddress.ip_address


def test_global_header_is_classic_pcap_ethernet() -> None:
    assert global_header() == bytes.fromhex("d4c3b2a1" "0200" "0400" "00000000" "00000000"
                                            "00000400" "01000000")


def test_packet_record_carries_time_and_lengths() -> None:
    record = packet_record(1700000000.25, b"abc", snaplen=2)
    assert struct.unpack("<IIII", record[:16]) == (1700000000, 250000, 2, 3)
    assert record[16:] == b"ab"


def test_timestamps_round_to_the_microsecond_and_carry() -> None:
    assert split_timestamp(10.9999996) == (11, 0)
    assert split_timestamp(0.0000004) == (0, 0)
    with pytest.raises(UsageError):
        split_timestamp(-1)


def test_internet_checksum_rfc1071_example() -> None:
    # RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2; checksum is its complement
    assert internet_checksum(bytes.fromhex("0001f203f4f5f6f7")) == 0xFFFF - 0xDDF2
    assert internet_checksum(b"\x01") == 0xFEFF  # odd length pads with a zero byte


def test_ipv4_header_checksum_verifies_to_zero() -> None:
    head = ip_header(V4("127.0.0.1"), V4("127.20.0.1"), 17, 33, 7)
    assert len(head) == 20 and internet_checksum(head) == 0
    assert head[9] == 17 and struct.unpack("!H", head[2:4])[0] == 53


def test_udp_and_tcp_checksums_verify_with_the_pseudo_header() -> None:
    src, dst = V4("10.0.0.1"), V4("10.0.0.2")
    for segment, proto in ((udp_segment(src, dst, 1, 2, b"hello"), 17),
                           (tcp_segment(src, dst, 1, 2, 100, 200, 0x18, b"hello"), 6)):
        pseudo = src.packed + dst.packed + struct.pack("!xBH", proto, len(segment))
        assert internet_checksum(pseudo + segment) == 0


def test_ipv6_header_layout() -> None:
    src, dst = V4("::1"), V4("::2")
    head = ip_header(src, dst, 6, 100, 0)
    assert len(head) == 40 and head[0] >> 4 == 6 and head[6] == 6
    assert struct.unpack("!H", head[4:6])[0] == 100 and head[8:24] == src.packed
