"""Who a manager asks and how: a target's address and credentials, the operation, and the retry
schedule, all as plain data.

A monitor keeps one ``Target`` per printer (100,000 of them), so a target is a small frozen object
that shares its credentials and its retry policy with every other target of the same site: the
SNMPv3 keys (``UserKeys``, a megabyte of hashing per passphrase) are made once and passed to all.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ekm_proto.snmp.message import FLAG_AUTH, FLAG_PRIV, Pdu, PduType, SnmpVersion
from ekm_proto.snmp.types import NULL, Oid, SnmpValue, VarBind
from ekm_proto.snmp.usm import UserKeys
from protolab.errors import ConfigurationError

_LEVELS = {0: "noAuthNoPriv", FLAG_AUTH: "authNoPriv", FLAG_AUTH | FLAG_PRIV: "authPriv"}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait for an answer and how often to ask again: attempt ``n`` (0 first) waits
    ``timeout * backoff ** n`` seconds, at most ``max_timeout``; ``retries`` attempts follow the
    first. Times are seconds of whatever clock the caller passes in as ``now``."""

    timeout: float = 1.0
    retries: int = 2
    backoff: float = 2.0
    max_timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.retries < 0 or self.backoff < 1 or \
                self.max_timeout < self.timeout:
            raise ConfigurationError(
                f"retry policy {self}: expected timeout > 0, retries >= 0, backoff >= 1, "
                "max_timeout >= timeout")

    def timeout_for(self, attempt: int) -> float:
        return min(self.timeout * self.backoff ** attempt, self.max_timeout)

    def schedule(self) -> tuple[float, ...]:
        """Every attempt's wait, first to last."""
        return tuple(self.timeout_for(n) for n in range(self.retries + 1))


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True, slots=True)
class Community:
    """SNMPv1 or SNMPv2c credentials."""

    community: bytes
    version: SnmpVersion = SnmpVersion.V2C

    def __post_init__(self) -> None:
        if self.version not in (SnmpVersion.V1, SnmpVersion.V2C):
            raise ConfigurationError(f"a community is for SNMPv1 or v2c, not {self.version!r}")


@dataclass(frozen=True, slots=True)
class Usm:
    """SNMPv3 credentials: a user's keys (shared by every target of that user) and the level to
    use (msgFlags auth/priv bits; the user's own level by default)."""

    user: UserKeys
    level: int | None = None
    context_name: bytes = b""

    @property
    def flags(self) -> int:
        return self.user.level if self.level is None else self.level


@dataclass(frozen=True, slots=True)
class Target:
    """One agent: an IP address (a monitor names printers by address, never through DNS), a UDP
    port, credentials and a retry policy."""

    host: str
    port: int
    security: Community | Usm
    retry: RetryPolicy = DEFAULT_RETRY

    def __post_init__(self) -> None:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            raise ConfigurationError(f"SNMP target {self.host!r} is not an IP address; "
                                     "expected an address such as 127.30.0.1") from None
        if not 0 < self.port <= 65535:
            raise ConfigurationError(f"SNMP target {self.host}: port {self.port} is not 1..65535")

    @classmethod
    def v1(cls, host: str, port: int = 161, community: str | bytes = "public",
           retry: RetryPolicy = DEFAULT_RETRY) -> Target:
        return cls(host, port, Community(_octets(community), SnmpVersion.V1), retry)

    @classmethod
    def v2c(cls, host: str, port: int = 161, community: str | bytes = "public",
            retry: RetryPolicy = DEFAULT_RETRY) -> Target:
        return cls(host, port, Community(_octets(community), SnmpVersion.V2C), retry)

    @classmethod
    def v3(cls, host: str, port: int = 161, *, user: UserKeys, level: int | None = None,
           retry: RetryPolicy = DEFAULT_RETRY) -> Target:
        return cls(host, port, Usm(user, level), retry)

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def version(self) -> SnmpVersion:
        return self.security.version if isinstance(self.security, Community) else SnmpVersion.V3

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def describe(self) -> str:
        """The target as errors name it: address, version and, for SNMPv3, user and level
        (never the community or a key)."""
        if isinstance(self.security, Community):
            return f"{self} (SNMP{'v1' if self.version == SnmpVersion.V1 else 'v2c'})"
        user = self.security.user.name.decode(errors="replace")
        return f"{self} (SNMPv3 user {user!r}, {_LEVELS.get(self.security.flags, '?')})"


def _octets(community: str | bytes) -> bytes:
    return community.encode() if isinstance(community, str) else bytes(community)


_NAMES = {PduType.GET: "GET", PduType.GET_NEXT: "GETNEXT", PduType.GET_BULK: "GETBULK",
          PduType.INFORM: "INFORM"}


@dataclass(frozen=True, slots=True)
class Operation:
    """One request to make: GET, GETNEXT or GETBULK of some OIDs, or an INFORM carrying
    ``values`` (a notification the receiver acknowledges; notifications.py)."""

    pdu_type: PduType
    oids: tuple[Oid, ...]
    non_repeaters: int = 0
    max_repetitions: int = 0
    values: tuple[SnmpValue, ...] | None = None

    @property
    def name(self) -> str:
        return _NAMES.get(self.pdu_type, self.pdu_type.name)

    def pdu(self, request_id: int, oids: tuple[Oid, ...] | None = None) -> Pdu:
        """The request PDU (``oids`` replaces the operation's, for a request re-sent without
        the varbinds an SNMPv1 agent refused)."""
        chosen = self.oids if oids is None else oids
        if self.values is not None:
            values = dict(zip(self.oids, self.values, strict=True))
            return Pdu(self.pdu_type, request_id, 0, 0, [(oid, values[oid]) for oid in chosen])
        if self.pdu_type == PduType.GET_BULK:
            return Pdu(self.pdu_type, request_id, self.non_repeaters, self.max_repetitions,
                       [(oid, NULL) for oid in chosen])
        return Pdu(self.pdu_type, request_id, 0, 0, [(oid, NULL) for oid in chosen])


def get(*oids: Oid) -> Operation:
    return Operation(PduType.GET, tuple(oids))


def get_next(*oids: Oid) -> Operation:
    return Operation(PduType.GET_NEXT, tuple(oids))


def inform(varbinds: list[VarBind]) -> Operation:
    """An INFORM of a notification's varbinds (Notification.v2_varbinds())."""
    return Operation(PduType.INFORM, tuple(oid for oid, _ in varbinds),
                     values=tuple(value for _, value in varbinds))


def get_bulk(oids: tuple[Oid, ...] | list[Oid], non_repeaters: int = 0,
             max_repetitions: int = 10) -> Operation:
    if not 0 <= non_repeaters <= len(oids) or not 0 <= max_repetitions <= 0x7FFFFFFF:
        raise ConfigurationError(f"GETBULK of {len(oids)} OIDs: non_repeaters {non_repeaters} "
                                 f"and max_repetitions {max_repetitions} out of range")
    return Operation(PduType.GET_BULK, tuple(oids), non_repeaters, max_repetitions)
