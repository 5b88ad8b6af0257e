"""Prometheus snmp_exporter (Debian's package) scraping the printers with the printer module the
tests ship (snmp_exporter/printer.yml), SNMPv2c and SNMPv3: supplies, life count, error-state
bits and alerts, checked against the control API's view of each printer."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.usm import UsmUser
from emulators.printers.fleet import PrinterFleet
from emulators.printers.model import PrinterModel
from emulators.printers.printer_report import detail
from protolab.clock import SystemClock
from protolab.ports import free_port
from tests.emulators.printers.fleets import MONDAY_9AM

MODULE = Path(__file__).parent / "snmp_exporter" / "printer.yml"
PROFILES = ("hp-color-laserjet-m577", "samsung-clp-600n", "kyocera-fs-6950dn", "epson-wf-s190dw")
_SAMPLE = re.compile(r'^(\w+)(?:\{(.*)\})? (\S+)$')


@pytest.fixture(scope="module")
def exporter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("prometheus-snmp-exporter")
    if binary is None:
        pytest.fail("prometheus-snmp-exporter is missing: run `make test`, which installs "
                    "Debian's 'prometheus-snmp-exporter' package", pytrace=False)
    port = free_port()
    log = tmp_path_factory.mktemp("exporter") / "exporter.log"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, f"--config.file={MODULE}",
                                    f"--web.listen-address=127.0.0.1:{port}"],
                                   stdout=out, stderr=out, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"snmp_exporter did not start: {log.read_text()}", pytrace=False)
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(5)


@pytest.fixture
async def printers(models: dict[str, PrinterModel]) -> AsyncIterator[tuple[PrinterFleet, int]]:
    clock = SystemClock()
    fleet = PrinterFleet([models[name] for name in PROFILES], 4, "127.30.0.1", clock,
                         start_epoch=MONDAY_9AM, simulate=False)
    security = SecurityConfig(["public"], [UsmUser("ekm", "SHA", "ekm-auth-pass", "AES",
                                                   "ekm-priv-pass")])
    server = SnmpServer(fleet, security, port=0, clock=clock)
    await server.start()
    try:
        yield fleet, server.port
    finally:
        await server.close()


async def _get(exporter: str, target: str, module: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(
            f"{exporter}/snmp", params={"target": target, "module": module}) as response:
        return response.status, await response.text()


async def _scrape(exporter: str, target: str, module: str) -> dict[str, dict[str, float]]:
    """metric name -> labels (as written) -> value."""
    status, text = await _get(exporter, target, module)
    assert status == 200, text
    samples: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match and not line.startswith("#"):
            samples.setdefault(match[1], {})[match[2] or ""] = float(match[3])
    return samples


@pytest.mark.parametrize("module", ["printer", "printer_v3"])
async def test_scraped_values_are_the_control_api_s(exporter: str, module: str,
                                                    printers: tuple[PrinterFleet, int]) -> None:
    fleet, port = printers
    hp, samsung = fleet.printers[0], fleet.printers[1]
    now = fleet.sim.now()
    hp.inject_alert("media_empty", 2, now)
    hp.inject_alert("toner_low", 1, now)
    for state in fleet.printers:
        shown = detail(fleet, state, fleet.sim.now())
        samples = await _scrape(exporter, f"{state.address}:{port}", module)
        life = samples["prtMarkerLifeCount"]['hrDeviceIndex="1",prtMarkerIndex="1"']
        assert life == shown["counters"]["total"]
        levels = samples["prtMarkerSuppliesLevel"]
        for supply in shown["supplies"]:
            key = next(k for k in levels if f'prtMarkerSuppliesIndex="{supply["index"]}"' in k)
            assert f'prtMarkerSuppliesDescription="{supply["description"]}"' in key
            spec = state.model.profile.supplies[supply["index"] - 1]
            if spec.level_reporting == "exact":  # the API shows percent to two decimals
                expected = supply["remaining_percent"] * spec.max_capacity / 100
                if spec.filled and state.model.profile.quirks.waste_level == "fill":
                    expected = spec.max_capacity - expected  # this vendor says how full
                assert abs(levels[key] - expected) <= max(1.0, spec.max_capacity / 5000), (
                    state.model.name, supply)
        bits = {label.split('hrPrinterDetectedErrorState="')[1].rstrip('"')
                for label, value in samples["hrPrinterDetectedErrorState"].items() if value}
        assert bits == set(shown["errors"])
        alerts = samples.get("prtAlertCode", {})
        assert sorted(alerts.values()) == sorted(a["code"] for a in shown["alerts"]), state.model.name
    assert {"inputTrayEmpty", "lowToner"} <= set(detail(fleet, hp, now)["errors"])
    assert samsung.model.profile.vendor == "Samsung"


async def test_a_silent_printer_fails_the_scrape(exporter: str,
                                                 printers: tuple[PrinterFleet, int]) -> None:
    fleet, port = printers
    fleet.set_reachable(fleet.printers[2], False)
    status, text = await asyncio.wait_for(_get(exporter, f"{fleet.printers[2].address}:{port}",
                                               "printer"), 30)
    assert status == 500 and "request timeout" in text
