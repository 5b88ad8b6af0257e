"""What the dissector must show for bytes kantech_proto encoded: the Construct layout parsed in
Python, each field under its documented filter name (a helper, not a test module).

Filter names: ``kantech.<scope>.<field path>`` (README, "Captures and the Wireshark dissector").
Values as tshark prints them once normalised: integers in decimal, byte strings in hex, text
fields as text, BCD digits as digits, addresses dotted.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

import construct as c

from kantech_proto.record_kinds import Bcd, Maybe, Nested, Table, Text

HEX_PAIRS = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2})+$")


def normalise(value: str) -> str:
    """tshark's text for a value in the form ``expected`` uses."""
    if value.startswith("0x"):
        return str(int(value, 16))
    if HEX_PAIRS.match(value):
        return value.replace(":", "")
    return value


def normalised(fields: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {key: [normalise(v) for v in values] for key, values in fields.items()}


def displays_of(kinds: Mapping[str, Any]) -> dict[str, Any]:
    """Which byte fields a record's kinds make text or digits, nested records included."""
    out: dict[str, Any] = {}
    for name, kind in kinds.items():
        if isinstance(kind, Maybe):
            kind = kind.kind
        if isinstance(kind, Table):
            kind = kind.item
        if isinstance(kind, Text):
            out[name] = "text"
        elif isinstance(kind, Bcd):
            out[name] = "bcd"
        elif isinstance(kind, Nested):
            out[name] = displays_of(kind.model.KINDS)
    return out


def _unwrap(con: Any) -> Any:
    while isinstance(con, c.Renamed | c.Const | c.Rebuild):
        con = con.subcon
    return con


def _render(raw: bytes, display: Any) -> str:
    if display == "text":
        return raw.split(b"\x00", 1)[0].decode("ascii")
    if display == "bcd":
        return raw.hex().rstrip("f")
    if display == "ipv4":
        return str(ipaddress.IPv4Address(raw))
    return raw.hex()


def _value(out: dict[str, list[str]], name: str, con: Any, value: Any, display: Any) -> None:
    con = _unwrap(con)
    if isinstance(con, c.Struct):
        _struct(out, name, con, value, display if isinstance(display, dict) else {})
    elif isinstance(con, c.Array):
        for item in value:
            _value(out, name, con.subcon, item, display)
    elif isinstance(value, bytes | bytearray):
        out.setdefault(name, []).append(_render(bytes(value), display))
    else:
        out.setdefault(name, []).append(str(int(value)))


def _struct(out: dict[str, list[str]], prefix: str, layout: c.Struct, value: Any,
            displays: Mapping[str, Any]) -> None:
    for sub in layout.subcons:
        _value(out, f"{prefix}.{sub.name}", sub.subcon, value[sub.name], displays.get(sub.name))


def expected(prefix: str, layout: c.Struct, data: bytes,
             displays: Mapping[str, Any] | None = None,
             into: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The fields of ``data`` parsed with ``layout``, named ``prefix.<path>``, added to
    ``into`` (repeated layouts accumulate in order)."""
    out = {} if into is None else into
    _struct(out, prefix, layout, layout.parse(data), displays or {})
    return out
