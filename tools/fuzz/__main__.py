"""``python -m tools.fuzz TARGET|--all [--seconds N] [--runs N] [--replay HEX]``: coverage-guided
fuzzing.

Each target runs under atheris in its own process with its corpus kept in the repository
(tests/fuzz_corpus/TARGET, seeded from the target's ``seeds()``, grown by every run); an input
that breaks a target is saved to tests/fuzz_crashes/TARGET/, where the regression test
(tests/tools/test_fuzz_regressions.py) replays it on every ``make test`` from then on.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from tools.fuzz.smoke import load_target, target_names

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fuzz_corpus"
CRASHES = REPO / "tests" / "fuzz_crashes"


def _write_seeds(name: str) -> Path:
    corpus = CORPUS / name
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(load_target(name).seeds()):
        path = corpus / f"seed-{i:03d}"
        if not path.exists():
            path.write_bytes(seed)
    return corpus


def _run_atheris(name: str, seconds: int, runs: int | None) -> int:
    import atheris

    with atheris.instrument_imports():
        module = load_target(name)
    corpus = _write_seeds(name)
    crashes = CRASHES / name
    crashes.mkdir(parents=True, exist_ok=True)
    argv = [sys.argv[0], str(corpus), f"-max_total_time={seconds}",
            f"-artifact_prefix={crashes}/", "-print_final_stats=1"]
    if runs is not None:
        argv.append(f"-runs={runs}")
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


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz")
    parser.add_argument("target", nargs="?", help=f"one of: {', '.join(target_names())}")
    parser.add_argument("--all", action="store_true", help="every target, one after another")
    parser.add_argument("--seconds", type=int, default=60, help="time per target (at most)")
    parser.add_argument("--runs", type=int, default=None,
                        help="stop each target after this many inputs (a campaign)")
    parser.add_argument("--log-dir", type=Path, default=None, metavar="DIR",
                        help="with --all: each target's libFuzzer output to DIR/TARGET.log "
                             "(python -m tools.fuzz.campaign_report DIR sums them up)")
    parser.add_argument("--replay", metavar="HEX", help="run one input through the target")
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replay:
        load_target(args.target).TestOneInput(bytes.fromhex(args.replay))
        print("no finding")
        return 0
    if args.all:
        status = 0
        for name in target_names():
            print(f"== fuzzing {name} for {args.seconds} s", flush=True)
            runs = ["--runs", str(args.runs)] if args.runs is not None else []
            command = [sys.executable, "-m", "tools.fuzz", name, "--seconds", str(args.seconds),
                       *runs, "--_child"]
            if args.log_dir is None:
                status |= subprocess.call(command)
                continue
            args.log_dir.mkdir(parents=True, exist_ok=True)
            with (args.log_dir / f"{name}.log").open("w") as log:
                status |= subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)
        return status
    if not args.target:
        parser.error("name a target or use --all")
    return _run_atheris(args.target, args.seconds, args.runs)


if __name__ == "__main__":
    sys.exit(main())
