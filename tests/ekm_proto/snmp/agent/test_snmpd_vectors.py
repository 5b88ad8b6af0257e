"""Replays requests recorded from net-snmp's snmpd (vectors/snmpd_exchanges.json) into the engine,
configured like that snmpd, and demands snmpd's bytes back: same reports (RFC 3414 usmStats, flags,
request-id rules), same responses. Encrypted answers carry a random salt, so those are compared
after decryption with pysnmp's AES."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyasn1.type import univ

from ekm_proto.snmp import usm
from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.engine_mib import USM_COUNTER_NAMES
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.types import NO_SUCH_OBJECT, SnmpType, SnmpValue
from tests.ekm_proto.snmp import pysnmp_ref

RECORDING = json.loads((Path(__file__).parent.parent / "vectors"
                                 / "snmpd_exchanges.json").read_text())
ENGINE_ID = bytes.fromhex(RECORDING["engine_id"])
USM_NAMES = {1: "unsupportedSecLevels", 2: "notInTimeWindows", 3: "unknownUserNames",
             4: "unknownEngineIDs", 5: "wrongDigests", 6: "decryptionErrors"}


def _value(kind: str, value: Any) -> tuple[SnmpType, object]:
    snmp_type = SnmpType[kind]
    if snmp_type == SnmpType.OCTET_STRING:
        return snmp_type, value.encode()
    if snmp_type == SnmpType.OBJECT_IDENTIFIER:
        return snmp_type, tuple(int(arc) for arc in value.split("."))
    return snmp_type, value


class OverrideView:
    """What snmpd's ``override`` lines serve: single instances, no object types around them, so
    anything else is noSuchObject (never noSuchInstance)."""

    def __init__(self, table: StaticMibView) -> None:
        self.table = table
        self.get_next = table.get_next

    def get(self, oid: tuple[int, ...]) -> SnmpValue:
        value = self.table.get(oid)
        return NO_SUCH_OBJECT if value[0] == SnmpType.NO_SUCH_INSTANCE else value


VIEW = OverrideView(StaticMibView([(tuple(int(a) for a in oid.strip(".").split(".")),
                                    _value(kind, value))
                                   for oid, kind, value in RECORDING["objects"]]))
USERS = [usm.UsmUser(name, auth, auth_key, priv, priv_key)
         for name, auth, auth_key, priv, priv_key in RECORDING["users"]]


def engine_for(response: bytes | None) -> tuple[SnmpEngine, StaticAgent, float]:
    """An engine like the recorded snmpd, at the boots and time snmpd's answer carried."""
    boots, now = 1, 1.5
    if response is not None:
        ref = pysnmp_ref.decode_v3(response)
        boots = int(ref.usm["msgAuthoritativeEngineBoots"])
        now = int(ref.usm["msgAuthoritativeEngineTime"]) + 0.5
    agent = StaticAgent(VIEW, ENGINE_ID, boots=boots, started=0.0)
    engine = SnmpEngine(StaticDirectory({"127.0.0.1": agent}),
                        SecurityConfig(["public"], USERS))
    return engine, agent, now


def _is_v3(data: bytes) -> bool:
    return pysnmp_ref.api.decodeMessageVersion(data) == 3


def _preset_counter(agent: StaticAgent, response: bytes) -> None:
    """Make the agent's usmStats counter reach the value snmpd reported (snmpd had seen earlier
    cases)."""
    ref = pysnmp_ref.decode_v3(response)
    if ref.scoped is None:
        return
    _engine_id, _context, pdu = pysnmp_ref.read_scoped(ref.scoped)
    if pdu.tag == 0xA8:
        oid, (_kind, value) = pdu.varbinds[0]
        agent.counters[USM_COUNTER_NAMES[USM_NAMES[oid[-2]]]] = int(value) - 1  # type: ignore[call-overload]


EXCHANGES = [(name, index, exchange)
             for name, case in RECORDING["cases"].items()
             for index, exchange in enumerate(case["exchanges"])]


@pytest.mark.parametrize(("name", "index", "exchange"), EXCHANGES,
                         ids=[f"{n}-{i}" for n, i, _e in EXCHANGES])
def test_same_bytes_as_snmpd(name: str, index: int, exchange: dict[str, str]) -> None:
    request = bytes.fromhex(exchange["request"])
    expected = bytes.fromhex(exchange["response"]) if exchange["response"] else None
    engine, agent, now = engine_for(expected if expected and _is_v3(expected) else None)
    if expected is not None and _is_v3(expected):
        _preset_counter(agent, expected)
    result = engine.handle(request, "127.0.0.1", now)
    if expected is None:
        assert result is None
        return
    assert result is not None, f"{name}: snmpd answered, the engine stayed silent"
    response, delay = result
    assert delay == 0.0
    if not _is_v3(expected) or not _encrypted(expected):
        assert response.hex() == expected.hex()
        return
    _same_after_decryption(response, expected)


def _encrypted(message: bytes) -> bool:
    return bool(pysnmp_ref.decode_v3(message).flags & 0x02)


def _same_after_decryption(ours: bytes, theirs: bytes) -> None:
    from pysnmp.proto.secmod.rfc3826.priv import aes as pysnmp_aes  # import order matters

    mine, reference = pysnmp_ref.decode_v3(ours), pysnmp_ref.decode_v3(theirs)
    assert (mine.msg_id, mine.max_size, mine.flags, mine.security_model) == (
        reference.msg_id, reference.max_size, reference.flags, reference.security_model)
    for field in ("msgAuthoritativeEngineId", "msgAuthoritativeEngineBoots",
                  "msgAuthoritativeEngineTime", "msgUserName"):
        assert mine.usm[field] == reference.usm[field]
    auth = usm.HMAC_SHA
    priv_key = usm.localize_key(usm.password_to_key(b"privpass12", auth), ENGINE_ID, auth)[:16]
    plain = []
    for message in (mine, reference):
        privacy = (int(message.usm["msgAuthoritativeEngineBoots"]),
                   int(message.usm["msgAuthoritativeEngineTime"]),
                   univ.OctetString(bytes(message.usm["msgPrivacyParameters"])))
        plain.append(bytes(pysnmp_aes.Aes().decrypt_data(univ.OctetString(priv_key), privacy,
                                                          univ.OctetString(message.encrypted))))
    assert plain[0].hex() == plain[1].hex()


def test_the_recording_covers_every_usm_report() -> None:
    reported = set()
    for _name, _index, exchange in EXCHANGES:
        if exchange["response"] and _is_v3(bytes.fromhex(exchange["response"])):
            ref = pysnmp_ref.decode_v3(bytes.fromhex(exchange["response"]))
            if ref.scoped is not None:
                pdu = pysnmp_ref.read_scoped(ref.scoped)[2]
                if pdu.tag == 0xA8:
                    reported.add(USM_NAMES[pdu.varbinds[0][0][-2]])
    assert reported >= {"unknownEngineIDs", "unknownUserNames", "wrongDigests",
                        "notInTimeWindows", "unsupportedSecLevels"}
