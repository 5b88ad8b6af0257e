"""examples/gateway-tests, a user's project, passes its own test suite with protolab installed,
and uses nothing of protolab but the plugin's fixtures and the packages' public names."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
PROJECT = EXAMPLES / "gateway-tests"
OURS = ("protolab", "kantech_proto", "ekm_proto", "emulators", "tools")
PUBLIC = ("protolab", "kantech_proto", "kantech_proto.fuzzing", "ekm_proto",
          "emulators.kantech", "emulators.kantech_gateway", "emulators.printers")


def test_the_example_projects_suite_passes() -> None:
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                            cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "3 passed" in result.stdout
    assert not (PROJECT / "conftest.py").exists() and not (PROJECT / "tests" / "conftest.py"
                                                            ).exists()


def _imports(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
    return [(module, name) for module, name in found if module.split(".")[0] in OURS]


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.py")), ids=lambda p: p.name)
def test_examples_use_only_the_public_surface(path: Path) -> None:
    for module, name in _imports(path):
        assert module in PUBLIC, f"{path.name} imports {module}, which is internal"
        if name:
            assert name in importlib.import_module(module).__all__, \
                f"{path.name} imports {module}.{name}, which is not in its __all__"
