"""The fleet on real loopback sockets, with kantech_proto's gateway endpoint on the other side.

Time-driven behaviour (pulses, retries and their back-off, what a stopped fleet no longer does)
runs on a ManualClock; real time is only spent waiting for datagrams to cross loopback.
"""

from __future__ import annotations

import asyncio
import socket
from types import SimpleNamespace
from typing import Any

import pytest

from emulators.kantech.errors import UnknownDeviceError
from emulators.kantech.fleet_config import build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech.model_factory import default_model_factory
from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation
from kantech_proto.endpoint_events import MessageReceived
from kantech_proto.event_types import EventType
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import (
    Announce,
    Discover,
    Event,
    ManualOp,
    ManualOpReply,
    Pulse,
    StatusQuery,
    StatusReply,
)
from kantech_proto.transports.tcp import TcpServer
from protolab.clock import ManualClock

from .raw_peer import RawPeer


def peers_of(gw: Any, kind: type) -> set[Any]:
    return {e.peer for e in gw.messages(kind)}


async def test_devices_announce_and_pulse_from_their_own_address(
        gateway: Any, make_fleet: Any, settings: Any, eventually: Any) -> None:
    clock = ManualClock()
    fleet = await make_fleet(settings(gateway, kt400=2, kt1=1, pulse=10), clock=clock)
    addresses = {d.local_address for d in fleet.devices}
    assert {a[0] for a in addresses} == {d.config.address for d in fleet.devices}
    await gateway.wait_for(lambda _: peers_of(gateway, Announce) >= addresses)
    assert not gateway.messages(Pulse)  # no time has passed: no heartbeat yet
    clock.advance(10)  # one pulse period: every device beats once, at its own phase
    await gateway.wait_for(lambda _: peers_of(gateway, Pulse) >= addresses)
    assert len(gateway.messages(Pulse)) == 3
    models = {e.message.model for e in gateway.messages(Announce)}
    assert models == {DeviceModel.KT_400, DeviceModel.KT_1}
    await eventually(lambda: all(d.endpoint.queued == 0 for d in fleet.devices))  # ACKed
    assert all(d.endpoint.stats["in.ACK"] >= 1 for d in fleet.devices)


async def test_status_query_answered(gateway: Any, make_fleet: Any, settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2))
    for device in fleet.devices:
        reply = await gateway.link.driver.request(device.local_address, StatusQuery())
        assert isinstance(reply.message, StatusReply)
        assert reply.peer == device.local_address


async def test_broadcast_discover_answered_by_every_device(
        gateway: Any, make_fleet: Any, settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2, kt1=1, pulse=30))
    port = fleet.discovery_address()[1]
    sock = gateway.link.transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    gateway.endpoint.send(("127.255.255.255", port), Discover(), event_id=0x1234)
    gateway.link.driver.pump()
    addresses = {d.local_address for d in fleet.devices}

    def answered(_: Any) -> bool:
        return {e.peer for e in gateway.messages(Announce) if e.frame.event_id == 0x1234} \
            >= addresses
    await gateway.wait_for(answered)
    announce = next(e.message for e in gateway.messages(Announce)
                    if e.peer == fleet.devices[0].local_address)
    assert str(announce.ip) == fleet.devices[0].config.address


async def test_model_event_reaches_gateway_and_is_acked(gateway: Any, make_fleet: Any,
                                                        settings: Any, eventually: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1, pulse=30))
    device = fleet.devices[0]
    device.model.present_card(1, 1234, now=device.now())
    device.sync()
    await gateway.wait_for(lambda _: bool(gateway.messages(Event)))
    event = gateway.messages(Event)[0]
    assert event.peer == device.local_address and event.message.event.card_number == 1234
    await eventually(lambda: device.endpoint.queued == 0)
    assert device.endpoint.stats["out.EVENT"] == 1


async def test_pulse_carries_events_waiting_while_offline_then_events_flow(
        gateway: Any, make_fleet: Any, settings: Any) -> None:
    clock = ManualClock()
    fleet = await make_fleet(settings(gateway, kt1=1, pulse=10), clock=clock)
    device = fleet.devices[0]
    clock.advance(10)
    await gateway.wait_for(lambda _: bool(gateway.messages(Pulse)))
    assert gateway.messages(Pulse)[0].message.events_waiting is False
    device.set_online(False)
    device.model.present_card(1, 99, now=device.now())
    device.sync()
    pulses = device.endpoint.stats["out.PULSE"]
    clock.advance(60)  # six heartbeats' worth of a pulled cable: silent
    assert device.endpoint.stats["out.PULSE"] == pulses
    assert device.events_waiting == 1 and not gateway.messages(Event)
    device.set_online(True)
    await gateway.wait_for(lambda _: bool(gateway.messages(Event)))
    assert gateway.messages(Event)[0].message.event.card_number == 99


async def test_unacknowledged_announce_is_retried_with_growing_intervals(
        make_fleet: Any, settings: Any, eventually: Any) -> None:
    """A gateway that never answers: the ANNOUNCE is repeated after 1, 1, 1 s, then the interval
    doubles (2, 4, 8, 16 s) up to 30 s; it is never dropped."""
    silent = await RawPeer.open()
    try:
        clock = ManualClock()
        nobody = SimpleNamespace(address=silent.transport.get_extra_info("sockname"))
        fleet = await make_fleet(settings(nobody, kt1=1, pulse=1000), clock=clock)
        device = fleet.devices[0]
        arrivals: list[float] = []

        async def heard(count: int) -> None:
            while len(arrivals) < count:
                await silent.received.get()
                arrivals.append(clock.now())

        await heard(1)
        for step in (1, 1, 1, 2, 4, 8, 16, 30, 30):
            clock.advance(step)
            await asyncio.wait_for(heard(len(arrivals) + 1), 3)
        assert arrivals == [0, 1, 2, 3, 5, 9, 17, 33, 63, 93]
        assert device.endpoint.queued == 1 and device.endpoint.stats["retransmissions"] == 9
    finally:
        silent.transport.close()


async def test_timed_unlock_relocks_when_its_time_is_up(gateway: Any, make_fleet: Any,
                                                        settings: Any) -> None:
    clock = ManualClock()
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=1000), clock=clock,
                             model_factory=default_model_factory)
    device = fleet.devices[0]
    unlock = ManualOp(ManualOperation.UNLOCK_DOOR_TIMED, ComponentKind.DOOR, 2, 1, 5)
    reply = await gateway.link.driver.request(device.local_address, unlock)
    assert isinstance(reply.message, ManualOpReply)
    assert reply.message.results[0].remaining_seconds == 5

    def door_events(kind: EventType) -> list[Any]:
        return [e for e in gateway.messages(Event) if e.message.event.event_type is kind]

    await gateway.wait_for(lambda _: bool(door_events(EventType.DOOR_UNLOCKED_TIMED)))
    door = device.model.doors[1]
    clock.advance(4.9)
    assert door.released and not door_events(EventType.DOOR_LOCKED)
    clock.advance(0.1)  # the model's deadline, served by the device's clock
    await gateway.wait_for(lambda _: bool(door_events(EventType.DOOR_LOCKED)))
    assert not door.released
    assert door_events(EventType.DOOR_LOCKED)[0].message.event.component == 2


async def test_a_door_held_open_raises_its_alarm_when_the_open_time_is_up(
        gateway: Any, make_fleet: Any, settings: Any) -> None:
    clock = ManualClock()
    fleet = await make_fleet(settings(gateway, kt1=1, pulse=1000), clock=clock,
                             model_factory=default_model_factory)
    device = fleet.devices[0]
    unlock = ManualOp(ManualOperation.UNLOCK_DOOR_TIMED, ComponentKind.DOOR, 1, 1, 5)
    await gateway.link.driver.request(device.local_address, unlock)
    assert device.model.open_door(1, device.now())  # a passage: the lock was released
    device.sync()
    door = device.model.doors[0]
    allowed = door.record.open_time

    def events(kind: EventType) -> list[Any]:
        return [e for e in gateway.messages(Event) if e.message.event.event_type is kind]

    await gateway.wait_for(lambda _: bool(events(EventType.DOOR_OPENED)))
    clock.advance(allowed - 0.5)
    assert not door.held and not events(EventType.DOOR_OPEN_TOO_LONG)
    clock.advance(0.5)  # the open time is up, on the device's clock
    await gateway.wait_for(lambda _: bool(events(EventType.DOOR_OPEN_TOO_LONG)))
    assert door.held and events(EventType.DOOR_OPEN_TOO_LONG)[0].message.event.component == 1


async def test_tcp_transport(gateway: Any, make_fleet: Any, settings: Any, site: Any,
                             eventually: Any) -> None:
    endpoint = GatewayEndpoint(IpFrameCodec(site.key), site.id, site.session)
    server = await TcpServer.open(endpoint, "127.0.0.1", 0)
    try:
        fleet = await make_fleet(settings(gateway, kt1=1, transport="tcp",
                                          gateway=f"127.0.0.1:{server.local_address[1]}"))
        device = fleet.devices[0]
        seen: list[Any] = []

        async def until(kind: type) -> Any:
            while not any(isinstance(e, MessageReceived) and isinstance(e.message, kind)
                          for e in seen):
                seen.append(await server.driver.events.get())

        async with asyncio.timeout(3):
            await until(Announce)
            await until(Pulse)
        reply = await server.driver.request(server.peers[0], StatusQuery())
        assert isinstance(reply.message, StatusReply)
        device.model.present_card(1, 7, now=device.now())
        device.sync()
        async with asyncio.timeout(3):
            await until(Event)
        await eventually(lambda: device.endpoint.queued == 0)
        assert not gateway.messages(Pulse)  # the UDP gateway hears nothing
        assert device.endpoint.stats["in.ACK"] >= 2  # announce and event, over the stream
    finally:
        await server.close()


async def test_iplink_skipped_when_factory_has_none(gateway: Any, make_fleet: Any,
                                                    settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1, iplink=2, pulse=30))
    assert len(fleet.devices) == 1 and len(fleet.skipped) == 2
    assert fleet.summary()["skipped"][0]["model"] == "IP_LINK"


async def test_lookups(gateway: Any, make_fleet: Any, settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2, pulse=30))
    second = fleet.devices[1]
    assert fleet.get(1) is second and fleet.get("1") is second
    assert fleet.get(second.config.address) is second
    assert fleet.by_mac(second.config.mac_text) is second
    for unknown in ("127.99.0.1", 7, "00:a0:c2:ff:ff:ff"):
        with pytest.raises(UnknownDeviceError, match="no device"):
            fleet.get(unknown)


async def test_context_manager_stops_cleanly(gateway: Any, settings: Any,
                                             fake_factory: Any) -> None:
    clock = ManualClock()
    configs = build_fleet(settings(gateway, kt400=3, pulse=10))
    async with KantechFleet(configs, fake_factory, clock=clock) as fleet:
        clock.advance(10)
        await gateway.wait_for(lambda _: len(peers_of(gateway, Pulse)) == 3)
    assert all(d.closed for d in fleet.devices)
    assert clock.pending == 0  # no heartbeat, retry or model timer is left behind
    beats = fleet.scheduler.beats if fleet.scheduler else 0
    clock.advance(100)
    assert (fleet.scheduler.beats if fleet.scheduler else 0) == beats


async def test_with_the_real_controller_models(gateway: Any, make_fleet: Any,
                                               settings: Any) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from emulators.kantech.control_api import make_control_app

    clock = ManualClock()
    fleet = await make_fleet(settings(gateway, kt400=1, kt1=1, iplink=1, pulse=10),
                             model_factory=default_model_factory, clock=clock)
    assert [d.config.model for d in fleet.devices] == [
        DeviceModel.KT_400, DeviceModel.KT_1, DeviceModel.IP_LINK]
    assert fleet.skipped == []  # IP-Links run with their own polled loop
    addresses = {d.local_address for d in fleet.devices}
    clock.advance(10)
    await gateway.wait_for(lambda _: peers_of(gateway, Pulse) >= addresses
                           and peers_of(gateway, Announce) >= addresses)
    reply = await gateway.link.driver.request(fleet.devices[0].local_address, StatusQuery())
    assert isinstance(reply.message, StatusReply)
    assert reply.message.status.model is DeviceModel.KT_400
    client = TestClient(TestServer(make_control_app(fleet)))
    await client.start_server()
    try:
        resp = await client.post("/devices/1/cards", json={"door": 1, "card": 4321})
        assert resp.status == 200
        await gateway.wait_for(lambda _: any(e.message.event.card_number == 4321
                                             for e in gateway.messages(Event)))
        assert (await client.post("/devices/1/doors/1/force")).status == 200
        await gateway.wait_for(lambda _: any(
            e.message.event.event_type.name == "DOOR_FORCED_OPEN" for e in gateway.messages(Event)))
        assert (await client.post("/devices/0/inputs/9", json={"active": True})).status == 200
        bad = await client.post("/devices/0/inputs/99", json={"active": True})
        assert bad.status == 400 and "input 99" in (await bad.json())["error"]
        body = await (await client.get("/devices/0")).json()
        assert body["state"]["model"] == "KT_400"
        assert (await client.post("/devices/0/reboot")).status == 200
        await gateway.wait_for(lambda _: sum(e.peer == fleet.devices[0].local_address
                                             for e in gateway.messages(Announce)) >= 2)
    finally:
        await client.close()
