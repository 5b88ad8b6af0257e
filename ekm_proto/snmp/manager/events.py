"""What the manager's state machine hands out: datagrams to send, results, and its counters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ekm_proto.errors import SnmpManagerError
from ekm_proto.snmp.manager.engine_cache import Address
from ekm_proto.snmp.manager.targets import Target
from ekm_proto.snmp.types import VarBind


class Transmit(NamedTuple):
    """A datagram to send to ``address``, for the operation ``handle`` (a discovery probe names
    the first operation waiting for it)."""

    data: bytes
    address: Address
    handle: int = 0


@dataclass(slots=True)
class Response:
    """An operation answered. ``varbinds`` hold the exception values (noSuchObject, ...,
    SNMPv1 noSuchName) in place; ``error_status`` is non-zero only for a real error."""

    handle: int
    target: Target
    varbinds: list[VarBind]
    error_status: int = 0
    error_index: int = 0


@dataclass(slots=True)
class Failure:
    handle: int
    target: Target
    error: SnmpManagerError


Event = Response | Failure


@dataclass(slots=True)
class ManagerStats:
    sent: int = 0
    retransmitted: int = 0
    received: int = 0
    unmatched: int = 0  # duplicates, late answers, answers from an address not asked
    undecodable: int = 0
    malformed: int = 0  # decodable answers that cannot answer the request (varbind count, names)
    unverified: int = 0  # SNMPv3 answers whose MAC or decryption failed with our keys
    reports: int = 0
    discoveries: int = 0
    timeouts: int = 0
    sent_bytes: int = 0  # SNMP messages, UDP payload only
    received_bytes: int = 0
