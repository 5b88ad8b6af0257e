"""``protolab kantech gateway ...`` in a subprocess against a fleet in this process."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path
from typing import Any

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway

from .conftest import EXAMPLE, KEY, SITE, fresh_subnet

ROOT = Path(__file__).parents[3]


async def cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "protolab", "kantech", "gateway", *args, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def common(fleet: KantechFleet | None = None) -> list[str]:
    base = ["--key", KEY, "--site-id", str(SITE), "--listen", "127.0.0.1:0", "--timeout", "0.3"]
    if fleet is not None:
        host, port = fleet.devices[0].local_address
        base += ["--device", f"{host}:{port}"]
    return base


def parse(out: str) -> Any:
    return json.loads(out)


async def test_discover(gateway: SimulatedGateway, fleet: KantechFleet) -> None:
    host, port = fleet.discovery_address()
    code, out, err = await cli("discover", *common(), "--broadcast", f"{host}:{port}",
                               "--wait", "0.5")
    assert code == 0, err
    devices = parse(out)["devices"]
    assert [d["address"] for d in devices] == ["{}:{}".format(*fleet.devices[0].local_address)]
    assert devices[0]["model"] == "KT_400"


async def test_status(gateway: SimulatedGateway, fleet: KantechFleet) -> None:
    code, out, err = await cli("status", *common(fleet))
    assert code == 0, err
    assert parse(out)["status"]["model"] == "KT_400"


async def test_reload_report(gateway: SimulatedGateway, fleet: KantechFleet) -> None:
    code, out, err = await cli("reload", str(EXAMPLE), "--report", *common(fleet))
    assert code == 0, err
    report = parse(out)
    types = {t["record_type"]: t for t in report["record_types"]}
    assert types["CARD_KT400"]["records"] == 3
    assert types["CARD_KT400"]["table7_bytes"] == 3 * 78
    assert report["wire_bytes_out"] > report["table7_bytes"]
    assert report["protocol_overhead_bytes"] == report["wire_bytes_out"] - report["table7_bytes"]


async def test_unlock_and_set_time(gateway: SimulatedGateway, fleet: KantechFleet) -> None:
    code, out, err = await cli("unlock", "1", "--seconds", "3", *common(fleet))
    assert code == 0, err
    assert parse(out)["results"][0]["index"] == 1
    code, out, err = await cli("set-time", "--when", "2025-06-11T12:00:00", *common(fleet))
    assert code == 0, err
    assert parse(out)["set"].startswith("2025-06-11")


async def test_firmware_file(gateway: SimulatedGateway, fleet: KantechFleet,
                             tmp_path: Path) -> None:
    image = tmp_path / "fw.bin"
    image.write_bytes(b"KTFW\x03\x00\x00" + bytes(200))
    code, out, err = await cli("firmware", str(image), *common(fleet))
    assert code == 0, err
    body = parse(out)
    assert body["blocks"] == 2 and body["paper_serial_bytes"] == 2 * 134


async def test_bad_site_file_is_reported(gateway: SimulatedGateway, fleet: KantechFleet,
                                         tmp_path: Path) -> None:
    site = tmp_path / "bad.toml"
    site.write_text("[[cards]]\npin = '12'\n")
    code, out, err = await cli("reload", str(site), *common(fleet))
    assert code == 2 and out == ""
    assert "bad.toml" in err and "cards[0]" in err and "'number'" in err


async def test_no_device_fails_with_its_address() -> None:
    code, _, err = await cli("status", *common(), "--device", "127.0.0.1:9")
    assert code == 1 and "127.0.0.1:9" in err and "STATUS_REPLY" in err


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_tail_prints_events_as_json_lines() -> None:
    port = free_udp_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "protolab", "kantech", "gateway", "tail", "--key", KEY,
        "--site-id", str(SITE), "--listen", f"127.0.0.1:{port}", "--duration", "2.5", cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    settings = FleetSettings(first_address=fresh_subnet(), gateway=f"127.0.0.1:{port}", key=KEY,
                             site_id=SITE, device_port=0, discovery_port=0, pulse=5.0, kt400=1)
    async with KantechFleet(build_fleet(settings), discovery_host="127.0.0.1") as fleet:
        await asyncio.sleep(0.8)  # the subprocess starts its interpreter meanwhile
        runtime = fleet.devices[0]
        runtime.model.present_card(3, 777, now=runtime.now())  # type: ignore[attr-defined]
        runtime.sync()
        out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    lines = [json.loads(line) for line in out.decode().splitlines()]
    access = [e for e in lines if "access_result" in e]
    assert access and access[0]["component"] == 3
    assert access[0]["device"] == "{}:{}".format(*runtime.local_address)
