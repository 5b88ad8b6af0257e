"""Walking a subtree (a table, a group) as a state machine: which request comes next, and where the
walk ends.

A walk asks GETNEXT (or GETBULK) from its root and stops at the first name outside the root's
subtree, at endOfMibView, or at SNMPv1's noSuchName (which the manager reports as endOfMibView for
a GETNEXT). Names must increase: an agent that answers an OID not after the one asked would loop
forever, so that ends the walk with an error instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from ekm_proto.errors import SnmpWalkError
from ekm_proto.snmp.manager.targets import Operation, get_bulk, get_next
from ekm_proto.snmp.types import EXCEPTIONS, SnmpType, VarBind, format_oid

_ENDS = frozenset((SnmpType.END_OF_MIB_VIEW, SnmpType.NO_SUCH_NAME))


class Walk:
    """One walk of the subtree under ``root``. ``next_operation`` is the request to send (None
    when done), ``feed`` takes the answer's varbinds and returns the rows they added."""

    def __init__(self, root: Sequence[int], *, bulk: bool = True, max_repetitions: int = 25,
                 target: str = "", max_rows: int = 1_000_000) -> None:
        self.root = tuple(root)
        self.bulk = bulk
        self.max_repetitions = max_repetitions
        self.target = target
        self.max_rows = max_rows
        self.rows: list[VarBind] = []
        self.done = False
        self._last = self.root

    def next_operation(self) -> Operation | None:
        if self.done:
            return None
        if self.bulk:
            return get_bulk([self._last], 0, self.max_repetitions)
        return get_next(self._last)

    def feed(self, varbinds: Sequence[VarBind]) -> list[VarBind]:
        if not varbinds:  # nothing more fits or nothing follows: either way, nothing to ask
            self.done = True
            return []
        root, depth = self.root, len(self.root)
        added: list[VarBind] = []
        for name, value in varbinds:
            if value[0] in _ENDS or name[:depth] != root:
                self.done = True
                break
            if name <= self._last:
                raise SnmpWalkError(
                    f"{self.target or 'agent'}: walk of {format_oid(root)} got "
                    f"{format_oid(name)} after {format_oid(self._last)} (OID not increasing)",
                    target=self.target)
            if value[0] in EXCEPTIONS:  # noSuchObject/Instance never follow a GETNEXT: skip
                self._last = name
                continue
            added.append((name, value))
            self._last = name
        self.rows.extend(added)
        if len(self.rows) >= self.max_rows:
            self.done = True
        return added
