"""Keeps BENCHMARKS.md as one section per benchmark, each rewritten by the script that measures it."""

from __future__ import annotations

import platform
import re
import time
from pathlib import Path

BENCHMARKS_MD = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
_HEADER = (
    "# Benchmarks\n\n"
    "Each section is rewritten by the benchmark that measured it (`make bench` runs them all).\n"
)


def write_section(name: str, command: str, body: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace (or append) the section ``name`` with fresh figures and the command that made them."""
    text = path.read_text() if path.exists() else _HEADER
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    section = (
        f"<!-- bench:{name} -->\n## {name}\n\n"
        f"Command: `{command}`  \nMeasured: {stamp} on {machine}\n\n{body.strip()}\n"
        f"<!-- /bench:{name} -->\n"
    )
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->\n",
                         re.S)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else (
        text.rstrip("\n") + "\n\n" + section)
    path.write_text(text)
