"""The SNMPv3 fast reader reads what the general decoders read, or nothing: for real requests of
every shape and for any bytes at all."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp import usm
from ekm_proto.snmp.agent.usm_fast import V3Fields, read_encrypted_request
from ekm_proto.snmp.manager.encoding import encode_v3_request
from ekm_proto.snmp.message import Pdu, decode_v3_frame, decode_version
from ekm_proto.snmp.types import NULL

KEYS = usm.UserKeys(usm.UsmUser("fast-reader", "SHA", "authpass12", "AES", "privpass12"))
ENGINE = bytes.fromhex("80000009030010db7a0c31")


def _general(data: bytes) -> V3Fields | None:
    try:
        version, pos, end = decode_version(data)
        if version != 3:
            return None
        msg_id, max_size, flags, _model, sp_start, sp_stop, payload = decode_v3_frame(
            data, pos, end)
        params = usm.decode_usm_parameters(data, sp_start, sp_stop)
    except SnmpDecodeError:
        return None
    if not isinstance(payload, bytes):
        return None
    return (msg_id, max_size, flags, params.engine_id, params.boots, params.time,
            params.user_name, params.auth_start, params.auth_parameters, params.priv_parameters,
            payload)


@settings(max_examples=300)
@given(st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1),
       st.integers(1, 6), st.sampled_from([0xA0, 0xA1, 0xA5]))
def test_real_requests_read_alike(msg_id: int, boots: int, time: int, oids: int, kind: int) -> None:
    pdu = Pdu(kind, msg_id, 0, 5 if kind == 0xA5 else 0,
              [((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, n), NULL) for n in range(oids)])
    data = encode_v3_request(KEYS, ENGINE, boots, time, pdu, msg_id=msg_id, salt=msg_id)
    fast = read_encrypted_request(data)
    if oids == 1:  # the shape monitors send most: short lengths everywhere
        assert fast is not None
    assert fast is None or fast == _general(data)


@settings(max_examples=2000)
@given(st.binary(max_size=200), st.integers(0, 180), st.binary(max_size=4))
def test_any_bytes_read_alike_or_not_at_all(junk: bytes, at: int, patch: bytes) -> None:
    base = encode_v3_request(KEYS, ENGINE, 3, 500, Pdu(0xA0, 9, 0, 0, [
        ((1, 3, 6, 1, 2, 1, 1, 5, 0), NULL)]), msg_id=9, salt=9)
    for data in (junk, base[:at] + patch + base[at + len(patch):]):
        fast = read_encrypted_request(data)
        if fast is not None:
            assert fast == _general(data)
