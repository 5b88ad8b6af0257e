"""Reading chosen columns of a table (or of several tables) side by side, as ``snmptable`` does:
one GETBULK (GETNEXT for SNMPv1) carries every column still going, so a table of R rows and C
columns costs about R / max_repetitions requests instead of C walks.

A column ends at the first name outside it, at endOfMibView or SNMPv1's noSuchName; names must
increase within a column. Sans-IO like walk.py: ``next_operation`` and ``feed``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ekm_proto.errors import SnmpWalkError
from ekm_proto.snmp.manager.targets import Operation, get_bulk, get_next
from ekm_proto.snmp.types import EXCEPTIONS, SnmpType, SnmpValue, VarBind, format_oid

_ENDS = frozenset((SnmpType.END_OF_MIB_VIEW, SnmpType.NO_SUCH_NAME))


class ColumnWalk:
    """The rows of ``columns`` (column OIDs without index): ``cells[column][index] = value``,
    ``index`` being the instance part after the column OID."""

    def __init__(self, columns: Sequence[Sequence[int]], *, bulk: bool = True,
                 max_repetitions: int = 10, target: str = "", max_rows: int = 10_000) -> None:
        self.columns = [tuple(c) for c in columns]
        self.bulk = bulk
        self.max_repetitions = max_repetitions
        self.target = target
        self.max_rows = max_rows
        self.cells: dict[tuple[int, ...], dict[tuple[int, ...], SnmpValue]] = {
            c: {} for c in self.columns}
        self._cursor = {c: c for c in self.columns}
        self._active = list(self.columns)

    @property
    def done(self) -> bool:
        return not self._active

    def next_operation(self) -> Operation | None:
        if not self._active:
            return None
        cursors = [self._cursor[c] for c in self._active]
        if self.bulk:
            return get_bulk(cursors, 0, self.max_repetitions)
        return get_next(*cursors)

    def feed(self, varbinds: Sequence[VarBind]) -> None:
        active = self._active
        if not varbinds:
            self._active = []
            return
        finished: set[tuple[int, ...]] = set()
        for position, (name, value) in enumerate(varbinds):
            column = active[position % len(active)]
            if column in finished:
                continue
            depth = len(column)
            if value[0] in _ENDS or name[:depth] != column:
                finished.add(column)
                continue
            if name <= self._cursor[column]:
                raise SnmpWalkError(
                    f"{self.target or 'agent'}: column {format_oid(column)} got "
                    f"{format_oid(name)} after {format_oid(self._cursor[column])} (OID not "
                    "increasing)", target=self.target)
            self._cursor[column] = name
            if value[0] not in EXCEPTIONS:
                cells = self.cells[column]
                cells[name[depth:]] = value
                if len(cells) >= self.max_rows:
                    finished.add(column)
        self._active = [c for c in active if c not in finished]

    def rows(self) -> dict[tuple[int, ...], dict[int, SnmpValue]]:
        """index -> {last arc of the column OID (the RFC's column number): value}."""
        table: dict[tuple[int, ...], dict[int, SnmpValue]] = {}
        for column, cells in self.cells.items():
            for index, value in cells.items():
                table.setdefault(index, {})[column[-1]] = value
        return table
