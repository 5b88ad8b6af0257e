"""``protolab kantech gateway ...`` in a subprocess against a fleet in this process."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway
from protolab.ports import free_port

ROOT = Path(__file__).parents[3]


async def cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "protolab", "kantech", "gateway", *args, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})})
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def common(site: Any, fleet: KantechFleet | None = None, *, key: bool = True) -> list[str]:
    base = ["--site-id", str(site.id), "--listen", "127.0.0.1:0", "--timeout", "0.3"]
    if key:
        base += ["--key", site.key]
    if fleet is not None:
        host, port = fleet.devices[0].local_address
        base += ["--device", f"{host}:{port}"]
    return base


def parse(out: str) -> Any:
    return json.loads(out)


async def test_discover(gateway: SimulatedGateway, fleet: KantechFleet, site: Any) -> None:
    _, port = fleet.discovery_address()
    host = fleet.devices[0].config.address  # a unicast DISCOVER: that device answers
    code, out, err = await cli("discover", *common(site), "--broadcast", f"{host}:{port}",
                               "--wait", "0.5")
    assert code == 0, err
    devices = parse(out)["devices"]
    assert [d["address"] for d in devices] == ["{}:{}".format(*fleet.devices[0].local_address)]
    assert devices[0]["model"] == "KT_400"


async def test_status(gateway: SimulatedGateway, fleet: KantechFleet, site: Any) -> None:
    code, out, err = await cli("status", *common(site, fleet))
    assert code == 0, err
    assert parse(out)["status"]["model"] == "KT_400"


async def test_reload_report(gateway: SimulatedGateway, fleet: KantechFleet, site: Any,
                             example_site: Path) -> None:
    code, out, err = await cli("reload", str(example_site), "--report", *common(site, fleet))
    assert code == 0, err
    report = parse(out)
    types = {t["record_type"]: t for t in report["record_types"]}
    assert types["CARD_KT400"]["records"] == 3
    assert types["CARD_KT400"]["table7_bytes"] == 3 * 78
    assert report["wire_bytes_out"] > report["table7_bytes"]
    assert report["protocol_overhead_bytes"] == report["wire_bytes_out"] - report["table7_bytes"]


async def test_unlock_and_set_time(gateway: SimulatedGateway, fleet: KantechFleet,
                                   site: Any) -> None:
    code, out, err = await cli("unlock", "1", "--seconds", "3", *common(site, fleet))
    assert code == 0, err
    assert parse(out)["results"][0]["index"] == 1
    code, out, err = await cli("set-time", "--when", "2025-06-11T12:00:00", *common(site, fleet))
    assert code == 0, err
    assert parse(out)["set"].startswith("2025-06-11")
    code, out, err = await cli("set-time", "--when", "tomorrow", *common(site, fleet))
    assert code == 2 and out == "" and "--when 'tomorrow': expected an ISO date" in err


async def test_the_key_from_a_file_or_the_environment(gateway: SimulatedGateway,
                                                      fleet: KantechFleet, site: Any,
                                                      tmp_path: Path) -> None:
    key_file = tmp_path / "site.key"
    key_file.write_text(site.key + "\n")
    code, out, err = await cli("status", "--key-file", str(key_file),
                               *common(site, fleet, key=False))
    assert code == 0, err
    assert parse(out)["status"]["model"] == "KT_400"
    code, out, err = await cli("status", *common(site, fleet, key=False),
                               env={"PROTOLAB_KANTECH_KEY": site.key})
    assert code == 0, err
    code, out, err = await cli("status", *common(site, fleet, key=False),
                               env={"PROTOLAB_KANTECH_KEY": ""})
    assert code == 2 and out == "" and "--key-file" in err and "Traceback" not in err


async def test_firmware_file(gateway: SimulatedGateway, fleet: KantechFleet, site: Any,
                             tmp_path: Path) -> None:
    image = tmp_path / "fw.bin"
    image.write_bytes(b"KTFW\x03\x00\x00" + bytes(200))
    code, out, err = await cli("firmware", str(image), *common(site, fleet))
    assert code == 0, err
    body = parse(out)
    assert body["blocks"] == 2 and body["paper_serial_bytes"] == 2 * 134
    code, out, err = await cli("firmware", str(tmp_path / "none.bin"), *common(site, fleet))
    assert code == 2 and out == "" and err.strip() == \
        f"error: {tmp_path / 'none.bin'}: no such file or directory"


async def test_bad_site_file_is_reported(gateway: SimulatedGateway, fleet: KantechFleet,
                                         site: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[cards]]\npin = '12'\n")
    code, out, err = await cli("reload", str(bad), *common(site, fleet))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {bad}: [cards #1]: number is missing: expected a card number")
    assert len(err.splitlines()) == 1


async def test_no_device_fails_with_its_address(site: Any) -> None:
    code, _, err = await cli("status", *common(site), "--device", "127.0.0.1:9")
    assert code == 1 and "127.0.0.1:9" in err and "STATUS_REPLY" in err


async def test_a_taken_listen_port_says_what_to_do(site: Any) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        code, out, err = await cli("tail", "--key", site.key, "--listen", f"127.0.0.1:{port}")
    assert code == 2 and out == ""
    assert err.strip() == (f"error: 127.0.0.1:{port} is in use (another lab running?): pass "
                           "--listen 127.0.0.1:0 (0 picks a free port) or stop the program "
                           "holding it")


async def test_tail_prints_events_as_json_lines(site: Any, fresh_subnet: Any) -> None:
    port = free_port(kind=socket.SOCK_DGRAM)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "protolab", "kantech", "gateway", "tail", "--key", site.key,
        "--site-id", str(site.id), "--listen", f"127.0.0.1:{port}", "--duration", "2.5",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    settings = FleetSettings(first_address=fresh_subnet(), gateway=f"127.0.0.1:{port}",
                             key=site.key, site_id=site.id, device_port=0, discovery_port=0,
                             pulse=5.0, kt400=1)
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
