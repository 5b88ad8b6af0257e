"""The dissector never breaks on what a capture can hold: frames with mutated plaintext (still
checksummed and encrypted), mutated outer bytes, cut TCP streams and serial noise. tshark must
show no Lua error for any packet, with or without the key, raw or as the decrypted twin."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kantech_proto.fuzzing import mutate_bytes
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.serial_frame import Presence
from tests.tools.tshark_runner import run_tshark, tshark_fields
from tests.tools.wireshark.wire_samples import command_samples
from tools.capture.capture_tap import CaptureTap
from tools.fuzz.targets import ip_frame
from tools.fuzz.targets.reload_records import samples
from tools.wireshark.generate import DISSECTOR

GW, DEV = ("127.0.0.1", 18801), ("127.20.0.1", 18810)
TCP_DEV, TCP_GW = ("127.20.0.1", 40200), ("127.0.0.1", 18802)
PACKETS = 400


def garbage(rng: random.Random) -> tuple[list[bytes], list[bytes], list[bytes]]:
    messages = command_samples(samples())
    codec = IpFrameCodec(ip_frame.KEY)
    frames = [codec.encode(IpFrame(7, bytes(6), i, i, m)) for i, m in enumerate(messages)]
    udp, tcp, serial = [], [], []
    for n in range(PACKETS):
        base = rng.choice(frames)
        kind = n % 4
        if kind == 0:  # plaintext mutated, frame rebuilt so it passes checksum and AES
            udp.append(ip_frame.mutate(base, rng.randrange(1 << 30)))
        elif kind == 1:
            udp.append(mutate_bytes(mutate_bytes(base, rng), rng))
        elif kind == 2:
            tcp.append(mutate_bytes(base, rng) if rng.random() < 0.5 else base[:rng.randrange(
                1, len(base))])
        else:
            message = rng.choice(messages)
            data = message.encode_data()[:255]
            wire = bytes((rng.randrange(1, 128), int(message.COMMAND), len(data))) + data
            wire += bytes((-sum(wire) & 0xFF,))
            serial.append(mutate_bytes(wire + Presence(3).encode(), rng))
    return udp, tcp, serial


@pytest.fixture(scope="module")
def mangled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    folder = tmp_path_factory.mktemp("garbage")
    udp, tcp, serial = garbage(random.Random(20260504))
    raw, plain = folder / "raw.pcap", folder / "plain.pcap"
    with CaptureTap.open(raw, decrypted=plain, key=ip_frame.KEY) as tap:
        t = 1.0
        for wire in udp:
            tap("sent", GW, DEV, "udp", wire, t)
            t += 0.01
        tap.tcp_open("sent", TCP_DEV, TCP_GW, t)
        for wire in tcp:
            tap("sent", TCP_DEV, TCP_GW, "tcp", wire, t)
            t += 0.01
        for wire in serial:
            tap("sent", GW, ("127.20.0.9", 0), "serial", wire, t)
            t += 0.01
    return raw, plain, sum(1 for wire in (*udp, *serial) if wire)


@pytest.mark.parametrize(("which", "prefs"), [
    ("raw", [f"kantech.key:{ip_frame.KEY}"]), ("raw", []), ("plain", []),
    ("raw", [f"kantech.key:{ip_frame.KEY}", "kantech.aes_mode:ecb"]),
])
def test_no_lua_error_on_garbage(mangled: tuple[Path, Path, int], which: str,
                                 prefs: list[str]) -> None:
    path = mangled[0] if which == "raw" else mangled[1]
    out = run_tshark(path, "-V", lua=DISSECTOR, prefs=prefs)
    assert "Lua Error" not in out, out[out.find("Lua Error") - 2000: out.find("Lua Error") + 500]
    assert tshark_fields(path, ["frame.number"], "-Y", "_ws.lua.error", lua=DISSECTOR,
                         prefs=prefs) == []
    udp = tshark_fields(path, ["frame.protocols"], "-Y", "udp.length > 8", lua=DISSECTOR,
                        prefs=prefs)
    assert len(udp) == mangled[2]  # every datagram with a payload reached the dissector
    assert all(row[0].endswith((":kantech", ":kantech_serial")) for row in udp)


def test_the_garbage_holds_what_it_should(mangled: tuple[Path, Path, int]) -> None:
    prefs = [f"kantech.key:{ip_frame.KEY}"]
    raw = mangled[0]
    for expert in ("kantech.checksum.bad", "kantech.malformed", "kantech.serial.malformed"):
        assert tshark_fields(raw, ["frame.number"], "-Y", expert, lua=DISSECTOR, prefs=prefs)
