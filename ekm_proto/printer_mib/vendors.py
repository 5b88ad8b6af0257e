"""Printer vendors by SNMP enterprise number, and their private page counters with the value at
which each wraps back to zero.

A monitor turns counter readings into pages printed by differences; a difference across a wrap is
only right if the wrap point is known. Standard types wrap at their size (Counter32 after
2^32 - 1); some vendors keep narrower registers behind wider types: HP's private impression
counters wrap after 2^24 - 1 although they are served as Counter32.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm_proto.snmp.types import Oid, SnmpType

VENDORS: dict[int, str] = {
    11: "HP", 236: "Samsung", 1347: "Kyocera", 641: "Lexmark", 1248: "Epson", 2435: "Brother",
    1602: "Canon", 253: "Xerox", 367: "Ricoh", 18334: "Konica Minolta", 1129: "Toshiba",
    2385: "Sharp", 2001: "OKI",
}

#: the largest value of each integer type before it wraps (INTEGER never wraps: it stays
#: at most 2^31 - 1)
TYPE_MAXIMUM: dict[SnmpType, int] = {
    SnmpType.COUNTER32: 2**32 - 1, SnmpType.GAUGE32: 2**32 - 1, SnmpType.INTEGER: 2**31 - 1,
    SnmpType.COUNTER64: 2**64 - 1, SnmpType.TIMETICKS: 2**32 - 1,
}


@dataclass(frozen=True, slots=True)
class CounterArc:
    """A vendor's subtree of page counters and the largest value they reach before wrapping."""

    enterprise: int
    prefix: Oid
    maximum: int
    what: str


COUNTER_ARCS: tuple[CounterArc, ...] = (
    CounterArc(11, (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 4, 1, 2), 2**24 - 1,
               "HP impression counters (total, mono, colour)"),
    CounterArc(11, (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 4, 1, 8), 2**32 - 1,
               "HP per-size impression counters"),
    CounterArc(11, (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 2, 2, 1), 2**32 - 1,
               "HP scan counters"),
    CounterArc(236, (1, 3, 6, 1, 4, 1, 236, 11, 5, 11, 53, 11, 1), 2**32 - 1,
               "Samsung billing counters"),
    CounterArc(1347, (1, 3, 6, 1, 4, 1, 1347, 42, 3, 1), 2**32 - 1,
               "Kyocera page counters by function"),
    CounterArc(641, (1, 3, 6, 1, 4, 1, 641, 2, 1, 2, 1), 2**32 - 1, "Lexmark page counters"),
    CounterArc(1248, (1, 3, 6, 1, 4, 1, 1248, 1, 2, 2, 27, 1, 1), 2**32 - 1,
               "Epson page counters"),
)


def vendor_of(sys_object_id: Oid) -> str | None:
    """The vendor a sysObjectID names (its enterprise arc), if known."""
    if sys_object_id[:6] == (1, 3, 6, 1, 4, 1) and len(sys_object_id) > 6:
        return VENDORS.get(sys_object_id[6])
    return None


def counter_maximum(oid: Oid, kind: SnmpType) -> int:
    """The value after which the counter at ``oid`` wraps to zero: its vendor arc's, else its
    type's."""
    for arc in COUNTER_ARCS:
        if oid[:len(arc.prefix)] == arc.prefix:
            return min(arc.maximum, TYPE_MAXIMUM.get(kind, arc.maximum))
    return TYPE_MAXIMUM.get(kind, 2**32 - 1)


def pages_between(before: int, after: int, maximum: int) -> int:
    """Pages counted from reading ``before`` to reading ``after`` of a counter that wraps after
    ``maximum`` (at most one wrap in between)."""
    return after - before if after >= before else maximum - before + 1 + after
