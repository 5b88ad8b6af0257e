"""The contract between the SNMP engine and whatever serves MIB data (an emulated printer, a recording).

The engine decodes requests and walks; a view answers single lookups. Values are plain
``(SnmpType, python value)`` pairs rather than objects so that 100,000 printers sharing one layout
stay small, and so the BER encoder can dispatch on an int.
"""

from __future__ import annotations

import enum
from typing import Protocol, TypeAlias

Oid: TypeAlias = tuple[int, ...]


class SnmpType(enum.IntEnum):
    """BER tags of the SMIv2 value types (RFC 2578 / RFC 3416)."""

    INTEGER = 0x02
    OCTET_STRING = 0x04
    NULL = 0x05
    OBJECT_IDENTIFIER = 0x06
    IP_ADDRESS = 0x40
    COUNTER32 = 0x41
    GAUGE32 = 0x42
    TIMETICKS = 0x43
    OPAQUE = 0x44
    COUNTER64 = 0x46
    # exceptions in a v2c/v3 response varbind (context-specific, primitive)
    NO_SUCH_OBJECT = 0x80
    NO_SUCH_INSTANCE = 0x81
    END_OF_MIB_VIEW = 0x82


# value: int for INTEGER/COUNTER32/GAUGE32/TIMETICKS/COUNTER64, bytes for OCTET_STRING/OPAQUE,
# bytes of length 4 for IP_ADDRESS, Oid for OBJECT_IDENTIFIER, None for NULL and the exceptions.
SnmpValue: TypeAlias = tuple[SnmpType, object]

NO_SUCH_OBJECT: SnmpValue = (SnmpType.NO_SUCH_OBJECT, None)
NO_SUCH_INSTANCE: SnmpValue = (SnmpType.NO_SUCH_INSTANCE, None)
END_OF_MIB_VIEW: SnmpValue = (SnmpType.END_OF_MIB_VIEW, None)


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
