"""``python -m tools.fuzz TARGET|--all [--seconds N] [--replay HEX]``: coverage-guided fuzzing.

Each target runs under atheris in its own process with its corpus directory
(tools/fuzz/corpus/TARGET, seeded from the target's ``seeds()``); crashes land in fuzz-artifacts/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from tools.fuzz.smoke import load_target, target_names

ROOT = Path(__file__).resolve().parent
ARTIFACTS = ROOT.parent.parent / "fuzz-artifacts"


def _write_seeds(name: str) -> Path:
    corpus = ROOT / "corpus" / name
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(load_target(name).seeds()):
        path = corpus / f"seed-{i:03d}"
        if not path.exists():
            path.write_bytes(seed)
    return corpus


def _run_atheris(name: str, seconds: int) -> int:
    import atheris

    with atheris.instrument_imports():
        module = load_target(name)
    corpus = _write_seeds(name)
    ARTIFACTS.mkdir(exist_ok=True)
    argv = [sys.argv[0], str(corpus), f"-max_total_time={seconds}",
            f"-artifact_prefix={ARTIFACTS}/{name}-", "-print_final_stats=1"]
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
    parser.add_argument("--seconds", type=int, default=60, help="time per target")
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
            status |= subprocess.call([sys.executable, "-m", "tools.fuzz", name,
                                       "--seconds", str(args.seconds), "--_child"])
        return status
    if not args.target:
        parser.error("name a target or use --all")
    return _run_atheris(args.target, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
