"""The HTTP JSON control API, driven through aiohttp's test client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from ekm_proto.snmp.types import NO_SUCH_INSTANCE, SnmpType, parse_oid
from emulators.printers.control_api import create_app, start_control
from emulators.printers.fleet import PrinterFleet
from emulators.printers.snmprec import parse_snmprec
from protolab.errors import ConfigurationError
from tests.emulators.printers.fleets import FleetFactory

LIFE = parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1")
ALERT_CODE = parse_oid("1.3.6.1.2.1.43.18.1.1.7.1")


@pytest.fixture
def fleet(make_fleet: FleetFactory) -> PrinterFleet:
    made, _ = make_fleet(["hp-pagewide-785f", "hp-color-laserjet-m577", "lexmark-optra-t614n"], 3)
    for state in made.printers:
        for position in range(len(state.levels)):
            state.set_supply_level(position, 1.0, made.sim.now())
        for position in range(len(state.trays)):
            state.refill_tray(position, made.sim.now())
    return made


@pytest.fixture
async def client(fleet: PrinterFleet) -> AsyncIterator[TestClient[object, object]]:
    test_client: TestClient[object, object] = TestClient(TestServer(create_app(fleet)))
    await test_client.start_server()
    try:
        yield test_client
    finally:
        await test_client.close()


async def test_list_and_show(client: TestClient[object, object], fleet: PrinterFleet) -> None:
    listing = await (await client.get("/printers?limit=2")).json()
    assert listing["total"] == 3 and len(listing["printers"]) == 2
    assert listing["printers"][1]["address"] == "127.30.0.2"
    shown = await (await client.get("/printers/127.30.0.1")).json()
    assert shown["serial"] == fleet.printers[0].serial
    assert shown["model"] == "PageWide Enterprise Color Flow MFP 785f"
    assert shown["supplies"][0]["description"] == "Black Cartridge 982 SETUP HP T0B22A"
    assert shown["status"] == "running" and shown["errors"] == []
    missing = await client.get("/printers/77")
    body = await missing.json()
    assert missing.status == 404 and "no printer" in body["error"] and body["status"] == 404


async def test_print_pages_moves_counters(client: TestClient[object, object],
                                          fleet: PrinterFleet) -> None:
    state = fleet.printers[0]
    before = fleet.view_of(state).get(LIFE)[1]
    assert isinstance(before, int)
    response = await client.post("/printers/0/print", json={"pages": 12, "color": True,
                                                            "size": "A3"})
    body = await response.json()
    assert response.status == 200 and body["printed"] == 12
    assert body["printer"]["counters"]["colour_large"] == state.counter("colour_large")
    assert fleet.view_of(state).get(LIFE) == (SnmpType.COUNTER32, before + 12)
    refused = await client.post("/printers/1/print", json={"pages": 1, "size": "A3"})
    error = await refused.json()
    assert refused.status == 400 and "cannot print A3" in error["error"]
    assert (error["printer"], error["address"], error["status"]) == (1, "127.30.0.2", 400)
    mono = await client.post("/printers/2/print", json={"pages": 1, "color": True})
    assert mono.status == 400 and "mono" in (await mono.json())["error"]
    assert (await client.post("/printers/0/print", json={"pages": 0})).status == 400
    assert (await client.post("/printers/0/print", data="pages=3")).status == 400


async def test_raise_and_clear_alerts(client: TestClient[object, object],
                                      fleet: PrinterFleet) -> None:
    state = fleet.printers[1]
    response = await client.post("/printers/1/alerts", json={"code": "jam"})
    assert response.status == 201
    alert = (await response.json())["alert"]
    assert (alert["code"], alert["severity"], alert["training"]) == (8, "critical", "untrained")
    view = fleet.view_of(state)
    assert view.get((*ALERT_CODE, alert["index"])) == (SnmpType.INTEGER, 8)
    assert view.get(parse_oid("1.3.6.1.2.1.25.3.5.1.2.1")) == (SnmpType.OCTET_STRING, b"\x04\x00")
    fuser = await (await client.post("/printers/1/alerts", json={"code": 1001})).json()
    assert fuser["alert"]["training"] == "fieldService"
    cleared = await client.delete(f"/printers/1/alerts/{alert['index']}")
    assert cleared.status == 200
    assert fleet.view_of(state).get((*ALERT_CODE, alert["index"])) == NO_SUCH_INSTANCE
    again = await client.delete(f"/printers/1/alerts/{alert['index']}")
    assert again.status == 404
    assert (await client.post("/printers/1/alerts", json={"code": "paperjam"})).status == 400


async def test_supply_levels_raise_alerts(client: TestClient[object, object],
                                          fleet: PrinterFleet) -> None:
    body = await (await client.post("/printers/1/supplies/1", json={"level": 5})).json()
    assert [a["kind"] for a in body["printer"]["alerts"]] == ["toner_low"]
    level = fleet.view_of(fleet.printers[1]).get(parse_oid("1.3.6.1.2.1.43.11.1.1.9.1.1"))
    assert level == (SnmpType.INTEGER, 5)
    body = await (await client.post("/printers/1/supplies/1", json={"level": 0})).json()
    assert [a["kind"] for a in body["printer"]["alerts"]] == ["toner_empty"]
    assert body["printer"]["status"] == "down" and "noToner" in body["printer"]["errors"]
    assert (await client.post("/printers/1/supplies/9", json={"level": 5})).status == 404
    assert (await client.post("/printers/1/supplies/1", json={"level": 101})).status == 400


async def test_power_save_offline_reboot(client: TestClient[object, object],
                                         fleet: PrinterFleet) -> None:
    state = fleet.printers[1]  # the M577 hides its counters while asleep
    body = await (await client.post("/printers/1/power-save", json={"on": True})).json()
    assert body["printer"]["sleeping"]
    assert fleet.lookup(state.address).get(LIFE) == NO_SUCH_INSTANCE  # type: ignore[union-attr]
    await client.delete("/printers/1/power-save")
    assert fleet.lookup(state.address).get(LIFE)[0] == SnmpType.COUNTER32  # type: ignore[union-attr]
    await client.post("/printers/1/offline")
    assert fleet.lookup(state.address) is None
    await client.post("/printers/1/online")
    assert fleet.lookup(state.address) is not None
    boots = state.boots
    body = await (await client.post("/printers/1/reboot")).json()
    assert body["printer"]["engine_boots"] == boots + 1 and body["printer"]["uptime_seconds"] == 0


async def test_move_swap_and_quirks(client: TestClient[object, object],
                                    fleet: PrinterFleet) -> None:
    serial = fleet.printers[0].serial
    moved = await client.post("/printers/0/move", json={"address": "127.30.5.5"})
    assert moved.status == 200 and (await moved.json())["printer"]["serial"] == serial
    assert fleet.lookup("127.30.5.5") is not None and fleet.lookup("127.30.0.1") is None
    clash = await client.post("/printers/0/move", json={"address": "127.30.0.2"})
    assert clash.status == 409 and (await clash.json())["printer"] == 0
    bad = await client.post("/printers/0/move", json={"address": "127.300.0.2"})
    assert bad.status == 400 and "IPv4" in (await bad.json())["error"]
    swapped = await (await client.post("/printers/127.30.5.5/swap")).json()
    assert swapped["replaced_serial"] == serial and swapped["printer"]["serial"] != serial
    body = await (await client.post("/printers/1/quirks", json={
        "response_delay": 0.5, "counter_as_integer": True, "missing": ["hrStorageTable"]})).json()
    assert body["printer"]["quirks"]["response_delay"] == 0.5
    assert fleet.view_of(fleet.printers[1]).get(LIFE)[0] == SnmpType.INTEGER
    bad = await client.post("/printers/1/quirks", json={"missing": ["everything"]})
    assert bad.status == 400


async def test_export_walk(client: TestClient[object, object]) -> None:
    text = await (await client.get("/printers/2/snmprec")).text()
    records = dict(parse_snmprec(text))
    assert records[parse_oid("1.3.6.1.2.1.1.2.0")][1][:7] == (1, 3, 6, 1, 4, 1, 641)


async def test_control_api_stays_on_loopback(fleet: PrinterFleet) -> None:
    with pytest.raises(ConfigurationError, match="loopback"):
        await start_control(fleet, "0.0.0.0", 0)
    server = await start_control(fleet, "127.0.0.1", 0)
    try:
        assert server.address[0] == "127.0.0.1" and server.address[1] > 0
    finally:
        await server.close()
