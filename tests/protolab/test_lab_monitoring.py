"""``protolab lab`` brings up the monitoring chain: its printers found by the agent, a jam the
lab raises on one of them shipped through the Prosody the lab started and routed by the portal;
SIGTERM stops it all, Prosody by its PID. Without Prosody the chain says why and steps aside."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from protolab.clock import SystemClock
from protolab.lab import LabSettings
from protolab.lab_monitoring import run_monitoring


def test_the_lab_alert_travels_to_the_portal_and_is_routed() -> None:
    lab = subprocess.Popen(
        [sys.executable, "-m", "protolab", "--log-json", "lab", "--kt400", "1", "--kt1", "0",
         "--iplink", "0", "--duration", "120", "--gateway-port", "0", "--discovery-port", "0",
         "--kantech-control", "0", "--printer-port", "0", "--printer-control", "0",
         "--alert-every", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    records: list[dict[str, object]] = []
    try:
        assert lab.stderr is not None
        deadline = time.monotonic() + 90
        for line in lab.stderr:
            if line.startswith("{"):
                records.append(json.loads(line))
            if records and records[-1]["event"] == "delivered" and \
                    str(records[-1]["subject"]).startswith("alert:"):
                lab.send_signal(signal.SIGTERM)
                break
            if time.monotonic() > deadline:
                break
        assert lab.wait(timeout=60) == 0
        records += [json.loads(line) for line in lab.stderr if line.startswith("{")]
    finally:
        if lab.poll() is None:
            lab.kill()
            lab.wait()
    events = [r["event"] for r in records]
    assert "monitoring chain ready" in events, events[-30:]
    raised = next(r for r in records if r["event"] == "lab alert raised on a printer")
    found = {r["device"] for r in records if r["event"] == "registry.new"}
    assert any(str(raised["serial"]) in str(d) for d in found)
    delivered = [r for r in records if r["event"] == "delivered"]
    assert delivered and delivered[0]["destination"] == "drop"
    dropped = str(delivered[0]["detail"]).removeprefix("dropped ")
    assert dropped.endswith("alert_1_opened.json")
    assert not Path(dropped).exists()  # the lab's temporary folder went with it
    assert events.index("prosody started") < events.index("prosody stopped")


async def test_without_prosody_the_chain_says_why_and_returns(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no prosody on this PATH
    stop = asyncio.Event()
    await asyncio.wait_for(run_monitoring(LabSettings(), 1161, "http://127.0.0.1:8811", stop,
                                          SystemClock()), 5)
    err = capsys.readouterr().err
    assert "monitoring chain not started" in err
    assert "prosody is not installed" in err and "apt-get install prosody" in err
