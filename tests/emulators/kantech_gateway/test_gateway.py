"""The simulated gateway against real controller models over loopback UDP."""

from __future__ import annotations

import asyncio
import datetime as _dt
import socket
from pathlib import Path
from typing import Any

import pytest

from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech_gateway.gateway import (
    DeviceRefusedError,
    DeviceTimeoutError,
    SimulatedGateway,
)
from emulators.kantech_gateway.reload_plan import ip_frame_size
from emulators.kantech_gateway.site_description import load_site, parse_site
from emulators.kantech_gateway.traffic import IN, OUT
from kantech_proto.codes import DeviceModel, RecordType
from kantech_proto.event_types import AccessResult
from protolab.clock import ManualClock
from protolab.errors import AddressUnavailableError

# a Wednesday inside office hours, so every schedule of the example site is active
WEDNESDAY_NOON = _dt.datetime(2025, 6, 11, 12, 0, 0)


def device_of(fleet: KantechFleet) -> tuple[str, int]:
    return fleet.devices[0].local_address


def present(fleet: KantechFleet, card: int, door: int = 1) -> AccessResult:
    runtime = fleet.devices[0]
    result = runtime.model.present_card(door, card, now=runtime.now())  # type: ignore[attr-defined]
    runtime.sync()
    return result


async def test_announce_registers_the_device(gateway: SimulatedGateway,
                                             fleet: KantechFleet) -> None:
    info = gateway.devices[fleet.devices[0].config.address]
    assert info.model is DeviceModel.KT_400
    assert info.port == device_of(fleet)[1]
    assert gateway.resolve(info.host) == device_of(fleet)


async def test_discover_collects_announces(site: Any, fleet: KantechFleet) -> None:
    clock = ManualClock()
    async with SimulatedGateway(site.key, site.id, ("127.0.0.1", 0), clock=clock) as gw:
        host = fleet.devices[0].config.address
        search = asyncio.ensure_future(gw.discover((host, fleet.discovery_address()[1]),
                                                   wait=2.0))
        await asyncio.wait_for(gw.wait_for_device(host), 3)  # the ANNOUNCE crossed loopback
        assert not search.done()  # still listening: two seconds of its clock have not passed
        await clock.advance_async(2.0)
        found = await asyncio.wait_for(search, 3)
    assert [d.address for d in found] == [device_of(fleet)]


async def test_status_unlock_set_time(gateway: SimulatedGateway, fleet: KantechFleet) -> None:
    device = device_of(fleet)
    status = await gateway.status(device)
    assert status.model is DeviceModel.KT_400
    stamp = await gateway.set_time(device, WEDNESDAY_NOON)
    assert stamp.weekday == 2
    results = await gateway.unlock(device, 1, seconds=5)
    assert results and results[0].index == 1
    assert (await gateway.lock(device, 1))[0].index == 1
    assert (await gateway.relay(device, 1, on=True, seconds=2))[0].index == 1


async def test_reload_then_cards_are_decided_from_the_site(gateway: SimulatedGateway,
                                                           fleet: KantechFleet,
                                                           example_site: Path) -> None:
    site = load_site(example_site)
    report = await gateway.reload(device_of(fleet), site, when=WEDNESDAY_NOON)
    assert report.records == sum(len(r) for _, r in site.reload_groups(WEDNESDAY_NOON))
    assert present(fleet, 1001) is AccessResult.GRANTED
    assert present(fleet, 1002) is AccessResult.GRANTED
    assert present(fleet, 4242) is not AccessResult.GRANTED
    assert present(fleet, 1003) is not AccessResult.GRANTED  # lost/stolen in the site file
    body = report.as_dict()
    cards = next(t for t in body["record_types"] if t["record_type"] == "CARD_KT400")
    assert cards["table7_bytes"] == 3 * 78
    assert cards["wire_bytes"] == ip_frame_size(2 + 3 * 78)
    # one BEGIN, one packet per type here, one END; no retransmission on loopback
    assert report.frames_out == len(report.lines) + 2
    begin, end = ip_frame_size(1), ip_frame_size(4)
    assert report.wire_bytes_out == sum(t.wire_bytes for t in report.lines) + begin + end
    assert body["protocol_overhead_bytes"] == report.wire_bytes_out - body["table7_bytes"]


async def test_reload_nak_names_device_and_expectation(gateway: SimulatedGateway,
                                                       fleet: KantechFleet) -> None:
    device = device_of(fleet)
    kt100_site = parse_site({"controller": {"model": "kt100"},
                             "cards": [{"number": 5, "level": 1}]})
    with pytest.raises(DeviceRefusedError) as info:
        await gateway.reload(device, kt100_site)  # a KT-400 does not take KT-100 records
    text = str(info.value)
    assert f"{device[0]}:{device[1]}" in text and "RELOAD_RECORDS" in text
    assert "expected ACK" in text and "NAK BAD_DATA" in text
    assert info.value.device == f"{device[0]}:{device[1]}"


async def test_timeout_names_the_device(site: Any) -> None:
    clock = ManualClock()
    async with SimulatedGateway(site.key, site.id, ("127.0.0.1", 0), retry_interval=1.0,
                                attempts=3, clock=clock) as gw:
        ask = asyncio.ensure_future(gw.status(("127.0.0.1", 9)))
        await clock.advance_async(2.9)
        assert not ask.done() and gw.endpoint.stats["retransmissions"] == 2
        await clock.advance_async(0.1)  # the third attempt's second is up
        with pytest.raises(DeviceTimeoutError, match=r"127\.0\.0\.1:9.*STATUS_REPLY"):
            await ask


async def test_a_taken_gateway_port_is_named(site: Any) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(AddressUnavailableError, match=f"127.0.0.1:{port} is in use.*--listen"):
            async with SimulatedGateway(site.key, site.id, ("127.0.0.1", port)):
                pass


async def test_firmware_update_reannounces_with_new_version(gateway: SimulatedGateway,
                                                            fleet: KantechFleet) -> None:
    host = fleet.devices[0].config.address
    old = gateway.devices[host].firmware
    image = b"KTFW" + bytes((2, 5, 1)) + bytes(range(256)) * 2  # 519 bytes: 5 blocks
    report = await gateway.firmware(device_of(fleet), image)
    assert report.blocks == 5
    assert report.frames_out == 6
    assert report.wire_bytes_out == 5 * ip_frame_size(130) + ip_frame_size(6)
    async with asyncio.timeout(3):  # the new ANNOUNCE crosses loopback
        while gateway.devices[host].firmware == old:
            await asyncio.sleep(0.005)
    assert gateway.devices[host].firmware == (2, 5, 1)


async def test_tail_receives_access_event(gateway: SimulatedGateway, fleet: KantechFleet,
                                         example_site: Path) -> None:
    await gateway.reload(device_of(fleet), load_site(example_site), when=WEDNESDAY_NOON)
    events = gateway.events()
    waiter = asyncio.ensure_future(anext(events))
    await asyncio.sleep(0)
    present(fleet, 1001, door=2)
    async with asyncio.timeout(3):
        while True:
            address, event = await waiter
            if event.access_result is not None:
                break
            waiter = asyncio.ensure_future(anext(events))
    assert address == "{}:{}".format(*device_of(fleet))
    assert event.component == 2 and event.access_result is AccessResult.GRANTED
    await events.aclose()


async def test_traffic_counts_every_frame(gateway: SimulatedGateway, fleet: KantechFleet,
                                          example_site: Path) -> None:
    device = device_of(fleet)
    name = f"{device[0]}:{device[1]}"
    before = gateway.traffic.snapshot()
    stats_before = gateway.endpoint.stats["bytes_out"]
    await gateway.status(device)
    await gateway.reload(device, load_site(example_site))
    spent = gateway.traffic.since(before)
    assert spent.total(OUT, name, "STATUS_QUERY") == ip_frame_size(0)
    assert spent.total(IN, name, "STATUS_REPLY") == ip_frame_size(63)
    assert spent.total(OUT, name, "RELOAD_BEGIN") == ip_frame_size(1)
    assert spent.total(OUT) == gateway.endpoint.stats["bytes_out"] - stats_before
    acks = spent.frame_count(IN, name, "ACK")
    assert spent.total(IN, name, "ACK") == acks * ip_frame_size(0)
    assert set(gateway.traffic.as_dict()["devices"]) >= {name}


async def test_kt100_site_uses_short_records() -> None:
    site = parse_site({"controller": {"model": "kt100"},
                       "schedules": [{"id": 1, "intervals": [{"days": ["mon", "holiday"]}]}],
                       "cards": [{"number": 5, "level": 1}]})
    assert RecordType.CARD_KT100 in site.records and RecordType.SCHEDULE_KT100 in site.records
