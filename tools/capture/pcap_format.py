"""The classic pcap file format (microsecond timestamps, little-endian), as bytes.

Classic pcap rather than pcapng: every tool reads it (tshark, tcpdump, scapy, dpkt) and one link
type per file is all a capture of Ethernet frames needs.
"""

from __future__ import annotations

import struct

from protolab.errors import UsageError

MAGIC = 0xA1B2C3D4  # microsecond resolution
VERSION = (2, 4)
LINKTYPE_ETHERNET = 1
SNAPLEN = 262144

_GLOBAL = struct.Struct("<IHHiIII")
_RECORD = struct.Struct("<IIII")


def global_header(linktype: int = LINKTYPE_ETHERNET, snaplen: int = SNAPLEN) -> bytes:
    """The 24 bytes a pcap file starts with."""
    return _GLOBAL.pack(MAGIC, *VERSION, 0, 0, snaplen, linktype)


def split_timestamp(timestamp: float) -> tuple[int, int]:
    """POSIX seconds as (seconds, microseconds), rounded to the nearest microsecond."""
    if timestamp < 0 or timestamp >= 2**32:
        raise UsageError(f"timestamp {timestamp} is outside what pcap can store (0..2^32 s)")
    micros = round(timestamp * 1_000_000)
    return micros // 1_000_000, micros % 1_000_000


def packet_record(timestamp: float, frame: bytes, snaplen: int = SNAPLEN) -> bytes:
    """One packet record: header then the frame, cut to ``snaplen`` as a capture would."""
    seconds, micros = split_timestamp(timestamp)
    kept = frame[:snaplen]
    return _RECORD.pack(seconds, micros, len(kept), len(frame)) + kept
