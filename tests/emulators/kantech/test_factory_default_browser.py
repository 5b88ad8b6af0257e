"""The factory-default configuration page in headless Chromium (Debian's chromium and
chromedriver, driven by Selenium): a technician's mistake shows beside the field, saving
configures the device, which joins its site. A screenshot of each step is kept under the test's
tmp dir."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By

from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Announce
from kantech_proto.transports.udp import UdpLink
from tests.browser import text_of


def fill(driver: Any, values: dict[str, str]) -> None:
    for name, value in values.items():
        box = driver.find_element(By.ID, name)
        box.clear()
        box.send_keys(value)
    driver.find_element(By.ID, "save").click()


async def test_a_technician_configures_a_device_in_chromium(
        browser: Any, make_fleet: Any, settings: Any, gateway: Any, tmp_path: Path,
        eventually: Any) -> None:
    fleet = await make_fleet(settings(gateway, kt1=1, pulse=0.1, factory_default=True,
                                      http_port=0))
    device = fleet.devices[0]
    host, port = fleet.config_pages[0].address
    endpoint = GatewayEndpoint(IpFrameCodec("browser-key"), 4242, bytes(6))
    site = await UdpLink.open(endpoint, ("127.0.0.1", 0), name="browser-site")
    heard: list[Any] = []
    site.driver._dispatch = heard.append  # type: ignore[method-assign]
    try:
        # every browser call runs in a thread: the page is served by this test's own loop
        await asyncio.to_thread(browser.get, f"http://{host}:{port}/")
        assert "factory-default mode" in await asyncio.to_thread(lambda: browser.page_source)
        form = {"key": "browser-key", "site_id": "4242",
                "gateway": f"127.0.0.1:{site.local_address[1]}", "ip": device.config.address,
                "netmask": "255.255.0.255", "router": "127.0.0.1"}
        await asyncio.to_thread(fill, browser, form)
        error = await asyncio.to_thread(text_of, browser, "error-netmask")
        assert error.startswith("Netmask: expected a netmask")
        await asyncio.to_thread(browser.save_screenshot, str(tmp_path / "1-form-error.png"))
        await asyncio.to_thread(fill, browser, {**form, "netmask": "255.0.0.0"})
        assert "leaves factory-default mode" in await asyncio.to_thread(text_of, browser, "saved")
        await asyncio.to_thread(browser.save_screenshot, str(tmp_path / "2-saved.png"))
        await eventually(lambda: any(isinstance(getattr(e, "message", None), Announce)
                                     for e in heard))
        assert device.config.site_id == 4242 and not device.config.factory_default
    finally:
        site.close()
    assert (tmp_path / "1-form-error.png").stat().st_size > 1000
    assert (tmp_path / "2-saved.png").stat().st_size > 1000
