"""``protolab lab`` (make run), run as a user runs it, on free loopback ports, and probed from
outside while it runs: net-snmp's snmpget asks a printer, its web page is served (the agent
reads web-only counters there), the log shows the Kantech side."""

from __future__ import annotations

import json
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from protolab.lab import UNKNOWN_CARDS, swipe_plan
from protolab.ports import free_port


def _web_page(url: str) -> str:
    """The printer's home page (it names the printer), or the 404 of a model without one."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode())
    except urllib.error.HTTPError as exc:
        assert exc.code == 404, exc
        return str(exc.read().decode())


def test_lab_reloads_controllers_tails_swipes_and_serves_printers() -> None:
    snmpget = shutil.which("snmpget")
    if snmpget is None:
        pytest.fail("net-snmp's snmpget is missing: `make test` installs it (Debian: snmp)")
    snmp_port, discovery = free_port(kind=socket.SOCK_DGRAM), free_port(kind=socket.SOCK_DGRAM)
    lab = subprocess.Popen(
        [sys.executable, "-m", "protolab", "--log-json", "lab", "--pulse", "1",
         "--swipe-every", "0.3", "--duration", "5", "--gateway-port", "0",
         "--discovery-port", str(discovery), "--kantech-control", "0",
         "--printer-port", str(snmp_port), "--printer-control", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    answer = None
    truth: dict[str, object] = {}
    page = ""
    try:
        assert lab.stderr is not None
        deadline = time.monotonic() + 60
        for line in lab.stderr:
            lines.append(line)
            if answer is None and '"emulate.ready"' in line:
                control = json.loads(line)["control"]
                for index in range(4):  # the first printer whose model answers SNMP
                    with urllib.request.urlopen(f"{control}/printers/{index}",
                                                timeout=10) as response:
                        truth = json.load(response)
                    if truth["answers_snmp"]:
                        break
                answer = subprocess.run(  # prtGeneralSerialNumber of that printer
                    [snmpget, "-v2c", "-c", "public", "-Oqv", "-t", "2",
                     f"{truth['address']}:{snmp_port}", "1.3.6.1.2.1.43.5.1.1.17.1"],
                    capture_output=True, text=True, timeout=30)
                page = _web_page(f"http://{truth['address']}:{json.loads(line)['http_port']}/")
            if time.monotonic() > deadline:
                break
        assert lab.wait(timeout=60) == 0, "".join(lines[-30:])
    finally:
        if lab.poll() is None:
            lab.kill()
            lab.wait()
    assert answer is not None, "the printers never became ready"
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip().strip('"') == truth["serial"]
    names = {str(truth[key]) for key in ("serial", "sys_name", "address")}
    assert any(name in page for name in names) or "has no embedded web server" in page, \
        page[:300]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    reloaded = {r["device"] for r in records if r["event"] == "controller reloaded"}
    assert reloaded == {"127.20.0.1", "127.20.0.2", "127.20.0.3", "127.20.0.4"}
    swipes = [r for r in records if r["event"] == "card swiped"]
    assert swipes and all(isinstance(s["result"], str) for s in swipes)
    tailed = {r["card_number"] for r in records
              if r["event"] == "controller event" and "card_number" in r}
    assert {s["card"] for s in swipes} & tailed  # swipes reach the gateway as events


def test_swipes_are_seeded() -> None:
    cards = [1001, 1002, 1003]
    rng_a, rng_b = random.Random(7), random.Random(7)
    assert [swipe_plan(cards, rng_a) for _ in range(50)] == \
        [swipe_plan(cards, rng_b) for _ in range(50)]
    mixed = [swipe_plan(cards, random.Random(seed))[1] for seed in range(200)]
    assert set(cards) <= set(mixed)
    assert any(UNKNOWN_CARDS[0] <= c < UNKNOWN_CARDS[1] for c in mixed)
