"""``protolab monitor``: a run against an emulated fleet in another process, what it stored as
tables and JSON, the analyser, errors; and a run killed with SIGKILL mid-pass that loses no
batch and carries on where it stopped."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.protolab.monitor_processes import (
    PROTOLAB,
    ROOT,
    Emulator,
    monitor,
    run_args,
    shown,
    start_emulator,
)

KEYS = {
    "devices": {"address", "serial", "manufacturer", "model", "mac", "location", "asset_number",
                "engine_cycles", "available", "discovered_at"},
    "meters": {"serial", "name", "value", "read_at"},
    "supplies": {"serial", "index", "description", "type", "colour", "level", "max_capacity",
                 "percent"},
    "trays": {"serial", "index", "name", "level", "max_capacity", "status"},
    "alerts": {"serial", "code", "group", "severity", "training", "description", "opened_at",
               "cleared_at", "duration"},
    "changes": {"serial", "kind", "old", "new", "at"},
    "rejections": {"serial", "name", "value", "reason", "at"},
}


#: a Wednesday morning in the printers' time: no model is switched off for the night or the weekend
OFFICE_HOURS = ("--start-time", "2026-06-03T10:00:00")


@pytest.fixture(scope="module")
def fleet() -> Iterator[Emulator]:
    emulator = start_emulator(24, "127.49.0.1", "--mix", "--static", *OFFICE_HOURS)
    try:
        yield emulator
    finally:
        emulator.stop()


def test_run_once_then_every_view_as_json_and_table(fleet: Emulator, tmp_path: Path) -> None:
    db = tmp_path / "fleet.db"
    assets = tmp_path / "assets.csv"
    assets.write_text("address,serial,asset_number,zone\n127.49.0.3,,ID 1234,London\n")
    done = monitor(*run_args(db, fleet, "--once", "--import-csv", str(assets)))
    assert done.returncode == 0, done.stderr[-2000:]
    devices = shown("devices", db)
    assert len(devices) == 24
    assert next(d for d in devices if d["address"] == "127.49.0.3")["asset_number"] == "ID 1234"
    for kind, keys in KEYS.items():
        rows = shown(kind, db)
        assert all(keys <= set(row) for row in rows), kind
        if kind not in ("alerts", "rejections"):
            assert rows, kind
    table = monitor("devices", "--db", str(db))
    header, *lines = table.stdout.splitlines()
    assert header.split()[:3] == ["address", "serial", "manufacturer"]
    assert len(lines) == 24 and any(line.startswith("127.49.0.1 ") for line in lines)
    serial = devices[0]["serial"]
    latest = monitor("latest-counts", serial, "--db", str(db), "--json")
    assert latest.returncode == 0 and any(r["name"] == "prtMarkerLifeCount"
                                          for r in json.loads(latest.stdout))
    outbox = shown("outbox", db)
    assert outbox[-1]["kind"] == "meters" and outbox[-1]["payload"]["requested"] is True


def test_the_analyser_records_a_device_the_emulator_then_plays(fleet: Emulator,
                                                               tmp_path: Path) -> None:
    recording = tmp_path / "kyocera.snmprec"
    done = monitor("analyse", "127.49.0.8", "--port", str(fleet.port), "--json", "--record",
                   str(recording))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["identity"]["manufacturer"] == "Kyocera"
    assert report["verdict"] == "manageable" and recording.stat().st_size > 1000
    replay = start_emulator(1, "127.49.1.1", "--import-snmprec", str(recording))
    try:
        again = monitor("analyse", "127.49.1.1", "--port", str(replay.port), "--json")
    finally:
        replay.stop()
    assert json.loads(again.stdout)["identity"]["model"] == report["identity"]["model"]


@pytest.mark.parametrize(("args", "words"), [
    (["devices", "--db", "/nonexistent/monitor.db"], "no such database"),
    (["run", "--db", "x.db", "--range", "10.0.0.9-10.0.0.1"], "first address before the last"),
    (["run", "--db", "x.db", "--auth-key", "secret-key"], "need --v3-user"),
    (["run", "--range", "10.0.0.1-9"], "no database"),
    (["outbox", "--db", "not-a-database.db"], "not a usable SQLite database"),
    (["devices", "--db", "another-program.db"], "without the monitor's tables"),
    (["latest-counts", "--db", "another-program.db", "CN1"], "of another program (tables notes)"),
    (["run", "--db", "another-program.db", "--range", "127.0.0.1"], "of another program")])
def test_errors_are_one_line_and_exit_2(args: list[str], words: str, tmp_path: Path) -> None:
    (tmp_path / "not-a-database.db").write_text("these are not SQLite's bytes\n")
    other = sqlite3.connect(tmp_path / "another-program.db")
    other.execute("CREATE TABLE notes (text)")
    other.commit()
    other.close()
    done = subprocess.run([*PROTOLAB, "monitor", *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
    other = sqlite3.connect(tmp_path / "another-program.db")
    try:  # nothing written into a database that is not the monitor's: no table, same journal
        assert other.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
        assert other.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        other.close()


def _half_batches(db: Path) -> list[str]:
    """Devices whose meters are not a whole set, alerts without their outbox message."""
    connection = sqlite3.connect(db)
    try:
        problems = []
        for device_id, counters in connection.execute("SELECT id, counters FROM devices"):
            names = connection.execute("SELECT COUNT(*) FROM meters WHERE device_id = ?",
                                       (device_id,)).fetchone()[0]
            if names not in (0, 2 + len(json.loads(counters))):
                problems.append(f"device {device_id}: {names} meters")
        assets = connection.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'asset'"
                                    ).fetchone()[0]
        devices = connection.execute("SELECT COUNT(*) FROM devices").fetchone()[0]
        if assets < devices:
            problems.append(f"{devices} devices, {assets} asset messages")
        return problems
    finally:
        connection.close()


def _unfinished(db: Path) -> list[tuple[int, str]]:
    """Passes started and not finished (none while the agent has not made its tables yet)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT id, loop FROM passes WHERE finished_at IS NULL"
                                  ).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()


def _wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_a_killed_agent_loses_no_batch_and_carries_on(tmp_path: Path) -> None:
    emulator = start_emulator(1500, "127.50.0.1", "--mix", "--static", *OFFICE_HOURS)
    db = tmp_path / "killed.db"
    try:
        agent = subprocess.Popen([*PROTOLAB, "monitor", *run_args(db, emulator)], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(lambda: db.exists() and bool(_unfinished(db)), 300, "no pass started")
            time.sleep(0.05)  # a few batches into the passes
        finally:
            agent.send_signal(signal.SIGKILL)
            agent.wait(10)
        killed_mid_pass = _unfinished(db)
        assert killed_mid_pass and _half_batches(db) == []
        done = monitor(*run_args(db, emulator, "--once"), timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        emulator.stop()
    assert _half_batches(db) == []
    assert _unfinished(db) == []  # the interrupted passes were finished, not abandoned
    connection = sqlite3.connect(db)
    for pass_id, loop in killed_mid_pass:
        devices = connection.execute("SELECT devices FROM passes WHERE id = ?", (pass_id,)
                                     ).fetchone()[0]
        assert devices < 1500, loop  # it read only the devices the killed run had not read
    assert connection.execute("SELECT COUNT(*) FROM devices").fetchone()[0] >= 1400
    connection.close()
