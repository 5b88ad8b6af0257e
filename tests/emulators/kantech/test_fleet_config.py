"""Fleet descriptions: CLI-style settings, TOML files, per-device overrides, derived identities."""

from __future__ import annotations

import argparse
import asyncio
import re
import tomllib
from pathlib import Path

import pytest

from emulators.kantech.emulation import emulate
from emulators.kantech.fleet_config import (
    FleetSettings,
    build_fleet,
    derive_mac,
    load_fleet_file,
)
from kantech_proto.codes import DeviceModel
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.replay import ReplayPolicy
from kantech_proto.transports.udp import UdpLink
from protolab.cli.kantech_emulate import configs_from_args
from protolab.cli.kantech_emulate import register as register_emulate
from protolab.cli.main import main
from protolab.clock import ManualClock
from protolab.errors import ConfigurationError

FLEET_TOML = """
[defaults]
key = "file-key"
site-id = 9
first_address = "127.20.1.1"
pulse = 5

[[devices]]
model = "kt400"
count = 2
replay = "none"

[[devices]]
model = "kt1"
address = "127.20.9.9"
mac = "00:a0:c2:aa:bb:cc"
serial = "MYKT1"
transport = "tcp"
device_port = 28810
"""


def test_cli_counts_give_consecutive_addresses_and_derived_identities() -> None:
    configs = build_fleet(FleetSettings(kt400=2, kt1=1, first_address="127.20.0.1"))
    assert [c.address for c in configs] == ["127.20.0.1", "127.20.0.2", "127.20.0.3"]
    assert [c.model for c in configs] == [DeviceModel.KT_400, DeviceModel.KT_400, DeviceModel.KT_1]
    assert configs[0].mac == bytes.fromhex("00a0c2140001") == derive_mac("127.20.0.1")
    assert configs[2].serial_number == "KT1-140003"
    assert configs[0].gateway == ("127.0.0.1", 18801)
    assert (configs[0].device_port, configs[0].discovery_port, configs[0].pulse) == (18810, 18803, 10)
    assert configs[0].replay is ReplayPolicy.WINDOW
    assert build_fleet(FleetSettings(kt400=2)) == build_fleet(FleetSettings(kt400=2))  # stable


def test_fleet_file_with_per_device_overrides_and_cli_winning_over_defaults() -> None:
    fleet = tomllib.loads(FLEET_TOML)
    configs = build_fleet(FleetSettings(), fleet, {"site_id": 11, "kt400": None, "iplink": 1,
                                                   "loop_size": 4})
    assert len(configs) == 4
    first, second, kt1, iplink = configs
    assert first.address == "127.20.1.1" and second.address == "127.20.1.2"
    assert first.replay is ReplayPolicy.NONE and first.key == "file-key"
    assert first.site_id == 11 and first.pulse == 5
    assert kt1.address == "127.20.9.9" and kt1.mac == bytes.fromhex("00a0c2aabbcc")
    assert kt1.serial_number == "MYKT1" and kt1.transport == "tcp" and kt1.device_port == 28810
    assert kt1.replay is ReplayPolicy.WINDOW
    assert iplink.model is DeviceModel.IP_LINK and iplink.address == "127.20.1.4"
    assert iplink.loop_size == 4 and first.loop_size == 0


@pytest.mark.parametrize("fleet", [
    {"devices": [{"model": "kt999"}]},
    {"devices": [{"model": "kt1", "count": 2, "mac": "00:a0:c2:00:00:01"}]},
    {"devices": [{"model": "kt1", "replay": "sometimes"}]},
    {"devices": [{"model": "kt1", "transport": "sctp"}]},
    {"devices": [{"model": "kt1", "key": "x" * 17}]},
    {"devices": [{"model": "kt1", "colour": "red"}]},
    {"devices": [{"model": "kt1", "address": "127.0.0.5"}, {"model": "kt1", "address": "127.0.0.5"}]},
    {"devices": [{"model": "kt1", "pulse": 0}]},
    {"defaults": {"no_such": 1}},
    {"other": {}},
])
def test_bad_fleet_descriptions_are_configuration_errors(fleet: dict) -> None:
    with pytest.raises(ConfigurationError):
        build_fleet(FleetSettings(), fleet)


def test_gateway_address() -> None:
    def gateway(text: str) -> tuple[str, int]:
        return build_fleet(FleetSettings(kt1=1, gateway=text))[0].gateway

    assert gateway("127.0.0.1:1234") == ("127.0.0.1", 1234)
    assert gateway("127.0.0.1") == ("127.0.0.1", 18801)
    expected = "gateway = 'gateway.example:1': expected HOST:PORT with an IP address"
    with pytest.raises(ConfigurationError, match=re.escape(expected)):
        gateway("gateway.example:1")


@pytest.mark.parametrize(("text", "table", "key", "expected"), [
    ("[[devices]]\nmodel = 'kt999'\n", "devices #1", "model", "one of kt400, kt1, iplink"),
    ("[defaults]\npulse = 'fast'\n", "defaults", "pulse", "a number"),
    ("[[devices]]\nmodel = 'kt1'\n[[devices]]\nmodel = 'kt1'\ncolour = 'red'\n",
     "devices #2", "colour", "unknown key colour"),
    ("[[devices]]\nmodel = 'kt1'\nsite-id = -1\n", "devices #1", "site_id", "0 to 4294967295"),
])
def test_fleet_file_errors_name_file_table_and_key(tmp_path: Path, text: str, table: str,
                                                   key: str, expected: str) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text(text)
    with pytest.raises(ConfigurationError) as info:
        build_fleet(FleetSettings(), load_fleet_file(path))
    error = info.value
    assert (error.source, error.table, error.key) == (str(path), table, key)
    assert str(error).startswith(f"{path}: [{table}]: ") and expected in str(error)


@pytest.mark.parametrize("spelling", ["kt400", "KT-400", "kt_400", "Kt400"])
def test_model_spellings(spelling: str) -> None:
    fleet = {"devices": [{"model": spelling}]}
    assert build_fleet(FleetSettings(), fleet)[0].model is DeviceModel.KT_400


def _parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser()
    register_emulate(root.add_subparsers())
    return root


def test_emulate_flags_and_fleet_file(tmp_path: Path) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text(FLEET_TOML)
    args = _parser().parse_args([
        "emulate", "--kt400", "1", "--kt1", "1", "--iplink", "1", "--loop-size", "3",
        "--first-address", "127.20.0.1", "--gateway", "127.0.0.1:28801", "--key", "k",
        "--site-id", "0x10", "--device-port", "28810", "--discovery-port", "28803",
        "--replay", "strict", "--pulse", "2", "--control", "127.0.0.1:0", "--fleet", str(path),
        "--transport", "udp", "--duration", "1"])
    configs = configs_from_args(args)
    assert len(configs) == 6
    assert all(c.site_id == 16 and c.key == "k" and c.discovery_port == 28803 for c in configs)
    assert configs[0].replay is ReplayPolicy.NONE  # the file's device entry is more specific
    assert configs[3].replay is ReplayPolicy.STRICT and configs[3].gateway == ("127.0.0.1", 28801)
    assert args.duration == 1 and args.control == ("127.0.0.1", 0)


def test_emulate_rejects_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kantech", "emulate", "--kt1", "1", "--key", "x" * 20]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --key ") and "at most 16" in err and "Traceback" not in err
    assert main(["kantech", "emulate"]) == 2
    assert "no devices" in capsys.readouterr().err
    assert main(["kantech", "emulate", "--kt1", "1", "--fleet", "/nonexistent/fleet.toml"]) == 2
    assert "/nonexistent/fleet.toml: no such fleet file" in capsys.readouterr().err


def test_the_key_from_a_file_or_the_environment(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = tmp_path / "site.key"
    key_file.write_text("from-a-file\n")
    args = _parser().parse_args(["emulate", "--kt1", "1", "--key-file", str(key_file)])
    assert configs_from_args(args)[0].key == "from-a-file"
    monkeypatch.setenv("PROTOLAB_KANTECH_KEY", "from-the-env")
    assert configs_from_args(_parser().parse_args(["emulate", "--kt1", "1"]))[0].key == \
        "from-the-env"
    args = _parser().parse_args(["emulate", "--kt1", "1", "--key", "typed"])
    assert configs_from_args(args)[0].key == "typed"  # a flag beats the environment
    with pytest.raises(ConfigurationError, match="given twice"):
        configs_from_args(_parser().parse_args(["emulate", "--kt1", "1", "--key", "a",
                                                "--key-file", str(key_file)]))


async def test_emulate_runs_for_its_duration_with_the_default_models() -> None:
    endpoint = GatewayEndpoint(IpFrameCodec("k"), 3, bytes(6))
    link = await UdpLink.open(endpoint, ("127.0.0.1", 0))
    try:
        args = _parser().parse_args([
            "emulate", "--kt400", "1", "--kt1", "1", "--first-address", "127.22.0.1",
            "--gateway", f"127.0.0.1:{link.local_address[1]}", "--key", "k", "--site-id", "3",
            "--device-port", "0", "--discovery-port", "0", "--pulse", "5",
            "--control", "127.0.0.1:0", "--duration", "12"])
        clock, ready = ManualClock(), asyncio.Event()
        run = asyncio.ensure_future(emulate(configs_from_args(args), args.control,
                                            args.duration, ready=ready, clock=clock))
        await asyncio.wait_for(ready.wait(), 5)
        await clock.advance_async(11.9)
        assert not run.done()  # twelve seconds of its clock, not of ours
        await clock.advance_async(0.1)
        await asyncio.wait_for(run, 5)
        async with asyncio.timeout(3):  # the last datagrams cross loopback
            while endpoint.stats["in.PULSE"] < 5 or endpoint.stats["in.ANNOUNCE"] < 2:
                await asyncio.sleep(0.005)
        # 5 s beats on a grid, phases spread by index: 0, 5, 10 and 3.09, 8.09
        assert endpoint.stats["in.PULSE"] == 5 and endpoint.stats["in.ANNOUNCE"] == 2
    finally:
        link.close()
