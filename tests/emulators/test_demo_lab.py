"""``protolab lab`` (make run), run as a user runs it, on free loopback ports."""

from __future__ import annotations

import json
import socket
import subprocess
import sys


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_lab_reloads_controllers_tails_swipes_and_serves_printers():
    snmp_port, discovery = free_udp_port(), free_udp_port()
    result = subprocess.run(
        [sys.executable, "-m", "protolab", "--log-json", "lab", "--pulse", "1",
         "--swipe-every", "0.3", "--duration", "4", "--gateway-port", "0",
         "--discovery-port", str(discovery), "--kantech-control", "0",
         "--printer-port", str(snmp_port), "--printer-control", "0"],
        capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    events = [r["event"] for r in records]
    reloaded = {r["device"] for r in records if r["event"] == "controller reloaded"}
    assert reloaded == {"127.20.0.1", "127.20.0.2", "127.20.0.3", "127.20.0.4"}
    swipes = [r for r in records if r["event"] == "card swiped"]
    assert swipes and all(isinstance(s["result"], str) for s in swipes)
    tailed = {r["card_number"] for r in records
              if r["event"] == "controller event" and "card_number" in r}
    assert {s["card"] for s in swipes} & tailed  # swipes reach the gateway as events
    assert "emulate.ready" in events  # the printers answered on their SNMP port
