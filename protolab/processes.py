"""Stopping a child process we started (snmpd, socat, Prosody, a lab): by its PID, politely,
then firmly, never leaving it behind when a test or a benchmark fails."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen[bytes] | subprocess.Popen[str],
                 timeout: float = 5.0) -> int:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL; the exit status."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()
