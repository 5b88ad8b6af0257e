"""A campaign's libFuzzer logs read into BENCHMARKS.md's figures: inputs, time and rate from the
final statistics, findings from the log and the saved crash inputs."""

from __future__ import annotations

from pathlib import Path

from tools.fuzz.campaign_report import combine, read_run, section

LOG = """INFO: Seed: 1
#2	INITED cov: 12 ft: 13 corp: 4/40b exec/s: 0 rss: 40Mb
Done 2427274 runs in 221 second(s)
stat::number_of_executed_units: 2427274
stat::average_exec_per_sec:     10983
stat::new_units_added:          132
"""


def test_a_log_gives_inputs_time_rate_and_no_finding(tmp_path: Path) -> None:
    log = tmp_path / "no_such_target.log"
    log.write_text(LOG)
    run = read_run(log)
    assert (run.name, run.inputs, run.seconds, run.per_second, run.findings) == (
        "no_such_target", 2427274, 221, 10983, 0)
    text = section([run], "1.00 2.00 3.00")
    assert "| no_such_target | 1 | 2,427,274 | 221 | 10,983 | 0.3 h | 0 | 0 |" in text
    assert "0 of 1 targets reached 10,000,000" in text and "load average 1.00 2.00 3.00" in text


def test_an_uncaught_exception_in_the_log_is_a_finding(tmp_path: Path) -> None:
    log = tmp_path / "broken.log"
    log.write_text(LOG + "\n=== Uncaught Python exception: ===\nKeyError: 3\n"
                   "==2032== ERROR: libFuzzer: fuzz target exited\n")
    assert read_run(log).findings == 1
    stopped = tmp_path / "stopped.log"  # a run that stopped at a finding prints no "Done"
    stopped.write_text(LOG.replace("Done 2427274 runs in 221 second(s)\n", ""))
    assert read_run(stopped).seconds == round(2427274 / 10983)


def test_a_resumed_target_adds_its_runs_up(tmp_path: Path) -> None:
    (tmp_path / "again.log").write_text(LOG)
    (tmp_path / "again.2.log").write_text(LOG.replace("2427274", "7572726").replace(
        "221 second", "679 second"))
    [run] = combine([read_run(log) for log in sorted(tmp_path.glob("*.log"))])
    assert (run.name, run.runs, run.inputs, run.seconds) == ("again", 2, 10_000_000, 900)
    assert run.per_second == 11111
    text = section([run], "0.10 0.20 0.30")
    assert "| again | 2 | 10,000,000 | 900 | 11,111 | done |" in text
    assert "1 of 1 targets reached 10,000,000" in text


def test_an_interrupted_run_counts_what_its_last_progress_line_says(tmp_path: Path) -> None:
    """Stopped by a signal, libFuzzer prints no statistics: the inputs its progress lines
    reached still count (a campaign resumed later adds the rest)."""
    log = tmp_path / "cut.log"
    log.write_text("INFO: Seed: 1\n"
                   "#1048576\tpulse  cov: 70 ft: 73 corp: 11/226b lim: 4096 exec/s: 19418 rss: 83Mb\n"
                   "#1100000\tNEW    cov: 71 ft: 74 corp: 12/244b lim: 4096 exec/s: 19500 rss: 83Mb "
                   "L: 9/9 MS: 1 ChangeBit-\nKeyboardInterrupt: stopping.\n")
    run = read_run(log)
    assert (run.inputs, run.per_second, run.seconds, run.findings) == (1_100_000, 19500, 56, 0)


def test_a_target_without_a_log_shows_as_not_run(tmp_path: Path) -> None:
    (tmp_path / "ran.log").write_text(LOG)
    rows = combine([read_run(tmp_path / "ran.log")], ["ran", "added_later"])
    assert [(r.name, r.runs, r.inputs) for r in rows] == [("added_later", 0, 0),
                                                          ("ran", 1, 2427274)]
    text = section(rows, "0.10 0.20 0.30")
    assert "| added_later | 0 | 0 | 0 | 0 | not run yet |" in text
    assert "0 of 2 targets reached 10,000,000" in text
