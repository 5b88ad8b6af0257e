"""The ``lab`` fixture as a user meets it: a lab file in their test folder, no conftest, pytest in
a subprocess; the lab answers on the handles it gives, a bad file fails with the file, table and
key named, and a test that fails still leaves nothing running."""

from __future__ import annotations

import shutil
import textwrap

import pytest

USER_TESTS = '''
import asyncio
import json
import socket
from pathlib import Path

import aiohttp
import pytest

from protolab import ConfigurationError

SNMPGET = __SNMPGET__
LAB = """
[kantech]
key = "user-site"
site-id = 9

[kantech.devices]
kt400 = 1
kt1 = 1
iplink = 0

[printers]
count = 3

[monitor]
enabled = false
"""


@pytest.fixture
def lab_file(tmp_path):
    path = tmp_path / "lab.toml"
    path.write_text(LAB)
    return path


async def get(url):
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return await response.json()


@pytest.mark.asyncio
async def test_the_lab_answers_on_its_handles(lab, lab_file):
    running = await lab(lab_file)
    assert running.settings.kt400 == 1 and running.settings.printers == 3
    assert running.gateway.key == "user-site" and running.gateway.site_id == 9
    for address in running.kantech_addresses:
        await running.gateway.wait_for_device(address, timeout=10)
    devices = json.dumps(await get(f"{running.kantech_control_url}/devices"))
    assert all(address in devices for address in running.kantech_addresses)
    shown = [await get(f"{running.printer_control_url}/printers/{i}") for i in range(3)]
    assert [p["address"] for p in shown] == list(running.printer_addresses)
    printer = next(p for p in shown if p["answers_snmp"])
    snmpget = await asyncio.create_subprocess_exec(
        SNMPGET, "-v2c", "-c", "public", "-Oqv", "-t", "2",
        f"{printer['address']}:{running.printer_port}", "1.3.6.1.2.1.1.5.0",
        stdout=asyncio.subprocess.PIPE)
    name, _ = await snmpget.communicate()
    assert snmpget.returncode == 0 and name.strip()
    async with aiohttp.ClientSession() as session, session.get(
            f"http://{printer['address']}:{running.printer_web_port}/") as response:
        page = await response.text()  # a model without pages says so with a 404
        assert (response.status, printer["address"] in page or printer["serial"] in page) == (
            200, True) or "has no embedded web server" in page


@pytest.mark.asyncio
async def test_fails_while_a_lab_runs(lab, lab_file):
    running = await lab(lab_file)
    Path("lab-ports.json").write_text(json.dumps({
        "gateway": running.gateway.address[1],
        "control": int(running.kantech_control_url.rsplit(":", 1)[1]),
        "printers": int(running.printer_control_url.rsplit(":", 1)[1]),
        "snmp": running.printer_port}))
    raise AssertionError("the user's test fails here")


def test_the_failed_tests_lab_is_stopped():
    ports = json.loads(Path("lab-ports.json").read_text())
    for kind, port in ((socket.SOCK_DGRAM, ports["gateway"]), (socket.SOCK_STREAM,
                       ports["control"]), (socket.SOCK_STREAM, ports["printers"]),
                       (socket.SOCK_DGRAM, ports["snmp"])):
        with socket.socket(socket.AF_INET, kind) as sock:
            sock.bind(("0.0.0.0" if port == ports["snmp"] else "127.0.0.1", port))


@pytest.mark.asyncio
async def test_a_bad_lab_file_names_table_and_key(lab, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(LAB.replace("site-id = 9", "site-id = 'nine'"))
    with pytest.raises(ConfigurationError) as caught:
        await lab(path)
    assert "bad.toml" in str(caught.value) and "[kantech]" in str(caught.value)
    assert "site_id" in str(caught.value)
'''


def test_the_lab_fixture_in_a_users_suite(pytester: pytest.Pytester) -> None:
    snmpget = shutil.which("snmpget")
    if snmpget is None:
        pytest.fail("net-snmp's snmpget is missing: `make test` installs it (Debian: snmp)")
    pytester.makepyfile(test_users_lab=textwrap.dedent(USER_TESTS).replace(
        "__SNMPGET__", repr(snmpget)))
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v", timeout=240)
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*test_fails_while_a_lab_runs FAILED*"])
