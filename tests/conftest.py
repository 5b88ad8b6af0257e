"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from protolab.logs import configure_logging
from protolab.processes import stop_process
from tests.browser import chromium

# `make test` explores the same examples every run, so CI passes or fails on the code alone;
# HYPOTHESIS_PROFILE=explore draws new ones (and more of them) to hunt for bugs.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

_SOCAT_START_TIMEOUT = 5.0
_SOCAT_STOP_TIMEOUT = 3.0


@pytest.fixture(scope="session", autouse=True)
def _logs_to_stderr() -> None:
    """The test run is the host program: it, not the library, chooses where logs go (stderr,
    so a command's JSON on stdout stays parseable)."""
    configure_logging("INFO", json=True)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium (Debian's, through chromium-driver), quit after the test."""
    driver = chromium(tmp_path / "chromium-profile")
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def socat_pty_pair(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two linked pseudo-terminals made by socat: what is written to one is read from the other,
    a real serial-port pair for the serial adapter's tests (no mock of the port)."""
    socat = shutil.which("socat")
    if socat is None:
        pytest.fail("socat is not installed: run `make test`, which installs it (Debian package "
                    "socat), or `apt-get install socat`", pytrace=False)
    a, b = tmp_path / "pty-a", tmp_path / "pty-b"
    log = tmp_path / "socat.log"  # a file, not a pipe nobody reads, which could fill and block socat
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [socat, "-d", "-d", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        deadline = time.monotonic() + _SOCAT_START_TIMEOUT
        while not (a.exists() and b.exists()):
            if proc.poll() is not None:
                pytest.fail(f"socat exited with {proc.returncode}: "
                            f"{log.read_text(errors='replace')}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"socat did not create {a} and {b} within {_SOCAT_START_TIMEOUT} s",
                            pytrace=False)
            time.sleep(0.01)
        yield str(a), str(b)
    finally:
        stop_process(proc, _SOCAT_STOP_TIMEOUT)
