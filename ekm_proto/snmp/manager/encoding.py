"""The manager's side of USM, just enough to build SNMPv3 requests and read the answers.

The engine never needs it; the benchmark's load client and the tests do (pre-encoded authPriv
requests for a known engine ID, boots and time). It reuses the agent's key machinery, so it is no
independent reference: tests cross-check it against net-snmp and pysnmp managers.
"""

from __future__ import annotations

import hmac

from ekm_proto.errors import SnmpAuthError, SnmpDecodeError
from ekm_proto.snmp import usm
from ekm_proto.snmp.ber import encode_tlv
from ekm_proto.snmp.message import (
    FLAG_AUTH,
    FLAG_PRIV,
    FLAG_REPORTABLE,
    Pdu,
    ScopedPdu,
    V3Message,
    decode_scoped_pdu,
    decode_v3_message,
    encode_scoped_pdu,
    v3_envelope,
)


def encode_v3_request(user: usm.UserKeys | None, engine_id: bytes, boots: int, engine_time: int,
                      pdu: Pdu, *, msg_id: int, level: int | None = None,
                      reportable: bool = True, context_name: bytes = b"",
                      context_engine_id: bytes | None = None, salt: int = 0,
                      max_size: int = 65507, user_name: bytes | None = None) -> bytes:
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


def decode_v3_response(data: bytes, user: usm.UserKeys | None = None
                       ) -> tuple[V3Message, usm.UsmParameters, ScopedPdu]:
    """Read (and, with ``user``, verify and decrypt) an agent's Response or Report."""
    message = decode_v3_message(data)
    start = message.security_parameters_start
    params = usm.decode_usm_parameters(data, start, start + len(message.security_parameters))
    if message.flags & FLAG_AUTH:
        if user is None or user.auth is None:
            raise SnmpAuthError("an authenticated message needs the user's keys")
        hmac_key, cipher = user.localized(params.engine_id)
        zeroed = bytearray(data)
        zeroed[params.auth_start:params.auth_start + hmac_key.mac_length] = bytes(
            hmac_key.mac_length)
        if not hmac.compare_digest(hmac_key.mac(zeroed), params.auth_parameters):
            raise SnmpAuthError("wrong digest on the response")
        if message.flags & FLAG_PRIV:
            if cipher is None or not isinstance(message.data, bytes):
                raise SnmpAuthError("cannot decrypt the response")
            plaintext = cipher.decrypt(message.data, params.priv_parameters, params.boots,
                                       params.time)
            if plaintext is None:
                raise SnmpAuthError("decryption error")
            scoped, _stop = decode_scoped_pdu(plaintext, 0, len(plaintext))
            return message, params, scoped
    if not isinstance(message.data, ScopedPdu):
        raise SnmpDecodeError("encrypted data without the privacy flag")
    return message, params, message.data

