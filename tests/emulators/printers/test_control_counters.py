"""The control API's counter route: a raw page counter set on demand, and what SNMP then serves
(wrapped like the device's registers)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from ekm_proto.snmp.types import SnmpType, parse_oid
from emulators.printers.control_api import create_app
from emulators.printers.fleet import PrinterFleet
from tests.emulators.printers.fleets import FleetFactory

LIFE = parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1")
HP_TOTAL = parse_oid("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0")


@pytest.fixture
async def client(make_fleet: FleetFactory) -> AsyncIterator[tuple[PrinterFleet,
                                                                  TestClient[object, object]]]:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"], 1)
    test_client: TestClient[object, object] = TestClient(TestServer(create_app(fleet)))
    await test_client.start_server()
    try:
        yield fleet, test_client
    finally:
        await test_client.close()


async def test_a_counter_set_near_a_wrap_is_served_wrapped(
        client: tuple[PrinterFleet, TestClient[object, object]]) -> None:
    fleet, http = client
    state = fleet.printers[0]
    for name in ("colour_small", "mono_large", "colour_large"):
        assert (await http.post("/printers/0/counters", json={"counter": name, "value": 0})
                ).status == 200
    response = await http.post("/printers/0/counters",
                               json={"counter": "mono_small", "value": 2**32 + 5})
    body = await response.json()
    assert response.status == 200 and body["printer"]["counters"]["total"] == 2**32 + 5
    view = fleet.view_of(state)
    assert view.get(LIFE) == (SnmpType.COUNTER32, 5)  # Counter32 wraps after 2^32 - 1
    assert view.get(HP_TOTAL) == (SnmpType.COUNTER32, (2**32 + 5) & 0xFFFFFF)  # HP: 2^24 - 1


async def test_a_bad_counter_name_or_value_is_refused(
        client: tuple[PrinterFleet, TestClient[object, object]]) -> None:
    _, http = client
    wrong = await http.post("/printers/0/counters", json={"counter": "total", "value": 1})
    assert wrong.status == 400 and "expected one of mono_small" in (await wrong.json())["error"]
    negative = await http.post("/printers/0/counters", json={"counter": "mono_small",
                                                             "value": -1})
    assert negative.status == 400
