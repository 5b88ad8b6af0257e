"""``python -m tools.reference.generate [--check]``: (re)write docs/kantech-protocol.md.

``--check`` exits 1 when the committed document differs from a fresh generation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tools.generated_file import generate_main
from tools.reference.markdown import render
from tools.reference.model import build_reference

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "kantech-protocol.md"


def reference_text() -> str:
    return render(build_reference())


def reference_json() -> str:
    return json.dumps(build_reference(), indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generate_main("tools.reference.generate", __doc__, DOCUMENT, reference_text, argv)


if __name__ == "__main__":
    sys.exit(main())
