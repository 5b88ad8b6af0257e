"""The atheris runner sees coverage of the project's code: nothing of the project is imported
before its instrumentation block (a module imported earlier runs blind), and the block takes the
project's packages only."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from tools.fuzz.registry import INSTRUMENTED, target_names

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
import tools.fuzz.__main__ as runner
print(json.dumps(runner._already_imported()))
"""


def test_the_runner_imports_no_code_it_fuzzes_before_instrumenting() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == []


def test_every_package_the_project_ships_is_instrumented() -> None:
    """A package added to pyproject.toml but not to the runner would be fuzzed blind."""
    with (ROOT / "pyproject.toml").open("rb") as source:
        project = tomllib.load(source)
    shipped = {name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]
               ["include"]}
    assert shipped == set(INSTRUMENTED)
    assert len(target_names()) >= 16


def test_a_short_run_reports_coverage_of_the_parser(tmp_path: Path) -> None:
    """The parser's module is instrumented (a blind run lists only the target's own module)."""
    result = subprocess.run(
        [sys.executable, "-m", "tools.fuzz", "serial_frame", "--runs", "2000", "--seconds", "30",
         "--log-dir", str(tmp_path), "--corpus-dir", str(tmp_path / "corpus"),
         "--ledger", str(tmp_path / "no-ledger-yet.json")],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    log = (tmp_path / "serial_frame.log").read_text()
    cov = [int(part.split()[0]) for part in log.split("cov:")[1:]]
    assert "Done 2000 runs" in log, log[-2000:]
    assert "INFO: Instrumenting kantech_proto.serial_frame\n" in log
    assert max(cov) >= 50, "edges of the serial decoder and the harness"
    assert any((tmp_path / "corpus" / "serial_frame").iterdir()), "the corpus went elsewhere"
