"""The HTTP control API, over aiohttp's test client and a real loopback server."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from emulators.kantech.control_api import make_control_app, start_control_server
from emulators.kantech.fleet_runtime import KantechFleet
from emulators.kantech.model_factory import default_model_factory
from kantech_proto.messages import Announce, Event, Pulse, StatusQuery, StatusReply
from protolab.clock import ManualClock
from protolab.errors import AddressUnavailableError, ConfigurationError


async def _client(fleet: KantechFleet) -> TestClient:
    client = TestClient(TestServer(make_control_app(fleet)))
    await client.start_server()
    return client


async def test_list_and_get_devices(gateway: Any, make_fleet: Any, settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, kt1=1, iplink=1, pulse=30))
    client = await _client(fleet)
    try:
        body = await (await client.get("/devices")).json()
        assert [d["model"] for d in body["devices"]] == ["KT_400", "KT_1"]
        assert body["skipped"][0]["model"] == "IP_LINK"
        first = body["devices"][0]
        assert first["state"] == {"fake": True, "requests": 0}
        assert first["stats"]["out.ANNOUNCE"] == 1
        address = fleet.devices[1].config.address
        by_ip = await (await client.get(f"/devices/{address}")).json()
        by_index = await (await client.get("/devices/1")).json()
        assert by_ip["mac"] == by_index["mac"] == fleet.devices[1].config.mac_text
        missing = await client.get("/devices/127.99.0.1")
        error = await missing.json()
        assert missing.status == 404 and error["status"] == 404
        assert "127.99.0.1" in error["error"] and error["device"] == "127.99.0.1"
    finally:
        await client.close()


async def test_card_reaches_gateway_as_event(gateway: Any, make_fleet: Any,
                                             settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1, pulse=30))
    client = await _client(fleet)
    try:
        resp = await client.post("/devices/0/cards", json={"door": 1, "card": 1234, "pin": "1234"})
        assert resp.status == 200 and (await resp.json())["result"] == "GRANTED"
        await gateway.wait_for(lambda _: bool(gateway.messages(Event)))
        assert gateway.messages(Event)[0].message.event.card_number == 1234
        for bad in ({"door": 1}, {"door": "x", "card": 1}, {"card": 1, "pin": 5}):
            resp = await client.post("/devices/0/cards", json=bad)
            body = await resp.json()
            assert resp.status == 400 and body["status"] == 400 and "expected" in body["error"]
        assert (await client.post("/devices/0/cards", data=b"{nope")).status == 400
        # the fake model has no doors or inputs: 409, not a crash
        assert (await client.post("/devices/0/doors/1/open")).status == 409
        assert (await client.post("/devices/0/inputs/3", json={"active": True})).status == 409
        assert (await client.post("/devices/0/inputs/3", json={"active": 1})).status == 400
        assert (await client.post("/devices/9/reboot")).status == 404
    finally:
        await client.close()


async def test_offline_online_and_reboot(gateway: Any, make_fleet: Any, settings: Any,
                                         eventually: Any) -> None:
    clock = ManualClock()
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=10), clock=clock)
    device = fleet.devices[0]
    client = await _client(fleet)
    try:
        assert (await (await client.post("/devices/0/offline")).json())["online"] is False
        pulses = device.endpoint.stats["out.PULSE"]
        clock.advance(30)
        assert device.endpoint.stats["out.PULSE"] == pulses  # no pulses
        request = gateway.endpoint.request(device.local_address, StatusQuery(), gateway.link
                                           .driver.now())
        gateway.link.driver.pump()
        await eventually(lambda: device.endpoint.stats["dropped_offline"] == 1)
        assert not gateway.messages(StatusReply)  # no answer either
        gateway.endpoint.cancel(request)
        await client.post("/devices/0/online")
        reply = await gateway.link.driver.request(device.local_address, StatusQuery())
        assert isinstance(reply.message, StatusReply)
        announces = len(gateway.messages(Announce))
        assert (await client.post("/devices/0/reboot")).status == 200
        await gateway.wait_for(lambda _: len(gateway.messages(Announce)) > announces)
        clock.advance(10)
        await gateway.wait_for(lambda _: bool(gateway.messages(Pulse)))
    finally:
        await client.close()


async def test_real_server_on_loopback(gateway: Any, make_fleet: Any, settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=2, pulse=30))
    server = await start_control_server(fleet, "127.0.0.1", 0)
    try:
        host, port = server.address
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://{host}:{port}/devices") as resp:
                assert len((await resp.json())["devices"]) == 2
            async with session.post(f"http://{host}:{port}/devices/5/online") as resp:
                assert resp.status == 404
    finally:
        await server.close()


async def test_server_binds_loopback_only_and_names_a_taken_port(
        gateway: Any, make_fleet: Any, settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30))
    with pytest.raises(ConfigurationError, match="loopback"):
        await start_control_server(fleet, "10.1.2.3", 0)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(AddressUnavailableError, match=f"127.0.0.1:{port} is in use.*--control"):
            await start_control_server(fleet, "127.0.0.1", port)
    await asyncio.sleep(0)


async def test_real_controller_answers_cards_by_result_name(gateway: Any, make_fleet: Any,
                                                            settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, pulse=30),
                             model_factory=default_model_factory)
    client = await _client(fleet)
    try:
        # nothing reloaded yet: the card is unknown to the controller
        resp = await client.post("/devices/0/cards", json={"door": 1, "card": 4321})
        assert resp.status == 200 and (await resp.json())["result"] == "UNKNOWN_CARD"
        state = (await (await client.get("/devices/0")).json())["state"]
        assert state["reload_required"] is True
        resp = await client.post("/devices/0/doors/7/open")
        assert resp.status == 400 and "door 7" in (await resp.json())["error"]
    finally:
        await client.close()
