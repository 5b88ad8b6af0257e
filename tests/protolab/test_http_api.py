"""The control-API base over a real loopback socket: one error shape, field validation, enums by
name, loopback unless asked otherwise."""

from __future__ import annotations

import enum

import aiohttp
import pytest
from aiohttp import web

from protolab.errors import ConfigurationError
from protolab.http_api import (
    ApiServer,
    NotFound,
    enum_field,
    int_field,
    json_response,
    make_app,
    read_object,
)


class Colour(enum.IntEnum):
    RED = 1
    BLUE = 2


async def handler(request: web.Request) -> web.Response:
    body = await read_object(request)
    if request.match_info["id"] != "1":
        raise NotFound(f"no thing {request.match_info['id']!r}", thing=request.match_info["id"])
    return json_response({"pages": int_field(body, "pages", 1, 10, thing=1),
                          "colour": enum_field(body, "colour", Colour, Colour.RED)})


async def test_errors_share_one_shape_and_enums_go_by_name() -> None:
    server = await ApiServer.start(make_app([web.post("/things/{id}", handler)]))
    try:
        async with aiohttp.ClientSession() as session:
            url = f"{server.url}/things"
            async with session.post(f"{url}/1", json={"pages": 3, "colour": "blue"}) as r:
                assert r.status == 200 and await r.json() == {"pages": 3, "colour": "BLUE"}
            async with session.post(f"{url}/1", json={"pages": 30}) as r:
                assert r.status == 400
                assert await r.json() == {"error": "pages = 30; expected an integer 1..10",
                                          "status": 400, "thing": 1}
            async with session.post(f"{url}/2", json={}) as r:
                assert (r.status, (await r.json())["thing"]) == (404, "2")
            async with session.post(f"{url}/1", data=b"not json") as r:
                assert r.status == 400 and "not JSON" in (await r.json())["error"]
            async with session.get(f"{server.url}/nowhere") as r:
                assert r.status == 404 and (await r.json())["status"] == 404
    finally:
        await server.close()


async def test_only_loopback_unless_named_explicitly() -> None:
    with pytest.raises(ConfigurationError, match="not a loopback address"):
        await ApiServer.start(make_app([]), "0.0.0.0", 0)
