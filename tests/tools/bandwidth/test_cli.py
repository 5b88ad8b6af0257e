"""``protolab bandwidth ...`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tools.bandwidth
from protolab.cli.main import main

EXAMPLE = str(Path(tools.bandwidth.__file__).parent / "examples" / "paper-example.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["bandwidth", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", EXAMPLE)
    assert code == 0
    assert "Gateway reload" in out and "total: 248,078" in out
    assert "Compared with the white paper" in out


def test_plan_json_is_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", EXAMPLE, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["gateway_reload_total"] == 248078 and len(data["items"]) > 20


def test_plan_chart_writes_a_png(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from matplotlib.image import imread

    chart = tmp_path / "budget.png"
    code, _, err = run(capsys, "plan", EXAMPLE, "--chart", str(chart))
    assert code == 0, err
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = imread(chart).shape
    assert width >= 800 and height >= 1000


def test_unwritable_chart_is_one_error_line(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    code, _, err = run(capsys, "plan", EXAMPLE, "--chart", str(tmp_path / "no" / "x.png"))
    assert code == 2 and err.startswith("error: --chart") and err.count("\n") == 1


def test_bad_site_file_exits_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("doors = 4\nwindows = 3\n")
    code, out, err = run(capsys, "plan", str(site))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "unknown key windows" in err and str(site) in err


def test_firmware_reproduces_the_paper_with_decimal_kilobytes(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "firmware", "--model", "KT-100", "--controllers", "16",
                       "--kilobyte", "1000", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["blocks"], data["packet_bytes"], data["tcpip_packet_bytes"]) == (500, 134, 188)
    assert data["tcpip_bytes_total"] == 500 * 188 * 16


def test_firmware_text_and_the_block_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "firmware", "--model", "KT-1", "--controllers", "2")
    assert code == 0
    assert "81,920" in out and "16-bit block count" in out
    code, out, _ = run(capsys, "firmware", "--model", "KT-400-app", "--json")
    data = json.loads(out)
    assert data["blocks"] == 450 * 1024 // 128 and data["link"] == "ip"
    # an IP controller gets each block in a 0x99 frame: 7 + 10 AES blocks + 2
    assert data["packet_bytes"] == 7 + 16 * ((15 + 130 + 15) // 16) + 2


def test_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = '<2>"COMMAND=ACTIVATERELAY"<28>"RELAYID=525"<28><3>'
    code, out, _ = run(capsys, "command-line", line, "--json")
    data = json.loads(out)
    assert (code, data["wire_bytes"], data["notation_bytes"]) == (0, 40, 50)
    assert data["pairs"] == {"COMMAND": "ACTIVATERELAY", "RELAYID": "525"}
    code, _, err = run(capsys, "command-line", '"COMMAND=X"<28><3>')
    assert code == 2 and "STX" in err


def test_examples_and_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "examples")
    assert code == 0 and out.count("does NOT add up") >= 5 and "2,438" in out
    code, out, _ = run(capsys, "examples", "--json")
    assert len(json.loads(out)) == 10
    code, out, _ = run(capsys, "tables", "9")
    assert code == 0 and "Information for 1 relay group" in out and "65553" in out
    code, out, _ = run(capsys, "tables", "--json")
    assert any(t["number"] == "13" for t in json.loads(out))
    code, _, err = run(capsys, "tables", "42")
    assert code == 2 and "no table '42'" in err
