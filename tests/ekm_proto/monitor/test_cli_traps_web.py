"""The README's example as processes: ``protolab printers emulate --trap-sink --http-port`` and
``protolab monitor run --trap-listen --web-port``; an alert raised through the control API is in
``protolab monitor alerts`` long before the next alert pass, web-only counters are in
``protolab monitor meters``, and a stranger's trap is logged as ignored."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from protolab.ports import free_port
from tests.protolab.monitor_processes import (
    PROTOLAB,
    ROOT,
    run_args,
    shown,
    start_emulator,
)

WEB_MODELS = {"hp-color-laserjet-m577", "hp-pagewide-785f", "kyocera-ecosys-m6026cdn",
              "samsung-clx-8380nd"}


def _wait(what: str, done: Callable[[], bool], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert time.monotonic() < deadline, f"no {what} within {limit} s"
        time.sleep(0.2)


def _alert_passes(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        try:
            return int(connection.execute("SELECT count(*) FROM passes WHERE loop = 'alert' AND "
                                          "finished_at IS NOT NULL").fetchone()[0])
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0


def test_traps_and_web_counters_from_the_command_line(tmp_path: Path) -> None:
    trap, web, control = (free_port(kind=socket.SOCK_DGRAM), free_port(), free_port())
    emulator = start_emulator(12, "127.46.0.1", "--mix", "--static", "--raw-port", "off",
                              # a Wednesday morning of the printers' time: none switched off
                              "--start-time", "2026-06-03T10:00:00",
                              "--http-port", str(web),
                              "--trap-sink", f"127.0.0.1:{trap}", "--control",
                              f"127.0.0.1:{control}")
    db = tmp_path / "fleet.db"
    agent = subprocess.Popen([*PROTOLAB, "monitor", *run_args(
        db, emulator, "--trap-listen", f"127.0.0.1:{trap}", "--web-port", str(web))],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait("alert pass", lambda: _alert_passes(db) >= 1)
        passes = _alert_passes(db)
        request = urllib.request.Request(f"http://127.0.0.1:{control}/printers/5/alerts",
                                         data=json.dumps({"code": "cover_open"}).encode(),
                                         method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status < 300
        _wait("cover alert", lambda: any(a["code_name"] == "coverOpen"
                                         for a in shown("alerts", db)), limit=30.0)
        assert _alert_passes(db) == passes  # the next pass is minutes away: the trap did it
        subprocess.run(["snmptrap", "-v2c", "-c", "public", "--clientaddr=127.46.9.9",
                        f"127.0.0.1:{trap}", "", ".1.3.6.1.2.1.43.0.1"], check=True, timeout=10,
                       capture_output=True, env={"MIBS": "", "HOME": str(tmp_path),
                                                 "SNMPCONFPATH": str(tmp_path)})
        _wait("web counters", lambda: any(m["oid"].startswith("web:")
                                          for m in shown("meters", db)))
        web_meters = [m for m in shown("meters", db) if m["oid"].startswith("web:")]
        serials = {d["serial"]: d["model"] for d in shown("devices", db)}
        assert len({m["serial"] for m in web_meters}) == len(WEB_MODELS)
        assert all(m["value"] >= 0 for m in web_meters) and all(m["serial"] in serials
                                                               for m in web_meters)
        time.sleep(1.0)  # the stranger's datagram
    finally:
        agent.send_signal(signal.SIGTERM)
        try:
            _, stderr = agent.communicate(timeout=30)
        finally:
            if agent.poll() is None:
                agent.kill()
                agent.wait()
            emulator.stop()
    assert agent.returncode == 0, stderr[-2000:]
    ignored = [json.loads(line) for line in stderr.splitlines()
               if "monitor.trap-ignored" in line]
    assert [(i["reason"], i["sender"].split(":")[0]) for i in ignored] == [
        ("unknown-source", "127.46.9.9")]
