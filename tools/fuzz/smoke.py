"""Run every fuzz target over its seeds and deterministic mutations: the CI guard for the invariant.

Any exception escaping ``TestOneInput`` is a finding; it is re-raised with the input in hex so the
failure can be replayed with ``python -m tools.fuzz TARGET --replay HEX``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from kantech_proto.fuzzing import mutate_bytes
from protolab.errors import ProtolabError
from tools.fuzz.registry import load_target, target_names

__all__ = ["FuzzFinding", "load_target", "replay_file", "smoke", "target_names"]


class FuzzFinding(ProtolabError, AssertionError):
    """An input that broke a target's invariant (an assertion failure for test runners)."""


def smoke(module: ModuleType, mutations_per_seed: int = 200, seed: int = 0) -> int:
    """Feed seeds and their mutations; returns how many inputs ran."""
    rng = random.Random(seed)
    test_one: Callable[[bytes], None] = module.TestOneInput
    custom = getattr(module, "mutate", None)
    ran = 0
    for base in module.seeds():
        current = base
        for _ in range(mutations_per_seed + 1):
            _run(test_one, current, module.__name__)
            ran += 1
            if custom is not None and rng.random() < 0.5:
                current = custom(current, rng.randrange(1 << 30))
            else:
                current = mutate_bytes(current if rng.random() < 0.8 else base, rng)
    return ran


def _run(test_one: Callable[[bytes], None], data: bytes, name: str) -> None:
    try:
        test_one(data)
    except Exception as exc:
        raise FuzzFinding(f"{name}: {type(exc).__name__}: {exc} on input {data.hex()}") from exc


def replay_file(module: ModuleType, path: Path) -> None:
    """One saved input (corpus entry or past crash) through its target; FuzzFinding naming the
    file when anything but the target's declared decode error comes out."""
    try:
        _run(module.TestOneInput, path.read_bytes(), module.__name__)
    except FuzzFinding as finding:
        raise FuzzFinding(f"{path}: {finding}") from finding.__cause__
