"""``protolab printers emulate``: flags, listing, export and errors (no sockets)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.types import SnmpType
from ekm_proto.snmp.usm import UserKeys, UsmUser
from emulators.printers.snmprec import read_snmprec
from protolab.cli import build_parser, main
from protolab.clock import SystemClock
from protolab.ports import free_port

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
    assert (defaults.raw_port, defaults.http_port, defaults.trap_sink) == (9100, 80, [])
    notify = build_parser().parse_args([
        "printers", "emulate", "--raw-port", "off", "--http-port", "0", "--trap-sink",
        "127.0.0.1", "--trap-sink", "127.0.0.2:1162", "--trap-version", "1", "--inform-retries",
        "3", "--write-community", "private", "--v3-write"])
    assert (notify.raw_port, notify.http_port) == (None, 0)
    assert notify.trap_sink == [("127.0.0.1", 162), ("127.0.0.2", 1162)]
    assert (notify.trap_version, notify.inform_retries, notify.write_community, notify.v3_write) \
        == ("1", 3, ["private"], True)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["printers", "emulate", "--raw-port", "nine"])
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
    (["--trap-sink", "127.0.0.1:162", "--trap-version", "3", "--raw-port", "off"],
     "SNMPv3 informs need a user"),
    (["--trap-sink", "127.0.0.1:162", "--trap-version", "1", "--inform"], "SNMPv1 has no informs"),
    (["--v3-write"], "without a user name"),
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


def test_keys_need_a_user(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printers", "emulate", "--auth-key", "authpass1", "--port", "0"]) == 2
    assert "--auth-key/--priv-key need --v3-user" in capsys.readouterr().err


def test_a_missing_key_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    absent = tmp_path / "auth.key"
    assert main(["printers", "emulate", "--v3-user", "ops", "--auth-key-file", str(absent),
                 "--port", "0"]) == 2
    assert f"{absent}: no such file (the SNMPv3 authentication passphrase)" in \
        capsys.readouterr().err


async def test_keys_from_a_file_and_the_environment_answer_over_snmpv3(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    auth_file = tmp_path / "auth.key"
    auth_file.write_text("file-auth-pass\n")
    monkeypatch.setenv("PROTOLAB_SNMP_PRIV_KEY", "env-priv-pass")
    port = free_port(kind=socket.SOCK_DGRAM)
    argv = ["printers", "emulate", "--count", "2", "--first-address", "127.33.0.1",
            "--port", str(port), "--v3-user", "ops", "--auth-key-file", str(auth_file),
            "--static", "--duration", "4", "--raw-port", "off", "--http-port", "off"]
    running = asyncio.create_task(asyncio.to_thread(main, argv))
    keys = UserKeys(UsmUser("ops", "SHA", "file-auth-pass", "AES", "env-priv-pass"))
    target = Target.v3("127.33.0.2", port, user=keys, retry=RetryPolicy(0.25, 8))
    async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
        answer = await client.get(target, (1, 3, 6, 1, 2, 1, 1, 2, 0))
    assert answer[0][1][0] == SnmpType.OBJECT_IDENTIFIER
    assert await running == 0


def test_a_taken_port_names_the_flag_to_change(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
        holder.bind(("0.0.0.0", 0))
        port = holder.getsockname()[1]
        assert main(["printers", "emulate", "--port", str(port), "--duration", "1",
                     "--raw-port", "off", "--http-port", "off"]) == 2
    err = capsys.readouterr().err
    assert f"0.0.0.0:{port} is in use" in err and "pass --port 0" in err
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        assert main(["printers", "emulate", "--port", "0", "--control", f"127.0.0.1:{taken}",
                     "--duration", "1", "--raw-port", "0", "--http-port", "0"]) == 2
        assert "pass --control 127.0.0.1:0" in capsys.readouterr().err
        assert main(["printers", "emulate", "--port", "0", "--raw-port", str(taken),
                     "--http-port", "0", "--duration", "1"]) == 2
        assert "pass --raw-port 0" in capsys.readouterr().err
        assert main(["printers", "emulate", "--port", "0", "--raw-port", "0",
                     "--http-port", str(taken), "--duration", "1"]) == 2
    assert "pass --http-port 0" in capsys.readouterr().err
