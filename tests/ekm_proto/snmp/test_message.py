"""Message and PDU codec, checked against pysnmp's encoder/decoder and hand-built bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyasn1.codec.ber import encoder as asn1_encoder

from ekm_proto.errors import SnmpDecodeError, SnmpEncodeError
from ekm_proto.snmp import ber
from ekm_proto.snmp.message import (
    CommunityMessage,
    Pdu,
    PduType,
    ScopedPdu,
    SnmpBadVersion,
    SnmpUnknownPdu,
    V3Message,
    decode_community_message,
    decode_v3_message,
    decode_version,
    encode_community_message,
    encode_pdu,
    encode_scoped_pdu,
    encode_v3_message,
)
from ekm_proto.snmp.types import SnmpType, SnmpValue
from tests.ekm_proto.snmp import pysnmp_ref
from tests.ekm_proto.snmp.strategies import oids, values

SYS_DESCR = (1, 3, 6, 1, 2, 1, 1, 1, 0)
NULL: SnmpValue = (SnmpType.NULL, None)

# snmpget -v2c -c public HOST sysDescr.0 with request-id 0x4d, hand-assembled per RFC 3416
GET_V2C = bytes.fromhex(
    "3026" "020101" "0406" "7075626c6963"
    "a019" "02014d" "020100" "020100" "300e" "300c" "06082b06010201010100" "0500")


def test_decode_hand_built_get() -> None:
    message = decode_community_message(GET_V2C)
    assert message == CommunityMessage(1, b"public", Pdu(0xA0, 0x4D, 0, 0, [(SYS_DESCR, NULL)]))


def test_encode_matches_hand_built_get() -> None:
    pdu = Pdu(PduType.GET, 0x4D, 0, 0, [(SYS_DESCR, NULL)])
    assert encode_community_message(CommunityMessage(1, b"public", pdu)) == GET_V2C


# v1 has GET, GETNEXT, RESPONSE and SET; GETBULK, INFORM, v2 TRAP and REPORT exist from v2c on
_PDUS_BY_VERSION = [(0, tag) for tag in (0xA0, 0xA1, 0xA2, 0xA3)] + [
    (1, tag) for tag in (0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA6, 0xA7, 0xA8)]


@pytest.mark.parametrize(("version", "tag"), _PDUS_BY_VERSION)
def test_pysnmp_messages_decode(tag: int, version: int) -> None:
    varbinds = [(SYS_DESCR, (SnmpType.OCTET_STRING, b"LaserJet")),
                ((1, 3, 6, 1, 2, 1, 1, 3, 0), (SnmpType.TIMETICKS, 99)),
                ((1, 3, 6, 1, 4, 1, 11, 7), (SnmpType.COUNTER32, 2**32 - 1))]
    wire = pysnmp_ref.encode_community(version, b"monitor", tag, -17, varbinds, 2, 3)
    message = decode_community_message(wire)
    assert message == CommunityMessage(version, b"monitor", Pdu(tag, -17, 2, 3, varbinds))
    assert encode_community_message(message) == wire


def test_trap_v1_is_recognised_not_parsed() -> None:
    trap = bytes.fromhex("a4" "06" "06012b" "400100")  # junk inside: we never read it
    wire = bytes.fromhex("300f020100" "0406" "7075626c6963") + trap
    wire = bytes([0x30, len(wire) - 2]) + wire[2:]
    assert decode_community_message(wire).pdu == Pdu(0xA4, 0)


def tlv(tag: int, *parts: str | bytes) -> bytes:
    """A TLV around hex or raw parts, lengths computed: malformed cases break one thing only."""
    content = b"".join(bytes.fromhex(p) if isinstance(p, str) else p for p in parts)
    return ber.encode_tlv(tag, content)


HEAD = ("020101", "0406", b"public")
FIELDS = ("020101", "020100", "020100")


@pytest.mark.parametrize(("wire", "error"), [
    (tlv(0x30, "020102"), SnmpBadVersion),  # version 2 does not exist
    (tlv(0x30, "0201ff"), SnmpBadVersion),
    (tlv(0x30, "02030f4240"), SnmpBadVersion),  # version 1,000,000
    (bytes.fromhex("3010020101040000"), ber.BerTruncated),  # outer length longer than datagram
    (bytes.fromhex("3003020101040000"), ber.BerTrailingBytes),  # ... or shorter
    (tlv(0x30, *HEAD, tlv(0xA0, *FIELDS, "3000")) + b"\x00", ber.BerTrailingBytes),
    (tlv(0x30, *HEAD), ber.BerTruncated),  # no PDU at all
    (tlv(0x30, *HEAD, "a00502010102"), ber.BerTruncated),  # PDU cut inside error-status
    (tlv(0x30, *HEAD, tlv(0xA9, *FIELDS, "3000")), SnmpUnknownPdu),
    (tlv(0x30, *HEAD, tlv(0x30, *FIELDS, "3000")), SnmpUnknownPdu),
    (tlv(0x30, *HEAD, tlv(0xA0, *FIELDS, tlv(0x30, "0500"))), ber.BerBadTag),  # VarBind not SEQ
    (tlv(0x30, *HEAD, tlv(0xA0, *FIELDS, tlv(0x30, tlv(0x30, "0500")))), ber.BerBadTag),  # no name
    (tlv(0x30, *HEAD, tlv(0xA0, *FIELDS, "3100")), ber.BerBadTag),  # VarBindList as SET
    (tlv(0x30, *HEAD, tlv(0xA0, *FIELDS, "3000", "0500")), ber.BerTrailingBytes),
    (tlv(0x30, *HEAD, tlv(0xA0, *FIELDS, tlv(0x30, tlv(0x30, "06032b0601", "0500", "0500")))),
     ber.BerTrailingBytes),  # VarBind with a third element
    (tlv(0x30, *HEAD, tlv(0xA0, "02050100000000", "020100", "020100", "3000")), ber.BerBadValue),
    (tlv(0x30, *HEAD, tlv(0xA0, *FIELDS, tlv(0x30, tlv(0x30, "0600", "0500")))), ber.BerBadValue),
    (tlv(0x30, "020101", "2400", tlv(0xA0, *FIELDS, "3000")), ber.BerBadTag),  # constructed string
])
def test_malformed_messages(wire: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        decode_community_message(wire)


def test_encode_rejects_unencodable_pdus() -> None:
    with pytest.raises(SnmpEncodeError):
        encode_pdu(Pdu(0xA4, 1))
    with pytest.raises(SnmpEncodeError):
        encode_pdu(Pdu(0xA0, 2**31))
    with pytest.raises(SnmpEncodeError):
        encode_community_message(CommunityMessage(3, b"x", Pdu(0xA0, 1)))


def test_decode_version_needs_the_whole_datagram() -> None:
    assert decode_version(GET_V2C) == (1, 5, len(GET_V2C))
    with pytest.raises(ber.BerTrailingBytes):
        decode_version(GET_V2C + b"\x00")


V2_ONLY = (SnmpType.COUNTER64, SnmpType.NO_SUCH_OBJECT, SnmpType.NO_SUCH_INSTANCE,
           SnmpType.END_OF_MIB_VIEW)
pdu_tags = st.sampled_from([0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA6, 0xA7, 0xA8])
int32 = st.integers(-(2**31), 2**31 - 1)
varbind_lists = st.lists(st.tuples(oids, values), max_size=12)


@given(st.sampled_from([0, 1]), st.binary(max_size=40), pdu_tags, int32, int32, int32,
       varbind_lists)
def test_community_round_trip_against_pysnmp(version: int, community: bytes, tag: int,
                                             request_id: int, status: int, index: int,
                                             varbinds: list) -> None:
    pdu = Pdu(tag, request_id, status, index, varbinds)
    wire = encode_community_message(CommunityMessage(version, community, pdu))
    assert decode_community_message(wire) == CommunityMessage(version, community, pdu)
    if version == 0 and (tag in (0xA5, 0xA6, 0xA7, 0xA8) or any(
            value[0] in V2_ONLY for _oid, value in varbinds)):
        return  # pysnmp's SMIv1 has no such PDUs, no Counter64 and no exceptions
    if not (0 <= status <= 18 or tag == 0xA5) or status < 0 or index < 0:
        return  # pysnmp constrains error-status/index (RFC 3416 ranges)
    ref_version, ref_community, ref_pdu = pysnmp_ref.decode_community(wire)
    assert (ref_version, ref_community) == (version, community)
    assert (ref_pdu.tag, ref_pdu.request_id, ref_pdu.error_status, ref_pdu.error_index) == (
        tag, request_id, status, index)
    assert ref_pdu.varbinds == varbinds


@given(st.binary(max_size=200))
def test_random_bytes_only_raise_decode_errors(data: bytes) -> None:
    try:
        decode_community_message(data)
    except SnmpDecodeError:
        pass
    try:
        decode_v3_message(data)
    except SnmpDecodeError:
        pass


# ------------------------------------------------------------------------------------ SNMPv3

def v3_sample(encrypted: bool) -> V3Message:
    scoped = ScopedPdu(b"\x80\x00\x07\xe5\x80eng", b"", Pdu(0xA1, 99, 0, 0, [(SYS_DESCR, NULL)]))
    usm_params = bytes.fromhex("300e" "0400" "020100" "020100" "0400" "0400" "0400")
    data: ScopedPdu | bytes = b"\x01\x02\x03" if encrypted else scoped
    return V3Message(123456, 65507, 0x07 if encrypted else 0x04, 3, usm_params, data)


@pytest.mark.parametrize("encrypted", [False, True])
def test_v3_message_round_trip_and_pysnmp_reading(encrypted: bool) -> None:
    message = v3_sample(encrypted)
    wire = encode_v3_message(message)
    decoded = decode_v3_message(wire)
    assert decoded.msg_id == 123456 and decoded.max_size == 65507 and decoded.flags == message.flags
    assert decoded.security_parameters == message.security_parameters
    assert wire[decoded.security_parameters_start:][:16] == message.security_parameters
    assert decoded.data == message.data
    ref = pysnmp_ref.decode_v3(wire)
    assert (ref.msg_id, ref.max_size, ref.flags, ref.security_model) == (123456, 65507,
                                                                        message.flags, 3)
    if encrypted:
        assert ref.encrypted == b"\x01\x02\x03"
    else:
        engine_id, context, pdu = pysnmp_ref.read_scoped(ref.scoped)
        assert engine_id == b"\x80\x00\x07\xe5\x80eng" and context == b""
        assert (pdu.tag, pdu.request_id, pdu.varbinds) == (0xA1, 99, [(SYS_DESCR, NULL)])


def test_scoped_pdu_matches_pysnmp_encoding() -> None:
    from pysnmp.proto.mpmod.rfc3412 import ScopedPDU

    pdu = pysnmp_ref.encode_pdu_object(0xA0, 7, [(SYS_DESCR, NULL)])
    reference = ScopedPDU()
    reference["contextEngineId"] = b"\x80\x00\x00\x01"
    reference["contextName"] = b"ctx"
    reference["data"]["get-request"] = pdu
    ours = encode_scoped_pdu(ScopedPdu(b"\x80\x00\x00\x01", b"ctx",
                                       Pdu(0xA0, 7, 0, 0, [(SYS_DESCR, NULL)])))
    assert ours == asn1_encoder.encode(reference)


@pytest.mark.parametrize(("mutate", "error"), [
    (lambda w: w.replace(bytes.fromhex("0203 00ffe3"), bytes.fromhex("0202 01e3")), ber.BerBadValue),
    (lambda w: w.replace(bytes.fromhex("040104"), bytes.fromhex("04020404")), ber.BerTruncated),
    (lambda w: w + b"\x00", ber.BerTrailingBytes),
])
def test_v3_malformed(mutate: object, error: type[Exception]) -> None:
    wire = encode_v3_message(v3_sample(False))
    bad = mutate(wire)  # type: ignore[operator]
    assert bad != wire
    with pytest.raises(SnmpDecodeError):
        decode_v3_message(bad)
