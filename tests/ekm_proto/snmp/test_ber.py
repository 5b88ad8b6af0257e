"""BER codec: hand-built X.690 vectors, strictness on hostile input, pyasn1 as the reference."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder as asn1_decoder
from pyasn1.codec.ber import encoder as asn1_encoder
from pyasn1.type import univ
from pysnmp.proto import rfc1902, rfc1905

from ekm_proto.errors import SnmpDecodeError, SnmpEncodeError
from ekm_proto.snmp import ber
from ekm_proto.snmp.types import SnmpType
from tests.ekm_proto.snmp.strategies import oids, values

# ------------------------------------------------------------------------------- hand-built vectors

INTEGERS = [
    (0, "020100"), (1, "020101"), (127, "02017f"), (128, "02020080"), (255, "020200ff"),
    (256, "02020100"), (-1, "0201ff"), (-128, "020180"), (-129, "0202ff7f"),
    (2**31 - 1, "02047fffffff"), (-(2**31), "020480000000"),
]
OIDS = [
    ((1, 3, 6, 1, 2, 1, 1, 1, 0), "06082b06010201010100"),
    ((1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 4, 1, 2, 5, 0), "06112b06010401 0b020309040201040102 0500"),
    ((1, 3, 128), "06032b8100"),
    ((1, 3, 16383), "06032bff7f"),
    ((1, 3, 16384), "06042b818000"),
    ((1, 3, 2**32 - 1), "06062b8fffffff7f"),
    ((2, 999, 3), "0603883703"),  # X.690 8.19.5 example
    ((0, 0), "060100"),
    ((0, 39), "060127"),
    ((1, 0), "060128"),
]


@pytest.mark.parametrize(("value", "expected"), INTEGERS)
def test_integer_vectors(value: int, expected: str) -> None:
    wire = bytes.fromhex(expected)
    assert ber.encode_integer(value) == wire
    assert ber.encode_value(SnmpType.INTEGER, value) == wire
    assert ber.decode_int32(wire, 0, len(wire)) == (value, len(wire))


@pytest.mark.parametrize(("oid", "expected"), OIDS)
def test_oid_vectors(oid: tuple[int, ...], expected: str) -> None:
    wire = bytes.fromhex(expected.replace(" ", ""))
    assert ber.encode_oid(oid) == wire
    start, stop = ber.expect(wire, 0, len(wire), ber.OBJECT_IDENTIFIER)
    assert ber.decode_oid(wire, start, stop) == oid
    assert ber.decode_oid_cached(wire, start, stop) == oid


@pytest.mark.parametrize(("length", "expected"), [
    (0, "00"), (127, "7f"), (128, "8180"), (255, "81ff"), (256, "820100"), (65535, "82ffff"),
    (65536, "83010000"),
])
def test_length_vectors(length: int, expected: str) -> None:
    assert ber.encode_length(length) == bytes.fromhex(expected)
    wire = b"\x04" + bytes.fromhex(expected) + bytes(length)
    assert ber.read_tlv(wire, 0, len(wire)) == (4, 1 + len(expected) // 2, len(wire))


def test_non_minimal_length_is_accepted_as_ber_allows() -> None:
    wire = bytes.fromhex("0484000000026869")
    assert ber.read_tlv(wire, 0, len(wire)) == (4, 6, 8)


@pytest.mark.parametrize(("kind", "value", "expected"), [
    (SnmpType.COUNTER32, 0, "410100"), (SnmpType.COUNTER32, 2**32 - 1, "410500ffffffff"),
    (SnmpType.GAUGE32, 128, "42020080"), (SnmpType.TIMETICKS, 4242, "43021092"),
    (SnmpType.COUNTER64, 2**64 - 1, "460900ffffffffffffffff"),
    (SnmpType.IP_ADDRESS, bytes([127, 30, 0, 1]), "40047f1e0001"),
    (SnmpType.OCTET_STRING, b"", "0400"), (SnmpType.OCTET_STRING, b"HP", "04024850"),
    (SnmpType.OPAQUE, b"\x01", "440101"), (SnmpType.NULL, None, "0500"),
    (SnmpType.NO_SUCH_OBJECT, None, "8000"), (SnmpType.NO_SUCH_INSTANCE, None, "8100"),
    (SnmpType.END_OF_MIB_VIEW, None, "8200"),
])
def test_value_vectors(kind: SnmpType, value: object, expected: str) -> None:
    wire = bytes.fromhex(expected)
    assert ber.encode_value(kind, value) == wire
    tag, start, stop = ber.read_tlv(wire, 0, len(wire))
    assert ber.decode_value(tag, wire, start, stop) == (kind, value)


def test_long_string_uses_long_form_length() -> None:
    value = b"x" * 300
    assert ber.encode_value(SnmpType.OCTET_STRING, value) == b"\x04\x82\x01\x2c" + value


# ------------------------------------------------------------------------------ hostile input

@pytest.mark.parametrize(("wire", "error"), [
    ("", ber.BerTruncated), ("04", ber.BerTruncated), ("0405616263", ber.BerTruncated),
    ("0480", ber.BerBadLength),  # indefinite length
    ("0485ffffffffff", ber.BerBadLength),  # five length octets
    ("0484ffffffff", ber.BerTruncated),  # 4 GiB claimed, nothing there
    ("0482ff", ber.BerTruncated),  # length octets cut off
    ("1f0100", ber.BerBadTag),  # high-tag-number form
])
def test_read_tlv_rejects(wire: str, error: type[Exception]) -> None:
    data = bytes.fromhex(wire)
    with pytest.raises(error):
        ber.read_tlv(data, 0, len(data))


def test_errors_are_snmp_decode_errors_with_reasons() -> None:
    for cls in (ber.BerTruncated, ber.BerBadLength, ber.BerBadTag, ber.BerBadValue,
                ber.BerTrailingBytes):
        assert issubclass(cls, SnmpDecodeError)
        assert cls.reason != SnmpDecodeError.reason


def test_window_end_is_respected_not_buffer_end() -> None:
    data = bytes.fromhex("040361626304")
    with pytest.raises(ber.BerTruncated):
        ber.read_tlv(data, 0, 4)


@pytest.mark.parametrize("content", [
    "", "2b06818080", "2b0680", "2b068001", "2b0690808080800f",  # empty, dangling, 0x80 lead, >2^32
])
def test_bad_oids(content: str) -> None:
    data = bytes.fromhex(content)
    with pytest.raises(ber.BerBadValue):
        ber.decode_oid(data, 0, len(data))


def test_oid_with_too_many_arcs() -> None:
    data = bytes([0x2B]) + bytes([1]) * 200
    with pytest.raises(ber.BerBadValue):
        ber.decode_oid(data, 0, len(data))


def test_hostile_oid_run_is_rejected_fast() -> None:
    data = bytes([0x2B]) + b"\xff" * 60000 + b"\x01"
    started = time.perf_counter()
    with pytest.raises(ber.BerBadValue):
        ber.decode_oid(data, 0, len(data))
    assert time.perf_counter() - started < 0.05


@pytest.mark.parametrize(("wire", "error"), [
    ("0200", ber.BerBadValue),  # empty INTEGER
    ("020a01020304050607080910", ber.BerBadValue),  # 10 octets
    ("02050100000000", ber.BerBadValue),  # over Integer32
    ("4101ff", ber.BerBadValue),  # negative Counter32
    ("41050100000000", ber.BerBadValue),  # Counter32 over 2^32-1
    ("40037f0000", ber.BerBadValue),  # IpAddress of 3 octets
    ("050100", ber.BerBadValue),  # NULL with content
    ("800101", ber.BerBadValue),  # noSuchObject with content
    ("4500", ber.BerBadTag),  # NsapAddress: not an SMIv2 type
    ("3000", ber.BerBadTag),  # a SEQUENCE where a value belongs
])
def test_bad_values(wire: str, error: type[Exception]) -> None:
    data = bytes.fromhex(wire)
    tag, start, stop = ber.read_tlv(data, 0, len(data))
    with pytest.raises(error):
        ber.decode_value(tag, data, start, stop)


@pytest.mark.parametrize(("kind", "value"), [
    (SnmpType.INTEGER, 2**31), (SnmpType.INTEGER, -(2**31) - 1), (SnmpType.COUNTER32, -1),
    (SnmpType.COUNTER32, 2**32), (SnmpType.COUNTER64, 2**64), (SnmpType.GAUGE32, "7"),
    (SnmpType.OCTET_STRING, "text"), (SnmpType.IP_ADDRESS, b"\x01\x02"),
    (SnmpType.OBJECT_IDENTIFIER, (1,)), (SnmpType.OBJECT_IDENTIFIER, (3, 1)),
    (SnmpType.OBJECT_IDENTIFIER, (1, 40)), (SnmpType.OBJECT_IDENTIFIER, (1, 3, 2**32)),
    (SnmpType.OBJECT_IDENTIFIER, (1, 3, -1)), (0x45, b""),
])
def test_unencodable_values(kind: int, value: object) -> None:
    with pytest.raises(SnmpEncodeError):
        ber.encode_value(kind, value)


# ------------------------------------------------------------------- pyasn1 as the reference

big_second_arc = st.tuples(st.just(2), st.integers(40, 2**32 - 1))


@given(st.integers(-(2**31), 2**31 - 1))
def test_integer_matches_pyasn1(value: int) -> None:
    """pyasn1 spends one octet too many on -2**(8k-1) (FF 80 for -128, which X.690 8.3.2 forbids);
    everywhere else the encodings must be identical, and each side must read the other's."""
    wire = ber.encode_value(SnmpType.INTEGER, value)
    reference = asn1_encoder.encode(univ.Integer(value))
    if value >= 0 or (-value) & (-value - 1) or (-value).bit_length() % 8 != 0:
        assert wire == reference
    assert int(asn1_decoder.decode(wire)[0]) == value
    tag, start, stop = ber.read_tlv(reference, 0, len(reference))
    assert ber.decode_value(tag, reference, start, stop) == (SnmpType.INTEGER, value)


@given(st.one_of(oids, big_second_arc))
def test_oid_matches_pyasn1(oid: tuple[int, ...]) -> None:
    wire = ber.encode_value(SnmpType.OBJECT_IDENTIFIER, oid)
    assert wire == asn1_encoder.encode(univ.ObjectIdentifier(oid))
    decoded, rest = asn1_decoder.decode(wire)
    assert tuple(decoded) == oid and not rest
    tag, start, stop = ber.read_tlv(wire, 0, len(wire))
    assert ber.decode_value(tag, wire, start, stop) == (SnmpType.OBJECT_IDENTIFIER, oid)


@given(st.binary(max_size=70000))
def test_octet_string_matches_pyasn1(value: bytes) -> None:
    wire = ber.encode_value(SnmpType.OCTET_STRING, value)
    assert wire == asn1_encoder.encode(univ.OctetString(value))
    tag, start, stop = ber.read_tlv(wire, 0, len(wire))
    assert ber.decode_value(tag, wire, start, stop) == (SnmpType.OCTET_STRING, value)


APPLICATION = {
    SnmpType.COUNTER32: (rfc1902.Counter32, 2**32 - 1),
    SnmpType.GAUGE32: (rfc1902.Gauge32, 2**32 - 1),
    SnmpType.TIMETICKS: (rfc1902.TimeTicks, 2**32 - 1),
    SnmpType.COUNTER64: (rfc1902.Counter64, 2**64 - 1),
}


@given(st.sampled_from(sorted(APPLICATION)), st.data())
def test_application_integers_match_pysnmp(kind: SnmpType, data: st.DataObject) -> None:
    cls, maximum = APPLICATION[kind]
    value = data.draw(st.integers(0, maximum))
    wire = ber.encode_value(kind, value)
    assert wire == asn1_encoder.encode(cls(value))
    decoded, rest = asn1_decoder.decode(wire, asn1Spec=cls())
    assert int(decoded) == value and not rest


def test_ip_address_and_opaque_match_pysnmp() -> None:
    assert ber.encode_value(SnmpType.IP_ADDRESS, bytes([10, 0, 0, 7])) == asn1_encoder.encode(
        rfc1902.IpAddress("10.0.0.7"))
    assert ber.encode_value(SnmpType.OPAQUE, b"\x9f\x78") == asn1_encoder.encode(
        rfc1902.Opaque(b"\x9f\x78"))


@given(oids, values)
def test_value_round_trip_and_fast_varbind(oid: tuple[int, ...], value: tuple[SnmpType, object]
                                           ) -> None:
    wire = ber.encode_value(*value)
    tag, start, stop = ber.read_tlv(wire, 0, len(wire))
    assert stop == len(wire)
    assert ber.decode_value(tag, wire, start, stop) == value
    slow = ber.encode_varbind(ber.encode_oid(oid), wire)
    assert ber.varbind_tlv(oid, value[0], value[1]) == slow
    decoded, rest = asn1_decoder.decode(slow, asn1Spec=rfc1905.VarBind())
    assert tuple(decoded[0]) == oid and not rest
