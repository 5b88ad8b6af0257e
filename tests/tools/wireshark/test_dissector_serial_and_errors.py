"""The serial loop's frames, TCP streams, the wire profile preferences, and every way a frame
can be wrong, each marked by the dissector as expert information."""

from __future__ import annotations

from pathlib import Path

from kantech_proto.codes import Command, RecordType
from kantech_proto.controller_events import encode_event
from kantech_proto.event_types import EventType
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import ReloadRecords, StatusQuery, StatusReply
from kantech_proto.reload_records import DoorRecord
from kantech_proto.serial_frame import Presence, SerialFrame, poll_frame
from kantech_proto.wire_profile import WireProfile
from tests.tools.tshark_runner import flatten, tshark_fields, tshark_layers
from tests.tools.wireshark.expected_fields import normalised
from tests.tools.wireshark.wire_samples import event_of, expected_serial, merge, status
from tools.capture.capture_tap import CaptureTap
from tools.wireshark.generate import DISSECTOR

KEY = "SerialKey"
LOOP, GATEWAY = ("127.20.0.5", 0), ("127.0.0.1", 0)
UDP_GW, UDP_DEV = ("127.0.0.1", 18801), ("127.20.0.1", 18810)


def serial_items() -> list[list[SerialFrame | Presence]]:
    doors = ReloadRecords(int(RecordType.DOOR), (DoorRecord(1, unlock_time=7),
                                                  DoorRecord(2, contact_input=3)))
    return [
        [SerialFrame(3, Command.POLL)],
        [Presence(3)],
        [SerialFrame(4, Command.POLL), Presence(4), SerialFrame(5, Command.POLL)],
        [SerialFrame(5, Command.STATUS_REPLY, StatusReply(status()).encode_data())],
        [SerialFrame(5, Command.EVENT, encode_event(event_of(EventType.ACCESS_DENIED_EXPIRED)))],
        [SerialFrame(6, Command.RELOAD_RECORDS, doors.encode_data())],
    ]


def test_serial_frames_on_the_capture_port(tmp_path: Path) -> None:
    path = tmp_path / "serial.pcap"
    datagrams = serial_items()
    with CaptureTap.open(path) as tap:
        for i, items in enumerate(datagrams):
            tap("sent" if i % 2 == 0 else "received", GATEWAY, LOOP, "serial",
                b"".join(item.encode() for item in items), 5.0 + i)
    layers = tshark_layers(path, "kantech_serial", lua=DISSECTOR)
    assert len(layers) == len(datagrams)
    for items, layer in zip(datagrams, layers, strict=True):
        want: dict[str, list[str]] = {}
        for item in items:
            merge(want, expected_serial(item))
        assert normalised(flatten(layer, "kantech.")) == want
    info = tshark_fields(path, ["_ws.col.Info"], lua=DISSECTOR)
    assert info[2] == ["POLL 4, PRESENCE 4, POLL 5"]


def test_a_bad_serial_checksum_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "bad.pcap"
    wire = bytearray(poll_frame(9))
    wire[-1] ^= 0xFF
    with CaptureTap.open(path) as tap:
        tap("sent", GATEWAY, LOOP, "serial", poll_frame(8), 1.0)
        tap("sent", GATEWAY, LOOP, "serial", bytes(wire), 2.0)
        tap("sent", GATEWAY, LOOP, "serial", b"\x00\x00garbage", 3.0)
    rows = tshark_fields(path, ["kantech.serial.checksum.status", "kantech.serial.checksum.bad",
                                "kantech.serial.malformed"], lua=DISSECTOR)
    assert [row[0] for row in rows[:2]] == ["1", "0"]
    flagged = tshark_fields(path, ["frame.number"], "-Y", "kantech.serial.checksum.bad",
                            lua=DISSECTOR)
    assert flagged == [["2"]]
    assert tshark_fields(path, ["frame.number"], "-Y", "kantech.serial.malformed",
                         lua=DISSECTOR) == [["3"]]


def frame(codec: IpFrameCodec, sequence: int = 1) -> bytes:
    return codec.encode(IpFrame(77, bytes.fromhex("020000000001"), sequence, 5, StatusQuery()))


def expert_frames(path: Path, expert: str, prefs: list[str]) -> list[int]:
    rows = tshark_fields(path, ["frame.number"], "-Y", expert, lua=DISSECTOR, prefs=prefs)
    return [int(row[0]) for row in rows]


def test_bad_frames_are_marked(tmp_path: Path) -> None:
    codec = IpFrameCodec(KEY)
    good = frame(codec)
    bad_checksum = good[:-1] + bytes((good[-1] ^ 0x01,))
    other_key = frame(IpFrameCodec("not-the-key"))
    unknown = codec.encode_raw(77, bytes(6), 2, 0, 0x77, b"")
    bad_padding = codec.encode_raw(77, bytes(6), 3, 0, int(Command.STATUS_QUERY), b"\x01")
    bad_length = b"\x99\x00\x05" + good[3:8]
    path = tmp_path / "bad.pcap"
    with CaptureTap.open(path) as tap:
        for i, wire in enumerate((good, bad_checksum, other_key, unknown, bad_padding,
                                  bad_length, b"hello")):
            tap("sent", UDP_GW, UDP_DEV, "udp", wire, 1.0 + i)
    prefs = [f"kantech.key:{KEY}"]
    assert expert_frames(path, "kantech.checksum.bad", prefs) == [2]
    assert expert_frames(path, "kantech.wrong_key", prefs) == [3]
    assert expert_frames(path, "kantech.command.unknown", prefs) == [4]
    assert expert_frames(path, "kantech.padding.bad", prefs) == [5]
    assert expert_frames(path, "kantech.length.bad", prefs) == [6]
    assert expert_frames(path, "kantech.undecoded.expert", prefs) == [7]
    statuses = tshark_fields(path, ["kantech.checksum.status", "kantech.checksum.computed"],
                             lua=DISSECTOR, prefs=prefs)
    assert statuses[0] == ["1", ""]
    assert statuses[1][0] == "0" and int(statuses[1][1], 16) == int.from_bytes(good[-2:], "big")
    # a bad checksum is shown, and the frame still decrypted for whoever investigates
    commands = tshark_fields(path, ["kantech.command"], lua=DISSECTOR, prefs=prefs)
    assert commands[1] == [str(int(Command.STATUS_QUERY))]
    assert expert_frames(path, "kantech.key.bad", ["kantech.key:seventeen-chars-xx"]) == \
        [1, 2, 3, 4, 5]


def test_the_wire_profile_is_a_preference(tmp_path: Path) -> None:
    codec = IpFrameCodec(KEY, WireProfile.from_names("sum16", "ecb"))
    path = tmp_path / "ecb.pcap"
    reply = StatusReply(status())  # five AES blocks: ECB and CBC part after the first
    with CaptureTap.open(path) as tap:
        tap("sent", UDP_GW, UDP_DEV, "udp", codec.encode(IpFrame(7, bytes(6), 9, 0, reply)), 1.0)
    fields = ["kantech.checksum.status", "kantech.sequence", "kantech.status.cards_loaded"]
    prefs = [f"kantech.key:{KEY}", "kantech.aes_mode:ecb", "kantech.checksum:sum16"]
    rows = tshark_fields(path, fields, lua=DISSECTOR, prefs=prefs)
    assert rows == [["1", "9", str(reply.status.cards_loaded)]]
    rows = tshark_fields(path, fields, lua=DISSECTOR, prefs=[f"kantech.key:{KEY}"])
    # CRC expected; with a zero IV the first block decrypts alike, the rest does not
    assert rows[0][:2] == ["0", "9"] and rows[0][2] != str(reply.status.cards_loaded)


def test_tcp_streams_split_and_joined(tmp_path: Path) -> None:
    codec = IpFrameCodec(KEY)
    first, second, third = frame(codec, 1), frame(codec, 2), frame(codec, 3)
    path = tmp_path / "tcp.pcap"
    device, gateway = ("127.20.0.1", 40100), ("127.0.0.1", 18802)
    with CaptureTap.open(path) as tap:
        tap.tcp_open("sent", device, gateway, 1.0)
        tap("sent", device, gateway, "tcp", first[:10], 1.0)
        tap("sent", device, gateway, "tcp", first[10:] + second, 1.1)
        tap("sent", device, gateway, "tcp", third, 1.2)
    rows = tshark_fields(path, ["kantech.sequence"], "-Y", "kantech", lua=DISSECTOR,
                         prefs=[f"kantech.key:{KEY}"])
    assert rows == [["1,2"], ["3"]]
