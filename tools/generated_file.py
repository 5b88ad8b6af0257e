"""The one command line of every generated file (the dissector, the protocol reference):
``--check`` exits 1 when the committed file differs from a fresh generation, else it is written."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def generate_main(module: str, description: str | None, default: Path,
                  make_text: Callable[[], str], argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the committed file differs from a fresh one")
    parser.add_argument("--output", type=Path, default=default, help="where to write")
    args = parser.parse_args(argv)
    text = make_text()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run python -m {module}", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(text.splitlines())} lines)")
    return 0
