"""Every WIRE.md command through the generated dissector in Debian's tshark: each field it shows
equals what kantech_proto encoded, whether it decrypts with the key preference itself or reads
the decrypted twin capture."""

from __future__ import annotations

from pathlib import Path

import pytest

from kantech_proto.codes import Command
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from tests.tools.tshark_runner import flatten, tshark_fields, tshark_layers
from tests.tools.wireshark.expected_fields import normalised
from tests.tools.wireshark.wire_samples import command_samples, expected_data, expected_header, merge
from tools.capture.capture_tap import CaptureTap
from tools.fuzz.targets.reload_records import samples
from tools.wireshark.generate import DISSECTOR

KEY = "Lab-Key-0001"
SENDER = bytes.fromhex("5e5510000001")
GATEWAY, DEVICE = ("127.0.0.1", 18801), ("127.20.0.1", 18810)
#: fields of the frame itself, checked on their own below
FRAME_FIELDS = ("kantech.checksum", "kantech.checksum.status", "kantech.padding")

Frames = list[tuple[IpFrame, bytes]]


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Frames, Path, Path]:
    folder = tmp_path_factory.mktemp("commands")
    codec = IpFrameCodec(KEY)
    frames = []
    for i, message in enumerate(command_samples(samples())):
        frame = IpFrame(2561 + i, SENDER, 100 + i, 7000 + i, message)
        frames.append((frame, codec.encode(frame)))
    raw, plain = folder / "raw.pcap", folder / "plain.pcap"
    with CaptureTap.open(raw, decrypted=plain, key=KEY) as tap:
        for i, (_, wire) in enumerate(frames):
            tap("sent" if i % 2 else "received", GATEWAY, DEVICE, "udp", wire, 1000.0 + i)
    return frames, raw, plain


def test_the_samples_cover_every_command(captures: tuple[Frames, Path, Path]) -> None:
    frames, _, _ = captures
    assert [frame.message.COMMAND for frame, _ in frames] == sorted(Command)


@pytest.mark.parametrize("source", ["decrypted twin", "key preference"])
def test_every_field_of_every_command_is_what_was_encoded(
        captures: tuple[Frames, Path, Path], source: str) -> None:
    frames, raw, plain = captures
    twin = source == "decrypted twin"
    layers = tshark_layers(plain, "kantech", lua=DISSECTOR) if twin else \
        tshark_layers(raw, "kantech", lua=DISSECTOR, prefs=[f"kantech.key:{KEY}"])
    assert len(layers) == len(frames)
    for (frame, wire), layer in zip(frames, layers, strict=True):
        shown = normalised(flatten(layer, "kantech."))
        own = {name: shown.pop(name, None) for name in FRAME_FIELDS}
        want = merge(expected_header(frame, wire, twin=twin), expected_data(frame.message))
        assert shown == want, frame.message.COMMAND.name
        assert own["kantech.checksum"] == [str(int.from_bytes(wire[-2:], "big"))]
        assert own["kantech.checksum.status"] == ["2" if twin else "1"]  # unverified / good
        padding = len(wire) - 9 - 15 - len(frame.message.encode_data())
        assert own["kantech.padding"] == (["00" * padding] if padding else None)


def test_without_the_key_the_frame_is_shown_encrypted(
        captures: tuple[Frames, Path, Path]) -> None:
    frames, raw, _ = captures
    rows = tshark_fields(raw, ["kantech.site_id", "kantech.ciphertext", "kantech.command",
                               "kantech.checksum.status"], lua=DISSECTOR)
    for (frame, wire), (site, cipher, command, status) in zip(frames, rows, strict=True):
        assert (site, command, status) == (str(frame.site_id), "", "1")
        assert cipher.replace(":", "") == wire[7:-2].hex()
    flagged = tshark_fields(raw, ["frame.number"], "-Y", "kantech.no_key", lua=DISSECTOR)
    assert len(flagged) == len(frames)


def test_info_column_names_the_command(captures: tuple[Frames, Path, Path]) -> None:
    frames, raw, _ = captures
    rows = tshark_fields(raw, ["_ws.col.Info"], lua=DISSECTOR, prefs=[f"kantech.key:{KEY}"])
    for (frame, _), (info,) in zip(frames, rows, strict=True):
        assert info.startswith(f"{frame.message.COMMAND.name} seq={frame.sequence} "
                               f"event={frame.event_id}")
