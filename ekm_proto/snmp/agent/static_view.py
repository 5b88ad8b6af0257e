"""A fixed table of OIDs served as a MibView, and a directory of agents around it.

For the engine's own tests, benchmarks and fuzz targets (and for serving a recorded walk as is):
the printer model builds richer views; these are the smallest things that honour the contract.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from ekm_proto.snmp.agent.engine_mib import new_counters
from ekm_proto.snmp.agent.view import AgentHandle, MibView
from ekm_proto.snmp.ber import varbind_tlv
from ekm_proto.snmp.types import NO_SUCH_INSTANCE, NO_SUCH_OBJECT, Oid, SnmpValue


class StaticMibView:
    """Immutable OID -> value table: ``get`` is a dict lookup, ``get_next`` a bisect."""

    __slots__ = ("_at", "_encoded", "_items", "_oids", "_successors", "_values")

    def __init__(self, items: Iterable[tuple[Oid, SnmpValue]]) -> None:
        self._values: dict[Oid, SnmpValue] = {tuple(oid): value for oid, value in items}
        self._oids: list[Oid] = sorted(self._values)
        # walks ask for the successor of the OID they were just given: one dict lookup
        self._successors: dict[Oid, tuple[Oid, SnmpValue] | None] = {
            oid: (nxt, self._values[nxt])
            for oid, nxt in zip(self._oids, self._oids[1:], strict=False)}
        if self._oids:
            self._successors[self._oids[-1]] = None
        self._items = [(oid, self._values[oid]) for oid in self._oids]
        self._at = {oid: position for position, oid in enumerate(self._oids)}
        self._encoded = [varbind_tlv(oid, kind, value) for oid, (kind, value) in self._items]

    def get(self, oid: Oid) -> SnmpValue:
        value = self._values.get(oid)
        if value is not None:
            return value
        # an instance under the same parent means the object type exists: noSuchInstance
        parent = oid[:-1]
        at = bisect_left(self._oids, parent)
        if at < len(self._oids) and self._oids[at][:len(parent)] == parent and parent:
            return NO_SUCH_INSTANCE
        return NO_SUCH_OBJECT

    def get_next(self, oid: Oid) -> tuple[Oid, SnmpValue] | None:
        if oid in self._successors:
            return self._successors[oid]
        at = bisect_right(self._oids, oid)
        if at == len(self._oids):
            return None
        name = self._oids[at]
        return name, self._values[name]

    def walk_encoded(self, oid: Oid, limit: int) -> tuple[list[bytes], Oid]:
        at = self._at.get(oid)
        start = at + 1 if at is not None else bisect_right(self._oids, oid)
        found = self._encoded[start:start + limit]
        return found, self._oids[start + len(found) - 1] if found else oid

    def __len__(self) -> int:
        return len(self._oids)

    def items(self) -> list[tuple[Oid, SnmpValue]]:
        return list(self._items)


class StaticAgent:
    """An AgentHandle with a fixed view, engine ID and boot count. Its engine time counts from
    ``started`` (a time of the server's clock), or from the first request when not given."""

    __slots__ = ("_counters", "_delay", "_engine_id", "_view", "boots", "community_ports",
                 "started")

    def __init__(self, view: MibView, engine_id: bytes, boots: int = 1, delay: float = 0.0,
                 started: float | None = None, community_ports: int = 0) -> None:
        self._view = view
        self._engine_id = engine_id
        self._delay = delay
        self._counters = new_counters()
        self.boots = boots
        self.started = started
        self.community_ports = community_ports

    @property
    def counters(self) -> array[int]:
        return self._counters

    @property
    def view(self) -> MibView:
        return self._view

    @property
    def engine_id(self) -> bytes:
        return self._engine_id

    def engine_boots_time(self, now: float) -> tuple[int, int]:
        if self.started is None:
            self.started = now
        return self.boots, max(0, int(now - self.started))

    def response_delay(self) -> float:
        return self._delay


class StaticDirectory:
    """Address -> agent; an address mapped to None (or absent) has no agent answering."""

    __slots__ = ("agents",)

    def __init__(self, agents: dict[str, AgentHandle | None] | None = None) -> None:
        self.agents: dict[str, AgentHandle | None] = dict(agents or {})

    def lookup(self, address: str) -> AgentHandle | None:
        return self.agents.get(address)


def engine_id_for(index: int, enterprise: int = 11) -> bytes:
    """An RFC 3411 engine ID (format 5, octets) unique per index, as printers of one vendor have."""
    return (0x80000000 | enterprise).to_bytes(4, "big") + b"\x05" + b"protolab" + \
        index.to_bytes(4, "big")
