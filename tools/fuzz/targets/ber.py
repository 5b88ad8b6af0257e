"""Fuzz target: the BER reader and value decoders of ekm_proto.snmp.ber.

Walks whatever TLV structure the input has (constructed tags recursively, primitive ones through
the SNMP value decoders) and checks that every value that decodes re-encodes to a value that
decodes the same. Only SnmpDecodeError may escape the decoders.
"""

from __future__ import annotations

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp import ber
from ekm_proto.snmp.types import SnmpType

MAX_DEPTH = 16
#: long enough for every length form (0x81, 0x82) with its content, nesting to MAX_DEPTH and
#: values past a 300-byte string; longer inputs only repeat the walk (and halve the rate)
MAX_LEN = 1024
_VALUE_TAGS = frozenset(int(t) for t in SnmpType)


def _walk(data: bytes, pos: int, end: int, depth: int) -> None:
    while pos < end:
        tag, start, stop = ber.read_tlv(data, pos, end)
        assert pos < start <= stop <= end, "read_tlv must move forward inside its window"
        if tag & 0x20 and depth < MAX_DEPTH:  # constructed: SEQUENCE, PDUs
            _walk(data, start, stop, depth + 1)
        elif tag in _VALUE_TAGS:
            _check_value(tag, data, start, stop)
        pos = stop


def _check_value(tag: int, data: bytes, start: int, stop: int) -> None:
    try:
        kind, value = ber.decode_value(tag, data, start, stop)
    except SnmpDecodeError:
        return
    again = ber.encode_value(kind, value)
    t2, s2, e2 = ber.read_tlv(again, 0, len(again))
    assert e2 == len(again) and t2 == tag
    assert ber.decode_value(t2, again, s2, e2) == (kind, value), "value round trip"
    if kind == SnmpType.OBJECT_IDENTIFIER:
        assert ber.decode_oid_cached(data, start, stop) == value


def TestOneInput(data: bytes) -> None:
    try:
        _walk(data, 0, len(data), 0)
    except SnmpDecodeError:
        pass
    try:
        ber.decode_int32(data, 0, len(data))
    except SnmpDecodeError:
        pass
    if data:
        try:
            ber.decode_oid(data, 0, len(data))
        except SnmpDecodeError:
            pass


def seeds() -> list[bytes]:
    values = [
        (SnmpType.INTEGER, -129), (SnmpType.INTEGER, 2**31 - 1), (SnmpType.OCTET_STRING, b"HP"),
        (SnmpType.OCTET_STRING, b"x" * 300), (SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 2**32 - 1)),
        (SnmpType.IP_ADDRESS, b"\x7f\x00\x00\x01"), (SnmpType.COUNTER32, 2**32 - 1),
        (SnmpType.GAUGE32, 5), (SnmpType.TIMETICKS, 100), (SnmpType.OPAQUE, b"\x9f\x78"),
        (SnmpType.COUNTER64, 2**64 - 1), (SnmpType.NULL, None), (SnmpType.END_OF_MIB_VIEW, None),
    ]
    encoded = [ber.encode_value(kind, value) for kind, value in values]
    varbinds = b"".join(ber.encode_varbind(ber.encode_oid((1, 3, 6, 1, i)), v)
                        for i, v in enumerate(encoded))
    return [*encoded, ber.encode_tlv(0x30, varbinds), ber.encode_tlv(0xA2, varbinds)]
