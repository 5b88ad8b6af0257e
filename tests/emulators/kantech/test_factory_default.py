"""Factory-default mode with a plain HTTP client: the page on the device's own address, form
errors naming the field, CSRF refusals, garbage on the port, and saving: the page closes and
the device joins the site it was given."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
import pytest

from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Announce, Pulse
from kantech_proto.transports.udp import UdpLink

NEW_KEY, NEW_SITE = "fresh-site-key", 777


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


async def factory_fleet(make_fleet: Any, settings: Any, gateway: Any) -> Any:
    return await make_fleet(settings(gateway, kt1=1, pulse=0.1, factory_default=True,
                                     http_port=0))


async def test_the_page_is_served_and_the_device_is_silent(
        make_fleet: Any, settings: Any, gateway: Any) -> None:
    fleet = await factory_fleet(make_fleet, settings, gateway)
    device = fleet.devices[0]
    page = fleet.config_pages[0]
    assert page.address[0] == device.config.address  # on the device's own address
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://{page.address[0]}:{page.address[1]}/") as answer:
            text = await answer.text()
    assert answer.status == 200 and "factory-default mode" in text
    for field in ("key", "site_id", "gateway", "ip", "netmask", "router"):
        assert f'name="{field}"' in text
    await asyncio.sleep(0.3)
    assert not gateway.messages(Pulse) and not gateway.messages(Announce)


async def test_bad_values_name_the_field_and_forged_forms_are_refused(
        make_fleet: Any, settings: Any, gateway: Any) -> None:
    fleet = await factory_fleet(make_fleet, settings, gateway)
    page = fleet.config_pages[0]
    url = f"http://{page.address[0]}:{page.address[1]}/"
    async with aiohttp.ClientSession() as http:
        token = token_of(await (await http.get(url)).text())
        bad = {"token": token, "key": "k" * 17, "site_id": "12x", "gateway": "gw.example:1",
               "ip": "10.0.0.5", "netmask": "255.0.255.0", "router": "127.0.0.1"}
        async with http.post(url, data=bad) as answer:
            text = await answer.text()
        assert answer.status == 400
        assert 'id="error-key">Site key: expected 1 to 16 printable ASCII' in text
        assert 'id="error-site_id">Site id: expected a whole number' in text
        assert 'id="error-gateway"' in text and 'id="error-ip"' in text
        assert 'id="error-netmask"' in text and 'id="error-router"' not in text
        good = {**bad, "key": NEW_KEY, "site_id": "1", "gateway": "127.0.0.1:1",
                "ip": fleet.devices[0].config.address, "netmask": "255.0.0.0"}
        assert (await http.post(url, data={**good, "token": "forged"})).status == 403
        forged = await http.post(url, data=good, headers={"Origin": "http://evil.example"})
        assert forged.status == 403
    assert page.saved is None and fleet.devices[0].config.factory_default


async def test_garbage_on_the_page_port_leaves_it_serving(
        make_fleet: Any, settings: Any, gateway: Any) -> None:
    fleet = await factory_fleet(make_fleet, settings, gateway)
    host, port = fleet.config_pages[0].address
    for garbage in (b"\x99\x00\x16garbage\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                    b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nxx", bytes(range(256))):
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(garbage)
        await writer.drain()
        await asyncio.wait_for(reader.read(4096), 5)
        writer.close()
    async with aiohttp.ClientSession() as http:
        assert (await http.get(f"http://{host}:{port}/")).status == 200


async def test_saving_closes_the_page_and_the_device_joins_its_site(
        make_fleet: Any, settings: Any, gateway: Any, eventually: Any) -> None:
    fleet = await factory_fleet(make_fleet, settings, gateway)
    device = fleet.devices[0]
    page = fleet.config_pages[0]
    url = f"http://{page.address[0]}:{page.address[1]}/"
    endpoint = GatewayEndpoint(IpFrameCodec(NEW_KEY), NEW_SITE, bytes(6))
    site_gateway = await UdpLink.open(endpoint, ("127.0.0.1", 0), name="new-site")
    heard: list[Any] = []
    site_gateway.driver._dispatch = heard.append  # type: ignore[method-assign]
    new_ip = device.config.address.rsplit(".", 1)[0] + ".200"
    try:
        async with aiohttp.ClientSession() as http:
            token = token_of(await (await http.get(url)).text())
            form = {"token": token, "key": NEW_KEY, "site_id": str(NEW_SITE),
                    "gateway": f"127.0.0.1:{site_gateway.local_address[1]}", "ip": new_ip,
                    "netmask": "255.255.255.0", "router": "127.0.0.254"}
            async with http.post(url, data=form) as answer:
                assert answer.status == 200 and 'id="saved"' in await answer.text()
        await eventually(lambda: any(isinstance(getattr(e, "message", None), Pulse)
                                     for e in heard))
        announce = next(e for e in heard if isinstance(getattr(e, "message", None), Announce))
        assert str(announce.message.ip) == new_ip and announce.peer[0] == new_ip
        assert str(announce.message.gateway) == "127.0.0.254"
        assert (device.config.site_id, device.config.factory_default) == (NEW_SITE, False)
        assert fleet.get(new_ip) is device and 0 not in fleet.config_pages
        with pytest.raises(aiohttp.ClientConnectionError):  # the page exists in factory mode only
            async with aiohttp.ClientSession() as http:
                await http.get(url)
    finally:
        site_gateway.close()
