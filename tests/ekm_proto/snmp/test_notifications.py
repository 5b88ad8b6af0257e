"""The notification codec (v1 Trap-PDU, v2 Trap, Inform, the Response to an Inform): round trips,
RFC 3584's v1/v2 translation, datagrams net-snmp's snmptrap and snmpinform really send, and the
agent engine as a receiver joined to the manager without sockets (SNMPv3 informs included)."""

from __future__ import annotations

import socket
import subprocess

import pytest

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.engine_mib import IN_TRAPS
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.manager.events import Response
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import RetryPolicy, Target, inform
from ekm_proto.snmp.message import PduType, decode_community_message
from ekm_proto.snmp.notifications import (
    COLD_START,
    SNMP_TRAP_ENTERPRISE_0,
    Notification,
    NotificationError,
    ReceivedNotification,
    TrapV1,
    decode_community_notification,
    encode_notification,
    encode_trap_v1,
    from_v1,
    inform_response,
    to_v1,
)
from ekm_proto.snmp.types import SnmpType, parse_oid
from ekm_proto.snmp.usm import UserKeys, UsmUser

OID, INT, STR = SnmpType.OBJECT_IDENTIFIER, SnmpType.INTEGER, SnmpType.OCTET_STRING
PRINTER_V2_ALERT = parse_oid("1.3.6.1.2.1.43.0.1")
CODE = parse_oid("1.3.6.1.2.1.43.18.1.1.7.1.5")
HP = parse_oid("1.3.6.1.4.1.11.2.3.9.1")


def test_v1_trap_round_trip_and_rfc_3584_translation() -> None:
    alert = Notification(PRINTER_V2_ALERT, 4200, [(CODE, (INT, 808))])
    trap = to_v1(alert, bytes([127, 30, 0, 9]))
    assert (trap.enterprise, trap.generic, trap.specific) == (parse_oid("1.3.6.1.2.1.43"), 6, 1)
    received = decode_community_notification(encode_trap_v1(b"public", trap))
    assert received.trap_v1 == trap and received.security_name == b"public"
    assert received.notification.trap_oid == PRINTER_V2_ALERT
    assert received.notification.varbinds[-1] == (SNMP_TRAP_ENTERPRISE_0,
                                                   (OID, parse_oid("1.3.6.1.2.1.43")))
    booted = Notification(COLD_START, 0, [(SNMP_TRAP_ENTERPRISE_0, (OID, HP))])
    v1 = to_v1(booted, bytes(4))
    assert (v1.enterprise, v1.generic, v1.specific, v1.varbinds) == (HP, 0, 0, [])
    assert from_v1(v1).trap_oid == COLD_START


def test_v2c_trap_inform_and_response_round_trip() -> None:
    said = Notification(COLD_START, 77, [(SNMP_TRAP_ENTERPRISE_0, (OID, HP))])
    trap = decode_community_notification(encode_notification(b"c", said))
    assert (trap.pdu_type, trap.notification) == (PduType.TRAP_V2, said)
    asked = decode_community_notification(encode_notification(b"c", said, inform=True,
                                                              request_id=4711))
    answer = decode_community_message(inform_response(asked))
    assert (answer.pdu.type, answer.pdu.request_id, answer.community) == (PduType.RESPONSE, 4711,
                                                                         b"c")
    assert answer.pdu.varbinds == said.v2_varbinds()


@pytest.mark.parametrize("data", [
    b"", b"\x30\x00", encode_notification(b"c", Notification(COLD_START, 1))[:-3],
    bytes.fromhex("302602010004067075626c6963a019020101020100020100300e300c06082b060102010101000500"),
])
def test_what_is_not_a_notification_is_a_typed_error(data: bytes) -> None:
    with pytest.raises(SnmpDecodeError):
        decode_community_notification(data)
    with pytest.raises(NotificationError):
        Notification.from_v2([(CODE, (INT, 1))])


def _capture(env: dict[str, str], tool: str, version: str, *args: str) -> bytes:
    """What a net-snmp tool sends, caught on a UDP socket of ours (no answer: it times out)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        target = f"127.0.0.1:{sock.getsockname()[1]}"
        process = subprocess.Popen([tool, "-r", "0", "-t", "0.5", version, "-c", "public",
                                    target, *args], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env)
        try:
            return sock.recv(65536)
        finally:
            process.wait(10)


def test_net_snmp_traps_and_informs_decode(snmp_env: dict[str, str],
                                           net_snmp_tools: None) -> None:
    v1 = decode_community_notification(_capture(
        snmp_env, "snmptrap", "-v1", ".1.3.6.1.2.1.43", "127.30.0.9", "6", "1", "123",
        ".1.3.6.1.2.1.43.18.1.1.7.1.5", "i", "808"))
    assert v1.trap_v1 == TrapV1(parse_oid("1.3.6.1.2.1.43"), bytes([127, 30, 0, 9]), 6, 1, 123,
                                [(CODE, (INT, 808))])
    assert v1.notification.trap_oid == PRINTER_V2_ALERT
    v2 = decode_community_notification(_capture(
        snmp_env, "snmptrap", "-v2c", "123", ".1.3.6.1.6.3.1.1.5.1", ".1.3.6.1.6.3.1.1.4.3.0",
        "o", ".1.3.6.1.4.1.11.2.3.9.1"))
    assert v2.notification == Notification(COLD_START, 123, [(SNMP_TRAP_ENTERPRISE_0,
                                                               (OID, HP))])
    asked = decode_community_notification(_capture(
        snmp_env, "snmpinform", "-v2c", "5", ".1.3.6.1.6.3.1.1.5.4"))
    assert asked.pdu_type == PduType.INFORM and asked.request_id != 0


def test_the_engine_receives_informs_and_the_manager_hears_the_answer() -> None:
    """A monitor's trap port: the agent engine with a handler, joined without sockets to the
    sender (the manager's INFORM operation), SNMPv2c and SNMPv3 authPriv (discovery first)."""
    got: list[ReceivedNotification] = []
    user = UsmUser("informer", "SHA", "inform-auth-1", "AES", "inform-priv-1")
    receiver = StaticAgent(StaticMibView([]), bytes.fromhex("800000000170726f746f"))
    engine = SnmpEngine(StaticDirectory({"127.0.0.1": receiver}),
                        SecurityConfig(["public"], [user]),
                        notifications=lambda n, _address, _peer: got.append(n))
    manager = SnmpManager(first_request_id=100)
    said = Notification(COLD_START, 9, [(SNMP_TRAP_ENTERPRISE_0, (OID, HP))])
    retry = RetryPolicy(1.0, 3)
    handles = [manager.submit(Target.v2c("127.0.0.1", 162, "public", retry), inform(
        said.v2_varbinds()), 0.0), manager.submit(Target.v3("127.0.0.1", 162, user=UserKeys(
            user), retry=retry), inform(said.v2_varbinds()), 0.0)]
    lost = True
    for _ in range(6):  # the first v2c inform is lost: re-sent after its timeout
        for data, (host, port), _handle in manager.datagrams_to_send():
            if lost and PduType.INFORM in data[:40]:
                lost = False
                continue
            answer = engine.handle(data, host, 1.0)
            if answer is not None:
                manager.receive(answer[0], (host, port), 1.0)
        manager.handle_timer(1.5)
    events = []
    while (event := manager.next_event()) is not None:
        events.append(event)
    assert sorted(e.handle for e in events) == handles
    assert all(isinstance(e, Response) and e.varbinds == said.v2_varbinds() for e in events)
    assert [(n.version, n.pdu_type, n.notification) for n in got] == [
        (3, PduType.INFORM, said), (1, PduType.INFORM, said)]
    assert got[0].security_name == b"informer"
    assert manager.stats.retransmitted == 1 and manager.stats.discoveries == 1
    assert receiver.counters[IN_TRAPS] == 2  # snmpInTraps
