"""Every printer's web pages over HTTP: the vendor's layout, what the state says (supplies, trays,
alerts, counters incl. those SNMP lacks), the machine-readable variants, power states, garbage."""

from __future__ import annotations

import asyncio
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator

import aiohttp
import pytest

from emulators.printers.fleet import PrinterFleet
from emulators.printers.model import PrinterModel
from emulators.printers.printer_report import detail
from emulators.printers.web_server import WebServer
from protolab.clock import SystemClock
from tests.emulators.printers.fleets import MONDAY_9AM

PROFILES = ("hp-color-laserjet-m577", "samsung-clx-8380nd", "kyocera-ecosys-m6026cdn",
            "lexmark-optra-t614n", "epson-wf-s190dw")
DD = "{http://www.hp.com/schemas/imaging/con/dictionaries/1.0/}"


@pytest.fixture
async def web(models: dict[str, PrinterModel]) -> AsyncIterator[tuple[PrinterFleet, int]]:
    fleet = PrinterFleet([models[name] for name in PROFILES], 5, "127.30.0.1", SystemClock(),
                         start_epoch=MONDAY_9AM, simulate=False)
    server = WebServer(fleet, "0.0.0.0", 0)
    await server.start()
    try:
        yield fleet, server.port
    finally:
        await server.close()


async def _get(address: str, port: int, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(
            f"http://{address}:{port}{path}", allow_redirects=False) as response:
        return response.status, response.content_type, await response.text()


def _cells(html: str, table: str, cls: str) -> list[str]:
    body = html.split(f'<table id="{table}">')[1].split("</table>")[0]
    return re.findall(rf'<td class="{cls}">(.*?)</td>', body)


async def test_hp_pages_and_ledm_agree_with_the_control_api(web: tuple[PrinterFleet, int]
                                                            ) -> None:
    fleet, port = web
    hp = fleet.printers[0]
    hp.print_pages(fleet.sim.now(), 3, duplex=True)
    hp.inject_alert("media_empty", 2, fleet.sim.now())
    shown = detail(fleet, hp, fleet.sim.now())
    status, _, _ = await _get(hp.address, port, "/")
    assert status == 302
    _, kind, usage = await _get(hp.address, port, "/hp/device/InternalPages/Index?id=UsagePage")
    assert kind == "text/html"
    names, values = _cells(usage, "counters", "name"), _cells(usage, "counters", "value")
    counted = dict(zip(names, values, strict=True))
    assert counted["Total impressions"] == str(shown["counters"]["total"])
    assert counted["Duplex Sheets"] == str(shown["counters"]["duplex_sheets"])  # web only
    assert usage.count('data-web-only="true"') == 3
    _, _, supplies = await _get(hp.address, port, "/hp/device/InternalPages/Index?id=SuppliesStatus")
    assert _cells(supplies, "supplies", "level")[0] == f"{round(shown['supplies'][0]['remaining_percent'])}%"
    _, _, status_page = await _get(hp.address, port, "/hp/device/DeviceStatus/Index")
    assert _cells(status_page, "trays", "status")[1] == "Empty"
    assert "Tray 2 is empty" in _cells(status_page, "alerts", "description")[0]
    _, kind, xml = await _get(hp.address, port, "/DevMgmt/ProductUsageDyn.xml")
    assert kind == "text/xml"
    root = ET.fromstring(xml)
    assert root.find(f".//{DD}TotalImpressions").text == str(hp.total)  # type: ignore[union-attr]
    web_only = {c.find(f"{DD}Name").text: c.find(f"{DD}Value").text  # type: ignore[union-attr]
                for c in root.iter("{http://www.hp.com/schemas/imaging/con/ledm/productusagedyn/"
                                   "2007/12/11}Counter")
                if c.find(f"{DD}WebOnly").text == "true"}  # type: ignore[union-attr]
    assert web_only == {"Duplex Sheets": str(hp.counter("duplex_sheets")),
                        "Total Sheets": str(hp.counter("sheets")),
                        "Jobs Printed": str(hp.counter("jobs"))}


async def test_samsung_json_and_kyocera_model(web: tuple[PrinterFleet, int]) -> None:
    fleet, port = web
    samsung, kyocera = fleet.printers[1], fleet.printers[2]
    _, kind, text = await _get(samsung.address, port, "/sws/app/information/counters/counters.json")
    counters = json.loads(text)
    assert kind == "application/json"
    assert counters["GXI_BILLING_TOTAL_IMP_CNT"] == samsung.total
    assert {c["name"]: c["value"] for c in counters["counters"] if c["web_only"]} == {
        "Total Duplex Sheets": samsung.counter("duplex_sheets"),
        "Total Sheets": samsung.counter("sheets"), "Print Jobs": samsung.counter("jobs")}
    home = json.loads((await _get(samsung.address, port,
                                  "/sws/app/information/home/home.json"))[2])
    assert home["identity"]["serial_num"] == samsung.serial
    assert len(home["supplies"]) == len(samsung.model.profile.supplies)
    _, _, model = await _get(kyocera.address, port,
                             "/js/jssrc/model/dvcinfo/dvccounter/DvcInfo_Counter_PrnCounter.model.htm")
    assert f"_pp.printertotal = ('{kyocera.total}');" in model
    assert f"('Total sheets', '{kyocera.counter('sheets')}', '1')" in model


@pytest.mark.parametrize(("slot", "path"), [
    (3, "/cgi-bin/dynamic/printer/config/reports/devicestatistics.html"),
    (4, "/PRESENTATION/ADVANCED/INFO_MENTINFO/TOP")])
async def test_html_only_vendors(web: tuple[PrinterFleet, int], slot: int, path: str) -> None:
    fleet, port = web
    state = fleet.printers[slot]
    status, _, html = await _get(state.address, port, path)
    assert status == 200
    assert _cells(html, "counters", "value")[0] == str(state.total)
    assert (await _get(state.address, port, "/DevMgmt/ProductUsageDyn.xml"))[0] == 404


async def test_settings_show_escaped_and_silence_when_off(web: tuple[PrinterFleet, int]) -> None:
    fleet, port = web
    hp = fleet.printers[0]
    hp.write("sysLocation", "<b>Lab & Co</b>")
    _, _, page = await _get(hp.address, port, "/hp/device/DeviceInformation/View")
    assert "&lt;b&gt;Lab &amp; Co&lt;/b&gt;" in page and "<b>Lab" not in page
    fleet.set_reachable(hp, False)
    with pytest.raises(aiohttp.ClientError):
        await _get(hp.address, port, "/hp/device/DeviceStatus/Index")


async def test_garbage_on_the_http_port(web: tuple[PrinterFleet, int]) -> None:
    fleet, port = web
    address = fleet.printers[1].address
    for data in (os.urandom(5000), b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                 b"\x16\x03\x01\x02\x00" + os.urandom(100)):
        reader, writer = await asyncio.open_connection(address, port)
        writer.write(data)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(4096), 5)
        assert answer == b"" or answer.startswith(b"HTTP/1.")
        writer.close()
    assert (await _get(address, port, "/sws/index.html"))[0] == 200
