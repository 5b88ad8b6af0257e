"""``python -m tools.fuzz TARGET|--all [--seconds N] [--runs N] [--replay HEX]``: coverage-guided
fuzzing.

Each target runs under atheris in its own process with its corpus kept in the repository
(tests/fuzz_corpus/TARGET, seeded from the target's ``seeds()``, grown by every run); an input
that breaks a target is saved to tests/fuzz_crashes/TARGET/, where the regression test
(tests/tools/test_fuzz_regressions.py) replays it on every ``make test`` from then on.

Coverage comes from the project's own packages only (``registry.INSTRUMENTED``), and only if they
are first imported inside the instrumentation block: this module therefore imports nothing of the
project at its top, and refuses to fuzz if something did.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from protolab.errors import ProtolabError
from tools.fuzz.registry import CORPUS, CRASHES, INSTRUMENTED, LEDGER, load_target, target_names

if TYPE_CHECKING:  # imported by the parent only, at run time (see _inputs_so_far)
    from tools.fuzz.campaign_ledger import TargetRun

__all__ = ["CORPUS", "CRASHES", "main"]


class UninstrumentedImport(ProtolabError):
    """A project module was imported before the instrumentation block (a runner bug)."""


def _write_seeds(name: str, corpus_root: Path) -> Path:
    corpus = corpus_root / name
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(load_target(name).seeds()):
        path = corpus / f"seed-{i:03d}"
        if not path.exists():
            path.write_bytes(seed)
    return corpus


def _already_imported() -> list[str]:
    # the runner itself and the error root (protolab's package init: clock, errors)
    runner = {"tools", "tools.fuzz", "tools.fuzz.registry", "tools.fuzz.__main__", "protolab",
              "protolab.clock", "protolab.errors"}
    return sorted(name for name in sys.modules
                  if name.split(".")[0] in INSTRUMENTED and name not in runner)


def _run_atheris(name: str, seconds: int, runs: int | None, max_len: int | None,
                 corpus_root: Path = CORPUS) -> int:
    import atheris

    early = _already_imported()
    if early:
        raise UninstrumentedImport(f"imported before instrumentation, so fuzzed blind: {early}")
    with atheris.instrument_imports(include=list(INSTRUMENTED)):
        module = load_target(name)
    corpus = _write_seeds(name, corpus_root)
    crashes = CRASHES / name
    crashes.mkdir(parents=True, exist_ok=True)
    argv = [sys.argv[0], str(corpus), f"-max_total_time={seconds}",
            f"-artifact_prefix={crashes}/", "-print_final_stats=1"]
    if runs is not None:
        argv.append(f"-runs={runs}")
    max_len = max_len or getattr(module, "MAX_LEN", None)
    if max_len:
        argv.append(f"-max_len={max_len}")
    custom = getattr(module, "mutate", None)
    if custom is not None:
        def mutator(data: bytes, max_size: int, seed: int) -> bytes:
            if seed % 2:
                return bytes(atheris.Mutate(data, max_size))
            return custom(data, seed)[:max_size]

        atheris.Setup(argv, module.TestOneInput, custom_mutator=mutator)
    else:
        atheris.Setup(argv, module.TestOneInput)
    atheris.Fuzz()
    return 0


def _log_path(log_dir: Path, name: str) -> Path:
    """TARGET.log, or TARGET.N.log when resuming: a campaign may run a target several times on
    the corpus it keeps, and the report adds the runs up."""
    path, n = log_dir / f"{name}.log", 2
    while path.exists():
        path, n = log_dir / f"{name}.{n}.log", n + 1
    return path


def _inputs_so_far(log_dir: Path, name: str, recorded: list[TargetRun]) -> int:
    """What the campaign's logs and its ledger (the runs an earlier report counted, perhaps on
    another checkout) say this target has run."""
    from tools.fuzz import campaign_ledger  # a child must not import them (see above)
    from tools.fuzz.campaign_report import read_run

    logs = [*log_dir.glob(f"{name}.log"), *log_dir.glob(f"{name}.*.log")]
    runs = campaign_ledger.merge(recorded, [read_run(log) for log in logs])
    return sum(run.inputs for run in runs if run.name == name)


def _run_children(names: list[str], args: argparse.Namespace,
                  recorded: list[TargetRun]) -> int:
    def child(name: str) -> int:
        runs = args.runs
        if runs is not None and args.log_dir is not None:
            runs -= _inputs_so_far(args.log_dir, name, recorded)
            if runs <= 0:
                print(f"== {name}: {args.runs:,} inputs already run", flush=True)
                return 0
        print(f"== fuzzing {name} for {args.seconds} s", flush=True)
        options = ["--runs", str(runs)] if runs is not None else []
        options += ["--max-len", str(args.max_len)] if args.max_len else []
        options += ["--corpus-dir", str(args.corpus_dir)]
        command = [sys.executable, "-m", "tools.fuzz", name, "--seconds", str(args.seconds),
                   *options, "--_child"]
        if args.log_dir is None:
            return subprocess.call(command)
        args.log_dir.mkdir(parents=True, exist_ok=True)
        with _log_path(args.log_dir, name).open("w") as log:
            return subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        return max(pool.map(child, names), default=0)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz")
    parser.add_argument("target", nargs="*", help=f"one or more of: {', '.join(target_names())}")
    parser.add_argument("--all", action="store_true", help="every target")
    parser.add_argument("--jobs", type=int, default=1,
                        help="targets fuzzed at the same time (one core each)")
    parser.add_argument("--seconds", type=int, default=60, help="time per target (at most)")
    parser.add_argument("--runs", type=int, default=None,
                        help="stop each target after this many inputs (a campaign)")
    parser.add_argument("--log-dir", type=Path, default=None, metavar="DIR",
                        help="each target's libFuzzer output to DIR/TARGET.log (TARGET.N.log "
                             "for a later run); python -m tools.fuzz.campaign_report DIR adds "
                             "them up")
    parser.add_argument("--ledger", type=Path, default=LEDGER,
                        metavar="FILE", help="with --log-dir and --runs: the runs counted by "
                        "earlier reports, which a campaign resumes after (another file, or one "
                        "not there yet, starts afresh)")
    parser.add_argument("--max-len", type=int, default=None, metavar="BYTES",
                        help="longest input (default: the target's MAX_LEN, else libFuzzer's)")
    parser.add_argument("--corpus-dir", type=Path, default=CORPUS, metavar="DIR",
                        help="where each target's corpus lives (DIR/TARGET); default the "
                             "repository's, which make test replays")
    parser.add_argument("--replay", metavar="HEX", help="run one input through the target")
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = target_names() if args.all else args.target
    unknown = sorted(set(names) - set(target_names()))
    if unknown:
        parser.error(f"no such target: {', '.join(unknown)}")
    if not names:
        parser.error("name a target or use --all")
    if args.replay:
        load_target(names[0]).TestOneInput(bytes.fromhex(args.replay))
        print("no finding")
        return 0
    if args._child or (len(names) == 1 and args.log_dir is None):
        return _run_atheris(names[0], args.seconds, args.runs, args.max_len, args.corpus_dir)
    recorded: list[TargetRun] = []
    if args.runs is not None and args.log_dir is not None:
        from tools.fuzz import campaign_ledger  # the parent only: a child must not import it

        try:
            recorded = campaign_ledger.load(args.ledger)
        except campaign_ledger.LedgerError as exc:
            parser.error(str(exc))
    return _run_children(names, args, recorded)


if __name__ == "__main__":
    sys.exit(main())
