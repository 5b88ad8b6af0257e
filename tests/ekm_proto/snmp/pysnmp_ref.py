"""pysnmp/pyasn1 as the independent reference: build and read SNMP messages without protolab's
codec, so tests compare the fast path against a second implementation, not against itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pyasn1.type import univ
from pysnmp.proto import api, rfc1902, rfc1905
from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters

from ekm_proto.snmp.types import SnmpType, SnmpValue

V1 = api.PROTOCOL_MODULES[api.SNMP_VERSION_1]
V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]

PDU_CLASSES = {
    0xA0: "GetRequestPDU", 0xA1: "GetNextRequestPDU", 0xA2: "ResponsePDU",
    0xA3: "SetRequestPDU", 0xA5: "GetBulkRequestPDU", 0xA6: "InformRequestPDU",
    0xA7: "SNMPv2TrapPDU", 0xA8: "ReportPDU",
}
TO_PYSNMP = {
    SnmpType.INTEGER: rfc1902.Integer32, SnmpType.OCTET_STRING: rfc1902.OctetString,
    SnmpType.OBJECT_IDENTIFIER: rfc1902.ObjectName, SnmpType.IP_ADDRESS: rfc1902.IpAddress,
    SnmpType.COUNTER32: rfc1902.Counter32, SnmpType.GAUGE32: rfc1902.Gauge32,
    SnmpType.TIMETICKS: rfc1902.TimeTicks, SnmpType.OPAQUE: rfc1902.Opaque,
    SnmpType.COUNTER64: rfc1902.Counter64,
}


def to_pysnmp(value: SnmpValue) -> Any:
    kind, content = value
    if kind == SnmpType.NULL:
        return rfc1902.Null("")
    if kind == SnmpType.NO_SUCH_OBJECT:
        return rfc1905.noSuchObject
    if kind == SnmpType.NO_SUCH_INSTANCE:
        return rfc1905.noSuchInstance
    if kind == SnmpType.END_OF_MIB_VIEW:
        return rfc1905.endOfMibView
    return TO_PYSNMP[kind](content)


def from_pysnmp(value: Any) -> SnmpValue:
    """(SnmpType, python value) of a decoded pysnmp value, by its outermost BER tag."""
    while isinstance(value, univ.Choice):  # VarBind value -> ObjectSyntax -> SimpleSyntax...
        value = value.getComponent()
    tag = value.tagSet[-1]
    kind = SnmpType(tag.tagClass | tag.tagFormat | tag.tagId)
    if kind in (SnmpType.NULL, SnmpType.NO_SUCH_OBJECT, SnmpType.NO_SUCH_INSTANCE,
                SnmpType.END_OF_MIB_VIEW):
        return kind, None
    if kind in (SnmpType.OCTET_STRING, SnmpType.IP_ADDRESS, SnmpType.OPAQUE):
        return kind, bytes(value.asOctets())
    if kind == SnmpType.OBJECT_IDENTIFIER:
        return kind, tuple(value)
    return kind, int(value)


@dataclass
class RefPdu:
    tag: int
    request_id: int
    error_status: int
    error_index: int
    varbinds: list[tuple[tuple[int, ...], SnmpValue]]


def encode_pdu_object(tag: int, request_id: int, varbinds: list[tuple[tuple[int, ...], SnmpValue]],
                      error_status: int = 0, error_index: int = 0) -> Any:
    module = V2C
    pdu = getattr(module, PDU_CLASSES[tag])()
    api_pdu = module.apiBulkPDU if tag == 0xA5 else module.apiPDU
    api_pdu.set_defaults(pdu)
    api_pdu.set_request_id(pdu, request_id)
    if tag == 0xA5:
        api_pdu.set_non_repeaters(pdu, error_status)
        api_pdu.set_max_repetitions(pdu, error_index)
    else:
        api_pdu.set_error_status(pdu, error_status)
        api_pdu.set_error_index(pdu, error_index)
    api_pdu.set_varbinds(pdu, [(oid, to_pysnmp(value)) for oid, value in varbinds])
    return pdu


def encode_community(version: int, community: bytes, tag: int, request_id: int,
                     varbinds: list[tuple[tuple[int, ...], SnmpValue]], error_status: int = 0,
                     error_index: int = 0) -> bytes:
    """A v1 (version 0) or v2c (version 1) message encoded by pysnmp."""
    module = V1 if version == 0 else V2C
    pdu = encode_pdu_object(tag, request_id, varbinds, error_status, error_index)
    message = module.Message()
    module.apiMessage.set_defaults(message)
    module.apiMessage.set_community(message, community)
    module.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))


def read_pdu(pdu: Any) -> RefPdu:
    tag_object = pdu.tagSet[-1]
    tag = tag_object.tagClass | tag_object.tagFormat | tag_object.tagId
    varbinds = [(tuple(vb[0]), from_pysnmp(vb[1])) for vb in pdu[3]]
    return RefPdu(tag, int(pdu[0]), int(pdu[1]), int(pdu[2]), varbinds)


def decode_community(data: bytes) -> tuple[int, bytes, RefPdu]:
    """pysnmp's reading of a v1/v2c message: (version, community, pdu)."""
    version = int(api.decodeMessageVersion(data))
    module = V1 if version == 0 else V2C
    message, rest = decoder.decode(data, asn1Spec=module.Message())
    assert not rest, "bytes after the message"
    pdu = message["data"].getComponent()
    return version, bytes(message["community"]), read_pdu(pdu)


@dataclass
class RefV3:
    msg_id: int
    max_size: int
    flags: int
    security_model: int
    usm: Any  # UsmSecurityParameters
    scoped: Any  # ScopedPDU (plaintext) or None
    encrypted: bytes | None


def decode_v3(data: bytes) -> RefV3:
    message, rest = decoder.decode(data, asn1Spec=SNMPv3Message())
    assert not rest, "bytes after the message"
    header = message["msgGlobalData"]
    usm, rest = decoder.decode(bytes(message["msgSecurityParameters"]),
                               asn1Spec=UsmSecurityParameters())
    assert not rest
    data_choice = message["msgData"]
    name = data_choice.getName()
    scoped = data_choice["plaintext"] if name == "plaintext" else None
    encrypted = bytes(data_choice["encryptedPDU"]) if name == "encryptedPDU" else None
    return RefV3(int(header["msgID"]), int(header["msgMaxSize"]),
                 bytes(header["msgFlags"])[0], int(header["msgSecurityModel"]), usm, scoped,
                 encrypted)


def decode_scoped(plaintext: bytes) -> tuple[bytes, bytes, RefPdu]:
    """(contextEngineID, contextName, pdu) of a decrypted scopedPDU, read by pysnmp."""
    from pysnmp.proto.mpmod.rfc3412 import ScopedPDU

    scoped, _rest = decoder.decode(plaintext, asn1Spec=ScopedPDU())
    return read_scoped(scoped)


def read_scoped(scoped: Any) -> tuple[bytes, bytes, RefPdu]:
    return (bytes(scoped["contextEngineId"]), bytes(scoped["contextName"]),
            read_pdu(scoped["data"].getComponent()))
