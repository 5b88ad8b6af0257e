"""The fleet on real loopback sockets, with kantech_proto's gateway endpoint on the other side."""

from __future__ import annotations

import asyncio
import random
import socket
from typing import Any

import pytest

from emulators.kantech.fleet_config import build_fleet
from emulators.kantech.fleet_runtime import KantechFleet
from kantech_proto.codes import DeviceModel
from kantech_proto.endpoint_events import MessageReceived
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import Announce, Discover, Event, Pulse, StatusQuery, StatusReply
from kantech_proto.transports.tcp import TcpServer

from .conftest import KEY, SESSION, SITE, Gateway, settings


class RawPeer(asyncio.DatagramProtocol):
    """A bare UDP socket on 127.0.0.1 for frames the gateway endpoint would never send."""

    def __init__(self) -> None:
        self.received: asyncio.Queue[tuple[bytes, Any]] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport

    @classmethod
    async def open(cls) -> RawPeer:
        loop = asyncio.get_running_loop()
        transport, peer = await loop.create_datagram_endpoint(
            cls, local_addr=("127.0.0.1", 0), family=socket.AF_INET)
        peer.transport = transport
        return peer

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.received.put_nowait((data, addr))

    async def drain(self, quiet: float = 0.25) -> list[tuple[bytes, Any]]:
        out = []
        while True:
            try:
                out.append(await asyncio.wait_for(self.received.get(), quiet))
            except TimeoutError:
                return out


def request_frame(sequence: int, event_id: int, key: str = KEY, site: int = SITE) -> bytes:
    return IpFrameCodec(key).encode(IpFrame(site, SESSION, sequence, event_id, StatusQuery()))


def peers_of(gw: Gateway, kind: type) -> set[Any]:
    return {e.peer for e in gw.messages(kind)}


async def test_devices_announce_and_pulse_from_their_own_address(gateway: Gateway,
                                                                 make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2, kt1=1))
    addresses = {d.local_address for d in fleet.devices}
    assert {a[0] for a in addresses} == {d.config.address for d in fleet.devices}
    await gateway.wait_for(lambda _: peers_of(gateway, Pulse) >= addresses
                           and peers_of(gateway, Announce) >= addresses)
    models = {e.message.model for e in gateway.messages(Announce)}
    assert models == {DeviceModel.KT_400, DeviceModel.KT_1}
    await asyncio.sleep(0.1)
    assert all(d.endpoint.queued == 0 for d in fleet.devices)  # the announces were ACKed
    assert all(d.endpoint.stats["in.ACK"] >= 1 for d in fleet.devices)


async def test_status_query_answered(gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2))
    for device in fleet.devices:
        reply = await gateway.link.driver.request(device.local_address, StatusQuery())
        assert isinstance(reply.message, StatusReply)
        assert reply.peer == device.local_address


@pytest.mark.parametrize("target", ["127.0.0.1", "127.255.255.255"])
async def test_discover_answered_by_every_device(gateway: Gateway, make_fleet: Any,
                                                 target: str) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2, kt1=1, pulse=30))
    port = fleet.discovery_address()[1]
    if target.endswith(".255"):
        sock = gateway.link.transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    gateway.endpoint.send((target, port), Discover(), event_id=0x1234)
    gateway.link.driver.pump()
    addresses = {d.local_address for d in fleet.devices}

    def answered(_: Any) -> bool:
        return {e.peer for e in gateway.messages(Announce) if e.frame.event_id == 0x1234} \
            >= addresses
    await gateway.wait_for(answered)
    announce = next(e.message for e in gateway.messages(Announce)
                    if e.peer == fleet.devices[0].local_address)
    assert str(announce.ip) == fleet.devices[0].config.address


async def test_model_event_reaches_gateway_and_is_acked(gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1, pulse=30))
    device = fleet.devices[0]
    device.model.present_card(1, 1234, now=device.now())
    device.sync()
    await gateway.wait_for(lambda _: bool(gateway.messages(Event)))
    event = gateway.messages(Event)[0]
    assert event.peer == device.local_address and event.message.event.card_number == 1234
    await asyncio.sleep(0.1)
    assert device.endpoint.queued == 0
    assert device.endpoint.stats["out.EVENT"] == 1


async def test_pulse_carries_events_waiting_while_offline_then_events_flow(
        gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1))
    device = fleet.devices[0]
    await gateway.wait_for(lambda _: bool(gateway.messages(Pulse)))
    device.set_online(False)
    device.model.present_card(1, 99, now=device.now())
    device.sync()
    seen = len(gateway.received)
    await asyncio.sleep(0.2)
    assert len(gateway.received) == seen  # silent while offline
    assert device.model.events_waiting
    device.set_online(True)
    await gateway.wait_for(lambda _: bool(gateway.messages(Event)))


def _garbage(device_frame: bytes) -> dict[str, bytes]:
    return {
        "random": random.Random(7).randbytes(40),
        "truncated": device_frame[:-5],
        "wrong_key": request_frame(50, 901, key="other-key"),
        "wrong_site": request_frame(51, 902, site=SITE + 1),
    }


async def test_garbage_on_device_port_counted_and_valid_traffic_still_answered(
        gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30))
    device = fleet.devices[0]
    raw = await RawPeer.open()
    for data in _garbage(request_frame(1, 900)).values():
        raw.transport.sendto(data, device.local_address)
    await asyncio.sleep(0.1)
    stats = device.endpoint.stats
    assert stats["frames_rejected"] == 4
    assert stats["rejected.wrong-key"] == 1 and stats["rejected.wrong-site"] == 1
    reply = await gateway.link.driver.request(device.local_address, StatusQuery())
    assert isinstance(reply.message, StatusReply)
    raw.transport.close()


async def test_garbage_on_discovery_port_counted_and_discover_still_answered(
        gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30))
    responder = next(iter(fleet.responders.values()))
    port = responder.local_address[1]
    raw = await RawPeer.open()
    for data in _garbage(request_frame(1, 900)).values():
        raw.transport.sendto(data, ("127.0.0.1", port))
    await asyncio.sleep(0.1)
    assert responder.stats["frames_rejected"] == 4
    assert responder.stats["rejected.wrong-site"] == 1
    assert responder.stats["rejected.wrong-key"] == 1
    gateway.endpoint.send(("127.0.0.1", port), Discover(), event_id=7)
    gateway.link.driver.pump()
    await gateway.wait_for(lambda _: any(e.frame.event_id == 7
                                         for e in gateway.messages(Announce)))
    raw.transport.close()


@pytest.mark.parametrize(("policy", "answers"), [("none", 2), ("strict", 1), ("window", 1)])
async def test_replayed_request(gateway: Gateway, make_fleet: Any, policy: str,
                                answers: int) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30, replay=policy))
    device = fleet.devices[0]
    raw = await RawPeer.open()
    captured = request_frame(10, 555)
    raw.transport.sendto(captured, device.local_address)
    await asyncio.sleep(0.05)
    raw.transport.sendto(captured, device.local_address)
    replies = await raw.drain()
    assert len(replies) == answers
    assert device.endpoint.stats["replays_rejected"] == 2 - answers
    raw.transport.close()


@pytest.mark.parametrize(("policy", "answers"), [("none", 2), ("strict", 1), ("window", 2)])
async def test_reordered_requests(gateway: Gateway, make_fleet: Any, policy: str,
                                  answers: int) -> None:
    """Two fresh requests arriving out of order: only a strict device refuses the late one."""
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30, replay=policy))
    device = fleet.devices[0]
    raw = await RawPeer.open()
    raw.transport.sendto(request_frame(21, 601), device.local_address)
    await asyncio.sleep(0.05)
    raw.transport.sendto(request_frame(20, 602), device.local_address)
    replies = await raw.drain()
    assert len(replies) == answers
    raw.transport.close()


async def test_tcp_transport(gateway: Gateway, make_fleet: Any) -> None:
    endpoint = GatewayEndpoint(IpFrameCodec(KEY), SITE, SESSION)
    server = await TcpServer.open(endpoint, "127.0.0.1", 0)
    try:
        fleet = await make_fleet(settings(gateway, kt1=1, transport="tcp",
                                          gateway_tcp_port=server.local_address[1]))
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
        await asyncio.sleep(0.1)
        assert device.endpoint.queued == 0
        assert not gateway.messages(Pulse)  # the UDP gateway hears nothing
        assert device.endpoint.stats["in.ACK"] >= 2  # announce and event, over the stream
    finally:
        await server.close()


async def test_iplink_skipped_when_factory_has_none(gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1, iplink=2, pulse=30))
    assert len(fleet.devices) == 1 and len(fleet.skipped) == 2
    assert fleet.summary()["skipped"][0]["model"] == "IP_LINK"


async def test_lookups(gateway: Gateway, make_fleet: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2, pulse=30))
    second = fleet.devices[1]
    assert fleet.get(1) is second and fleet.get("1") is second
    assert fleet.get(second.config.address) is second
    assert fleet.by_mac(second.config.mac_text) is second
    with pytest.raises(KeyError):
        fleet.get("127.99.0.1")


async def test_context_manager_stops_cleanly(gateway: Gateway) -> None:
    from .conftest import fake_factory
    configs = build_fleet(settings(gateway, kt400=3))
    async with KantechFleet(configs, fake_factory) as fleet:
        await gateway.wait_for(lambda _: len(peers_of(gateway, Pulse)) == 3)
    assert all(d.closed for d in fleet.devices)
    count = len(gateway.received)
    await asyncio.sleep(0.15)
    assert len(gateway.received) == count


async def test_with_the_real_controller_models(gateway: Gateway, make_fleet: Any) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from emulators.kantech.control_api import make_control_app
    from emulators.kantech.fleet_runtime import default_model_factory

    fleet = await make_fleet(settings(gateway, kt400=1, kt1=1, iplink=1),
                             model_factory=default_model_factory)
    assert [d.config.model for d in fleet.devices] == [
        DeviceModel.KT_400, DeviceModel.KT_1, DeviceModel.IP_LINK]
    assert fleet.skipped == []  # IP-Links run with their own polled loop
    addresses = {d.local_address for d in fleet.devices}
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
        assert (await client.post("/devices/0/inputs/99", json={"active": True})).status == 400
        body = await (await client.get("/devices/0")).json()
        assert body["state"]["model"] == "KT_400"
        assert (await client.post("/devices/0/reboot")).status == 200
        await gateway.wait_for(lambda _: sum(e.peer == fleet.devices[0].local_address
                                             for e in gateway.messages(Announce)) >= 2)
    finally:
        await client.close()
