"""Fuzz target: SNMP message decoding and the whole sans-IO engine behind it.

Every input goes through the v1/v2c and v3 decoders (a decoded message must re-encode and decode
to itself) and through SnmpEngine.handle, which must never raise: whatever it answers must be a
message our own decoder reads. The custom mutator decrypts and re-signs SNMPv3 seeds after editing
their scopedPDU, so mutations get past HMAC and AES and reach the PDU processing.
"""

from __future__ import annotations

import random

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp import usm
from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.ber import encode_tlv, read_tlv
from ekm_proto.snmp.manager.encoding import encode_v3_request
from ekm_proto.snmp.message import (
    CommunityMessage,
    Pdu,
    decode_community_message,
    decode_scoped_pdu,
    decode_v3_message,
    decode_version,
    encode_community_message,
    encode_v3_message,
    v3_envelope,
)
from ekm_proto.snmp.types import SnmpType
from protolab.byte_edits import mutate_bytes

ADDRESS = "127.30.0.1"
ENGINE_ID = bytes.fromhex("800007e58066757a7a")
NOW = 1000.0
ITEMS = [((1, 3, 6, 1, 2, 1, 1, 1, 0), (SnmpType.OCTET_STRING, b"fuzz printer")),
         ((1, 3, 6, 1, 2, 1, 1, 3, 0), (SnmpType.TIMETICKS, 12345)),
         ((1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1), (SnmpType.COUNTER32, 99)),
         ((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1), (SnmpType.INTEGER, -3)),
         ((1, 3, 6, 1, 4, 1, 11, 1), (SnmpType.COUNTER64, 2**40)),
         ((1, 3, 6, 1, 4, 1, 11, 2), (SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 4, 1, 11))),
         ((1, 3, 6, 1, 4, 1, 11, 3), (SnmpType.IP_ADDRESS, b"\x7f\x1e\x00\x01"))]
USERS = [usm.UsmUser("fuzz-aes", "SHA", "fuzz-auth-key", "AES", "fuzz-priv-key"),
         usm.UsmUser("fuzz-des", "MD5", "fuzz-auth-key", "DES", "fuzz-priv-key"),
         usm.UsmUser("fuzz-auth", "SHA-256", "fuzz-auth-key"), usm.UsmUser("fuzz-none")]
KEYS = {u.name.encode(): usm.UserKeys(u) for u in USERS}
_AGENT = StaticAgent(StaticMibView(ITEMS), ENGINE_ID, boots=1, started=0.0)
_DIRECTORY = StaticDirectory({ADDRESS: _AGENT})


def _engine() -> SnmpEngine:
    return SnmpEngine(_DIRECTORY, SecurityConfig(["public"], USERS), max_message_size=1400)


ENGINE = _engine()


def TestOneInput(data: bytes) -> None:
    try:
        message = decode_community_message(data)
        if message.pdu.type != 0xA4:  # SNMPv1 Traps are recognised, never encoded
            assert decode_community_message(encode_community_message(message)) == message
    except SnmpDecodeError:
        pass
    try:
        v3 = decode_v3_message(data)
        if isinstance(v3.data, bytes) or v3.data.pdu.type != 0xA4:
            assert decode_v3_message(encode_v3_message(v3)).data == v3.data
    except SnmpDecodeError:
        pass
    result = ENGINE.handle(data, ADDRESS, NOW)
    if result is not None:
        response, delay = result
        assert delay == 0.0 and len(response) <= ENGINE.max_message_size
        version, _pos, _end = decode_version(response)
        if version == 3:
            decode_v3_message(response)
        else:
            assert decode_community_message(response).pdu.type == 0xA2


def _requests() -> list[Pdu]:
    oids = [oid for oid, _ in ITEMS]
    null = (SnmpType.NULL, None)
    return [Pdu(0xA0, 1, 0, 0, [(oids[0], null), (oids[4], null), ((1, 3, 9), null)]),
            Pdu(0xA1, 2, 0, 0, [(oids[2], null), (oids[-1], null)]),
            Pdu(0xA5, 3, 1, 5, [((1, 3), null), (oids[1], null)]),
            Pdu(0xA3, 4, 0, 0, [(oids[0], (SnmpType.OCTET_STRING, b"new"))])]


def seeds() -> list[bytes]:
    out = []
    for pdu in _requests():
        for version in (0, 1):
            out.append(encode_community_message(CommunityMessage(version, b"public", pdu)))
        for name, user in KEYS.items():
            out.append(encode_v3_request(user if user.auth else None, ENGINE_ID, 1, 1000, pdu,
                                         msg_id=pdu.request_id, user_name=name, salt=7))
    out.append(encode_v3_request(None, b"", 0, 0, Pdu(0xA0, 9), msg_id=9))  # discovery
    return out


def mutate(data: bytes, seed: int) -> bytes:
    """Edit the (decrypted) scopedPDU of a v3 seed and re-encrypt and re-sign it."""
    rng = random.Random(seed)
    try:
        message = decode_v3_message(data)
        start = message.security_parameters_start
        params = usm.decode_usm_parameters(data, start, start + len(message.security_parameters))
        user = KEYS[params.user_name]
        if isinstance(message.data, bytes):
            _hmac, cipher = user.localized(ENGINE_ID)
            assert cipher is not None
            plaintext = cipher.decrypt(message.data, params.priv_parameters, params.boots,
                                       params.time) or b""
        else:
            plaintext = data[len(data) - len(_scoped_bytes(data, message)):]
        scoped, _stop = decode_scoped_pdu(plaintext, 0, len(plaintext))
    except (SnmpDecodeError, KeyError, AssertionError, ValueError):
        return mutate_bytes(data, rng)
    if rng.random() < 0.3 and scoped.pdu.type != 0xA4:  # same request, fresh salt and MAC
        return encode_v3_request(user if user.auth else None, ENGINE_ID, 1, 1000, scoped.pdu,
                                 msg_id=message.msg_id, user_name=params.user_name,
                                 salt=rng.randrange(1 << 32))
    return _replace_scoped(user, mutate_bytes(plaintext, rng), message.msg_id, rng)


def _scoped_bytes(data: bytes, message: object) -> bytes:
    start = message.security_parameters_start  # type: ignore[attr-defined]
    length = len(message.security_parameters)  # type: ignore[attr-defined]
    _tag, _s, stop = read_tlv(data, start + length, len(data))
    return data[start + length:stop]


def _replace_scoped(user: usm.UserKeys, scoped: bytes, msg_id: int, rng: random.Random) -> bytes:
    """A message around arbitrary scopedPDU bytes, encrypted and signed for ``user``."""
    if user.auth is None:
        security, _offset = usm.encode_usm_parameters(ENGINE_ID, 1, 1000, user.name, 0, b"")
        return v3_envelope(msg_id, 65507, 0x04, security, scoped)[0]
    hmac_key, cipher = user.localized(ENGINE_ID)
    priv = b""
    data = scoped
    if cipher is not None:
        ciphertext, priv = cipher.encrypt(scoped, rng.randrange(1 << 32), 1, 1000)
        data = encode_tlv(0x04, ciphertext)
    security, offset = usm.encode_usm_parameters(ENGINE_ID, 1, 1000, user.name,
                                                 hmac_key.mac_length, priv)
    whole, start = v3_envelope(msg_id, 65507, user.level | 0x04, security, data)
    signed = bytearray(whole)
    signed[start + offset:start + offset + hmac_key.mac_length] = hmac_key.mac(signed)
    return bytes(signed)
