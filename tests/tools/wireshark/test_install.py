"""``protolab wireshark install`` puts the dissector where Debian's tshark loads it by itself."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import StatusQuery
from protolab.cli.main import main
from tests.tools.tshark_runner import tshark_path
from tools.capture.capture_tap import CaptureTap
from tools.wireshark.generate import DISSECTOR
from tools.wireshark.install import packaged_dissector


def test_install_into_the_default_folder_is_what_tshark_loads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert main(["wireshark", "install"]) == 0
    installed = home / ".local/lib/wireshark/plugins/protolab_kantech.lua"
    assert capsys.readouterr().out.startswith(f"installed {installed}")
    assert installed.read_bytes() == DISSECTOR.read_bytes()
    capture = tmp_path / "one.pcap"
    wire = IpFrameCodec("HomeKey").encode(IpFrame(5, bytes(6), 42, 1, StatusQuery()))
    with CaptureTap.open(capture) as tap:
        tap("sent", ("127.0.0.1", 18801), ("127.20.0.1", 18810), "udp", wire, 1.0)
    env = {**os.environ, "HOME": str(home)}
    result = subprocess.run([tshark_path(), "-n", "-r", str(capture), "-o", "kantech.key:HomeKey",
                             "-T", "fields", "-e", "kantech.sequence"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "42", result.stderr


def test_install_into_a_chosen_folder_and_path(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["wireshark", "install", "--plugins", str(tmp_path / "p")]) == 0
    assert (tmp_path / "p" / "protolab_kantech.lua").exists()
    capsys.readouterr()
    assert main(["wireshark", "path"]) == 0
    assert Path(capsys.readouterr().out.strip()) == packaged_dissector()
    assert packaged_dissector().read_bytes() == DISSECTOR.read_bytes()


def test_an_unwritable_folder_is_one_error_line(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["wireshark", "install", "--plugins", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --plugins") and err.count("\n") == 1
