"""A real PostgreSQL (Debian's) in a temporary folder, for tests and benchmarks: initdb there,
postgres on a free loopback port (and a unix socket in the folder), stopped by its PID.

initdb and postgres refuse to run as root: as root, both run as an unprivileged user (the
``postgres`` account the Debian package creates, else ``nobody``) through ``setpriv``, which
execs the server in place so the PID we hold is the server's own.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from protolab.errors import ProtolabError
from protolab.ports import free_port
from protolab.processes import stop_process

SUPERUSER = "protolab"


class PostgresError(ProtolabError):
    """The test PostgreSQL could not be set up or started."""


def binaries() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin (Debian keeps them off PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name.split(".")[0]))
    if not found:
        raise PostgresError("PostgreSQL is not installed: `make test` installs it (Debian package "
                            "postgresql), or run `apt-get install postgresql`")
    return Path(found[-1]).parent


def _account() -> str | None:
    """The user the server runs as when we are root (None: as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresError("running as root and no unprivileged account (postgres, nobody) to run "
                        "PostgreSQL as")


class PostgresServer:
    """``start()``, then ``create_database(name)`` gives a URL; ``stop()`` ends it and removes the
    folder (made with mkdtemp: pytest's own temporary folders are closed to other users)."""

    def __init__(self) -> None:
        self.bin = binaries()
        self.user = _account()
        self.folder = Path(tempfile.mkdtemp(prefix="protolab-postgres-"))
        self.data, self.sockets = self.folder / "data", self.folder / "sockets"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def _as_user(self, argv: list[str]) -> list[str]:
        if self.user is None:
            return argv
        return ["setpriv", f"--reuid={self.user}", f"--regid={self.user}", "--init-groups",
                "--", *argv]

    def _run(self, argv: list[str], what: str) -> str:
        result = subprocess.run(self._as_user(argv), capture_output=True, text=True, timeout=120,
                                check=False)
        if result.returncode != 0:
            raise PostgresError(f"{what} failed in {self.folder}: "
                                f"{(result.stderr or result.stdout).strip()[-600:]}")
        return result.stdout

    def start(self) -> PostgresServer:
        self.sockets.mkdir()
        if self.user is not None:
            account = pwd.getpwnam(self.user)
            for path in (self.folder, self.sockets):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                   "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], "initdb")
        self.port = free_port()
        log = (self.folder / "postgres.log").open("wb")
        self.process = subprocess.Popen(
            self._as_user([str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                           "-h", "127.0.0.1", "-k", str(self.sockets), "-c", "fsync=off",
                           "-c", "max_connections=60"]),
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise PostgresError(f"postgres exited ({self.process.returncode}) on port "
                                    f"{self.port}: {self.log_tail()}")
            ready = subprocess.run([str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                                    str(self.port)], check=False, timeout=10)
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise PostgresError(f"postgres on 127.0.0.1:{self.port} not ready after {timeout:.0f} s: "
                            f"{self.log_tail()}")

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.folder / "postgres.log").read_text(errors="replace")[-600:]
        return ""

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        return self._run([str(self.bin / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                          "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-d", database,
                          "-c", statement], "psql")

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Fast shutdown (SIGINT: clients disconnected), SIGKILL if it hangs; folder removed."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                if self.process.poll() is None:
                    self.process.send_signal(signal.SIGINT)
            stop_process(self.process, timeout=15.0)
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
