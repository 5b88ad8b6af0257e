"""The network fuzzers against real targets on loopback, for bounded counts: the project's own
Kantech emulators as a device and as a gateway, the printer emulator and net-snmp's snmpd all
survive (and still answer afterwards); a target killed during the run is detected, the command
exits 1 and leaves a reproducer holding the last inputs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ekm_proto.monitor.credentials import v3_user
from ekm_proto.snmp.manager.targets import Target
from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway
from protolab.ports import free_port
from protolab.processes import stop_process
from tests.ekm_proto.snmp.snmpd_agent import AUTH_KEY, COMMUNITY, PRIV_KEY, USER, start_snmpd
from tools.netfuzz.sender import fuzz_kantech, fuzz_snmp

ROOT = Path(__file__).parents[3]
KEY, SITE = "netfuzz-key", 61
COUNT = 1500


async def test_an_emulated_device_survives_and_still_answers(tmp_path: Path) -> None:
    port = free_port(kind=socket.SOCK_DGRAM)
    async with SimulatedGateway(KEY, SITE, ("127.0.0.1", 0)) as gateway:
        settings = FleetSettings(kt400=1, first_address="127.80.0.1", key=KEY, site_id=SITE,
                                 gateway=f"127.0.0.1:{gateway.address[1]}", device_port=port,
                                 discovery_port=0)
        async with KantechFleet(build_fleet(settings), discovery_host="127.0.0.1",
                                sockets="per-device"):
            result = await fuzz_kantech(("127.80.0.1", port), KEY, SITE, "device",
                                        count=COUNT, seed=11, out=tmp_path)
            assert result.alive and result.sent == COUNT and result.reproducer is None
            assert result.field_inputs > COUNT // 2 and result.raw_inputs > COUNT // 5
            status = await gateway.status(("127.80.0.1", port))  # and the gateway's view
            assert status.model.name == "KT_400"


async def test_the_simulated_gateway_survives_a_fuzzing_device(tmp_path: Path) -> None:
    async with SimulatedGateway(KEY, SITE, ("127.0.0.1", 0)) as gateway:
        result = await fuzz_kantech(gateway.address, KEY, SITE, "gateway", count=COUNT,
                                    seed=12, out=tmp_path)
        assert result.alive and result.sent == COUNT and not list(tmp_path.iterdir())


@pytest.fixture(scope="module")
def snmpd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    agent = start_snmpd(tmp_path_factory.mktemp("snmpd"))
    try:
        yield agent.host, agent.port
    finally:
        agent.stop()


async def test_net_snmp_snmpd_survives_v2c_fuzzing(snmpd: tuple[str, int],
                                                    tmp_path: Path) -> None:
    target = Target.v2c(*snmpd, community=COMMUNITY)
    result = await fuzz_snmp(target, count=COUNT, seed=13, out=tmp_path)
    assert result.alive and result.sent == COUNT


async def test_net_snmp_snmpd_survives_v3_fuzzing(snmpd: tuple[str, int], tmp_path: Path) -> None:
    credential = v3_user(USER, auth_key=AUTH_KEY, priv_key=PRIV_KEY)
    target = Target(*snmpd, credential.security)
    result = await fuzz_snmp(target, count=600, seed=14, out=tmp_path)
    assert result.alive and result.sent == 600


@pytest.fixture
def printer() -> Iterator[int]:
    port = free_port(kind=socket.SOCK_DGRAM)
    process = subprocess.Popen(
        [sys.executable, "-m", "protolab", "printers", "emulate", "--count", "1",
         "--first-address", "127.80.1.1", "--port", str(port), "--bind", "127.80.1.1",
         "--raw-port", "off", "--http-port", "off", "--duration", "120"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield port
    finally:
        stop_process(process)


def test_the_printer_emulator_survives_the_snmp_fuzzer(printer: int, tmp_path: Path) -> None:
    out = _fuzz_cli("snmp", "--target", f"127.80.1.1:{printer}", "--community", "public",
                    "--count", str(COUNT), "--seed", "15", "--out", str(tmp_path), wait=30)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["alive"] is True


def _fuzz_cli(*args: str, wait: float = 0, env: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
    deadline = time.monotonic() + wait
    while True:  # the agent under test may still be starting: exit 2 means "never answered"
        out = subprocess.run([sys.executable, "-m", "protolab", "fuzz", *args], cwd=ROOT,
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, **(env or {})})
        if out.returncode != 2 or time.monotonic() > deadline:
            return out
        time.sleep(0.5)


def test_a_target_killed_during_the_run_is_detected_and_a_reproducer_written(
        tmp_path: Path) -> None:
    port = free_port(kind=socket.SOCK_DGRAM)
    env = {"PROTOLAB_KANTECH_KEY": KEY}
    emulator = subprocess.Popen(
        [sys.executable, "-m", "protolab", "kantech", "emulate", "--kt400", "1",
         "--first-address", "127.80.2.1", "--gateway", "127.0.0.1:9", "--site-id", str(SITE),
         "--device-port", str(port), "--discovery-port", "0", "--sockets", "per-device",
         "--duration", "120"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        ready = _fuzz_cli("kantech", "--target", f"127.80.2.1:{port}", "--site-id", str(SITE),
                          "--count", "1", "--out", str(tmp_path / "ready"), wait=30, env=env)
        assert ready.returncode == 0, ready.stderr  # the emulator is up and answering
        fuzzer = subprocess.Popen(
            [sys.executable, "-m", "protolab", "fuzz", "kantech", "--target",
             f"127.80.2.1:{port}", "--site-id", str(SITE), "--count", "100000000",
             "--batch", "50", "--out", str(tmp_path / "found")],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        assert fuzzer.stderr is not None
        for line in fuzzer.stderr:  # its first probe answered, the inputs on their way
            if '"event": "fuzzing"' in line:
                break
        time.sleep(1)
        assert fuzzer.poll() is None and emulator.poll() is None
    finally:
        stop_process(emulator)  # the deliberately dead target
    out, err = fuzzer.communicate(timeout=60)
    assert fuzzer.returncode == 1, err
    result = json.loads(out.splitlines()[-1])
    assert result["alive"] is False and result["sent"] >= 50
    report = json.loads((tmp_path / "found" / "reproducer.json").read_text())
    numbers = [item["number"] for item in report["inputs"]]
    assert numbers[-1] == result["sent"] - 1 and len(numbers) in (50, 100)
    assert report["target"] == f"127.80.2.1:{port}" and report["site_id"] == SITE
    for item in report["inputs"]:
        assert (tmp_path / "found" / item["file"]).read_bytes() == bytes.fromhex(item["hex"])
    assert "stopped answering" in err
