"""The pytest plugin as a user meets it: a test file in a fresh folder, no conftest, the fixtures
coming from the installed package's ``pytest11`` entry point, run by pytest in a subprocess."""

from __future__ import annotations

import textwrap

import pytest

USER_TESTS = '''
import asyncio
import json
import socket
from pathlib import Path

import pytest


async def eventually(check, timeout=5.0):
    for _ in range(int(timeout / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition never held")


@pytest.mark.asyncio
async def test_a_swipe_reaches_the_gateway(kantech_gateway, kantech_fleet):
    gateway = await kantech_gateway(key="user-key", site_id=7)
    fleet = await kantech_fleet(kt1=1, kt400=1, gateway=gateway)
    assert len(fleet) == 2 and [d.model for d in fleet.devices] == ["KT_400", "KT_1"]
    device = fleet[1]
    assert device.address.startswith("127.") and len(device.mac.split(":")) == 6
    assert device.address in gateway.devices
    assert await device.swipe(4321) == "UNKNOWN_CARD"  # nothing reloaded yet
    await eventually(lambda: device.events)
    assert device.events[0].card_number == 4321
    assert fleet[0].events == []
    assert (await device.records())["counts"] is not None


@pytest.mark.asyncio
async def test_ten_minutes_offline_in_no_time(kantech_gateway, kantech_fleet, manual_clock):
    gateway = await kantech_gateway()
    fleet = await kantech_fleet(kt400=1, gateway=gateway, clock=manual_clock, pulse=10)
    device = fleet[0]
    pulses = lambda state: state["stats"].get("out.PULSE", 0)
    await device.offline()
    before = pulses(await device.state())
    await manual_clock.advance_async(600)
    assert pulses(await device.state()) == before
    await device.online()
    await manual_clock.advance_async(30)
    assert pulses(await device.state()) >= before + 2


@pytest.mark.asyncio
async def test_printers_count_pages(printer_fleet, manual_clock):
    printers = await printer_fleet(["hp-color-laserjet-m577"], count=3, clock=manual_clock,
                                   simulate=False)
    assert len(printers.addresses) == 3 and printers.port > 0
    first = printers.addresses[0]
    before = (await printers.show(first))["counters"]["total"]
    await printers.print_pages(first, 5)
    assert (await printers.show(first))["counters"]["total"] == before + 5


@pytest.mark.asyncio
async def test_fails_after_starting_things(kantech_fleet, printer_fleet):
    fleet = await kantech_fleet(kt400=1)
    printers = await printer_fleet(count=1)
    Path("started.json").write_text(json.dumps(
        {"control": fleet.control.address[1], "snmp": printers.port}))
    raise AssertionError("the user's test fails here")


def test_what_the_failed_test_started_is_closed():
    ports = json.loads(Path("started.json").read_text())
    with socket.socket() as tcp:
        tcp.bind(("127.0.0.1", ports["control"]))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("0.0.0.0", ports["snmp"]))


@pytest.mark.asyncio
async def test_the_monitor_sees_a_printer_go_silent(printer_fleet, monitor, manual_clock):
    printers = await printer_fleet(count=2, clock=manual_clock, simulate=False)
    watcher = await monitor(printers, unavailable_after=3600)
    assert watcher.snapshot()["devices"] == 2 and watcher.snapshot()["unavailable"] == 0
    await printers.offline(printers.addresses[1])
    await watcher.advance(2 * 3600)
    assert watcher.snapshot()["unavailable"] == 1


@pytest.mark.asyncio
async def test_the_portal_logs_in(prosody, portal):
    server = prosody()
    receiving = await portal(server, user="portal", password="portal-secret")
    assert receiving.jid == server.jid("portal")
    assert receiving.portal.receiver.online.is_set()


def test_prosody_runs_for_real(prosody):
    server = prosody(users={"agent": "agent-secret"})
    assert server.running
    with socket.create_connection(server.address, timeout=5) as conn:
        conn.sendall(b"<?xml version='1.0'?><stream:stream to='xmpp.test' version='1.0' "
                     b"xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
        seen = b""
        while b"</stream:features>" not in seen:
            seen += conn.recv(4096)
        assert b"starttls" in seen
'''


def test_the_fixtures_work_in_a_users_suite_with_no_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_users_gateway=textwrap.dedent(USER_TESTS))
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v", timeout=240)
    result.assert_outcomes(passed=7, failed=1)
    result.stdout.fnmatch_lines(["*test_fails_after_starting_things FAILED*",
                                 "*the user's test fails here*"])
    assert not (pytester.path / "conftest.py").exists()


def test_the_plugin_is_registered_through_its_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["plugins: *protolab-0.1.0*"])  # named by its distribution
    for fixture in ("manual_clock", "kantech_gateway", "kantech_fleet", "printer_fleet",
                    "prosody", "monitor", "portal"):
        result.stdout.fnmatch_lines([f"{fixture} -- *protolab/pytest_plugin/fixtures.py:*"])
