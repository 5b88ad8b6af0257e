"""Emulated printers over the wire: ekm_proto's SnmpServer and net-snmp's command line tools."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.usm import UsmUser
from emulators.printers.fleet import PrinterFleet
from emulators.printers.printer_state import F_UNREACHABLE
from emulators.printers.snmprec import walk
from tests.emulators.printers.fleets import FleetFactory


@pytest.fixture(autouse=True)
def _net_snmp_tools() -> None:
    """`make test` installs net-snmp's tools; without them these tests fail, never skip."""
    if shutil.which("snmpwalk") is None:
        pytest.fail("net-snmp's snmpwalk is missing: run `make test` (Debian package 'snmp')",
                    pytrace=False)
MIBS = Path(__file__).parent / "mibs"
SECURITY = SecurityConfig(communities=["public"], users=[
    UsmUser("ekm", "SHA", "ekm-auth-pass", "AES", "ekm-priv-pass")])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "cert_indexes").mkdir()
    environment = dict(os.environ)
    environment.update(MIBS="", MIBDIRS=str(MIBS), SNMP_PERSISTENT_DIR=str(tmp_path),
                       SNMPCONFPATH=str(tmp_path), HOME=str(tmp_path))
    return environment


@pytest.fixture
async def served(make_fleet: FleetFactory) -> AsyncIterator[tuple[PrinterFleet, int]]:
    fleet, clock = make_fleet(["hp-pagewide-785f", "samsung-clx-8380nd", "hp-color-laserjet-m577"],
                              30, first="127.30.0.1")
    for state in fleet.printers:
        state.last_activity = fleet.sim.now()  # awake: counters answer
        fleet.set_quirks(state, drop_rate=0.0)
    server = SnmpServer(fleet, SECURITY, port=0, bind_address="0.0.0.0", clock=clock)
    await server.start()
    try:
        yield fleet, server.port
    finally:
        await server.close()


async def _run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(subprocess.run, list(argv), env=env, capture_output=True,
                                   text=True, timeout=30, check=False)


async def test_snmpget_reaches_each_printer_at_its_address(
        served: tuple[PrinterFleet, int], env: dict[str, str]) -> None:
    fleet, port = served
    for state in (fleet.printers[0], fleet.printers[29]):
        done = await _run(env, "snmpget", "-v2c", "-c", "public", "-On", "-Oqv",
                          f"{state.address}:{port}", "1.3.6.1.2.1.43.5.1.1.17.1",
                          "1.3.6.1.2.1.1.2.0")
        assert done.returncode == 0, done.stderr
        serial, sys_object_id = done.stdout.split("\n")[:2]
        assert serial.strip('"') == state.serial
        assert sys_object_id.startswith(f".1.3.6.1.4.1.{state.model.profile.enterprise}.")


async def test_snmpwalk_sees_what_the_view_serves(served: tuple[PrinterFleet, int],
                                                 env: dict[str, str]) -> None:
    fleet, port = served
    state = fleet.printers[1]
    done = await _run(env, "snmpwalk", "-v2c", "-c", "public", "-On", "-Cc",
                      f"{state.address}:{port}", ".1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "No more variables left in this MIB View" in lines[-1]  # v2c endOfMibView at the end
    walked = [line.split(" = ")[0] for line in lines[:-1]]
    expected = ["." + ".".join(map(str, o)) for o, _ in walk(fleet.view_of(state))]
    assert walked == expected
    bulk = await _run(env, "snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Cr25",
                      f"{state.address}:{port}", ".1.3.6.1.2.1.43")
    assert bulk.returncode == 0 and len(bulk.stdout.splitlines()) == sum(
        1 for line in expected if line.startswith(".1.3.6.1.2.1.43."))


async def test_snmptable_shows_the_supplies(served: tuple[PrinterFleet, int],
                                           env: dict[str, str]) -> None:
    fleet, port = served
    state = fleet.printers[0]  # the 785f of EKM's consumables screen
    done = await _run(env, "snmptable", "-m", "PROTOLAB-PRINTER-TABLES-MIB", "-v2c", "-c",
                      "public", "-Cf", "|", "-Ci", f"{state.address}:{port}",
                      "PROTOLAB-PRINTER-TABLES-MIB::prtMarkerSuppliesTable")
    assert done.returncode == 0, done.stderr
    rows = [line.split("|") for line in done.stdout.splitlines() if line.startswith("1.")]
    assert [row[0] for row in rows] == [f"1.{i}" for i in range(1, 11)]
    assert rows[4][5] == '"Service Fluid Container HP W1B44A"'
    assert rows[4][3] == "4"  # receptacleThatIsFilled
    level = round(state.levels[0] * 100 + 0.4999)
    assert rows[0][8] == str(level)


async def test_snmpv3_auth_priv(served: tuple[PrinterFleet, int], env: dict[str, str]) -> None:
    fleet, port = served
    state = fleet.printers[2]
    done = await _run(env, "snmpget", "-v3", "-l", "authPriv", "-u", "ekm", "-a", "SHA", "-A",
                      "ekm-auth-pass", "-x", "AES", "-X", "ekm-priv-pass", "-On", "-Oqv",
                      f"{state.address}:{port}", "1.3.6.1.2.1.1.5.0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().strip('"') == state.sys_name


async def test_silent_printers_time_out(served: tuple[PrinterFleet, int],
                                        env: dict[str, str]) -> None:
    fleet, port = served
    state = fleet.printers[3]
    state.flags |= F_UNREACHABLE
    done = await _run(env, "snmpget", "-v2c", "-c", "public", "-t", "0.3", "-r", "0",
                      f"{state.address}:{port}", "1.3.6.1.2.1.1.1.0")
    assert done.returncode != 0 and "Timeout" in done.stderr
