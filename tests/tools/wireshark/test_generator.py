"""The committed dissector is exactly what the generator makes from kantech_proto today, and
the generator's own declarations agree with the codecs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import construct as c
import pytest

from kantech_proto import wire_schema as schema
from kantech_proto.codes import Command, NakReason, RecordType
from kantech_proto.event_types import EVENT_ROWS, EventType
from kantech_proto.message_layout import FIXED_DATA_SIZES
from kantech_proto.messages import (
    MESSAGE_TYPES,
    Nak,
    Pulse,
    ReloadBegin,
    ReloadEnd,
)
from kantech_proto.reload_records import DoorRecord, encode_reload_records
from kantech_proto.schema_walk import Catalog, Node, walk
from kantech_proto.serial_frame import SerialLayout
from protolab.errors import UsageError
from tools.wireshark.generate import DISSECTOR, dissector_text
from tools.wireshark.lua_emit import field_declarations


def test_the_committed_dissector_is_the_generator_s_output() -> None:
    assert DISSECTOR.read_text() == dissector_text(), \
        "stale: run python -m tools.wireshark.generate"


def test_check_mode_tells_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "old.lua"
    stale.write_text(dissector_text().replace("GEN.records", "GEN.stale_records"))
    run = [sys.executable, "-m", "tools.wireshark.generate", "--check", "--output"]
    result = subprocess.run([*run, str(stale)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "stale" in result.stderr
    assert subprocess.run([*run, str(DISSECTOR)], timeout=60).returncode == 0


def test_hand_declared_layouts_build_what_the_messages_encode() -> None:
    assert schema.PulseStruct.build({"events_waiting": 1}) == Pulse(True).encode_data()
    assert schema.NakStruct.build({"reason": 4}) == Nak(NakReason(4)).encode_data()
    assert schema.ReloadBeginStruct.build({"scope": 9}) == ReloadBegin(9).encode_data()
    assert schema.ReloadEndStruct.build({"record_count": 70000}) == \
        ReloadEnd(70000).encode_data()
    data = encode_reload_records(RecordType.DOOR, [DoorRecord(1), DoorRecord(2)])
    assert schema.ReloadHeaderStruct.build({"record_type": 9, "count": 2}) == data[:2]
    assert [sc.name for sc in SerialLayout.subcons] == list(schema.SERIAL_FIELDS)
    assert schema.ReloadScope["ALL"] == 0
    assert schema.ReloadScope["DATE_TIME"] == RecordType.DATE_TIME


def test_every_command_has_exactly_one_treatment() -> None:
    groups = [set(schema.FIXED_LAYOUTS), set(schema.NO_DATA), set(schema.VARIABLE)]
    assert sum(len(g) for g in groups) == len(Command) and set.union(*groups) == set(Command)
    assert set(MESSAGE_TYPES) == set(Command)
    for command in schema.NO_DATA:
        assert FIXED_DATA_SIZES[command] == 0


def _check_offsets(nodes: tuple[Node, ...], size: int) -> None:
    offset = nodes[0].offset if nodes else 0
    for node in nodes:
        assert node.offset == offset, node.abbrev
        if node.type == "struct":
            _check_offsets(node.children, node.size)
        elif node.type == "array":
            assert node.element is not None and node.element.size * node.count == node.size
        offset += node.size
    assert offset - (nodes[0].offset if nodes else 0) == size


def test_layouts_tile_their_bytes_exactly() -> None:
    built = schema.build_schema()
    layouts = [built.outer, built.plain, *built.commands.values(), *built.records.values(),
               built.result, built.event_timestamp, *(layout for _, layout in built.event_rows)]
    for layout in layouts:
        _check_offsets(layout.nodes, layout.size)
    assert set(built.records) == {int(t) for t in RecordType}
    assert sorted(row.size for row, _ in built.event_rows) == sorted(
        {id(r): r.size for r in EVENT_ROWS.values()}.values())
    assert set(built.catalog.enums["event_types.EventType"]) == set(EventType)


def test_field_names_follow_the_rule() -> None:
    names = [entry[0] for entry in field_declarations(schema.build_schema())]
    assert len(names) == len(set(names))
    assert all(name.startswith("kantech.") and name == name.lower() for name in names)
    assert "kantech.rec.card_kt400.valid_from.year_since_2000" in names
    assert "kantech.rec.access_level.door_schedules" in names  # an array: one name, many values
    assert "kantech.event.card_digits" in names and "kantech.serial.presence" in names


def test_an_unknown_construct_is_refused() -> None:
    with pytest.raises(UsageError, match="no schema node"):
        walk(c.Struct("x" / c.GreedyBytes), "kantech.t", {}, Catalog())
