"""A network namespace of the tests' own, where the emulated printers use the real ports (UDP 161,
TCP 9100, TCP 80) that CUPS' backends and HPLIP only know, without touching the host's ports.

``unshare -n`` (as root) or ``unshare -rn`` (a user namespace too, as anyone else) starts a
shell that brings ``lo`` up and runs ``protolab printers emulate``; every client then runs in the
same namespace through ``nsenter`` on that process. Stopped by its PID.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from protolab.processes import stop_process

ROOT = Path(__file__).resolve().parents[3]
CONTROL = "http://127.0.0.1:8811"
START = "2026-03-02T10:00:00"  # a Monday morning: every profile switched on
_REQUEST = ("import json,sys,urllib.request as u;r=u.Request(sys.argv[1],method=sys.argv[2],"
            "data=sys.argv[3].encode() or None,headers={'Content-Type':'application/json'});"
            "print(u.urlopen(r,timeout=10).read().decode())")


@dataclass
class NetnsLab:
    process: subprocess.Popen[bytes]
    log: Path
    user_namespace: bool

    def run(self, argv: list[str], env: dict[str, str] | None = None, timeout: float = 60.0,
            ) -> subprocess.CompletedProcess[str]:
        """Run a command inside the namespace."""
        enter = ["nsenter", "-t", str(self.process.pid), "-n"]
        if self.user_namespace:
            enter += ["-U", "--preserve-credentials"]
        return subprocess.run([*enter, *argv], env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)

    def popen(self, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        enter = ["nsenter", "-t", str(self.process.pid), "-n"]
        if self.user_namespace:
            enter += ["-U", "--preserve-credentials"]
        return subprocess.Popen([*enter, *argv], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def api(self, path: str, method: str = "GET", body: object = None) -> object:
        """The control API, called from inside the namespace."""
        done = self.run([sys.executable, "-c", _REQUEST, CONTROL + path, method,
                         json.dumps(body) if body is not None else ""])
        if done.returncode:
            raise RuntimeError(f"control API {method} {path}: {done.stderr[-500:]}")
        return json.loads(done.stdout)

    def stop(self) -> None:
        stop_process(self.process)


def start_lab(folder: Path, count: int) -> NetnsLab:
    """``count`` printers of every profile (``--mix``) on the standard ports in a namespace."""
    for tool in ("unshare", "nsenter", "ip"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise RuntimeError(f"{tool} is missing: run `make test` (Debian packages "
                               "util-linux and iproute2)")
    user_namespace = os.geteuid() != 0
    emulate = [sys.executable, "-m", "protolab", "--log-level", "WARNING", "printers", "emulate",
               "--mix", "--count", str(count), "--port", "161", "--raw-port", "9100",
               "--http-port", "80", "--control", "127.0.0.1:8811", "--static",
               "--start-time", START, "--duration", "600"]
    script = "ip link set lo up && exec " + " ".join(f"'{part}'" for part in emulate)
    log = folder / "emulator.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["unshare", "-rn" if user_namespace else "-n", "sh", "-c",
                                    script], cwd=ROOT, stdout=out, stderr=out,
                                   stdin=subprocess.DEVNULL)
    lab = NetnsLab(process, log, user_namespace)
    deadline = time.monotonic() + 30
    while True:
        try:
            lab.api("/profiles")
            return lab
        except (RuntimeError, json.JSONDecodeError):
            if process.poll() is not None or time.monotonic() > deadline:
                lab.stop()
                raise RuntimeError("the emulator did not start in its namespace: "
                                   + log.read_text(errors="replace")[-2000:]) from None
            time.sleep(0.2)
