"""SNMP notifications for both sides: what an agent sends (SNMPv1 Trap-PDU, SNMPv2 Trap, Inform)
and what a receiver reads and answers (the Response to an Inform), as one codec.

A ``Notification`` is what a notification says whatever its version: the trap OID, the sender's
sysUpTime and the varbinds after them (RFC 3416 4.2.6). SNMPv1 carries the same in its own
Trap-PDU (RFC 1157 4.1.6); ``to_v1`` and ``from_v1`` translate as RFC 3584 section 3 says (generic
traps for snmpTraps.1-6, enterprise plus specific trap otherwise, snmpTrapEnterprise.0 carried
along). SNMPv3 informs travel in ordinary v3 messages: the sender encodes them with the manager's
``encode_v3_request`` (the receiver is the authoritative engine); a receiver answers them with the
agent engine (agent/engine.py accepts notifications when given a handler).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ekm_proto.errors import SnmpDecodeError, SnmpEncodeError
from ekm_proto.snmp import ber
from ekm_proto.snmp.ber import BerTrailingBytes, decode_int32, encode_integer, expect, header
from ekm_proto.snmp.message import (
    CommunityMessage,
    Pdu,
    PduType,
    SnmpBadVersion,
    SnmpUnknownPdu,
    SnmpVersion,
    decode_community_body,
    decode_varbinds,
    decode_version,
    encode_community_message,
    encode_varbinds,
)
from ekm_proto.snmp.types import Oid, SnmpType, VarBind

SNMP_TRAPS: Oid = (1, 3, 6, 1, 6, 3, 1, 1, 5)
COLD_START, WARM_START, LINK_DOWN, LINK_UP, AUTHENTICATION_FAILURE = (
    (*SNMP_TRAPS, 1), (*SNMP_TRAPS, 2), (*SNMP_TRAPS, 3), (*SNMP_TRAPS, 4), (*SNMP_TRAPS, 5))
SYS_UPTIME_0: Oid = (1, 3, 6, 1, 2, 1, 1, 3, 0)
SNMP_TRAP_OID_0: Oid = (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0)
SNMP_TRAP_ENTERPRISE_0: Oid = (1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0)
ENTERPRISE_SPECIFIC = 6  # generic-trap value for everything but the six standard traps


class NotificationError(SnmpDecodeError):
    """A message that decodes but is not a notification (no sysUpTime and snmpTrapOID first)."""

    reason = "not-a-notification"


@dataclass(slots=True)
class Notification:
    """What a notification says: its trap OID, the sender's uptime (hundredths of a second) and
    the varbinds that follow sysUpTime.0 and snmpTrapOID.0."""

    trap_oid: Oid
    uptime: int
    varbinds: list[VarBind] = field(default_factory=list)

    def v2_varbinds(self) -> list[VarBind]:
        """The varbind list of an SNMPv2 Trap or Inform (RFC 3416 4.2.6)."""
        return [(SYS_UPTIME_0, (SnmpType.TIMETICKS, self.uptime & 0xFFFFFFFF)),
                (SNMP_TRAP_OID_0, (SnmpType.OBJECT_IDENTIFIER, self.trap_oid)), *self.varbinds]

    @classmethod
    def from_v2(cls, varbinds: list[VarBind]) -> Notification:
        """Read an SNMPv2 Trap's or Inform's varbinds; NotificationError if they do not start
        with sysUpTime.0 and snmpTrapOID.0."""
        if len(varbinds) < 2 or varbinds[0][0] != SYS_UPTIME_0 or varbinds[1][0] != \
                SNMP_TRAP_OID_0 or varbinds[0][1][0] != SnmpType.TIMETICKS or \
                varbinds[1][1][0] != SnmpType.OBJECT_IDENTIFIER:
            raise NotificationError("expected sysUpTime.0 and snmpTrapOID.0 as the first two "
                                    "varbinds of a notification")
        uptime, trap_oid = varbinds[0][1][1], varbinds[1][1][1]
        assert isinstance(uptime, int) and isinstance(trap_oid, tuple)
        return cls(trap_oid, uptime, list(varbinds[2:]))


@dataclass(slots=True)
class TrapV1:
    """An SNMPv1 Trap-PDU (RFC 1157 4.1.6)."""

    enterprise: Oid
    agent_address: bytes  # 4 octets
    generic: int
    specific: int
    timestamp: int
    varbinds: list[VarBind] = field(default_factory=list)


def to_v1(notification: Notification, agent_address: bytes) -> TrapV1:
    """RFC 3584 3.2: a standard trap keeps its number (enterprise: snmpTrapEnterprise.0 when
    carried, else snmpTraps); any other is enterpriseSpecific under its OID's parent."""
    oid = notification.trap_oid
    varbinds = [vb for vb in notification.varbinds if vb[0] != SNMP_TRAP_ENTERPRISE_0]
    if oid[:-1] == SNMP_TRAPS and 1 <= oid[-1] <= 6:
        carried = [vb[1][1] for vb in notification.varbinds if vb[0] == SNMP_TRAP_ENTERPRISE_0]
        enterprise = carried[0] if carried and isinstance(carried[0], tuple) else SNMP_TRAPS
        return TrapV1(enterprise, agent_address, oid[-1] - 1, 0, notification.uptime, varbinds)
    if len(oid) < 3:
        raise SnmpEncodeError(f"trap OID {oid} is too short for an SNMPv1 trap")
    enterprise = oid[:-2] if oid[-2] == 0 else oid[:-1]
    return TrapV1(enterprise, agent_address, ENTERPRISE_SPECIFIC, oid[-1], notification.uptime,
                  varbinds)


def from_v1(trap: TrapV1) -> Notification:
    """RFC 3584 3.1: the SNMPv2 view of an SNMPv1 trap, snmpTrapEnterprise.0 last."""
    if 0 <= trap.generic < ENTERPRISE_SPECIFIC:
        oid: Oid = (*SNMP_TRAPS, trap.generic + 1)
    else:
        oid = (*trap.enterprise, 0, trap.specific)
    return Notification(oid, trap.timestamp, [
        *trap.varbinds, (SNMP_TRAP_ENTERPRISE_0, (SnmpType.OBJECT_IDENTIFIER, trap.enterprise))])


# ---------------------------------------------------------------------------------------- encoding

def encode_trap_v1_pdu(trap: TrapV1) -> bytes:
    if len(trap.agent_address) != 4:
        raise SnmpEncodeError(f"agent-addr must be 4 octets, got {len(trap.agent_address)}")
    if not 0 <= trap.generic <= ENTERPRISE_SPECIFIC or not 0 <= trap.specific <= ber.INT32_MAX:
        raise SnmpEncodeError(f"generic-trap {trap.generic} / specific-trap {trap.specific} "
                              "out of range")
    body = (ber.encode_oid(trap.enterprise) + bytes((0x40, 4)) + trap.agent_address
            + encode_integer(trap.generic) + encode_integer(trap.specific)
            + ber.encode_value(SnmpType.TIMETICKS, trap.timestamp & 0xFFFFFFFF)
            + encode_varbinds(trap.varbinds))
    return header(PduType.TRAP_V1, len(body)) + body


def encode_trap_v1(community: bytes, trap: TrapV1) -> bytes:
    """An SNMPv1 Trap message."""
    body = (encode_integer(SnmpVersion.V1) + ber.encode_tlv(ber.OCTET_STRING, community)
            + encode_trap_v1_pdu(trap))
    return header(ber.SEQUENCE, len(body)) + body


def encode_notification(community: bytes, notification: Notification, *, inform: bool = False,
                        request_id: int = 0) -> bytes:
    """An SNMPv2c Trap (or Inform, which the receiver answers with a Response)."""
    kind = PduType.INFORM if inform else PduType.TRAP_V2
    return encode_community_message(CommunityMessage(
        SnmpVersion.V2C, community, Pdu(kind, request_id, 0, 0, notification.v2_varbinds())))


def inform_response(received: ReceivedNotification) -> bytes:
    """The Response to an SNMPv2c Inform: same community and request-id, its varbinds echoed
    (RFC 3416 4.2.7)."""
    if received.pdu_type != PduType.INFORM or received.version != SnmpVersion.V2C:
        raise SnmpEncodeError(f"only an SNMPv2c Inform is answered here, not PDU type "
                              f"0x{received.pdu_type:02x} in version {received.version}")
    return encode_community_message(CommunityMessage(
        received.version, received.security_name,
        Pdu(PduType.RESPONSE, received.request_id, 0, 0, received.notification.v2_varbinds())))


# ---------------------------------------------------------------------------------------- decoding

def decode_trap_v1_pdu(buf: bytes, start: int, stop: int) -> TrapV1:
    """The content of a Trap-PDU between ``start`` and ``stop``."""
    o_start, o_stop = expect(buf, start, stop, ber.OBJECT_IDENTIFIER)
    enterprise = ber.decode_oid(buf, o_start, o_stop)
    a_start, a_stop = expect(buf, o_stop, stop, SnmpType.IP_ADDRESS)
    if a_stop - a_start != 4:
        raise ber.BerBadValue(f"agent-addr of {a_stop - a_start} octets at offset {a_start}")
    generic, pos = decode_int32(buf, a_stop, stop)
    specific, pos = decode_int32(buf, pos, stop)
    t_start, t_stop = expect(buf, pos, stop, SnmpType.TIMETICKS)
    timestamp = ber.decode_unsigned(buf, t_start, t_stop, ber.UINT32_MAX)
    v_start, v_stop = expect(buf, t_stop, stop, ber.SEQUENCE)
    if v_stop != stop:
        raise BerTrailingBytes(f"Trap-PDU has bytes after its varbinds at offset {v_stop}")
    if not 0 <= generic <= ENTERPRISE_SPECIFIC or specific < 0:
        raise ber.BerBadValue(f"generic-trap {generic} / specific-trap {specific} out of range")
    return TrapV1(enterprise, bytes(buf[a_start:a_stop]), generic, specific, timestamp,
                  decode_varbinds(buf, v_start, v_stop))


@dataclass(slots=True)
class ReceivedNotification:
    """A notification as a receiver got it: version, community (v1/v2c) or user (v3), the PDU
    type (TRAP_V1, TRAP_V2 or INFORM), the request-id to answer an Inform with, what it says,
    and, for SNMPv1, the Trap-PDU itself (its agent-addr names the sender)."""

    version: int
    security_name: bytes
    pdu_type: int
    request_id: int
    notification: Notification
    trap_v1: TrapV1 | None = None


#: what a receiving agent engine calls for each notification: (notification, the address it was
#: sent to, the sender); the engine answers an Inform itself once the handler returns
NotificationHandler = Callable[[ReceivedNotification, str, object], None]


def decode_community_notification(data: bytes) -> ReceivedNotification:
    """An SNMPv1 Trap or SNMPv2c Trap/Inform datagram; SnmpDecodeError for anything else."""
    version, pos, end = decode_version(data)
    if version == SnmpVersion.V3:
        raise SnmpBadVersion("expected an SNMPv1/v2c notification, got version 3 (the agent "
                             "engine reads SNMPv3 informs with its users' keys)")
    if version == SnmpVersion.V1:
        c_start, c_stop = expect(data, pos, end, ber.OCTET_STRING)
        tag, p_start, p_stop = ber.read_tlv(data, c_stop, end)
        if tag != PduType.TRAP_V1 or p_stop != end:
            raise SnmpUnknownPdu(f"expected an SNMPv1 Trap-PDU, got tag 0x{tag:02x}")
        trap = decode_trap_v1_pdu(data, p_start, p_stop)
        return ReceivedNotification(version, bytes(data[c_start:c_stop]), tag, 0, from_v1(trap),
                                    trap)
    message = decode_community_body(data, version, pos, end)
    pdu = message.pdu
    if pdu.type not in (PduType.TRAP_V2, PduType.INFORM):
        raise SnmpUnknownPdu(f"expected a Trap or Inform PDU, got 0x{pdu.type:02x}")
    return ReceivedNotification(version, message.community, pdu.type, pdu.request_id,
                                Notification.from_v2(pdu.varbinds))
