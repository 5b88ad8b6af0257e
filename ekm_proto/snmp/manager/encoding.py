"""The bytes a manager sends and reads: requests for every version, and SNMPv3 answers verified
and decrypted with the user's keys (RFC 3412 section 7.2, RFC 3414 section 3.2 as the
non-authoritative side).

The same key machinery as the agent (usm.py), so tests cross-check the manager against net-snmp's
snmpd and against pysnmp as a second manager, never against itself. The benchmark's load client
pre-encodes its requests with these functions.
"""

from __future__ import annotations

import hmac

from ekm_proto.errors import SnmpDecodeError, SnmpUnverified
from ekm_proto.snmp import ber, usm
from ekm_proto.snmp.ber import encode_tlv
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.message import (
    FLAG_AUTH,
    FLAG_PRIV,
    FLAG_REPORTABLE,
    CommunityMessage,
    Pdu,
    PduType,
    ScopedPdu,
    SnmpVersion,
    V3Message,
    decode_scoped_pdu,
    decode_v3_message,
    encode_community_message,
    encode_scoped_pdu,
    v3_envelope,
)

MAX_SIZE = 65507  # the msgMaxSize a manager announces: whatever one UDP datagram holds


def encode_community_request(security: Community, pdu: Pdu) -> bytes:
    """An SNMPv1/v2c request."""
    return encode_community_message(CommunityMessage(security.version, security.community, pdu))


def encode_v3_request(user: usm.UserKeys | None, engine_id: bytes, boots: int, engine_time: int,
                      pdu: Pdu, *, msg_id: int, level: int | None = None,
                      reportable: bool = True, context_name: bytes = b"",
                      context_engine_id: bytes | None = None, salt: int = 0,
                      max_size: int = MAX_SIZE, user_name: bytes | None = None) -> bytes:
    """An SNMPv3 request from ``user`` (None: noAuthNoPriv with ``user_name``, e.g. discovery).
    ``level`` is the msgFlags auth/priv bits, by default the user's own level."""
    name = user_name if user_name is not None else (user.name if user is not None else b"")
    level = level if level is not None else (user.level if user is not None else 0)
    context_id = context_engine_id if context_engine_id is not None else engine_id
    scoped = encode_scoped_pdu(ScopedPdu(context_id, context_name, pdu))
    hmac_key = cipher = None
    if user is not None and user.auth is not None and level & FLAG_AUTH:
        hmac_key, cipher = user.localized(engine_id)
    priv_parameters = b""
    if level & FLAG_PRIV and cipher is not None:
        ciphertext, priv_parameters = cipher.encrypt(scoped, salt, boots, engine_time)
        data = encode_tlv(0x04, ciphertext)
    else:
        data = scoped
    mac_length = hmac_key.mac_length if hmac_key is not None else 0
    security, mac_offset = usm.encode_usm_parameters(engine_id, boots, engine_time, name,
                                                     mac_length, priv_parameters)
    flags = level | (FLAG_REPORTABLE if reportable else 0)
    whole, start = v3_envelope(msg_id, max_size, flags, security, data)
    if hmac_key is None:
        return whole
    signed = bytearray(whole)
    signed[start + mac_offset:start + mac_offset + mac_length] = hmac_key.mac(signed)
    return bytes(signed)


def encode_discovery(msg_id: int) -> bytes:
    """RFC 3414 section 4: an unauthenticated, reportable GET with no varbinds and an empty engine
    ID, which any SNMPv3 agent answers with a usmStatsUnknownEngineIDs Report carrying its engine
    ID, boots and time."""
    return encode_v3_request(None, b"", 0, 0, Pdu(PduType.GET, msg_id), msg_id=msg_id)


def decode_v3_response(data: bytes, user: usm.UserKeys | None = None
                       ) -> tuple[V3Message, usm.UsmParameters, ScopedPdu]:
    """Read (and, with ``user``, verify and decrypt) an agent's Response or Report; SnmpUnverified
    when the MAC or the decryption fails with these keys."""
    message = decode_v3_message(data)
    start = message.security_parameters_start
    params = usm.decode_usm_parameters(data, start, start + len(message.security_parameters))
    if message.flags & FLAG_AUTH:
        if user is None or user.auth is None or not params.engine_id:
            raise SnmpUnverified("an authenticated message needs the user's keys")
        hmac_key, cipher = user.localized(params.engine_id)
        if len(params.auth_parameters) != hmac_key.mac_length or not hmac.compare_digest(
                hmac_key.mac_around(data, params.auth_start), params.auth_parameters):
            raise SnmpUnverified("wrong digest on the response")
        if message.flags & FLAG_PRIV:
            if cipher is None or not isinstance(message.data, bytes):
                raise SnmpUnverified("cannot decrypt the response")
            plaintext = cipher.decrypt(message.data, params.priv_parameters, params.boots,
                                       params.time)
            if plaintext is None:
                raise SnmpUnverified("decryption error")
            try:
                scoped, _stop = decode_scoped_pdu(plaintext, 0, len(plaintext))
            except SnmpDecodeError as exc:
                raise SnmpUnverified(f"the decrypted scopedPDU does not decode: {exc}") from None
            return message, params, scoped
    if not isinstance(message.data, ScopedPdu):
        raise SnmpDecodeError("encrypted data without the privacy flag")
    return message, params, message.data


def response_id(data: bytes) -> int:
    """What a manager matches an answer on, readable without keys: the request-id of an
    SNMPv1/v2c message, the msgID of an SNMPv3 one."""
    start, stop = ber.expect(data, 0, len(data), ber.SEQUENCE)
    version, pos = ber.decode_int32(data, start, stop)
    if version == SnmpVersion.V3:
        g_start, g_stop = ber.expect(data, pos, stop, ber.SEQUENCE)
        return ber.decode_int32(data, g_start, g_stop)[0]
    _c_start, pos = ber.expect(data, pos, stop, ber.OCTET_STRING)
    _tag, p_start, p_stop = ber.read_tlv(data, pos, stop)
    return ber.decode_int32(data, p_start, p_stop)[0]
