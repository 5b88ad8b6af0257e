"""The SNMP engine without I/O: datagram bytes + destination address + time in, response bytes out.

Everything on the wire is decided here (versions, communities, USM, PDU semantics, size limits,
what gets dropped and counted), so it can be tested and fuzzed without sockets and the asyncio
adapter in snmp_server.py stays thin. Per-agent cost is nil: agents are found through the
AgentDirectory on every datagram, the engine keeps no per-agent state (the USM key cache is keyed
by engine ID and bounded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ekm_proto.ber import encode_integer, header
from ekm_proto.errors import ConfigurationError, SnmpDecodeError
from ekm_proto.mib_view import AgentDirectory, AgentHandle
from ekm_proto.snmp_message import (
    ErrorStatus,
    Pdu,
    PduType,
    SnmpVersion,
    decode_community_body,
    decode_version,
    response_pdu,
)
from ekm_proto.snmp_pdu_processing import Outcome, ViewFailure, echo, fast_get, process
from ekm_proto.snmp_stats import DropLog, DropReason, SnmpStats
from ekm_proto.usm import UserKeys, UsmUser
from ekm_proto.usm_processing import UsmProcessor

UDP_MAX_PAYLOAD = 65507  # IPv4 UDP, also what snmpd announces as its msgMaxSize
DEFAULT_MAX_BULK = 2048
_ANSWERABLE = frozenset((int(PduType.GET), int(PduType.GET_NEXT), int(PduType.GET_BULK),
                         int(PduType.SET)))
_RESPONSE = int(PduType.RESPONSE)
_V2C_HEAD = b"\x02\x01\x01\x04"  # after the outer SEQUENCE header: version 1, community tag
# worst case of the community envelope around the VarBinds: 3 headers of up to 5 octets, request-id
# (6), error-status and error-index (3 each)
_COMMUNITY_OVERHEAD = 3 * 5 + 6 + 3 + 3


@dataclass(frozen=True)
class SecurityConfig:
    """Who may read: SNMPv1/v2c communities (read-only) and SNMPv3 users."""

    communities: Sequence[str | bytes] = ("public",)
    users: Sequence[UsmUser] = ()


class SnmpEngine:
    """Answers datagrams for every agent of an AgentDirectory."""

    def __init__(self, directory: AgentDirectory, security: SecurityConfig | None = None, *,
                 stats: SnmpStats | None = None, max_message_size: int = UDP_MAX_PAYLOAD,
                 max_bulk_varbinds: int = DEFAULT_MAX_BULK, drop_log: DropLog | None = None
                 ) -> None:
        security = security if security is not None else SecurityConfig()
        if not 484 <= max_message_size <= UDP_MAX_PAYLOAD:
            raise ConfigurationError(f"max_message_size {max_message_size} not in 484..65507")
        self.directory = directory
        self.stats = stats if stats is not None else SnmpStats()
        self.max_message_size = max_message_size
        self.max_bulk_varbinds = max_bulk_varbinds
        self.log = drop_log if drop_log is not None else DropLog()
        self._prefixes: dict[tuple[int, bytes], bytes] = {}
        for community in security.communities:
            octets = community.encode() if isinstance(community, str) else bytes(community)
            for version in (SnmpVersion.V1, SnmpVersion.V2C):
                self._prefixes[int(version), octets] = (
                    encode_integer(version) + header(0x04, len(octets)) + octets)
        users: dict[bytes, UserKeys] = {}
        for user in security.users:
            keys = UserKeys(user)
            if keys.name in users:
                raise ConfigurationError(f"SNMPv3 user {user.name!r} configured twice")
            users[keys.name] = keys
        self.usm = UsmProcessor(users, self)

    def handle(self, data: bytes, address: str, now: float, peer: object = None
               ) -> tuple[bytes, float] | None:
        """The response to one datagram received at ``address`` and how long to hold it (seconds),
        or None to stay silent. ``peer`` only names the sender in drop logs."""
        self.stats.received += 1
        fast = self._fast_v2c(data, address)
        if fast is not None:
            return fast
        try:
            version, pos, end = decode_version(data)
            if version == SnmpVersion.V3:
                return self.usm.handle(data, pos, end, address, now, peer)
            message = decode_community_body(data, version, pos, end)
        except SnmpDecodeError as exc:
            self.drop(exc.reason, address, peer, str(exc))
            return None
        agent = self.directory.lookup(address)
        if agent is None:
            self.drop(DropReason.NO_AGENT, address, peer, "no agent answers at this address")
            return None
        prefix = self._prefixes.get((version, message.community))
        if prefix is None:
            self.drop(DropReason.BAD_COMMUNITY, address, peer,
                      f"expected a configured community, got {message.community[:32]!r}")
            return None
        pdu = message.pdu
        v1 = version == SnmpVersion.V1
        if pdu.type not in _ANSWERABLE or (v1 and pdu.type == PduType.GET_BULK):
            self.drop(DropReason.UNEXPECTED_PDU, address, peer,
                      f"expected a request PDU, got 0x{pdu.type:02x} in version {version}")
            return None
        budget = self.max_message_size - len(prefix) - _COMMUNITY_OVERHEAD
        outcome = self.answer(agent, pdu, v1, budget, address)
        if outcome is None:
            self.drop(DropReason.TOO_BIG, address, peer, "even a tooBig response is too large")
            return None
        parts, length = response_pdu(_RESPONSE, pdu.request_id, *outcome)
        length += len(prefix)
        response = b"".join((header(0x30, length), prefix, *parts))
        self.stats.answered += 1
        return response, self.delay_of(agent)

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
        prefix = self._prefixes.get((1, data[7:community_end]))
        agent = self.directory.lookup(address)
        if prefix is None or agent is None:
            return None
        pdu = fast_get(agent.view, data, community_end, size)
        if pdu is None:
            return None
        message = prefix + pdu
        self.stats.answered += 1
        return header(0x30, len(message)) + message, self.delay_of(agent)

    def answer(self, agent: AgentHandle, pdu: Pdu, v1: bool, budget: int, address: str
               ) -> Outcome | None:
        """Process a request PDU against the agent's view; a view that raises gets genErr."""
        try:
            return process(agent.view, pdu, v1, budget, self.max_bulk_varbinds)
        except ViewFailure as failure:
            self.stats.view_errors += 1
            self.log.problem("snmp.view_error", address, str(failure))
            try:
                varbinds = echo(pdu.varbinds)
            except Exception:  # a request we decoded always re-encodes; never crash on it
                varbinds = []
            if sum(map(len, varbinds)) > budget:
                varbinds = []
            return int(ErrorStatus.GEN_ERR), failure.index, varbinds

    def delay_of(self, agent: AgentHandle) -> float:
        delay = agent.response_delay()
        if delay > 0:
            self.stats.delayed += 1
            return delay
        return 0.0

    def drop(self, reason: str, address: str, peer: object, detail: str) -> None:
        self.stats.dropped[reason] += 1
        self.log.drop(reason, address, peer, detail)
