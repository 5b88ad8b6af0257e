"""Reloads as a gateway author sees them: the site's own id in GLOBAL_SYSTEM, reloads of one
record type, ``reload --dry-run``, and wire bytes counted over TCP as over UDP."""

from __future__ import annotations

import asyncio
import datetime as _dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from emulators.kantech.control_api import make_control_app
from emulators.kantech.fleet_config import FleetSettings, build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import SimulatedGateway
from emulators.kantech_gateway.site_description import load_site
from emulators.kantech_gateway.traffic import IN, OUT
from kantech_proto.codes import RecordType
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import ReloadBegin, ReloadRecords

ROOT = Path(__file__).parents[3]
NOON = _dt.datetime(2025, 6, 11, 12, 0, 0)


def device_of(fleet: KantechFleet) -> tuple[str, int]:
    host, port = fleet.devices[0].local_address
    return host, port


async def test_global_system_carries_the_gateway_site_id(
        gateway: SimulatedGateway, fleet: KantechFleet, example_site: Path, site: Any) -> None:
    await gateway.reload(device_of(fleet), load_site(example_site), when=NOON)
    held = fleet.devices[0].model.records.of_type(RecordType.GLOBAL_SYSTEM)
    assert [r.site_id for r in held.values()] == [site.id]


async def test_reload_of_one_record_type_replaces_only_that_type(
        gateway: SimulatedGateway, fleet: KantechFleet, example_site: Path) -> None:
    site = load_site(example_site)
    await gateway.reload(device_of(fleet), site, when=NOON)
    before = fleet.devices[0].model.records.counts()
    report = await gateway.reload(device_of(fleet), site, when=NOON,
                                  scope=RecordType.CARD_KT400)
    assert [line.record_type for line in report.lines] == [RecordType.CARD_KT400]
    assert report.records == before["CARD_KT400"]
    assert fleet.devices[0].model.records.counts() == before
    plan = gateway.plan(site, NOON, RecordType.CARD_KT400)
    assert plan.messages()[0] == ReloadBegin(int(RecordType.CARD_KT400))


async def test_traffic_counts_tcp_frames(site: Any, fresh_subnet: Any) -> None:
    async with SimulatedGateway(site.key, site.id, ("127.0.0.1", 0),
                                tcp_listen=("127.0.0.1", 0)) as gw:
        assert gw.tcp_address is not None
        settings = FleetSettings(first_address=fresh_subnet(), key=site.key, site_id=site.id,
                                 gateway=f"127.0.0.1:{gw.tcp_address[1]}", transport="tcp",
                                 device_port=0, discovery_port=0, pulse=30.0, kt1=1)
        async with KantechFleet(build_fleet(settings)) as fleet:
            host = fleet.devices[0].config.address
            info = await gw.wait_for_device(host)
            status = await gw.status((host, info.port))
            assert status.firmware == (1, 0, 0)
    peers = {device for (_, device, _) in gw.traffic.frames}
    assert len(peers) == 1  # one TCP connection, named by its address and port
    assert gw.traffic.frame_count(IN, kind="ANNOUNCE") == 1
    assert gw.traffic.frame_count(IN, kind="STATUS_REPLY") == 1
    assert gw.traffic.total(IN, kind="STATUS_REPLY") == 9 + 80  # 15 + 63 data: 5 blocks
    assert gw.traffic.frame_count(OUT, kind="STATUS_QUERY") == 1


async def test_reload_dry_run_prints_frames_and_sends_nothing(example_site: Path,
                                                              site: Any) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "protolab", "kantech", "gateway", "reload", str(example_site),
        "--dry-run", "--site-id", str(site.id), "--device", "127.0.0.9", "--scope", "door",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PROTOLAB_KANTECH_KEY": site.key})
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    body = json.loads(out)
    codec = IpFrameCodec(site.key)
    frames = [codec.decode(bytes.fromhex(f["hex"])) for f in body["frames"]]
    assert [f.message.COMMAND.name for f in frames] == ["RELOAD_BEGIN", "RELOAD_RECORDS",
                                                       "RELOAD_END"]
    records = frames[1].message
    assert isinstance(records, ReloadRecords) and records.record_type == RecordType.DOOR
    assert body["wire_bytes"] == sum(len(bytes.fromhex(f["hex"])) for f in body["frames"])
    assert len(records.records) == len(load_site(example_site).records[RecordType.DOOR]) == 3
    # 3 doors: 15 + 2 + 3 * 27 = 98 plaintext bytes, 7 AES blocks
    assert [f["wire_bytes"] for f in body["frames"]] == [25, 9 + 16 * 7, 41]
    assert {f.site_id for f in frames} == {site.id} and body["records"] == 3


async def test_control_api_shows_the_reloaded_records_field_by_field(
        gateway: SimulatedGateway, fleet: KantechFleet, example_site: Path, site: Any) -> None:
    await gateway.reload(device_of(fleet), load_site(example_site), when=NOON)
    client = TestClient(TestServer(make_control_app(fleet)))
    await client.start_server()
    try:
        body = await (await client.get("/devices/0/records")).json()
        stats = await (await client.get("/stats")).json()
    finally:
        await client.close()
    assert body["records"]["GLOBAL_SYSTEM"][0]["site_id"] == site.id
    cards = body["records"]["CARD_KT400"]
    assert [c["card_number"] for c in cards] == load_site(example_site).card_numbers
    assert cards[0]["flags"] == ["VALID"] and body["counts"]["CARD_KT400"] == len(cards)
    assert stats["devices"] == 1 and stats["endpoints"]["in.RELOAD_RECORDS"] >= 1
