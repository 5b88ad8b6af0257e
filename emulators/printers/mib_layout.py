"""A MIB layout shared by every printer of one profile: sorted OIDs and per-OID getters.

The layout holds everything that is the same for all printers of a model (the OID list, constant
values, how to compute the rest); a printer brings only its state. GET and GETNEXT are a bisect on
the shared OID list plus, for dynamic objects, one call. Tables whose rows come and go per printer
(alerts, the IP address table) are *regions*: one entry that answers for a whole subtree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from ekm_proto.errors import SnmpEncodeError
from ekm_proto.snmp.ber import varbind_tlv
from ekm_proto.snmp.types import NO_SUCH_INSTANCE, NO_SUCH_OBJECT, Oid, SnmpValue
from emulators.printers.errors import ProfileError

# A getter computes a value from (printer state, simulated now); None means "absent right now"
# (power save hiding counters): GET answers noSuchInstance and GETNEXT skips it.
Getter = Callable[[Any, float], SnmpValue | None]

_CONST, _CALL, _REGION = 0, 1, 2


class Writable(Protocol):
    """An object administrators may SET (mib_writable.py): checked, then written to a printer."""

    def test(self, value: SnmpValue) -> int:
        """0, or the error-status a SET of ``value`` gets (wrongType, wrongLength...)."""
        ...

    def commit(self, state: Any, value: SnmpValue, now: float) -> None: ...


class Region(Protocol):
    """A subtree whose instances depend on the printer (rows that come and go)."""

    prefix: Oid
    columns: tuple[Oid, ...]  # object types (column OIDs) for noSuchObject vs noSuchInstance

    def get(self, state: Any, oid: Oid, now: float) -> SnmpValue | None: ...

    def next_after(self, state: Any, oid: Oid, now: float) -> tuple[Oid, SnmpValue] | None: ...


class LayoutBuilder:
    """Collects entries while a profile's MIB is described, then freezes them into a MibLayout."""

    def __init__(self) -> None:
        self.entries: dict[Oid, SnmpValue | Getter] = {}
        self.regions: list[Region] = []
        self.types: set[Oid] = set()
        self.writable: dict[Oid, Writable] = {}

    def writable_cell(self, column: Oid, index: tuple[int, ...], value: Getter,
                      writable: Writable) -> None:
        """A cell read through ``value`` that SET may change through ``writable``."""
        self.cell(column, index, value)
        self.writable[column + index] = writable

    def scalar(self, oid: Oid, value: SnmpValue | Getter) -> None:
        """A scalar object ``oid`` served at instance ``oid.0``."""
        self.types.add(oid)
        self.entries[(*oid, 0)] = value

    def cell(self, column: Oid, index: tuple[int, ...], value: SnmpValue | Getter) -> None:
        self.types.add(column)
        self.entries[column + index] = value

    def leaf(self, oid: Oid, value: SnmpValue | Getter, object_type: Oid | None = None) -> None:
        """An instance whose object type is unknown (a recording): the type defaults to oid[:-1]."""
        self.types.add(object_type if object_type is not None else oid[:-1])
        self.entries[oid] = value

    def region(self, region: Region) -> None:
        self.regions.append(region)
        self.types.update(region.columns)

    def drop_subtree(self, prefix: Oid) -> None:
        """Remove everything under ``prefix`` (the "missing tables" vendor quirk)."""
        n = len(prefix)
        for oid in [o for o in self.entries if o[:n] == prefix]:
            del self.entries[oid]
            self.writable.pop(oid, None)
        self.regions = [r for r in self.regions if r.prefix[:n] != prefix]
        self.types = {t for t in self.types if t[:n] != prefix}

    def build(self) -> MibLayout:
        return MibLayout(self.entries, self.regions, self.types, self.writable)


class MibLayout:
    """The frozen, shared part of a printer MIB; see the module docstring."""

    __slots__ = ("_encoded", "_exact", "_getters", "_kinds", "_oids", "_types", "dynamic_oids",
                 "writable")

    def __init__(self, entries: dict[Oid, SnmpValue | Getter], regions: list[Region],
                 types: set[Oid], writable: dict[Oid, Writable] | None = None) -> None:
        self.writable: dict[Oid, Writable] = {
            oid: w for oid, w in (writable or {}).items() if oid in entries}
        items: list[tuple[Oid, Any, int]] = [
            (oid, value, _CONST if type(value) is tuple else _CALL) for oid, value in entries.items()]
        for region in regions:
            inside = [oid for oid in entries if oid[:len(region.prefix)] == region.prefix]
            if inside:
                raise ProfileError(f"region {region.prefix} overlaps leaf {inside[0]}")
            items.append((region.prefix, region, _REGION))
        items.sort(key=lambda item: item[0])
        self._oids: list[Oid] = [item[0] for item in items]
        self._getters: list[Any] = [item[1] for item in items]
        self._kinds = bytes(item[2] for item in items)
        self._encoded: list[bytes] = [_encoded(oid, value) if kind == _CONST else b""
                                      for oid, value, kind in items]
        self._types: frozenset[Oid] = frozenset(types)
        self.dynamic_oids = frozenset(o for o, _, k in items if k == _CALL)
        # every leaf by its OID: (kind, value or getter, position of the next entry), so that
        # GET is one dict lookup and a walk's GETNEXT (the successor of what it was just given)
        # needs no search
        self._exact: dict[Oid, tuple[int, Any, int]] = {
            oid: (kind, getter, position + 1)
            for position, (oid, getter, kind) in enumerate(items) if kind != _REGION}

    def __len__(self) -> int:
        return len(self._oids)

    def __contains__(self, oid: Oid) -> bool:
        i = bisect_right(self._oids, oid) - 1
        return i >= 0 and self._oids[i] == oid and self._kinds[i] != _REGION

    def region_at(self, prefix: Oid) -> Region | None:
        """The region serving the subtree ``prefix`` (a table whose rows come and go), if any."""
        i = bisect_right(self._oids, prefix) - 1
        if i >= 0 and self._kinds[i] == _REGION and self._oids[i] == prefix:
            region: Region = self._getters[i]
            return region
        return None

    def static_items(self) -> Iterator[tuple[Oid, SnmpValue | Getter]]:
        """Every leaf entry (not regions), for building variants and recorded overlays."""
        for oid, getter, kind in zip(self._oids, self._getters, self._kinds, strict=True):
            if kind != _REGION:
                yield oid, getter

    def get(self, state: Any, oid: Oid, now: float) -> SnmpValue:
        found = self._exact.get(oid)
        if found is not None:
            if found[0] == _CONST:
                return found[1]
            value = found[1](state, now)
            return value if value is not None else NO_SUCH_INSTANCE
        oids = self._oids
        i = bisect_right(oids, oid) - 1
        if i >= 0:
            kind = self._kinds[i]
            key = oids[i]
            if kind == _REGION:
                if oid[:len(key)] == key:
                    value = self._getters[i].get(state, oid, now)
                    if value is not None:
                        return value
            elif key == oid:
                if kind == _CONST:
                    return self._getters[i]
                value = self._getters[i](state, now)
                if value is not None:
                    return value
                return NO_SUCH_INSTANCE
        return NO_SUCH_INSTANCE if self._has_type(oid) else NO_SUCH_OBJECT

    def _after(self, oid: Oid) -> int:
        """Where the objects after ``oid`` start: the next entry, or the region ``oid`` is in."""
        exact = self._exact.get(oid)
        if exact is not None:
            return exact[2]
        oids, kinds = self._oids, self._kinds
        i = bisect_right(oids, oid)
        if i > 0 and kinds[i - 1] == _REGION and oid[:len(oids[i - 1])] == oids[i - 1]:
            return i - 1  # inside a region: it knows the successor
        return i

    def get_next(self, state: Any, oid: Oid, now: float) -> tuple[Oid, SnmpValue] | None:
        oids = self._oids
        kinds = self._kinds
        getters = self._getters
        i = self._after(oid)
        if i < len(oids) and kinds[i] == _REGION and oid[:len(oids[i])] == oids[i]:
            found = getters[i].next_after(state, oid, now)
            if found is not None:
                return found
            i += 1
        n = len(oids)
        while i < n:
            kind = kinds[i]
            if kind == _CONST:
                return oids[i], getters[i]
            if kind == _CALL:
                value = getters[i](state, now)
                if value is not None:
                    return oids[i], value
            else:
                found = getters[i].next_after(state, oids[i], now)
                if found is not None:
                    return found
            i += 1
        return None

    def walk_encoded(self, state: Any, oid: Oid, now: float, limit: int
                     ) -> tuple[list[bytes], Oid]:
        """The VarBind TLVs of up to ``limit`` successive objects after ``oid`` (what get_next
        would give, called over and over) and the last one's OID, for GETBULK: one call per
        request, constant cells encoded once for every printer of the model."""
        oids, kinds, getters, encoded = self._oids, self._kinds, self._getters, self._encoded
        out: list[bytes] = []
        append = out.append
        name = oid
        i = self._after(oid)
        count, left = len(oids), limit
        while i < count and left > 0:
            kind = kinds[i]
            if kind == _CONST:
                name = oids[i]
                append(encoded[i])
                left -= 1
            elif kind == _CALL:
                value = getters[i](state, now)
                if value is not None:
                    name = oids[i]
                    append(varbind_tlv(name, *value))
                    left -= 1
            else:
                region = getters[i]
                at = name if name[:len(oids[i])] == oids[i] else oids[i]
                while left > 0 and (found := region.next_after(state, at, now)) is not None:
                    at = name = found[0]
                    append(varbind_tlv(name, *found[1]))
                    left -= 1
                if left <= 0:
                    break
            i += 1
        return out, name

    def _has_type(self, oid: Oid) -> bool:
        """True when some object type is a proper prefix of ``oid`` (noSuchInstance territory)."""
        types = self._types
        return any(oid[:k] in types for k in range(len(oid) - 1, 0, -1))


def _encoded(oid: Oid, value: SnmpValue) -> bytes:
    """A constant cell's VarBind, encoded once; a value no message can carry is a profile error."""
    try:
        return varbind_tlv(oid, *value)
    except SnmpEncodeError as exc:
        raise ProfileError(f"{'.'.join(map(str, oid))}: {exc}") from None
