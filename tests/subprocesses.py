"""Stopping the programs the tests start (snmpd, snmptrapd, an emulator in a namespace): by the
process started, politely first, then for sure."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """SIGTERM, then SIGKILL after ``grace`` seconds; returns once the process is gone."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
