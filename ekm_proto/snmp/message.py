"""SNMP messages and PDUs (RFC 1157, RFC 3416, RFC 3412 section 6): plain data plus a BER codec.

The same codec serves both roles: the agent decodes requests and encodes responses, the manager
encodes requests and decodes responses. Decoders take the whole datagram and a window so
that offsets stay absolute: USM authenticates the whole message and needs to know where its
authentication parameters sit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ekm_proto.errors import SnmpDecodeError, SnmpEncodeError
from ekm_proto.snmp import ber
from ekm_proto.snmp.ber import BerTrailingBytes, decode_int32, encode_integer, expect, header, read_tlv
from ekm_proto.snmp.types import VarBind

__all__ = ["VarBind"]  # re-exported: PDUs carry them


class SnmpVersion(enum.IntEnum):
    """msgVersion values."""

    V1 = 0
    V2C = 1
    V3 = 3


class PduType(enum.IntEnum):
    """Context-specific constructed tags of the PDUs."""

    GET = 0xA0
    GET_NEXT = 0xA1
    RESPONSE = 0xA2
    SET = 0xA3
    TRAP_V1 = 0xA4
    GET_BULK = 0xA5
    INFORM = 0xA6
    TRAP_V2 = 0xA7
    REPORT = 0xA8


class ErrorStatus(enum.IntEnum):
    """error-status values (RFC 3416 section 3)."""

    NO_ERROR = 0
    TOO_BIG = 1
    NO_SUCH_NAME = 2
    BAD_VALUE = 3
    READ_ONLY = 4
    GEN_ERR = 5
    NO_ACCESS = 6
    WRONG_TYPE = 7
    WRONG_LENGTH = 8
    WRONG_ENCODING = 9
    WRONG_VALUE = 10
    NO_CREATION = 11
    INCONSISTENT_VALUE = 12
    RESOURCE_UNAVAILABLE = 13
    COMMIT_FAILED = 14
    UNDO_FAILED = 15
    AUTHORIZATION_ERROR = 16
    NOT_WRITABLE = 17
    INCONSISTENT_NAME = 18


class SnmpBadVersion(SnmpDecodeError):
    """A msgVersion this agent does not speak."""

    reason = "bad-version"


class SnmpUnknownPdu(SnmpDecodeError):
    """A PDU tag outside RFC 3416's set."""

    reason = "unknown-pdu"


PDU_TAGS = frozenset(int(t) for t in PduType)


@dataclass(slots=True)
class Pdu:
    """One PDU. For GETBULK, error_status carries non-repeaters and error_index max-repetitions,
    exactly as they sit on the wire."""

    type: int
    request_id: int
    error_status: int = 0
    error_index: int = 0
    varbinds: list[VarBind] = field(default_factory=list)

    @property
    def non_repeaters(self) -> int:
        return self.error_status

    @property
    def max_repetitions(self) -> int:
        return self.error_index


@dataclass(slots=True)
class CommunityMessage:
    """An SNMPv1 or SNMPv2c message."""

    version: int
    community: bytes
    pdu: Pdu


@dataclass(slots=True)
class ScopedPdu:
    """The SNMPv3 scopedPDU (RFC 3412 section 6)."""

    context_engine_id: bytes
    context_name: bytes
    pdu: Pdu


@dataclass(slots=True)
class V3Message:
    """An SNMPv3 message as framed by the message processing model; the security parameters stay
    opaque bytes here (usm.py reads them). ``data`` is a ScopedPdu or, when encrypted, the
    encryptedPDU octets. ``security_parameters_start`` is the absolute offset of the security
    parameters' content in the decoded datagram."""

    msg_id: int
    max_size: int
    flags: int
    security_model: int
    security_parameters: bytes
    data: ScopedPdu | bytes
    security_parameters_start: int = 0


FLAG_AUTH = 0x01
FLAG_PRIV = 0x02
FLAG_REPORTABLE = 0x04
USM_SECURITY_MODEL = 3


# ---------------------------------------------------------------------------------------- decoding

def decode_varbinds(buf: bytes, start: int, stop: int) -> list[VarBind]:
    """The VarBindList content between ``start`` and ``stop``."""
    varbinds: list[VarBind] = []
    pos = start
    read = read_tlv
    while pos < stop:
        tag, vb_start, vb_stop = read(buf, pos, stop)
        if tag != ber.SEQUENCE:
            raise ber.BerBadTag(f"expected VarBind SEQUENCE at offset {pos}, got 0x{tag:02x}")
        name_start, name_stop = expect(buf, vb_start, vb_stop, ber.OBJECT_IDENTIFIER)
        oid = ber.decode_oid_cached(buf, name_start, name_stop)
        tag, value_start, value_stop = read(buf, name_stop, vb_stop)
        if value_stop != vb_stop:
            raise BerTrailingBytes(f"VarBind has bytes after its value at offset {value_stop}")
        varbinds.append((oid, ber.decode_value(tag, buf, value_start, value_stop)))
        pos = vb_stop
    return varbinds


def decode_pdu(buf: bytes, pos: int, end: int) -> tuple[Pdu, int]:
    """The PDU TLV at ``pos``: ``(pdu, next_pos)``. An SNMPv1 Trap is recognised, not parsed."""
    tag, start, stop = read_tlv(buf, pos, end)
    if tag not in PDU_TAGS:
        raise SnmpUnknownPdu(f"expected a PDU tag at offset {pos}, got 0x{tag:02x}")
    if tag == PduType.TRAP_V1:
        return Pdu(tag, 0), stop
    request_id, cur = decode_int32(buf, start, stop)
    error_status, cur = decode_int32(buf, cur, stop)
    error_index, cur = decode_int32(buf, cur, stop)
    vbl_start, vbl_stop = expect(buf, cur, stop, ber.SEQUENCE)
    if vbl_stop != stop:
        raise BerTrailingBytes(f"PDU has bytes after its varbinds at offset {vbl_stop}")
    return Pdu(tag, request_id, error_status, error_index,
               decode_varbinds(buf, vbl_start, vbl_stop)), stop


def decode_version(buf: bytes) -> tuple[int, int, int]:
    """``(version, next_pos, message_end)`` of a datagram: the outer SEQUENCE must span it all."""
    end = len(buf)
    start, stop = expect(buf, 0, end, ber.SEQUENCE)
    if stop != end:
        raise BerTrailingBytes(f"{end - stop} byte(s) after the message")
    version, pos = decode_int32(buf, start, stop)
    if version not in (0, 1, 3):
        raise SnmpBadVersion(f"expected version 0, 1 or 3, got {version}")
    return version, pos, stop


def decode_community_message(buf: bytes) -> CommunityMessage:
    """An SNMPv1/v2c datagram."""
    version, pos, end = decode_version(buf)
    if version == SnmpVersion.V3:
        raise SnmpBadVersion("expected a community-based message, got version 3")
    return decode_community_body(buf, version, pos, end)


def decode_community_body(buf: bytes, version: int, pos: int, end: int) -> CommunityMessage:
    """The rest of an SNMPv1/v2c message after its version field."""
    start, stop = expect(buf, pos, end, ber.OCTET_STRING)
    community = bytes(buf[start:stop])
    pdu, pos = decode_pdu(buf, stop, end)
    if pos != end:
        raise BerTrailingBytes(f"message has bytes after its PDU at offset {pos}")
    return CommunityMessage(version, community, pdu)


def decode_scoped_pdu(buf: bytes, pos: int, end: int) -> tuple[ScopedPdu, int]:
    """The scopedPDU SEQUENCE at ``pos``: ``(scoped_pdu, next_pos)``."""
    start, stop = expect(buf, pos, end, ber.SEQUENCE)
    id_start, id_stop = expect(buf, start, stop, ber.OCTET_STRING)
    name_start, name_stop = expect(buf, id_stop, stop, ber.OCTET_STRING)
    pdu, cur = decode_pdu(buf, name_stop, stop)
    if cur != stop:
        raise BerTrailingBytes(f"scopedPDU has bytes after its PDU at offset {cur}")
    return ScopedPdu(bytes(buf[id_start:id_stop]), bytes(buf[name_start:name_stop]), pdu), stop


def decode_v3_frame(buf: bytes, pos: int, end: int
                    ) -> tuple[int, int, int, int, int, int, ScopedPdu | bytes]:
    """SNMPv3 message body after the version field, without building objects: ``(msg_id,
    max_size, flags, security_model, security_parameters_start, security_parameters_stop,
    scoped PDU or encrypted octets)``."""
    g_start, g_stop = expect(buf, pos, end, ber.SEQUENCE)
    msg_id, cur = decode_int32(buf, g_start, g_stop)
    max_size, cur = decode_int32(buf, cur, g_stop)
    f_start, f_stop = expect(buf, cur, g_stop, ber.OCTET_STRING)
    if f_stop - f_start != 1:
        raise ber.BerBadValue(f"msgFlags of {f_stop - f_start} octets at offset {f_start}")
    model, cur = decode_int32(buf, f_stop, g_stop)
    if cur != g_stop:
        raise BerTrailingBytes(f"msgGlobalData has bytes after its fields at offset {cur}")
    if msg_id < 0 or max_size < 484 or model < 1:
        raise ber.BerBadValue(f"msgGlobalData out of range (id {msg_id}, max size {max_size}, "
                              f"model {model})")
    sp_start, sp_stop = expect(buf, g_stop, end, ber.OCTET_STRING)
    tag, d_start, d_stop = read_tlv(buf, sp_stop, end)
    if d_stop != end:
        raise BerTrailingBytes(f"message has bytes after its data at offset {d_stop}")
    data: ScopedPdu | bytes
    if tag == ber.OCTET_STRING:
        data = buf[d_start:d_stop]
    elif tag == ber.SEQUENCE:
        data, _ = decode_scoped_pdu(buf, sp_stop, end)
    else:
        raise ber.BerBadTag(f"expected scopedPDU or encryptedPDU at offset {sp_stop}, "
                            f"got 0x{tag:02x}")
    return msg_id, max_size, buf[f_start], model, sp_start, sp_stop, data


def decode_v3_message(buf: bytes, pos: int | None = None, end: int | None = None) -> V3Message:
    """An SNMPv3 datagram, or its body after the version field when ``pos`` is given."""
    if pos is None or end is None:
        version, pos, end = decode_version(buf)
        if version != SnmpVersion.V3:
            raise SnmpBadVersion(f"expected version 3, got {version}")
    msg_id, max_size, flags, model, sp_start, sp_stop, data = decode_v3_frame(buf, pos, end)
    return V3Message(msg_id, max_size, flags, model, bytes(buf[sp_start:sp_stop]), data, sp_start)


# ---------------------------------------------------------------------------------------- encoding

def encode_varbinds(varbinds: list[VarBind]) -> bytes:
    """A VarBindList TLV."""
    body = b"".join(ber.encode_varbind(ber.encode_oid(oid), ber.encode_value(value[0], value[1]))
                    for oid, value in varbinds)
    return header(ber.SEQUENCE, len(body)) + body


def encode_pdu(pdu: Pdu) -> bytes:
    """A PDU TLV (not for SNMPv1 Traps, which this agent never sends)."""
    if pdu.type == PduType.TRAP_V1 or pdu.type not in PDU_TAGS:
        raise SnmpEncodeError(f"cannot encode PDU type 0x{pdu.type:02x}")
    for number in (pdu.request_id, pdu.error_status, pdu.error_index):
        if number < ber.INT32_MIN or number > ber.INT32_MAX:
            raise SnmpEncodeError(f"{number} out of Integer32 range")
    body = (encode_integer(pdu.request_id) + encode_integer(pdu.error_status)
            + encode_integer(pdu.error_index) + encode_varbinds(pdu.varbinds))
    return header(pdu.type, len(body)) + body


def encode_community_message(message: CommunityMessage) -> bytes:
    """An SNMPv1/v2c datagram."""
    if message.version not in (SnmpVersion.V1, SnmpVersion.V2C):
        raise SnmpEncodeError(f"version {message.version} is not community-based")
    body = (encode_integer(message.version) + ber.encode_tlv(ber.OCTET_STRING, message.community)
            + encode_pdu(message.pdu))
    return header(ber.SEQUENCE, len(body)) + body


def encode_scoped_pdu(scoped: ScopedPdu) -> bytes:
    """A scopedPDU SEQUENCE (the plaintext that privacy encrypts)."""
    body = (ber.encode_tlv(ber.OCTET_STRING, scoped.context_engine_id)
            + ber.encode_tlv(ber.OCTET_STRING, scoped.context_name) + encode_pdu(scoped.pdu))
    return header(ber.SEQUENCE, len(body)) + body


def encode_v3_message(message: V3Message) -> bytes:
    """An SNMPv3 datagram around already-encoded security parameters and scoped/encrypted data."""
    data = message.data
    data_tlv = (ber.encode_tlv(ber.OCTET_STRING, data) if isinstance(data, bytes)
                else encode_scoped_pdu(data))
    return v3_envelope(message.msg_id, message.max_size, message.flags,
                       message.security_parameters, data_tlv, message.security_model)[0]


def v3_envelope(msg_id: int, max_size: int, flags: int, security_parameters: bytes,
                data_tlv: bytes, security_model: int = USM_SECURITY_MODEL) -> tuple[bytes, int]:
    """The datagram plus the absolute offset where the security parameters' content starts, so
    the caller can patch the HMAC in place."""
    global_data = (encode_integer(msg_id) + encode_integer(max_size)
                   + bytes((ber.OCTET_STRING, 1, flags)) + encode_integer(security_model))
    head = (b"\x02\x01\x03" + header(ber.SEQUENCE, len(global_data)) + global_data
            + header(ber.OCTET_STRING, len(security_parameters)))
    size = len(head) + len(security_parameters) + len(data_tlv)
    outer = header(ber.SEQUENCE, size)
    return (outer + head + security_parameters + data_tlv, len(outer) + len(head))


def response_pdu(tag: int, request_id: int, status: int, index: int, varbinds: list[bytes]
                 ) -> tuple[list[bytes], int]:
    """The pieces of a Response/Report PDU TLV and their total length, for one final join."""
    vbl_len = 0
    for vb in varbinds:
        vbl_len += len(vb)
    vbl_header = header(0x30, vbl_len)
    rid = encode_integer(request_id)
    status_tlv = encode_integer(status)
    index_tlv = encode_integer(index)
    length = len(rid) + len(status_tlv) + len(index_tlv) + len(vbl_header) + vbl_len
    pdu_header = header(tag, length)
    return [pdu_header, rid, status_tlv, index_tlv, vbl_header, *varbinds], len(pdu_header) + length
