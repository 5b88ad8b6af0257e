"""``--pcap`` and ``--pcap-decrypted`` on the real commands: ``protolab kantech emulate`` (a KT-400
and an IP-Link polling its in-process loop) and ``protolab kantech gateway status`` run as
subprocesses on loopback; Debian's tshark with our dissector reads both captures, and what it
shows is what the gateway sent and the device answered."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kantech_proto.codes import Command
from kantech_proto.ip_frame import IpFrameCodec
from protolab.ports import free_port
from tests.tools.tshark_runner import tshark_fields
from tools.wireshark.generate import DISSECTOR

ROOT = Path(__file__).parents[3]
KEY, SITE = "capture-lab-key", 45
KT400, IPLINK = "127.24.0.1", "127.24.0.2"


def _protolab(*args: str) -> list[str]:
    return [sys.executable, "-m", "protolab", *args]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("lab")
    gw_port, dev_port = free_port(kind=socket.SOCK_DGRAM), free_port(kind=socket.SOCK_DGRAM)
    env = {**os.environ, "PROTOLAB_KANTECH_KEY": KEY}
    emulator = subprocess.Popen(
        _protolab("kantech", "emulate", "--kt400", "1", "--iplink", "1", "--loop-size", "1",
                  "--first-address", KT400, "--gateway", f"127.0.0.1:{gw_port}",
                  "--site-id", str(SITE), "--device-port", str(dev_port),
                  "--discovery-port", "0", "--tftp-port", "0", "--pulse", "1",
                  "--duration", "60", "--pcap", str(folder / "em.pcap"),
                  "--pcap-decrypted", str(folder / "em-plain.pcap")),
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not _has_packets(folder / "em.pcap", 4):  # the ANNOUNCEs and first polls
            assert emulator.poll() is None and time.monotonic() < deadline, "no emulator"
            time.sleep(0.1)
        status = subprocess.run(
            _protolab("kantech", "gateway", "status", "--device", f"{KT400}:{dev_port}",
                      "--listen", f"127.0.0.1:{gw_port}", "--site-id", str(SITE),
                      "--pcap", str(folder / "gw.pcap"),
                      "--pcap-decrypted", str(folder / "gw-plain.pcap")),
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert status.returncode == 0, status.stderr
        time.sleep(1.5)  # a pulse or two and more loop polls
    finally:
        emulator.terminate()
        emulator.wait(timeout=20)
    return {"folder": folder, "ports": f"{gw_port},{dev_port}"}


def _has_packets(path: Path, count: int) -> bool:
    return path.exists() and path.stat().st_size > 24 + count * (16 + 42)


def _fields(lab: dict[str, object], name: str, fields: list[str], *filters: str,
            key: bool = False) -> list[list[str]]:
    prefs = [f"kantech.udp_ports:{lab['ports']}"] + ([f"kantech.key:{KEY}"] if key else [])
    folder = lab["folder"]
    assert isinstance(folder, Path)
    return tshark_fields(folder / name, fields, *filters, lua=DISSECTOR, prefs=prefs)


FRAME = ["ip.src", "ip.dst", "kantech.sync", "kantech.site_id", "kantech.sequence",
         "kantech.command", "udp.payload"]


@pytest.mark.parametrize("source", ["decrypted twin", "key preference"])
def test_the_gateway_capture_shows_the_query_it_sent_and_the_reply(
        lab: dict[str, object], source: str) -> None:
    twin = source == "decrypted twin"
    rows = _fields(lab, "gw-plain.pcap" if twin else "gw.pcap", FRAME, "-Y", "kantech",
                   key=not twin)
    codec = IpFrameCodec(KEY)
    queries = [r for r in rows if r[5] == str(int(Command.STATUS_QUERY))]
    replies = [r for r in rows if r[5] == str(int(Command.STATUS_REPLY))]
    assert len(queries) == 1 and len(replies) == 1
    query, reply = queries[0], replies[0]
    assert (query[0], query[1], reply[0], reply[1]) == ("127.0.0.1", KT400, KT400, "127.0.0.1")
    for row in (query, reply):
        assert row[2] == ("9a" if twin else "99") and row[3] == str(SITE)
    if not twin:  # what the dissector decrypted is what our codec decodes from the same bytes
        sent = codec.decode(bytes.fromhex(query[6]))
        assert (sent.site_id, sent.sequence, sent.command) == (
            SITE, int(query[4]), Command.STATUS_QUERY)
        answer = codec.decode(bytes.fromhex(reply[6]))  # a reply carries the request's id
        assert (answer.event_id, answer.command) == (sent.event_id, Command.STATUS_REPLY)


def test_both_ends_captured_the_same_datagrams(lab: dict[str, object]) -> None:
    gateway = {r[6] for r in _fields(lab, "gw.pcap", FRAME, "-Y", "kantech", key=True)
               if r[5] in (str(int(Command.STATUS_QUERY)), str(int(Command.STATUS_REPLY)))}
    device = {r[6] for r in _fields(lab, "em.pcap", FRAME, "-Y", "kantech", key=True)}
    assert len(gateway) == 2 and gateway <= device


def test_the_emulator_capture_has_pulses_announces_and_plaintext(lab: dict[str, object]) -> None:
    rows = _fields(lab, "em-plain.pcap", [*FRAME, "kantech.validation"], "-Y", "kantech")
    commands = {int(r[5]) for r in rows}
    assert {Command.ANNOUNCE, Command.PULSE, Command.STATUS_REPLY} <= commands
    sent = [r for r in rows if r[0] in (KT400, IPLINK)]
    assert sent and all(r[2] == "9a" and r[7] == "3021" for r in sent)
    assert {r[0] for r in rows if int(r[5]) == Command.PULSE} == {KT400, IPLINK}


def test_the_serial_loop_is_captured_and_decoded(lab: dict[str, object]) -> None:
    rows = _fields(lab, "em.pcap", ["ip.src", "ip.dst", "udp.dstport", "kantech.serial.address",
                                    "kantech.serial.command"], "-Y", "kantech_serial")
    polls = [r for r in rows if r[4] == str(int(Command.POLL))]
    assert polls and all(r[:4] == [IPLINK, "0.0.0.0", "18899", "1"] for r in polls)
    answers = _fields(lab, "em.pcap", ["kantech.serial.address"], "-Y",
                      "kantech_serial && ip.src == 0.0.0.0")
    assert answers  # the controller's presence bytes (or events) came back on the loop
