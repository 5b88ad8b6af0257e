"""The whole reference as one JSON-friendly dictionary, built from kantech_proto's schemas and
tables (``wire_schema.build_schema``), what the controllers do (each record class's ``BEHAVIOUR``
and ``FIELD_BEHAVIOUR``, ``event_causes``) and the encoders."""

from __future__ import annotations

import enum
from typing import Any

from kantech_proto.codes import Command, NakReason, RecordType
from kantech_proto.controller_status import COMPONENT_RESULT_SIZE, STATUS_SIZE
from kantech_proto.event_causes import ACCESS_RESULT_CAUSES, EVENT_CAUSES
from kantech_proto.event_types import (
    ACCESS_32_BASE,
    ACCESS_BCD_BASE,
    EVENT_ROWS,
    AccessResult,
    EventType,
)
from kantech_proto.message_layout import FIXED_DATA_SIZES
from kantech_proto.reload_records import RECORD_CLASSES, RECORD_SIZES
from kantech_proto.wire_schema import NO_DATA, VARIABLE, Layout, build_schema
from tools.reference.examples import access_meaning, event_hex, record_hex
from tools.reference.exchanges import exchanges
from tools.reference.fields import enum_entries, field_entries, value_meanings

#: what the variable-length commands carry, in words (their parts have layouts below)
VARIABLE_DATA = {
    Command.MANUAL_OP_REPLY: "one 8-byte component result per component (see Manual-operation "
                             "result)",
    Command.RELOAD_RECORDS: "u8 record type, u8 count, then count records of that type's size "
                            "(see Reload records)",
    Command.EVENT: "date/time (7), component (1), then the event body of its type (see Events)",
    Command.TUNNEL: "whole serial frames and single presence bytes (see TUNNEL)",
}


def _layout(layout: Layout) -> dict[str, Any]:
    return {"size": layout.size, "fields": field_entries(layout.nodes)}


def _record_layout(layout: Layout, cls: type) -> dict[str, Any]:
    """The record's fields, each top-level one with what the controller does with it."""
    entry = _layout(layout)
    behaviour = getattr(cls, "FIELD_BEHAVIOUR", {})
    for field in entry["fields"]:
        if text := behaviour.get(field["name"]):
            field["behaviour"] = text
    return entry


def _doc(kind: type) -> str:
    return " ".join((kind.__doc__ or "").split())


def build_reference() -> dict[str, Any]:
    schema = build_schema()
    command_meanings = value_meanings(Command)
    commands = []
    for command in Command:
        entry: dict[str, Any] = {"code": int(command), "hex": f"0x{int(command):02x}",
                                 "name": command.name,
                                 "meaning": command_meanings.get(command.name, "")}
        if command in NO_DATA:
            entry.update(size=0, fields=[])
        elif command in VARIABLE:
            entry.update(size=None, fields=[], data=VARIABLE_DATA[command])
        else:
            entry.update(_layout(schema.commands[int(command)]))
            entry["size"] = FIXED_DATA_SIZES[command]
        commands.append(entry)
    records = []
    for record_type in RecordType:
        cls = RECORD_CLASSES[record_type]
        records.append({
            "code": int(record_type), "name": record_type.name, "size": RECORD_SIZES[record_type],
            "class": cls.__name__, "description": _doc(cls) if cls.__doc__ else "",
            **_record_layout(schema.records[int(record_type)], cls),
            "behaviour": " ".join(getattr(cls, "BEHAVIOUR", "").split()),
            "example_hex": record_hex(record_type)})
    rows = []
    for row, layout in schema.event_rows:
        types = [t for t, r in EVENT_ROWS.items() if r is row]
        rows.append({"title": row.title, "size": row.size, "controller_wide": row.controller_wide,
                     "types": [t.name for t in types], **_layout(layout)})
    events = [{"code": int(t), "hex": f"0x{int(t):02x}", "name": t.name,
               "row": EVENT_ROWS[t].title, "body_size": EVENT_ROWS[t].size,
               "meaning": value_meanings(EventType).get(t.name, "") or access_meaning(t),
               "cause": EVENT_CAUSES[t], "example_hex": event_hex(t)} for t in EventType]
    result_meanings = value_meanings(AccessResult)
    access_results = [{"value": int(r), "hex": f"0x{int(r):x}", "name": r.name,
                       "meaning": result_meanings.get(r.name, ""),
                       "cause": ACCESS_RESULT_CAUSES[r]} for r in AccessResult]
    status = _layout(schema.commands[int(Command.STATUS_REPLY)])
    enums = {**schema.catalog.enums, **schema.catalog.flags}
    display = _display_names(list(enums))
    reference = {
        "title": "Kantech kt-v1 protocol reference",
        "frame": {"outer": _layout(schema.outer), "plain": _layout(schema.plain)},
        "commands": commands,
        "nak_reasons": enum_entries(NakReason),
        "status": {**status, "size": STATUS_SIZE},
        "manual_op_result": {**_layout(schema.result), "size": COMPONENT_RESULT_SIZE},
        "records": records,
        "events": {"header": {"size": 8, "fields": [
            *field_entries(schema.event_timestamp.nodes, 0, "timestamp."),
            *field_entries(schema.event_header.nodes, 7)]},
            "rows": rows, "types": events, "access_results": access_results,
            "access_note": f"The low nibble of an access event's type: the type is "
                           f"0x{ACCESS_32_BASE:02x} + result for a card known by its 32-bit "
                           f"number, 0x{ACCESS_BCD_BASE:02x} + result for one known by BCD "
                           f"digits."},
        "enums": {display[name]: {"module": f"kantech_proto.{name.split('.', 1)[0]}",
                                  "flags": issubclass(kind, enum.Flag),
                                  "meaning": _doc(kind), "values": enum_entries(kind)}
                  for name, kind in sorted(enums.items(), key=lambda kv: display[kv[0]])},
        "exchanges": exchanges(),
    }
    _name_values(reference, display)
    return reference


def _display_names(names: list[str]) -> dict[str, str]:
    """``DoorFlag`` where the class name is unique, ``controller_status.DoorFlag`` where not."""
    short = [name.rsplit(".", 1)[-1] for name in names]
    return {name: s if short.count(s) == 1 else name for name, s in zip(names, short, strict=True)}


def _name_values(node: Any, display: dict[str, str]) -> None:
    """Every field's ``values`` as the enum's key in ``enums``."""
    if isinstance(node, dict):
        if isinstance(node.get("values"), str):
            node["values"] = display.get(node["values"], node["values"])
        for value in node.values():
            _name_values(value, display)
    elif isinstance(node, list):
        for value in node:
            _name_values(value, display)
