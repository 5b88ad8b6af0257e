"""Schema nodes as the reference's field entries: name, offset, size, type, range, meaning.

The walk is kantech_proto's (``schema_walk``); ranges come from each field's ``Kind``, meanings
from the docstring beside the field in its layout, and enum value meanings from the comment
beside each member in its class (the one place either is written).
"""

from __future__ import annotations

import enum
import inspect
import re
from typing import Any

from kantech_proto.record_kinds import (
    Bcd,
    Blob,
    Choice,
    Clock,
    Date,
    Flags,
    Maybe,
    MemberSet,
    Nested,
    Number,
    Packed,
    Table,
    Text,
    Unlimited,
)
from kantech_proto.schema_walk import Node

_MEMBER = re.compile(r"^\s+([A-Z][A-Z0-9_]*)\s*=\s*[^#]+?(?:#\s*(.+))?$")
_INT_BITS = {"uint8": 8, "uint16": 16, "uint24": 24, "uint32": 32}


def value_meanings(kind: type[enum.Enum]) -> dict[str, str]:
    """Member name -> the comment written beside it in the enum's class body."""
    try:
        source = inspect.getsource(kind)
    except (OSError, TypeError):
        return {}
    found = {}
    for line in source.splitlines():
        match = _MEMBER.match(line)
        if match and match.group(2):
            found[match.group(1)] = match.group(2).strip()
    return found


def enum_entries(kind: type[enum.Enum]) -> list[dict[str, Any]]:
    meanings = value_meanings(kind)
    flag = issubclass(kind, enum.Flag)
    return [{"value": int(member.value), "hex": f"0x{int(member.value):02x}",
             "name": member.name, "meaning": meanings.get(member.name or "", ""),
             "bit": flag} for member in kind]


def _enum_name(kind: type[enum.Enum]) -> str:
    return kind.__name__


def range_text(node: Node, kind: Any = None) -> str:
    """What values the field takes, said the way a gateway author needs it."""
    kind = kind if kind is not None else node.kind
    if isinstance(kind, Maybe):
        inner = range_text(node, kind.kind)
        return f"all zero = none; else {inner}"
    if isinstance(kind, Table | Packed) and node.type != "array":
        kind = kind.item
    if isinstance(kind, Unlimited):
        return f"{kind.lo}..{kind.hi}; 0x{kind.none:X} = no limit"
    if isinstance(kind, Number):
        hi = kind.hi if kind.hi is not None else _type_max(node)
        lo = kind.lo if kind.lo >= -(1 << 31) else _type_min(node)
        return f"{lo}..{hi}"
    if isinstance(kind, Choice):
        return f"one of {_enum_name(kind.enum_type)}"
    if isinstance(kind, Flags):
        return f"{_enum_name(kind.flag_type)} bits; other bits 0"
    if isinstance(kind, type) and issubclass(kind, enum.IntFlag):
        return f"{kind.__name__} bits"
    if isinstance(kind, type) and issubclass(kind, enum.IntEnum):
        return f"one of {kind.__name__}"
    if isinstance(kind, Text):
        return f"ASCII, up to {kind.size} characters, zero-padded"
    if isinstance(kind, Bcd):
        return f"up to {2 * kind.size} digits, packed BCD, 0xF filler; all 0xFF = none"
    if isinstance(kind, Date):
        return "a date 2000-01-01..2255-12-31; all zero = none"
    if isinstance(kind, Clock):
        latest = kind.range.hi or 0
        return f"00:00..{latest // 60:02d}:{latest % 60:02d}"
    if isinstance(kind, MemberSet):
        return f"bit n-1 set = member n, 1..{kind.bits}"
    if isinstance(kind, Blob):
        return f"{kind.size} bytes"
    if isinstance(kind, Nested):
        return f"a {kind.model.__name__}"
    if node.type == "text":
        return f"ASCII, up to {node.size} characters, zero-padded"
    if node.type == "bcd":
        return f"up to {2 * node.size} digits, packed BCD, 0xF filler"
    if node.type in ("ipv4", "ether", "bytes"):
        return f"{node.size} bytes"
    if node.enum:
        return f"one of {node.enum.rsplit('.', 1)[-1]}"
    if node.flags:
        return f"{node.flags.rsplit('.', 1)[-1]} bits"
    if node.type in _INT_BITS or node.type.startswith("int"):
        return f"{_type_min(node)}..{_type_max(node)}"
    return ""


def _type_max(node: Node) -> int:
    if node.type.startswith("int"):
        return (1 << (8 * node.size - 1)) - 1
    return (1 << (8 * node.size)) - 1


def _type_min(node: Node) -> int:
    return -(1 << (8 * node.size - 1)) if node.type.startswith("int") else 0


def _values_of(node: Node) -> str | None:
    """The catalogue name (``module.Class``) of the enum or flags the field holds."""
    return node.enum or node.flags or None


def field_entries(nodes: tuple[Node, ...], base: int = 0, prefix: str = "",
                  meaning: str = "") -> list[dict[str, Any]]:
    """Flat entries, structs and arrays opened: ``valid_from.month``, ``intervals[n].start``
    (an array of structs lists its first element's fields, with the element size)."""
    out: list[dict[str, Any]] = []
    for node in nodes:
        name = f"{prefix}{node.name}"
        text = node.meaning or meaning
        entry = {"name": name, "offset": base + node.offset, "size": node.size,
                 "type": node.type, "range": range_text(node), "meaning": text,
                 "values": _values_of(node)}
        if node.type == "struct":
            entry["type"] = "struct"
            out.append(entry)
            out.extend(field_entries(node.children, base + node.offset, f"{name}."))
        elif node.type == "array" and node.element is not None:
            element = node.element
            entry["type"] = f"{node.count} x {element.type if element.type != 'struct' else 'struct'}"
            entry["element_size"] = element.size
            if element.type != "struct":
                entry["range"] = range_text(element, _item_kind(node.kind))
                entry["values"] = _values_of(element)
            out.append(entry)
            if element.type == "struct":
                out.extend(field_entries(element.children, base + node.offset, f"{name}[n]."))
        else:
            out.append(entry)
    return out


def _item_kind(kind: Any) -> Any:
    return kind.item if isinstance(kind, Table) else kind
