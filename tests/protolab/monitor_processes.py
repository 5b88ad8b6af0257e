"""Processes for the monitor's command-line tests: an emulated fleet (``protolab printers
emulate``) on a free port, and ``protolab monitor`` commands, started and stopped by PID."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protolab.ports import free_port

PROTOLAB = [sys.executable, "-m", "protolab", "--log-level", "WARNING"]
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Emulator:
    process: subprocess.Popen[bytes]
    port: int
    first: str
    count: int

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_emulator(count: int, first: str, *options: str) -> Emulator:
    """``count`` printers from ``first``, answering once one of them does (the fleet is built
    before the socket opens; some models stay silent asleep, so several are asked)."""
    port = free_port(kind=socket.SOCK_DGRAM)
    process = subprocess.Popen([*PROTOLAB, "printers", "emulate", "--count", str(count),
                                "--first-address", first, "--port", str(port),
                                # no fixed TCP ports (9100, 80) another program may hold;
                                # a caller's own --raw-port / --http-port comes later and wins
                                "--raw-port", "off", "--http-port", "off", *options],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    emulator = Emulator(process, port, first, count)
    probe = subprocess.run  # net-snmp's snmpget: a client nobody here wrote
    deadline = time.monotonic() + 60
    base = ipaddress.IPv4Address(first)
    asked = 0
    while time.monotonic() < deadline:
        address = str(base + asked % min(count, 12))
        asked += 1
        if process.poll() is not None:
            raise RuntimeError(f"the emulator exited with {process.returncode}")
        done = probe(["snmpget", "-v2c", "-c", "public", "-r", "0", "-t", "0.5",
                      f"{address}:{port}", "1.3.6.1.2.1.1.5.0"], capture_output=True,
                     env=dict(os.environ, MIBS=""), check=False)
        if done.returncode == 0:
            return emulator
    emulator.stop()
    raise RuntimeError("the emulator did not answer within 60 s")


def monitor(*args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PROTOLAB, "monitor", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)


def shown(kind: str, db: Path) -> list[dict[str, Any]]:
    done = monitor(kind, "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert isinstance(rows, list)
    return rows


def run_args(db: Path, emulator: Emulator, *extra: str) -> Sequence[str]:
    last = ipaddress.IPv4Address(emulator.first) + emulator.count - 1
    return ("run", "--db", str(db), "--range", f"{emulator.first}-{last}", "--port",
            str(emulator.port), "--no-progress", *extra)
