"""Fleet descriptions: CLI-style settings, TOML files, per-device overrides, derived identities."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

import pytest

from emulators.kantech.cli import add_emulate_parser, configs_from_args, run_emulate
from emulators.kantech.fleet_config import (
    FleetSettings,
    build_fleet,
    derive_mac,
    parse_host_port,
)
from kantech_proto.codes import DeviceModel
from kantech_proto.errors import ConfigurationError
from kantech_proto.replay import ReplayPolicy

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


def test_host_port() -> None:
    assert parse_host_port("127.0.0.1:1234", 1) == ("127.0.0.1", 1234)
    assert parse_host_port("127.0.0.1", 18801) == ("127.0.0.1", 18801)
    with pytest.raises(ConfigurationError):
        parse_host_port("gateway.example:1", 1)


def _parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser()
    add_emulate_parser(root.add_subparsers())
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
    assert args.duration == 1 and args.control == "127.0.0.1:0"


def test_emulate_rejects_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(["emulate", "--kt1", "1", "--key", "x" * 20])
    assert run_emulate(args) == 2
    assert "key" in capsys.readouterr().err
    assert run_emulate(_parser().parse_args(["emulate"])) == 2


async def test_emulate_runs_for_its_duration_with_the_default_models(tmp_path: Path) -> None:
    import asyncio

    from emulators.kantech.cli import emulate
    from kantech_proto.gateway_endpoint import GatewayEndpoint
    from kantech_proto.ip_frame import IpFrameCodec
    from kantech_proto.transports.udp import UdpLink

    endpoint = GatewayEndpoint(IpFrameCodec("k"), 3, bytes(6))
    link = await UdpLink.open(endpoint, ("127.0.0.1", 0))
    try:
        args = _parser().parse_args([
            "emulate", "--kt400", "1", "--kt1", "1", "--first-address", "127.22.0.1",
            "--gateway", f"127.0.0.1:{link.local_address[1]}", "--key", "k", "--site-id", "3",
            "--device-port", "0", "--discovery-port", "0", "--pulse", "0.05",
            "--control", "127.0.0.1:0", "--duration", "0.3"])
        await emulate(configs_from_args(args), ("127.0.0.1", 0), args.duration)
        assert endpoint.stats["in.PULSE"] >= 2 and endpoint.stats["in.ANNOUNCE"] == 2
        await asyncio.sleep(0)
    finally:
        link.close()
