"""Run Debian's tshark on a capture and read its field output (a helper, not a test module).

tshark is installed by ``make test`` (TEST_DEBS); a missing tshark fails the test, it does not
skip it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

TIMEOUT = 120


def tshark_path() -> str:
    path = shutil.which("tshark")
    if path is None:
        pytest.fail("tshark is not installed: run `make test`, which installs it (Debian "
                    "package tshark), or `apt-get install tshark`", pytrace=False)
    return path


def run_tshark(pcap: Path, *args: str, lua: Path | None = None,
               prefs: Sequence[str] = ()) -> str:
    """tshark's stdout for ``-r pcap`` plus ``args``; stderr must hold no Lua error."""
    command = [tshark_path(), "-n", "-r", str(pcap)]
    if lua is not None:
        command += ["-X", f"lua_script:{lua}"]
    for pref in prefs:
        command += ["-o", pref]
    result = subprocess.run([*command, *args], capture_output=True, text=True, timeout=TIMEOUT)
    problems = [line for line in result.stderr.splitlines()
                if line.strip() and "Running as user" not in line]
    assert result.returncode == 0 and not problems, result.stderr
    return result.stdout


def tshark_fields(pcap: Path, fields: Sequence[str], *args: str, lua: Path | None = None,
                  prefs: Sequence[str] = (), separator: str = "|") -> list[list[str]]:
    """One list of values per packet (``-T fields``), in the order of ``fields``."""
    options = ["-T", "fields", "-E", f"separator={separator}", "-E", "occurrence=a",
               "-E", "aggregator=,"]
    for field in fields:
        options += ["-e", field]
    out = run_tshark(pcap, *options, *args, lua=lua, prefs=prefs)
    return [line.split(separator) for line in out.splitlines()]
