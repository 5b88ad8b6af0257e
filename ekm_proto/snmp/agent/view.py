"""The contract between the SNMP agent engine and whatever serves MIB data (an emulated printer,
a recording).

The engine decodes requests and walks; a view answers single lookups with plain
``(SnmpType, python value)`` pairs (ekm_proto.snmp.types).
"""

from __future__ import annotations

from typing import Protocol

from ekm_proto.snmp.types import Oid, SnmpValue


class MibView(Protocol):
    """What one SNMP agent (one emulated printer at one address) exposes to the engine.

    Implementations must be fast (tens of microseconds): the engine calls them on the hot path.
    """

    def get(self, oid: Oid) -> SnmpValue:
        """The value at exactly ``oid``, or NO_SUCH_OBJECT (no such object type under that prefix)
        or NO_SUCH_INSTANCE (the object type exists, this instance does not)."""
        ...

    def get_next(self, oid: Oid) -> tuple[Oid, SnmpValue] | None:
        """The first (oid, value) strictly after ``oid`` in lexicographic order; None at the end."""
        ...


class AgentDirectory(Protocol):
    """Maps the destination address of a datagram to the agent answering there.

    ``lookup`` returns None for an address with no agent or an agent that must not answer now
    (offline, power save with dropped requests); the engine then drops the request silently.
    """

    def lookup(self, address: str) -> AgentHandle | None: ...


class AgentHandle(Protocol):
    """One agent as the engine sees it: its view plus what SNMP needs to authenticate and answer."""

    @property
    def view(self) -> MibView: ...

    @property
    def engine_id(self) -> bytes: ...

    def engine_boots_time(self, now: float) -> tuple[int, int]:
        """snmpEngineBoots and snmpEngineTime (seconds since boot) at monotonic time ``now``."""
        ...

    def response_delay(self) -> float:
        """Seconds to hold a response (vendor quirk "slow answers"); 0.0 for immediate."""
        ...
