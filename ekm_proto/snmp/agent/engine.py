"""The SNMP agent engine without I/O: datagram bytes + destination address + time in, response
bytes out.

Everything on the wire is decided here (versions, communities, USM, PDU semantics, size limits,
what gets dropped and counted), so it can be tested and fuzzed without sockets and the asyncio
adapter in server.py stays thin. Per-agent cost is nil: agents are found through the
AgentDirectory on every datagram, the engine keeps no per-agent state (the USM key cache is keyed
by engine ID and bounded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ekm_proto.errors import SnmpDecodeError
from ekm_proto.snmp.agent.answering import DEFAULT_MAX_BULK, UDP_MAX_PAYLOAD, AgentCore
from ekm_proto.snmp.agent.engine_mib import (
    FAST_GETS,
    FAST_NEXTS,
    IN_ASN_PARSE_ERRS,
    IN_BAD_COMMUNITY_NAMES,
    IN_BAD_VERSIONS,
    IN_PKTS,
)
from ekm_proto.snmp.agent.pdu_processing import echo, fast_get
from ekm_proto.snmp.agent.usm_processing import UsmProcessor
from ekm_proto.snmp.agent.view import AgentDirectory, AgentHandle
from ekm_proto.snmp.ber import encode_integer, header
from ekm_proto.snmp.message import (
    CommunityMessage,
    PduType,
    SnmpBadVersion,
    SnmpVersion,
    decode_community_body,
    decode_version,
    response_pdu,
)
from ekm_proto.snmp.notifications import (
    Notification,
    NotificationHandler,
    ReceivedNotification,
    decode_community_notification,
)
from ekm_proto.snmp.stats import DropLog, DropReason, SnmpStats
from ekm_proto.snmp.usm import UserKeys, UsmUser
from protolab.errors import ConfigurationError

__all__ = ["DEFAULT_MAX_BULK", "UDP_MAX_PAYLOAD", "SecurityConfig", "SnmpEngine"]
_ANSWERABLE = frozenset((int(PduType.GET), int(PduType.GET_NEXT), int(PduType.GET_BULK),
                         int(PduType.SET)))
_RESPONSE = int(PduType.RESPONSE)
_NOTIFICATIONS = frozenset((int(PduType.TRAP_V1), int(PduType.TRAP_V2), int(PduType.INFORM)))
_V2C_HEAD = b"\x02\x01\x01\x04"  # after the outer SEQUENCE header: version 1, community tag
# worst case of the community envelope around the VarBinds: 3 headers of up to 5 octets, request-id
# (6), error-status and error-index (3 each)
_COMMUNITY_OVERHEAD = 3 * 5 + 6 + 3 + 3


MAX_COMMUNITY_PORTS = 3  # HP JetDirect EX print servers have up to three ports


@dataclass(frozen=True)
class SecurityConfig:
    """Who may read and who may write: SNMPv1/v2c communities and SNMPv3 users. A write
    community or a user named in ``write_users`` may SET what the agent's view lets be written
    (read access included); everyone else gets noAccess, as snmpd answers a read-only
    community."""

    communities: Sequence[str | bytes] = ("public",)
    users: Sequence[UsmUser] = ()
    write_communities: Sequence[str | bytes] = ()
    write_users: Sequence[str] = ()


class SnmpEngine(AgentCore):
    """Answers datagrams for every agent of an AgentDirectory. Creating one touches nothing
    outside it (no logging configuration, no clock): time comes in with each datagram."""

    def __init__(self, directory: AgentDirectory, security: SecurityConfig | None = None, *,
                 stats: SnmpStats | None = None, max_message_size: int = UDP_MAX_PAYLOAD,
                 max_bulk_varbinds: int = DEFAULT_MAX_BULK, drop_log: DropLog | None = None,
                 notifications: NotificationHandler | None = None) -> None:
        """``notifications``: make this engine a notification receiver too (a monitor's trap
        port): Traps and Informs from a known community or user go to the handler, Informs are
        answered with their Response (SNMPv3 ones as the authoritative engine, with reports)."""
        security = security if security is not None else SecurityConfig()
        if not 484 <= max_message_size <= UDP_MAX_PAYLOAD:
            raise ConfigurationError(f"max_message_size {max_message_size} not in 484..65507")
        super().__init__(directory, stats, max_message_size, max_bulk_varbinds, drop_log,
                         notifications)
        # (version, community as sent) -> (response prefix, write access, JetDirect port or 0)
        self._prefixes: dict[tuple[int, bytes], tuple[bytes, bool, int]] = {}
        for writable, communities in ((False, security.communities),
                                      (True, security.write_communities)):
            for community in communities:
                octets = community.encode() if isinstance(community, str) else bytes(community)
                for port in range(MAX_COMMUNITY_PORTS + 1):
                    sent = octets + b".%d" % port if port else octets
                    for version in (SnmpVersion.V1, SnmpVersion.V2C):
                        known = self._prefixes.get((int(version), sent))
                        if known is not None and (known[1] or known[2] < port):
                            continue  # write beats read; a plain community beats a suffixed one
                        self._prefixes[int(version), sent] = (
                            encode_integer(version) + header(0x04, len(sent)) + sent, writable,
                            port)
        users: dict[bytes, UserKeys] = {}
        for user in security.users:
            keys = UserKeys(user)
            if keys.name in users:
                raise ConfigurationError(f"SNMPv3 user {user.name!r} configured twice")
            users[keys.name] = keys
        unknown = [name for name in security.write_users if name.encode() not in users]
        if unknown:
            raise ConfigurationError(f"write access for SNMPv3 user(s) {', '.join(unknown)} "
                                     "who are not configured; expected configured user names")
        self.usm = UsmProcessor(users, self, {name.encode() for name in security.write_users})

    def handle(self, data: bytes, address: str, now: float, peer: object = None
               ) -> tuple[bytes, float] | None:
        """The response to one datagram received at ``address`` and how long to hold it (seconds),
        or None to stay silent. ``peer`` only names the sender in drop logs."""
        self.stats.received += 1
        fast = self._fast_v2c(data, address)
        if fast is not None:
            return fast
        decrypted = self.usm.fast(data, address, now)
        if type(decrypted) is tuple:
            return decrypted
        try:
            version, pos, end = decode_version(data)
            if version == SnmpVersion.V3:
                return self.usm.handle(data, pos, end, address, now, peer,
                                       decrypted if type(decrypted) is bytes else None)
            message = decode_community_body(data, version, pos, end)
        except SnmpDecodeError as exc:
            agent = self.directory.lookup(address)
            if agent is not None:
                agent.counters[IN_PKTS] += 1
                agent.counters[IN_BAD_VERSIONS if isinstance(exc, SnmpBadVersion)
                               else IN_ASN_PARSE_ERRS] += 1
            self.drop(exc.reason, address, peer, str(exc), now)
            return None
        agent = self.directory.lookup(address)
        if agent is None:
            self.drop(DropReason.NO_AGENT, address, peer, "no agent answers at this address", now)
            return None
        counters = agent.counters
        counters[IN_PKTS] += 1
        known = self._prefixes.get((version, message.community))
        if known is None or known[2] > agent.community_ports:
            counters[IN_BAD_COMMUNITY_NAMES] += 1
            self.drop(DropReason.BAD_COMMUNITY, address, peer,
                      f"expected a configured community, got {message.community[:32]!r}", now)
            return None
        prefix, writable, _port = known
        pdu = message.pdu
        v1 = version == SnmpVersion.V1
        if pdu.type in _NOTIFICATIONS and self.notifications is not None:
            return self._notification(agent, data, message, prefix, address, peer, now)
        if pdu.type not in _ANSWERABLE or (v1 and pdu.type == PduType.GET_BULK):
            self.drop(DropReason.UNEXPECTED_PDU, address, peer,
                      f"expected a request PDU, got 0x{pdu.type:02x} in version {version}", now)
            return None
        budget = self.max_message_size - len(prefix) - _COMMUNITY_OVERHEAD
        outcome = self.answer(agent, pdu, v1, budget, address, now, writable)
        if outcome is None:
            self.drop(DropReason.TOO_BIG, address, peer, "even a tooBig response is too large",
                      now)
            return None
        parts, length = response_pdu(_RESPONSE, pdu.request_id, *outcome)
        length += len(prefix)
        response = b"".join((header(0x30, length), prefix, *parts))
        self.stats.answered += 1
        self.responded(agent)
        return response, self.delay_of(agent)

    def _notification(self, agent: AgentHandle, data: bytes, message: CommunityMessage,
                      prefix: bytes, address: str, peer: object, now: float
                      ) -> tuple[bytes, float] | None:
        pdu = message.pdu
        try:
            received = (decode_community_notification(data) if pdu.type == PduType.TRAP_V1 else
                        ReceivedNotification(message.version, message.community, pdu.type,
                                             pdu.request_id, Notification.from_v2(pdu.varbinds)))
        except SnmpDecodeError as exc:
            self.drop(exc.reason, address, peer, str(exc), now)
            return None
        if not self.notified(agent, received, address, peer):
            return None
        parts, length = response_pdu(_RESPONSE, pdu.request_id, 0, 0, echo(pdu.varbinds))
        self.responded(agent, report=True)
        return b"".join((header(0x30, length + len(prefix)), prefix, *parts)), 0.0

    def _fast_v2c(self, data: bytes, address: str) -> tuple[bytes, float] | None:
        """SNMPv2c GET/GETNEXT of one OID in a datagram under 128 bytes, the bulk of what a
        monitor sends, answered without building message objects. Anything else, including every
        drop and error, returns None and takes the general path, which decides and counts."""
        size = len(data)
        if size >= 0x80 or size < 20 or data[0] != 0x30 or data[1] != size - 2 \
                or data[2:6] != _V2C_HEAD:
            return None
        community_end = 7 + data[6]
        if community_end + 16 > size:
            return None
        known = self._prefixes.get((1, data[7:community_end]))
        if known is None or known[2]:
            return None
        agent = self.directory.lookup(address)
        if agent is None:
            return None
        pdu = fast_get(agent.view, data, community_end, size)
        if pdu is None:
            return None
        agent.counters[FAST_GETS if data[community_end] == 0xA0 else FAST_NEXTS] += 1
        message = known[0] + pdu
        self.stats.answered += 1
        return header(0x30, len(message)) + message, self.delay_of(agent)
