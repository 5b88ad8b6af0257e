"""The generated data section of the dissector, as Lua source text.

Deterministic: the same kantech_proto gives the same bytes, so the committed file can be
compared with a fresh generation.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from kantech_proto.codes import Command, Port
from kantech_proto.event_types import EVENT_ROWS
from kantech_proto.ip_frame import (
    CHECKSUM_SIZE,
    MAX_FRAME,
    OUTER_HEADER,
    PLAIN_HEADER,
    SYNC,
    VALIDATION,
)
from kantech_proto.schema_walk import Node, leaves
from kantech_proto.serial_frame import OVERHEAD, PRESENCE_FLAG
from kantech_proto.wire_schema import (
    NO_DATA,
    PROTO,
    SERIAL_FIELDS,
    VARIABLE,
    Layout,
    Schema,
)
from protolab.errors import UsageError
from tools.capture.decrypted_twin import DECRYPTED_SYNC
from tools.capture.packet_builder import SERIAL_CAPTURE_PORT

#: the catalogue names of the enums the engine reads by name
COMMAND_ENUM, RECORD_ENUM, EVENT_ENUM = "codes.Command", "codes.RecordType", "event_types.EventType"
BEGIN = "-- BEGIN GENERATED DATA: python -m tools.wireshark.generate (from kantech_proto)"
END = "-- END GENERATED DATA"


def lua_string(text: str) -> str:
    if any(ord(ch) < 0x20 or ord(ch) > 0x7E for ch in text):
        raise UsageError(f"{text!r} is not printable ASCII")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def node_lua(node: Node) -> str:
    parts = [f"n={lua_string(node.name)}", f"a={lua_string(node.abbrev)}", f"o={node.offset}",
             f"s={node.size}", f"t={lua_string(node.type)}"]
    if node.enum:
        parts.append(f"e={lua_string(node.enum)}")
    if node.flags:
        parts.append(f"fl={lua_string(node.flags)}")
    if node.children:
        parts.append("f={" + ", ".join(node_lua(child) for child in node.children) + "}")
    if node.element is not None:
        parts += [f"c={node.count}", f"el={node_lua(node.element)}"]
    return "{" + ", ".join(parts) + "}"


def layout_lua(layout: Layout, **extra: str) -> str:
    head = [f"scope={lua_string(layout.scope)}", f"size={layout.size}",
            *(f"{key}={value}" for key, value in extra.items())]
    body = ",\n    ".join(node_lua(node) for node in layout.nodes)
    return "{" + ", ".join(head) + ", nodes={\n    " + body + "}}"


def _enum_lua(kind: type[enum.IntEnum]) -> str:
    return "{" + ", ".join(f"[{int(m)}]={lua_string(m.name)}" for m in kind) + "}"


def _flags_lua(kind: type[enum.IntFlag]) -> str:
    return "{" + ", ".join(f"{{{int(m)}, {lua_string(str(m.name))}}}" for m in kind) + "}"


def _layouts(schema: Schema) -> Iterable[Layout]:
    yield from (schema.outer, schema.plain, *schema.commands.values(),
                *schema.records.values(), schema.result, schema.reload_header,
                schema.event_header, schema.event_timestamp)
    yield from (layout for _, layout in schema.event_rows)


def field_declarations(schema: Schema) -> list[tuple[str, str, str, bool, str | None]]:
    """(filter name, label, type, hex, enum) of every field, each once, scope roots first."""
    fields: dict[str, tuple[str, str, str, bool, str | None]] = {}
    scopes = sorted({layout.scope for layout in _layouts(schema) if layout.scope} | {"serial"})
    for scope in scopes:
        fields[f"{PROTO}.{scope}"] = (f"{PROTO}.{scope}", label(scope.split(".")[-1]), "none",
                                      False, None)
    serial = [(f"{PROTO}.serial.{name}", label(name), "bytes" if name == "data" else "uint8",
               False, COMMAND_ENUM if name == "command" else None) for name in SERIAL_FIELDS]
    serial += [(f"{PROTO}.serial.checksum", "Checksum", "uint8", True, None),
               (f"{PROTO}.serial.presence", "Presence (nothing to send)", "uint8", False, None)]
    for entry in serial:
        fields[entry[0]] = entry
    for layout in _layouts(schema):
        for leaf in leaves(layout.nodes):
            entry = (leaf.abbrev, label(leaf.name), leaf.type, leaf.hex, leaf.enum)
            if fields.setdefault(leaf.abbrev, entry) != entry:
                raise UsageError(f"{leaf.abbrev} is declared twice with different types")
    return list(fields.values())


def generated_section(schema: Schema) -> str:
    out = [BEGIN, "local GEN = {}"]
    out.append("GEN.enums = {\n" + ",\n".join(
        f"  [{lua_string(name)}]={_enum_lua(kind)}" for name, kind in sorted(schema.catalog.enums.items()))
        + "}")
    out.append("GEN.flags = {\n" + ",\n".join(
        f"  [{lua_string(name)}]={_flags_lua(kind)}" for name, kind in sorted(schema.catalog.flags.items()))
        + "}")
    out.append("GEN.fields = {\n" + ",\n".join(
        f"  {{{lua_string(a)}, {lua_string(lbl)}, {lua_string(t)}, {str(h).lower()}, "
        f"{lua_string(e) if e else 'nil'}}}" for a, lbl, t, h, e in field_declarations(schema))
        + "}")
    out.append(f"GEN.outer = {layout_lua(schema.outer)}")
    out.append(f"GEN.plain = {layout_lua(schema.plain)}")
    out.append("GEN.commands = {\n" + ",\n".join(
        f"  [{code}]={layout_lua(layout)}" for code, layout in sorted(schema.commands.items()))
        + "}")
    out.append("GEN.no_data = {" + ", ".join(f"[{int(c)}]=true" for c in NO_DATA) + "}")
    out.append("GEN.variable = {" + ", ".join(f"{c.name}={int(c)}" for c in VARIABLE) + "}")
    out.append("GEN.records = {\n" + ",\n".join(
        f"  [{code}]={layout_lua(layout)}" for code, layout in sorted(schema.records.items()))
        + "}")
    out.append(f"GEN.result = {layout_lua(schema.result)}")
    out.append(f"GEN.reload_header = {layout_lua(schema.reload_header)}")
    out.append(f"GEN.event_header = {layout_lua(schema.event_header)}")
    out.append(f"GEN.event_timestamp = {layout_lua(schema.event_timestamp)}")
    rows = [layout_lua(layout, title=lua_string(row.title),
                       controller_wide=str(row.controller_wide).lower())
            for row, layout in schema.event_rows]
    out.append("GEN.event_rows = {\n  " + ",\n  ".join(rows) + "}")
    row_index = {id(row): i + 1 for i, (row, _) in enumerate(schema.event_rows)}
    out.append("GEN.event_types = {" + ", ".join(
        f"[{int(t)}]={row_index[id(row)]}" for t, row in sorted(EVENT_ROWS.items())) + "}")
    constants = {
        "sync": SYNC, "decrypted_sync": DECRYPTED_SYNC, "validation": VALIDATION,
        "outer_header": OUTER_HEADER, "plain_header": PLAIN_HEADER,
        "checksum_size": CHECKSUM_SIZE, "max_frame": MAX_FRAME, "serial_overhead": OVERHEAD,
        "presence_flag": PRESENCE_FLAG, "serial_port": SERIAL_CAPTURE_PORT,
        "tcp_port": int(Port.DEVICE_TO_GATEWAY_TCP), "tunnel": int(Command.TUNNEL),
    }
    udp = ",".join(str(int(p)) for p in (Port.DEVICE_TO_GATEWAY_UDP,
                                         Port.DISCOVERY_BROADCAST_UDP,
                                         Port.GATEWAY_TO_DEVICE_UDP))
    out.append("GEN.constants = {" + ", ".join(f"{k}={v}" for k, v in constants.items())
               + f", udp_ports={lua_string(udp)}}}")
    out.append(f"GEN.names = {{command={lua_string(COMMAND_ENUM)}, record={lua_string(RECORD_ENUM)}, "
               f"event={lua_string(EVENT_ENUM)}}}")
    out.append(END)
    return "\n".join(out) + "\n"
