"""The contract between the SNMP agent engine and whatever serves MIB data (an emulated printer,
a recording).

The engine decodes requests and walks; a view answers single lookups with plain
``(SnmpType, python value)`` pairs (ekm_proto.snmp.types).
"""

from __future__ import annotations

from array import array
from typing import Protocol

from ekm_proto.snmp.types import Oid, SnmpValue, VarBind


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

    # optional, for speed: ``walk_encoded(oid, limit)`` -> (the VarBind TLVs of up to ``limit``
    # successive objects after ``oid``, fewer only at the end of the view; the OID of the last one,
    # or ``oid`` when there is none); GETBULK then asks once per request


class WritableView(MibView, Protocol):
    """A view that lets managers with write access SET some of its objects (RFC 3416 4.2.5).

    ``test_set`` checks one varbind without changing anything and returns the error-status a SET
    of it must get (0 when it may be written: notWritable, wrongType, wrongLength, wrongValue,
    inconsistentValue... as ekm_proto.snmp.message.ErrorStatus numbers them); ``commit_set`` then
    writes a whole SET whose varbinds all passed, as one operation."""

    def test_set(self, oid: Oid, value: SnmpValue) -> int: ...

    def commit_set(self, varbinds: list[VarBind]) -> None: ...


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

    @property
    def counters(self) -> array[int]:
        """This agent's own SNMP counters, positions as engine_mib.py numbers them."""
        ...

    @property
    def community_ports(self) -> int:
        """How many ``community.N`` forms it accepts besides the plain community (HP JetDirect
        print servers address their port N so: ``public.1``); 0 for none."""
        ...
