"""The fuzz targets by name, found without importing any of them.

The atheris runner must import the project's packages only inside its instrumentation block
(a module imported before it runs uninstrumented, and libFuzzer then sees no coverage of it), so
this module imports nothing of the project: naming targets costs no import of what they test.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fuzz_corpus"
CRASHES = REPO / "tests" / "fuzz_crashes"
#: the runs of the fuzzing campaign counted so far (tools/fuzz/campaign_ledger.py)
LEDGER = REPO / "bench" / "fuzz_campaign.json"
TARGETS_PACKAGE = "tools.fuzz.targets"
TARGETS_DIR = Path(__file__).resolve().parent / "targets"
#: the packages whose code is instrumented for coverage (construct, cryptography and the standard
#: library are not: their coverage slows every input and says nothing about our parsers)
INSTRUMENTED = ("kantech_proto", "ekm_proto", "emulators", "tools", "protolab")


def target_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(TARGETS_DIR)]))


def load_target(name: str) -> ModuleType:
    return importlib.import_module(f"{TARGETS_PACKAGE}.{name}")
