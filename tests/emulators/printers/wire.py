"""Plain datagram exchanges for the printer tests that put the emulator beside net-snmp's snmpd:
the same request bytes to both, each answer decoded with the manager's decoders."""

from __future__ import annotations

import socket
from pathlib import Path

from ekm_proto.snmp import usm
from ekm_proto.snmp.manager.encoding import (
    decode_v3_response,
    encode_community_request,
    encode_discovery,
    encode_v3_request,
)
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.message import Pdu, PduType, SnmpVersion, decode_community_message
from ekm_proto.snmp.types import NULL, Oid, SnmpValue, VarBind
from tests.ekm_proto.snmp.snmpd_agent import COMMUNITY, RunningSnmpd, start_snmpd

READ, WRITE = COMMUNITY, "protolab-rw"
RO_USER, RW_USER = "reader", "writer"
AUTH_KEY, PRIV_KEY = "protolab-auth-1", "protolab-priv-1"
Address = tuple[str, int]


def exchange(address: Address, data: bytes, timeout: float = 1.0) -> bytes | None:
    """Send one datagram, return the answer (None after ``timeout`` seconds of silence)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.connect(address)
        sock.send(data)
        try:
            return sock.recv(65536)
        except TimeoutError:
            return None


def community_request(kind: int, varbinds: list[VarBind], community: str = READ,
                      version: SnmpVersion = SnmpVersion.V2C, request_id: int = 1,
                      repetitions: int = 0) -> bytes:
    pdu = Pdu(kind, request_id, 0, repetitions, varbinds)
    return encode_community_request(Community(community.encode(), version), pdu)


def ask(address: Address, kind: int, varbinds: list[VarBind], **how: object) -> Pdu | None:
    answer = exchange(address, community_request(kind, varbinds, **how))  # type: ignore[arg-type]
    return None if answer is None else decode_community_message(answer).pdu


def get(address: Address, *oids: Oid, community: str = READ) -> list[VarBind]:
    pdu = ask(address, PduType.GET, [(oid, NULL) for oid in oids], community=community)
    assert pdu is not None, f"{address} did not answer"
    return pdu.varbinds


def user(name: str) -> usm.UserKeys:
    return usm.UserKeys(usm.UsmUser(name, "SHA", AUTH_KEY, "AES", PRIV_KEY))


def discover(address: Address) -> tuple[bytes, int, int]:
    """(engine ID, boots, time) from an agent's discovery Report."""
    answer = exchange(address, encode_discovery(7))
    assert answer is not None
    _message, params, _scoped = decode_v3_response(answer)
    return params.engine_id, params.boots, params.time


def v3_request(address: Address, keys: usm.UserKeys, kind: int, varbinds: list[VarBind],
               msg_id: int = 11) -> Pdu:
    engine_id, boots, engine_time = discover(address)
    data = encode_v3_request(keys, engine_id, boots, engine_time, Pdu(kind, msg_id, 0, 0,
                                                                       varbinds),
                             msg_id=msg_id, salt=msg_id)
    answer = exchange(address, data)
    assert answer is not None
    return decode_v3_response(answer, keys)[2].pdu


def set_request(address: Address, varbinds: list[tuple[Oid, SnmpValue]], community: str = WRITE,
                version: SnmpVersion = SnmpVersion.V2C) -> tuple[int, int]:
    """(error-status, error-index) of a SET."""
    pdu = ask(address, PduType.SET, varbinds, community=community, version=version)
    assert pdu is not None, f"{address} did not answer the SET"
    return pdu.error_status, pdu.error_index


def start_writable_snmpd(folder: Path) -> RunningSnmpd:
    """snmpd with a read and a write community and a read and a write SNMPv3 user, and no
    sysContact/sysName/sysLocation lines (which would make those objects read-only)."""
    return start_snmpd(folder, [
        f"rocommunity {READ} 127.0.0.1", f"rwcommunity {WRITE} 127.0.0.1",
        f'createUser {RO_USER} SHA "{AUTH_KEY}" AES "{PRIV_KEY}"',
        f'createUser {RW_USER} SHA "{AUTH_KEY}" AES "{PRIV_KEY}"',
        f"rouser {RO_USER} priv", f"rwuser {RW_USER} priv"])
