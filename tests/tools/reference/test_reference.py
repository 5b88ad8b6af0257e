"""The protocol reference is generated from the code and stays so: the committed document equals
the generator's output, every layout field carries a meaning, what the controllers do (the record
classes' BEHAVIOUR / FIELD_BEHAVIOUR, ``event_causes``) reaches it, every example decodes back to
the record or event it shows, and ``protolab kantech spec`` prints the same thing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kantech_proto.codes import Command, RecordType
from kantech_proto.controller_events import decode_event
from kantech_proto.event_types import AccessResult, EventType
from kantech_proto.records_elevator import FloorGroupMask
from kantech_proto.reload_records import RECORD_CLASSES, decode_record
from tools.reference.examples import RECORDS, example_event
from tools.reference.generate import DOCUMENT, reference_text
from tools.reference.markdown import render
from tools.reference.model import build_reference

ROOT = Path(__file__).parents[3]
REQUIRED = ("name", "offset", "size", "type", "meaning")


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return build_reference()


def test_the_committed_document_is_the_generator_output() -> None:
    assert DOCUMENT.read_text() == reference_text(), \
        "stale: run python -m tools.reference.generate"


def test_check_mode_tells_a_stale_document(tmp_path: Path) -> None:
    stale = tmp_path / "old.md"
    stale.write_text(reference_text().replace("uses_left", "uses_remaining"))
    run = [sys.executable, "-m", "tools.reference.generate", "--check", "--output"]
    result = subprocess.run([*run, str(stale)], capture_output=True, text=True, timeout=60,
                            cwd=ROOT)
    assert result.returncode == 1 and "stale" in result.stderr


def _layouts(ref: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    out = [(f"record {r['name']}", r["fields"]) for r in ref["records"]]
    out += [(f"event body {row['title']}", row["fields"]) for row in ref["events"]["rows"]]
    out += [("status", ref["status"]["fields"]), ("result", ref["manual_op_result"]["fields"]),
            ("event header", ref["events"]["header"]["fields"])]
    out += [(f"command {c['name']}", c["fields"]) for c in ref["commands"] if c["fields"]]
    return out


def test_every_layout_lists_fields_with_meanings(reference: dict[str, Any]) -> None:
    assert {r["name"] for r in reference["records"]} == {t.name for t in RecordType}
    assert {c["name"] for c in reference["commands"]} == {c.name for c in Command}
    assert {t["name"] for t in reference["events"]["types"]} == {t.name for t in EventType}
    for where, fields in _layouts(reference):
        assert fields, where
        for field in fields:
            assert all(key in field for key in REQUIRED), (where, field)
            assert field["meaning"] or field["name"] == "reserved", (where, field["name"])


def test_record_fields_tile_the_record(reference: dict[str, Any]) -> None:
    for record in reference["records"]:
        top = [f for f in record["fields"] if "." not in f["name"]]
        assert [f["offset"] for f in top] == [sum(f["size"] for f in top[:i])
                                              for i in range(len(top))], record["name"]
        assert sum(f["size"] for f in top) == record["size"]


def test_status_and_result_layouts_are_63_and_8_bytes(reference: dict[str, Any]) -> None:
    for layout, size in ((reference["status"], 63), (reference["manual_op_result"], 8)):
        top = [f for f in layout["fields"] if "." not in f["name"]]
        assert sum(f["size"] for f in top) == size == layout["size"]
    names = {v["name"] for v in reference["enums"]["SystemFlag"]["values"]}
    assert "EVENTS_PENDING" in names and all(v["meaning"] for v in
                                             reference["enums"]["SystemFlag"]["values"])
    assert [v["value"] for v in reference["nak_reasons"]] == [1, 2, 3, 4, 5]


def test_examples_decode_to_what_they_show(reference: dict[str, Any]) -> None:
    for record in reference["records"]:
        kind = RecordType[record["name"]]
        assert decode_record(kind, bytes.fromhex(record["example_hex"])) == RECORDS[kind]
    for event in reference["events"]["types"]:
        kind = EventType[event["name"]]
        assert decode_event(bytes.fromhex(event["example_hex"])) == example_event(kind)


def test_what_a_record_class_says_reaches_its_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FloorGroupMask, "BEHAVIOUR", "Floors follow   the\n text.")
    monkeypatch.setattr(FloorGroupMask, "FIELD_BEHAVIOUR", {"floors": "buttons | light up"})
    ref = build_reference()
    mask = next(r for r in ref["records"] if r["name"] == "FLOOR_GROUP_MASK")
    assert mask["behaviour"] == "Floors follow the text."
    assert [f.get("behaviour") for f in mask["fields"]] == [None, "buttons | light up"]
    section = render(ref).split('<a id="record-19">')[1].split("<a id=")[0]
    assert "What the controller does: Floors follow the text." in section
    floors_row = next(line for line in section.splitlines() if line.startswith("| 1 | 32 |"))
    assert floors_row.endswith("| buttons \\| light up |")


def test_every_record_says_what_the_controller_does(reference: dict[str, Any]) -> None:
    for record in reference["records"]:
        acts = [f for f in record["fields"] if f.get("behaviour")]
        assert record["behaviour"] or acts, record["name"]
        cls = RECORD_CLASSES[RecordType[record["name"]]]
        assert record["description"] and not record["description"].startswith(
            f"{cls.__name__}("), f"{record['name']}: no docstring of its own"


def test_controller_depth_is_in_the_reference(reference: dict[str, Any]) -> None:
    records = {r["name"]: r for r in reference["records"]}
    door = {f["name"]: f for f in records["DOOR"]["fields"]}
    assert door["reader_mode"]["offset"] == 26 and door["reader_mode"]["values"] == "ReaderMode"
    assert door["reader_mode"]["meaning"] and door["reader_mode"]["behaviour"]
    assert door["interlock_door"]["behaviour"] and door["unlock_schedule"]["behaviour"]
    for name in ("ReaderMode", "ActionFlag", "records_hardware.DoorFlag", "FloorFlag"):
        assert all(v["meaning"] for v in reference["enums"][name]["values"]), name
    assert {"GROUPS", "OUTPUTS"} <= {v["name"] for v in reference["enums"]["ActionFlag"]["values"]}
    for name in ("ACTION_SCHEDULER", "RELAY_GROUP", "INPUT_GROUP", "FLOOR_GROUP",
                 "FLOOR_GROUP_MASK", "FLOOR_ASSIGNATION", "FLOOR_DEFINITION"):
        assert records[name]["behaviour"], name
    results = {r["name"]: r for r in reference["events"]["access_results"]}
    assert list(results) == [r.name for r in AccessResult]
    assert results["INTERLOCKED"]["value"] == 0xF and results["GRANTED_PASSBACK"]["value"] == 0xE
    assert all(r["cause"] and r["meaning"] for r in results.values())
    types = {t["name"]: t for t in reference["events"]["types"]}
    assert all(t["cause"] for t in types.values())
    assert "interlock_door" in types["ACCESS_DENIED_INTERLOCKED"]["cause"]
    floors = {row["title"]: row for row in reference["events"]["rows"]}
    assert sorted(row["size"] for title, row in floors.items() if "floor" in title) == [6, 10]


def test_cli_prints_the_same_reference(reference: dict[str, Any]) -> None:
    base = [sys.executable, "-m", "protolab", "kantech", "spec"]
    text = subprocess.run(base, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert text.returncode == 0 and text.stdout == DOCUMENT.read_text()
    as_json = subprocess.run([*base, "--json"], capture_output=True, text=True, timeout=60,
                             cwd=ROOT)
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == reference
