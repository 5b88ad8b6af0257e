"""Construct layouts walked into nodes: name, dotted name, offset, size, type, meaning.

The one walk of kantech_proto's schemas that every generated artifact shares: the Wireshark
dissector (tools/wireshark) and the protocol reference for gateway authors (tools/reference).
A node is a leaf (an integer, signed integer or byte string), a struct (its fields) or an array
(``count`` times one element node). What a leaf's values *are* (an enum, flags, ASCII text, BCD
digits, an address) comes from the kantech_proto ``Kind`` of the field, or from a display name
given by hand for layouts that have no kinds ("ipv4", "ether", "hex", "text"); what the field
*means* is the docstring written beside it in its layout (``"name" / c.Int8ub * "meaning"``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import construct as c

from kantech_proto.record_kinds import (
    Bcd,
    Blob,
    Choice,
    Flags,
    Maybe,
    MemberSet,
    Nested,
    Table,
    Text,
)
from protolab.errors import UsageError

_FORMATS = {">B": "uint8", ">H": "uint16", ">L": "uint32", ">I": "uint32", ">b": "int8",
            ">h": "int16"}
_BYTE_DISPLAYS = ("text", "ipv4", "ether", "bcd")


@dataclass(frozen=True)
class Node:
    name: str
    abbrev: str
    offset: int
    size: int
    type: str  # uint8/16/24/32, int8/16, bytes, text, bcd, ipv4, ether, struct, array
    enum: str | None = None
    flags: str | None = None
    hex: bool = False
    children: tuple[Node, ...] = ()
    count: int = 0
    element: Node | None = None
    meaning: str = ""  # the field's docstring in its layout
    kind: Any = field(default=None, compare=False, repr=False)  # its Kind, for value ranges


@dataclass
class Catalog:
    """The enums and flag types the walked layouts refer to, by ``module.Class`` name (two
    modules of kantech_proto each have a ``DoorFlag``)."""

    enums: dict[str, type[enum.IntEnum]] = field(default_factory=dict)
    flags: dict[str, type[enum.IntFlag]] = field(default_factory=dict)

    def add_enum(self, kind: type[enum.IntEnum]) -> str:
        return self._add(self.enums, kind)

    def add_flags(self, kind: type[enum.IntFlag]) -> str:
        return self._add(self.flags, kind)

    @staticmethod
    def _add(table: dict[str, Any], kind: type[Any]) -> str:
        name = f"{kind.__module__.rsplit('.', 1)[-1]}.{kind.__name__}"
        if table.setdefault(name, kind) is not kind:
            raise UsageError(f"two enum types named {name}")
        return name


def walk(layout: c.Struct, prefix: str, kinds: Mapping[str, Any], catalog: Catalog,
         base: int = 0) -> tuple[Node, ...]:
    """The nodes of ``layout``'s fields, named ``prefix.field``, offsets from ``base``."""
    nodes = []
    offset = base
    for sub in layout.subcons:
        node = _node(sub.name, sub.subcon, f"{prefix}.{sub.name}", offset, kinds.get(sub.name),
                     catalog)
        node = replace(node, meaning=_docs(sub), kind=kinds.get(sub.name))
        nodes.append(node)
        offset += node.size
    return tuple(nodes)


def _docs(con: Any) -> str:
    """The docstring given to a field (``* "meaning"``), searched through its wrappers."""
    while con is not None:
        docs = getattr(con, "docs", None)
        if docs:
            return " ".join(str(docs).split())
        con = con.subcon if isinstance(con, c.Renamed) else None
    return ""


def _node(name: str, con: Any, abbrev: str, offset: int, kind: Any, catalog: Catalog) -> Node:
    while isinstance(con, c.Const | c.Rebuild | c.Renamed):
        con = con.subcon
    if isinstance(con, c.Struct):
        return Node(name, abbrev, offset, con.sizeof(), "struct",
                    children=walk(con, abbrev, _nested(kind), catalog, 0))
    if isinstance(con, c.Array):
        element = _node(name, con.subcon, abbrev, 0, _element(kind), catalog)
        return Node(name, abbrev, offset, con.sizeof(), "array", count=int(con.count),
                    element=element)
    if isinstance(con, c.FormatField) and con.fmtstr in _FORMATS:
        return _integer(Node(name, abbrev, offset, con.sizeof(), _FORMATS[con.fmtstr]), kind,
                        catalog)
    if isinstance(con, c.BytesInteger) and not con.signed and not con.swapped:
        return _integer(Node(name, abbrev, offset, con.sizeof(), f"uint{8 * con.length}"),
                        kind, catalog)
    if isinstance(con, c.Bytes) and isinstance(con.length, int):
        return Node(name, abbrev, offset, con.length, _byte_display(kind))
    raise UsageError(f"{abbrev}: no schema node for {con!r}")


def _integer(node: Node, kind: Any, catalog: Catalog) -> Node:
    if isinstance(kind, Maybe):
        kind = kind.kind
    if isinstance(kind, Choice):
        return Node(**{**node.__dict__, "enum": catalog.add_enum(kind.enum_type)})
    if isinstance(kind, Flags):
        return Node(**{**node.__dict__, "flags": catalog.add_flags(kind.flag_type), "hex": True})
    if isinstance(kind, MemberSet) or kind == "hex":
        return Node(**{**node.__dict__, "hex": True})
    if isinstance(kind, type) and issubclass(kind, enum.IntFlag):
        return Node(**{**node.__dict__, "flags": catalog.add_flags(kind), "hex": True})
    if isinstance(kind, type) and issubclass(kind, enum.IntEnum):
        return Node(**{**node.__dict__, "enum": catalog.add_enum(kind)})
    return node


def _byte_display(kind: Any) -> str:
    if isinstance(kind, Text):
        return "text"
    if isinstance(kind, Bcd):
        return "bcd"
    if kind in _BYTE_DISPLAYS:
        return str(kind)
    if kind is None or isinstance(kind, Blob | MemberSet) or kind == "bytes":
        return "bytes"
    raise UsageError(f"no byte display for kind {kind!r}")


def _nested(kind: Any) -> Mapping[str, Any]:
    if isinstance(kind, Maybe):
        kind = kind.kind
    if isinstance(kind, Nested):
        return kind.model.KINDS
    if isinstance(kind, dict):
        return kind
    return {}


def _element(kind: Any) -> Any:
    return kind.item if isinstance(kind, Table) else kind


def leaves(nodes: tuple[Node, ...]) -> Iterator[Node]:
    """Every leaf under ``nodes`` (an array's element once)."""
    for node in nodes:
        if node.type == "struct":
            yield from leaves(node.children)
        elif node.type == "array" and node.element is not None:
            yield from leaves((node.element,))
        else:
            yield node
