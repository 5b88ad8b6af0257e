"""Golden frames from tests/vectors/make_ip_vectors.py, which builds them without kantech_proto."""

import json
from pathlib import Path

import pytest

from kantech_proto.codes import Command
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.message_layout import decode_message
from kantech_proto.wire_profile import WireProfile

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "ip_frames.json").read_text())


def test_every_command_has_a_golden_vector():
    assert {v["command"] for v in VECTORS} >= {c.name for c in Command}


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_decode_golden_frame(vector):
    codec = IpFrameCodec(vector["key"], WireProfile.from_names(vector["checksum"], vector["mode"]))
    frame = codec.decode(bytes.fromhex(vector["frame"]))
    assert frame.site_id == vector["site_id"]
    assert frame.sender_id.hex() == vector["sender_id"]
    assert frame.sequence == vector["sequence"]
    assert frame.event_id == vector["event_id"]
    assert frame.command.name == vector["command"]
    assert frame.data.hex() == vector["data"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_encode_reproduces_golden_frame(vector):
    codec = IpFrameCodec(vector["key"], WireProfile.from_names(vector["checksum"], vector["mode"]))
    data = bytes.fromhex(vector["data"])
    message = decode_message(vector["code"], data)
    assert message.encode_data() == data
    wire = codec.encode_raw(vector["site_id"], bytes.fromhex(vector["sender_id"]),
                            vector["sequence"], vector["event_id"], vector["code"],
                            message.encode_data())
    assert wire.hex() == vector["frame"]


def _decode(name):
    vector = next(v for v in VECTORS if v["name"] == name)
    return IpFrameCodec(vector["key"]).decode(bytes.fromhex(vector["frame"])).message


def test_golden_event_means_a_granted_access_at_door_2():
    event = _decode("EVENT").event
    assert (event.component, event.card_number) == (2, 0xC0FFEE)
    assert event.access_result is not None and event.access_result.name == "GRANTED"
    assert event.timestamp.as_json() == "2026-11-21T09:15:42"


def test_golden_reload_records_are_two_relays():
    message = _decode("RELOAD_RECORDS")
    assert message.record_type == 10
    assert [(r.relay, r.pulse_time, r.follow_input) for r in message.records] == [
        (1, 10, 0), (2, 300, 4)]
