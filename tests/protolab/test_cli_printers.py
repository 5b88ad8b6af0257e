"""``protolab printers emulate``: flags, listing, export and errors (no sockets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulators.printers.snmprec import read_snmprec
from protolab.cli import build_parser, main

RECORDING = (Path(__file__).parent.parent / "emulators" / "printers" / "recordings"
             / "kyocera-taskalfa-recorded.snmprec")


def test_the_agreed_flag_names_parse() -> None:
    args = build_parser().parse_args([
        "printers", "emulate", "--count", "5", "--first-address", "127.30.0.1", "--port", "1161",
        "--community", "public", "--v3-user", "ops", "--auth-key", "authpass1",
        "--priv-key", "privpass1", "--profile", "samsung-clp-660n", "--time-scale", "1440",
        "--control", "127.0.0.1:8161"])
    assert (args.count, args.first_address, args.port, args.community) == (5, "127.30.0.1", 1161,
                                                                          ["public"])
    assert (args.v3_user, args.auth_key, args.priv_key) == ("ops", "authpass1", "privpass1")
    assert (args.profile, args.time_scale, args.control) == (["samsung-clp-660n"], 1440.0,
                                                             ("127.0.0.1", 8161))
    defaults = build_parser().parse_args(["printers", "emulate"])
    assert (defaults.count, defaults.port, defaults.first_address) == (1, 161, "127.30.0.1")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["printers", "emulate", "--mix", "--profile", "x"])


def test_list_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printers", "emulate", "--list-profiles"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 13  # header and the twelve EKM assets
    assert any(line.startswith("kyocera-fs-6950dn") and " no " in line for line in lines)


def test_export_one_file_per_profile(tmp_path: Path) -> None:
    assert main(["printers", "emulate", "--mix", "--count", "12", "--export-snmprec",
                 str(tmp_path / "walks")]) == 0
    files = sorted((tmp_path / "walks").glob("*.snmprec"))
    assert len(files) == 12
    records = dict(read_snmprec(tmp_path / "walks" / "samsung-clp-660n.snmprec"))
    assert records[(1, 3, 6, 1, 2, 1, 1, 2, 0)][1][:7] == (1, 3, 6, 1, 4, 1, 236)
    single = tmp_path / "one.snmprec"
    assert main(["printers", "emulate", "--profile", "hp-officejet-7210", "--export-snmprec",
                 str(single)]) == 0
    assert single.read_text().startswith("1.3.6.1.2.1.1.1.0|4|HP ETHERNET")


def test_import_a_recording(tmp_path: Path) -> None:
    out = tmp_path / "again.snmprec"
    assert main(["printers", "emulate", "--import-snmprec", str(RECORDING), "--count", "2",
                 "--export-snmprec", str(out)]) == 0
    assert dict(read_snmprec(out))[(1, 3, 6, 1, 2, 1, 1, 6, 0)][1] == b"Floor 2, copy room"


@pytest.mark.parametrize(("argv", "words"), [
    (["--profile", "xerox-8570"], "unknown profile xerox-8570"),
    (["--first-address", "printer-1"], "IPv4"),
    (["--count", "-1"], "--count"),
    (["--time-scale", "0", "--export-snmprec", "x.snmprec"], "time scale"),
    (["--start-time", "yesterday", "--export-snmprec", "x.snmprec"], "ISO 8601"),
    (["--import-snmprec", "/nonexistent.snmprec"], "cannot read"),
])
def test_bad_input_exits_2_with_a_reason(argv: list[str], words: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printers", "emulate", *argv]) == 2
    assert words in capsys.readouterr().err
