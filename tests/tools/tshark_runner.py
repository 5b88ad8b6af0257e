"""Run Debian's tshark on a capture and read its field output (a helper, not a test module).

tshark is installed by ``make test`` (TEST_DEBS); a missing tshark fails the test, it does not
skip it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def tshark_layers(pcap: Path, protocol: str, *args: str, lua: Path | None = None,
                  prefs: Sequence[str] = ()) -> list[dict[str, Any] | None]:
    """Per packet, the ``-T json`` tree of ``protocol`` (None where it is absent)."""
    out = run_tshark(pcap, "-T", "json", "--no-duplicate-keys", *args, lua=lua, prefs=prefs)
    assert '"_ws.lua.error"' not in out, "the dissector raised a Lua error"
    packets = json.loads(out) if out.strip() else []
    return [packet["_source"]["layers"].get(protocol) for packet in packets]


def flatten(tree: Any, prefix: str) -> dict[str, list[str]]:
    """Every value of the fields named ``prefix...`` under ``tree``, per field in tree order
    (tshark's JSON groups repeated keys of one level into a list)."""
    out: dict[str, list[str]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key.startswith(prefix) and not isinstance(value, dict | list):
                    out.setdefault(key, []).append(value)
                elif key.startswith(prefix) and isinstance(value, list) and value \
                        and all(isinstance(v, str) for v in value):
                    out.setdefault(key, []).extend(value)
                else:
                    visit(value)

    visit(tree)
    return out
