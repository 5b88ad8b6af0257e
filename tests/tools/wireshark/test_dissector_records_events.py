"""Every reload record type (WIRE.md section 4) and every event type (table 12) through the
generated dissector: tshark's fields equal the Construct parse of what kantech_proto encoded."""

from __future__ import annotations

from pathlib import Path

import pytest

from kantech_proto.codes import RecordType
from kantech_proto.event_types import EventType
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import Event, Message, ReloadRecords
from kantech_proto.reload_records import max_records_per_packet, record_type_of
from tests.tools.tshark_runner import flatten, tshark_fields, tshark_layers
from tests.tools.wireshark.expected_fields import normalised
from tests.tools.wireshark.wire_samples import event_of, expected_data
from tools.capture.capture_tap import CaptureTap
from tools.fuzz.targets.reload_records import samples
from tools.wireshark.generate import DISSECTOR

KEY = "RecordsKey"
HEADER = ("kantech.sync", "kantech.length", "kantech.site_id", "kantech.validation",
          "kantech.sender_id", "kantech.sequence", "kantech.event_id", "kantech.command",
          "kantech.checksum", "kantech.checksum.status", "kantech.padding")


def write(path: Path, messages: list[Message]) -> Path:
    codec = IpFrameCodec(KEY)
    with CaptureTap.open(path) as tap:
        for i, message in enumerate(messages):
            wire = codec.encode(IpFrame(9, bytes(6), i, i, message))
            tap("sent", ("127.0.0.1", 18801), ("127.20.0.2", 18810), "udp", wire, 10.0 + i)
    return path


def check(path: Path, messages: list[Message]) -> None:
    layers = tshark_layers(path, "kantech", lua=DISSECTOR, prefs=[f"kantech.key:{KEY}"])
    assert len(layers) == len(messages)
    for message, layer in zip(messages, layers, strict=True):
        shown = normalised(flatten(layer, "kantech."))
        for name in HEADER:
            shown.pop(name, None)
        assert shown == expected_data(message), repr(message)[:200]


def record_messages() -> list[Message]:
    """Every record type, once alone and once as many as fit a frame (order matters)."""
    out: list[Message] = []
    for record in samples():
        kind = record_type_of(record)
        out.append(ReloadRecords(int(kind), (record,)))
        out.append(ReloadRecords(int(kind), (record,) * min(3, max_records_per_packet(kind, 4065))))
    return out


def test_the_samples_cover_every_record_and_event_type() -> None:
    assert {record_type_of(r) for r in samples()} == set(RecordType)
    assert {m.event.event_type for m in event_messages()} == set(EventType)  # type: ignore[union-attr]


def event_messages() -> list[Message]:
    return [Event(event_of(kind, n)) for n, kind in enumerate(EventType)]


def test_every_reload_record_type(tmp_path: Path) -> None:
    messages = record_messages()
    check(write(tmp_path / "records.pcap", messages), messages)


def test_every_event_type(tmp_path: Path) -> None:
    messages = event_messages()
    check(write(tmp_path / "events.pcap", messages), messages)


@pytest.mark.parametrize("field", ["kantech.rec.card_kt400.user_name",
                                   "kantech.rec.reader_driver.prompt_idle"])
def test_text_fields_show_as_text(tmp_path: Path, field: str) -> None:
    path = write(tmp_path / "records.pcap", record_messages())
    values = [row[0] for row in tshark_fields(path, [field], "-Y", field, lua=DISSECTOR,
                                              prefs=[f"kantech.key:{KEY}"])]
    assert values and all(value and value.isprintable() for value in values)
    assert values[0] in ("Alice", "Present card")
