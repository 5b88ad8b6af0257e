"""The Kantech control API under requests that are wrong in every way a script can get them
wrong: each is refused with the shared error shape (never a 500), and the fleet still answers."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from emulators.kantech.control_api import make_control_app
from emulators.kantech.model_factory import default_model_factory
from tests.emulators.garbage_requests import assault

D = "/devices/{id}"
ROUTES = [("GET", "/devices"), ("GET", D), ("GET", D + "/records"), ("GET", "/stats"),
          ("POST", D + "/cards"), ("POST", D + "/doors/{n}/{action}"), ("POST", D + "/inputs/{n}"),
          ("POST", D + "/inputs/{n}/line"), ("POST", D + "/pins"),
          ("POST", D + "/passback/forgive"), ("POST", D + "/{state}"), ("POST", D + "/reboot"),
          ("DELETE", D + "/cards"), ("GET", D + "/cards")]
KEYS = ("door", "card", "pin", "exit", "floor", "line", "active")


async def test_every_route_refuses_garbage_cleanly(gateway: Any, make_fleet: Any,
                                                   settings: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt400=1, kt1=1, iplink=1, loop_size=2, pulse=30),
                             model_factory=default_model_factory)
    loop = [d.name for d in fleet.loop_devices()]
    assert loop, "the IP-Link's loop controllers are addressed too"
    params = {"id": ("0", "1", "2", "3", "-1", "abc", fleet.devices[0].config.address,
                     fleet.devices[1].config.mac_text, *loop, "9@" + fleet.devices[2].config.address,
                     "x@y", "@", "99999999999999999999"),
              "n": ("0", "1", "2", "4", "255", "256", "-1", "x", "1.5"),
              "action": ("open", "close", "force", "hold", "explode"),
              "state": ("offline", "online", "asleep")}
    client = TestClient(TestServer(make_control_app(fleet)))
    await client.start_server()
    try:
        seen = await assault(client, ROUTES, params, KEYS, count=1500)
        after = await client.get("/devices")
        assert after.status == 200 and len((await after.json())["devices"]) == 3
    finally:
        await client.close()
    # the requests reached the handlers' checks, not only the router
    assert seen.get(400, 0) > 100 and seen.get(404, 0) > 50
    assert sum(n for status, n in seen.items() if status < 300) > 50
