"""``python -m bench [NAME ...]``: run every benchmark module ``bench/bench_*.py`` (or the named ones).

Each module exposes ``main() -> None`` and writes its own section of BENCHMARKS.md.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                   if m.name.startswith("bench_"))
    chosen = [n for n in names if not argv or n in argv or n.removeprefix("bench_") in argv]
    status = 0
    for name in chosen:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            print(f"!! {name} failed: {type(exc).__name__}: {exc}", flush=True)
            status = 1
        print(f"== {name} done in {time.perf_counter() - start:.1f} s", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
