"""Golden frames from tests/vectors/make_ip_vectors.py, which builds them without kantech_proto."""

import json
from pathlib import Path

import pytest

from kantech_proto.codes import Command
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import decode_message
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
