"""The ledger of a fuzzing campaign: every run the report has counted, kept in the repository
(``bench/fuzz_campaign.json``) beside the figures it gives.

libFuzzer's logs live outside the repository (``FUZZ_CAMPAIGN_LOGS``) and go with the checkout
that ran them. Without a record that travels with the corpus, a campaign resumed on another
machine would run its targets from zero again and its report would forget the runs before. So the
report writes each run it reads into the ledger, and both the report and the runner count a
target's inputs from the ledger and the logs together: a run is known by its target and
libFuzzer's random seed, and a log still present replaces its own ledger entry (a run that went on
after the last report).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from protolab.errors import ProtolabError
from tools.fuzz.registry import LEDGER

_FIELDS = ("name", "run_id", "inputs", "seconds", "per_second", "findings", "runs")


class LedgerError(ProtolabError):
    """The campaign ledger is not the JSON this module writes."""


@dataclass(frozen=True, slots=True)
class TargetRun:
    """One run of one target, or (``runs`` > 1) several added up. ``run_id`` is libFuzzer's
    seed for a logged run, or a label for figures carried over without their logs."""

    name: str
    inputs: int
    seconds: int
    per_second: int
    findings: int
    runs: int = 1
    run_id: str = ""


def load(path: Path = LEDGER) -> list[TargetRun]:
    """The runs recorded so far; none if there is no ledger yet."""
    if not path.exists():
        return []
    expected = f"campaign ledger {path}: not a list of runs with {', '.join(_FIELDS)}"
    try:
        entries = [{k: e[k] for k in _FIELDS} for e in json.loads(path.read_text())["runs"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise LedgerError(f"{expected} ({exc!r})") from exc
    if not all(isinstance(e[k], int) for e in entries for k in _FIELDS[2:]):
        raise LedgerError(f"{expected} (a count that is not a whole number)")
    return [TargetRun(**e) for e in entries]


def save(runs: Iterable[TargetRun], path: Path = LEDGER) -> None:
    entries = [{k: v for k, v in asdict(run).items() if k in _FIELDS} for run in runs]
    text = json.dumps({"about": "runs counted by python -m tools.fuzz.campaign_report "
                                "(tools/fuzz/campaign_ledger.py)", "runs": entries}, indent=1)
    path.write_text(text + "\n")


def merge(recorded: Iterable[TargetRun], logged: Iterable[TargetRun]) -> list[TargetRun]:
    """The recorded runs, each replaced by its log where the log is still there, plus the runs
    only the logs know; in target order, a target's runs in the order they were recorded."""
    recorded, logged = list(recorded), list(logged)
    by_key = {(run.name, run.run_id): run for run in logged if run.run_id}
    known = {(run.name, run.run_id) for run in recorded}
    kept = [by_key.get((run.name, run.run_id), run) for run in recorded]
    kept += [run for run in logged if not run.run_id or (run.name, run.run_id) not in known]
    return sorted(kept, key=lambda run: run.name)
