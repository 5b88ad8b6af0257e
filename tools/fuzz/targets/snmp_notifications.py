"""Fuzz target: the notification codec (SNMPv1 Trap-PDU, SNMPv2c Trap and Inform) and the agent
engine receiving notifications.

Whatever decodes as a notification must encode back to a datagram that decodes to the same
notification (through the RFC 3584 translation for SNMPv1), and an Inform's Response must read as
a Response with the Inform's request-id. The same bytes go to an engine with a notification
handler, which must never raise: only SnmpDecodeError may escape the decoder.
"""

from __future__ import annotations

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp.agent.engine import SecurityConfig, SnmpEngine
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.message import PduType, decode_community_message
from ekm_proto.snmp.notifications import (
    COLD_START,
    SNMP_TRAP_ENTERPRISE_0,
    Notification,
    ReceivedNotification,
    decode_community_notification,
    encode_notification,
    encode_trap_v1,
    inform_response,
    to_v1,
)
from ekm_proto.snmp.types import SnmpType

ADDRESS = "127.0.0.1"
_RECEIVED: list[ReceivedNotification] = []
ENGINE = SnmpEngine(
    StaticDirectory({ADDRESS: StaticAgent(StaticMibView([]), b"\x80\x00\x00\x00\x01fuzz")}),
    SecurityConfig(["public"]), notifications=lambda n, _a, _p: _RECEIVED.append(n))


def TestOneInput(data: bytes) -> None:
    _RECEIVED.clear()
    result = ENGINE.handle(data, ADDRESS, 1.0)
    if result is not None:
        decode_community_message(result[0])  # an answer the engine gives always decodes
    try:
        received = decode_community_notification(data)
    except SnmpDecodeError:
        return
    said = received.notification
    if received.trap_v1 is not None:
        again = decode_community_notification(encode_trap_v1(received.security_name,
                                                             received.trap_v1))
        assert again.trap_v1 == received.trap_v1, "Trap-PDU round trip"
        return
    inform = received.pdu_type == PduType.INFORM
    again = decode_community_notification(encode_notification(
        received.security_name, said, inform=inform, request_id=received.request_id))
    assert again.notification == said, "notification round trip"
    if inform:
        answer = decode_community_message(inform_response(received))
        assert answer.pdu.type == PduType.RESPONSE
        assert answer.pdu.request_id == received.request_id


def seeds() -> list[bytes]:
    enterprise = (SNMP_TRAP_ENTERPRISE_0, (SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 4, 1, 11)))
    alert = Notification((1, 3, 6, 1, 2, 1, 43, 0, 1), 4200, [
        ((1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 7, 1, 5), (SnmpType.INTEGER, 808)),
        ((1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 8, 1, 5), (SnmpType.OCTET_STRING, b"Tray 2 empty"))])
    booted = Notification(COLD_START, 0, [enterprise])
    return [encode_trap_v1(b"public", to_v1(alert, bytes([127, 30, 0, 1]))),
            encode_trap_v1(b"public", to_v1(booted, bytes([127, 30, 0, 2]))),
            encode_notification(b"public", booted),
            encode_notification(b"public", alert, inform=True, request_id=77)]
