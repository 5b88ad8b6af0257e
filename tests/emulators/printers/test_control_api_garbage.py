"""The printer control API under requests that are wrong in every way a script can get them
wrong: each is refused with the shared error shape (never a 500), and the fleet still answers."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from emulators.printers.control_api import create_app
from tests.emulators.garbage_requests import assault
from tests.emulators.printers.fleets import FleetFactory

P = "/printers/{id}"
ROUTES = [("GET", "/printers"), ("GET", P), ("GET", "/profiles"), ("GET", P + "/snmprec"),
          ("POST", P + "/print"), ("POST", P + "/scan"), ("POST", P + "/alerts"),
          ("DELETE", P + "/alerts/{index}"), ("POST", P + "/supplies/{index}"),
          ("POST", P + "/trays/{index}"), ("POST", P + "/power-save"),
          ("DELETE", P + "/power-save"), ("POST", P + "/offline"), ("POST", P + "/online"),
          ("POST", P + "/reboot"), ("POST", P + "/move"), ("POST", P + "/swap"),
          ("POST", P + "/quirks"), ("POST", P + "/counters"), ("PUT", P + "/print"),
          ("GET", "/printers?offset=x&limit=-5"), ("GET", "/printers?limit=99999999999999999999"),
          ("GET", "/profiles?profile=%00")]
PARAMS = {"id": ("0", "1", "2", "-1", "99", "abc", "127.30.0.1", "127.30.0.2", "1e3", " 1",
                 "99999999999999999999"),
          "index": ("0", "1", "2", "-1", "65536", "x", "1.5", "99999999999999999999")}
KEYS = ("pages", "size", "color", "colour", "duplex", "code", "index", "location",
        "description", "level", "sheets", "on", "address", "profile", "missing",
        "response_delay", "drop_rate", "counter_as_integer", "counter", "value")


async def test_every_route_refuses_garbage_cleanly(make_fleet: FleetFactory) -> None:
    fleet, _clock = make_fleet(["hp-color-laserjet-m577", "lexmark-optra-t614n",
                                "samsung-clx-8380nd"], 3)
    client = TestClient(TestServer(create_app(fleet)))
    await client.start_server()
    try:
        seen = await assault(client, ROUTES, PARAMS, KEYS, count=1500)
        after = await client.get("/printers")
        assert after.status == 200 and len((await after.json())["printers"]) == 3
    finally:
        await client.close()
    # the requests reached the handlers' checks, not only the router
    assert seen.get(400, 0) > 300 and seen.get(404, 0) > 50
    assert sum(n for status, n in seen.items() if status < 300) > 50
