"""``python -m tools.reference.generate [--check]``: (re)write docs/kantech-protocol.md.

``--check`` exits 1 when the committed document differs from a fresh generation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.reference.markdown import render
from tools.reference.model import build_reference

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "kantech-protocol.md"


def reference_text() -> str:
    return render(build_reference())


def reference_json() -> str:
    return json.dumps(build_reference(), indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.reference.generate",
                                     description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the committed document differs from a fresh one")
    parser.add_argument("--output", type=Path, default=DOCUMENT, help="where to write")
    args = parser.parse_args(argv)
    text = reference_text()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run python -m tools.reference.generate",
                  file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
