"""``python -m tools.fuzz.campaign_report LOGDIR [--command TEXT] [--ledger FILE]``: the figures of
a fuzzing campaign (``python -m tools.fuzz --all --runs N --log-dir LOGDIR``, run again to resume)
as BENCHMARKS.md's ``fuzz-campaign`` section: per target the inputs run, the time, inputs per
second, corpus size and findings (a run stops at its first; the input is saved to
tests/fuzz_crashes/TARGET). The runs of LOGDIR join those of the campaign ledger
(``campaign_ledger``), which the report then rewrites."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from tools.fuzz import campaign_ledger
from tools.fuzz.campaign_ledger import TargetRun
from tools.fuzz.registry import CORPUS, target_names

_STAT = re.compile(r"^stat::(\w+):\s+(\d+)", re.M)
_DONE = re.compile(r"^Done (\d+) runs in (\d+) second", re.M)
_CRASH = re.compile(r"==\d+== ERROR: libFuzzer", re.M)
#: libFuzzer's progress lines ("#524288  pulse  cov: ... exec/s: 19418 ..."): all an interrupted
#: run leaves (no final statistics)
_PROGRESS = re.compile(r"^#(\d+)\s.*?exec/s: (\d+)", re.M)
_SEED = re.compile(r"^INFO: Seed: (\d+)", re.M)
DEFAULT_COMMAND = "make fuzz-campaign"
__all__ = ["TargetRun", "combine", "read_run", "section"]


def read_run(log: Path) -> TargetRun:
    text = log.read_text(errors="replace")
    stats = {key: int(value) for key, value in _STAT.findall(text)}
    done = _DONE.search(text)
    name = log.name.split(".")[0]  # TARGET.log, or TARGET.N.log for a later run
    progress = _PROGRESS.findall(text)
    last = (int(progress[-1][0]), int(progress[-1][1])) if progress else (0, 0)
    inputs = stats.get("number_of_executed_units", int(done.group(1)) if done else last[0])
    rate = stats.get("average_exec_per_sec", last[1])
    seconds = int(done.group(2)) if done else (round(inputs / rate) if rate else 0)
    seed = _SEED.search(text)
    return TargetRun(name, inputs, seconds, rate, len(_CRASH.findall(text)),
                     run_id=seed.group(1) if seed else "")


def combine(runs: list[TargetRun], targets: Iterable[str] = ()) -> list[TargetRun]:
    """One row per target: a target run several times (resumed from the corpus it keeps) adds
    its inputs, seconds and findings up; its rate is the whole campaign's. A name of
    ``targets`` that has no run yet gets a row of its own (runs 0), so a target added since the
    campaign began shows as not run rather than missing."""
    by_name: dict[str, list[TargetRun]] = {name: [] for name in targets}
    for run in runs:
        by_name.setdefault(run.name, []).append(run)
    rows = []
    for name, parts in sorted(by_name.items()):
        if not parts:
            rows.append(TargetRun(name, 0, 0, 0, 0, 0))
            continue
        inputs, seconds = sum(p.inputs for p in parts), sum(p.seconds for p in parts)
        rate = round(inputs / seconds) if seconds else parts[-1].per_second
        rows.append(TargetRun(name, inputs, seconds, rate,
                              sum(p.findings for p in parts), sum(p.runs for p in parts)))
    return rows


def section(runs: list[TargetRun], load: str, note: str = "") -> str:
    rows = ["| target | runs | inputs | seconds | inputs/s | 10,000,000 would take | corpus files "
            "| findings |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    rows += [f"| {r.name} | {r.runs} | {r.inputs:,} | {r.seconds} | {r.per_second:,} | "
             f"{_hours(r)} | {_corpus_size(r.name)} | {r.findings} |" for r in runs]
    total = sum(r.inputs for r in runs)
    reached = sum(1 for r in runs if r.inputs >= 10_000_000)
    return "\n".join([
        "Each parser target under atheris (libFuzzer), coverage taken from the project's own "
        "packages, until 10,000,000 inputs or its time is up, at `nice -n 19` on the 2 cores "
        "(runs: a target run again resumes from the corpus it kept, and its rows add up; "
        f"load average {load} when the report was written). {note} {total:,} inputs in all; "
        f"{reached} of {len(runs)} targets reached 10,000,000. A run stops at its first "
        "finding (an input that broke the target's invariant); it is kept in "
        "tests/fuzz_crashes/ and replayed by make test.",
        "", *rows])


def _corpus_size(name: str) -> int:
    return len(list((CORPUS / name).glob("*"))) if (CORPUS / name).is_dir() else 0


def _hours(run: TargetRun) -> str:
    if run.inputs >= 10_000_000:
        return "done"
    if not run.runs:
        return "not run yet"
    return f"{10_000_000 / run.per_second / 3600:.1f} h" if run.per_second else "-"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz.campaign_report")
    parser.add_argument("logs", type=Path, help="the --log-dir of the campaign")
    parser.add_argument("--command", default=DEFAULT_COMMAND)
    parser.add_argument("--note", default="", help="a sentence for the section (findings fixed)")
    parser.add_argument("--ledger", type=Path, default=campaign_ledger.LEDGER, metavar="FILE",
                        help="the runs counted before, rewritten with those of LOGDIR "
                             "(default: the repository's, bench/fuzz_campaign.json)")
    parser.add_argument("--benchmarks-md", type=Path, default=None, metavar="FILE",
                        help="the file to write the section to (default: the repository's)")
    args = parser.parse_args()
    logs = sorted(args.logs.glob("*.log"))
    try:
        recorded = campaign_ledger.load(args.ledger)
    except campaign_ledger.LedgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not logs and not recorded:
        print(f"error: no TARGET.log in {args.logs} and no run in {args.ledger}", file=sys.stderr)
        return 2
    every_run = campaign_ledger.merge(recorded, [read_run(log) for log in logs])
    campaign_ledger.save(every_run, args.ledger)
    runs = combine(every_run, target_names())
    from bench.benchmarks_md import BENCHMARKS_MD, write_section  # the one writer of sections

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    write_section("fuzz-campaign", args.command, section(runs, load, args.note),
                  args.benchmarks_md or BENCHMARKS_MD)
    for run in runs:
        print(run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
