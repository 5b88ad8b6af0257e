"""The campaign ledger: runs counted by a report survive the loss of their logs, a log still
present replaces its own entry, and the runner resumes after what the ledger holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.fuzz import campaign_ledger
from tools.fuzz.campaign_ledger import LedgerError, TargetRun
from tools.fuzz.campaign_report import combine, read_run


def _log(seed: int, inputs: int, seconds: int) -> str:
    return (f"INFO: Seed: {seed}\nDone {inputs} runs in {seconds} second(s)\n"
            f"stat::number_of_executed_units: {inputs}\nstat::average_exec_per_sec:     "
            f"{inputs // seconds}\n")


def test_a_log_is_known_by_its_seed_and_replaces_its_entry(tmp_path: Path) -> None:
    (tmp_path / "ber.log").write_text(_log(77, 1_000, 10))
    first = read_run(tmp_path / "ber.log")
    assert first.run_id == "77"
    carried = TargetRun("ber", 9_000_000, 6_000, 1_500, 1, runs=3, run_id="before the ledger")
    recorded = [carried, first]
    (tmp_path / "ber.log").write_text(_log(77, 2_000, 20))  # the same run, gone on since
    (tmp_path / "ber.2.log").write_text(_log(78, 500, 5))
    merged = campaign_ledger.merge(recorded, [read_run(p) for p in sorted(tmp_path.glob("*.log"))])
    assert [(r.run_id, r.inputs) for r in merged] == [
        ("before the ledger", 9_000_000), ("77", 2_000), ("78", 500)]
    [row] = combine(merged)
    assert (row.runs, row.inputs, row.seconds, row.findings) == (5, 9_002_500, 6_025, 1)


def test_the_ledger_keeps_runs_whose_logs_are_gone(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    runs = [TargetRun("smartlink", 9_589_374, 9_224, 1_040, 0, runs=2, run_id="old"),
            TargetRun("ber", 400, 4, 100, 0, run_id="5")]
    campaign_ledger.save(runs, ledger)
    loaded = campaign_ledger.load(ledger)
    assert [(r.name, r.run_id, r.inputs, r.seconds, r.per_second, r.runs) for r in loaded] == [
        ("smartlink", "old", 9_589_374, 9_224, 1_040, 2), ("ber", "5", 400, 4, 100, 1)]
    assert campaign_ledger.merge(loaded, []) == sorted(loaded, key=lambda r: r.name)
    assert campaign_ledger.load(tmp_path / "none.json") == []


_ENTRY = {"name": "ber", "run_id": "1", "seconds": 1, "per_second": 1, "findings": 0, "runs": 1}


@pytest.mark.parametrize("text", ["", "[]", '{"runs": [{"name": "ber"}]}', '{"runs": 3}',
                                  json.dumps({"runs": [{**_ENTRY, "inputs": "many"}]})])
def test_a_ledger_that_is_not_ours_is_a_typed_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "ledger.json").write_text(text)
    with pytest.raises(LedgerError, match=r"ledger\.json"):
        campaign_ledger.load(tmp_path / "ledger.json")


def _runner(tmp_path: Path, runs: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.fuzz", "serial_frame", "--runs", str(runs), "--seconds",
         "30", "--log-dir", str(tmp_path / "logs"), "--corpus-dir", str(tmp_path / "corpus"),
         "--ledger", str(tmp_path / "ledger.json")], capture_output=True, text=True, timeout=120)


def test_the_runner_resumes_after_the_ledger_on_a_checkout_without_logs(tmp_path: Path) -> None:
    campaign_ledger.save([TargetRun("serial_frame", 1_700, 1, 1_700, 0, run_id="elsewhere")],
                         tmp_path / "ledger.json")
    result = _runner(tmp_path, 1_700)
    assert result.returncode == 0 and "1,700 inputs already run" in result.stdout, result.stdout
    assert not (tmp_path / "logs" / "serial_frame.log").exists()
    result = _runner(tmp_path, 2_000)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Done 300 runs" in (tmp_path / "logs" / "serial_frame.log").read_text()


def test_the_report_rewrites_the_ledger_with_the_new_logs(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    campaign_ledger.save([TargetRun("ber", 100, 1, 100, 0, run_id="old")], ledger)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "ber.log").write_text(_log(9, 300, 3))
    bench_md = tmp_path / "BENCHMARKS.md"
    result = subprocess.run(
        [sys.executable, "-m", "tools.fuzz.campaign_report", str(tmp_path / "logs"),
         "--ledger", str(ledger), "--benchmarks-md", str(bench_md)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "| ber | 2 | 400 | 4 | 100 |" in bench_md.read_text()
    assert [(e["run_id"], e["inputs"]) for e in json.loads(ledger.read_text())["runs"]] == [
        ("old", 100), ("9", 300)]


def test_the_runner_refuses_a_broken_ledger_before_it_starts(tmp_path: Path) -> None:
    (tmp_path / "ledger.json").write_text("{")
    result = _runner(tmp_path, 100)
    assert result.returncode == 2 and "campaign ledger" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "logs").exists()
