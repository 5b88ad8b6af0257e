"""A Prosody XMPP server of our own, run from a folder: for tests, benchmarks and the lab.

The agent ships to the portal through a real XMPP server, so everything that checks shipping (the
pytest fixtures, ``bench/bench_xmpp.py``, a lab that starts the whole chain) needs one that starts
in a temporary folder on loopback, with a private certificate authority and users registered
before it starts, and that can be killed and restarted on the same port to prove that nothing is
lost. Debian's prosody 0.12 is driven, never configured through /etc/prosody (its stock config
rate-limits clients to 10 kb/s).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from protolab.errors import ConfigurationError, ProtolabError
from protolab.logs import get_logger
from protolab.ports import free_port
from protolab.processes import stop_process

_log = get_logger("protolab.prosody")
_START_TIMEOUT = 15.0


class ProsodyError(ProtolabError):
    """Prosody (or openssl making its certificates) could not be started or used."""


@dataclass(frozen=True, slots=True)
class LabCertificates:
    """A private CA and a server certificate it signed for one XMPP domain."""

    ca: Path
    certificate: Path
    key: Path


def make_test_ca(folder: Path, domain: str) -> LabCertificates:
    """A CA and a certificate for ``domain`` (also valid for localhost and 127.0.0.1), made by
    openssl in ``folder``: clients verify the server against ``ca``, never with checks off."""
    openssl = _tool("openssl", "openssl")
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, request, certificate = (folder / name for name in (
        "ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    extensions = folder / "server.ext"
    extensions.write_text(f"subjectAltName=DNS:{domain},DNS:localhost,IP:127.0.0.1\n"
                          "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                          "extendedKeyUsage=serverAuth\n")
    steps = [
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca,
         "-days", "30", "-subj", "/CN=protolab test CA"],
        [openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request,
         "-subj", f"/CN={domain}"],
        [openssl, "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
         "-out", certificate, "-days", "30", "-extfile", extensions],
    ]
    for step in steps:
        result = subprocess.run([str(a) for a in step], capture_output=True, text=True,
                                timeout=60, check=False)
        if result.returncode != 0:
            raise ProsodyError(f"openssl failed making the test CA in {folder}: "
                               f"{result.stderr.strip()[-400:]}")
    return LabCertificates(ca, certificate, key)


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ProsodyError(f"{name} is not installed: `make test` installs it (Debian package "
                           f"{package}), or run `apt-get install {package}`")
    return found


class ProsodyServer:
    """One Prosody in ``folder``: config, data, logs and certificates all inside it.

    ``port`` is the STARTTLS client port (0: a free one), ``direct_tls_port`` an optional
    XEP-0368 direct-TLS port. ``hibernation`` is how long a client's stream-management session
    waits to be resumed before its unacknowledged stanzas go to offline storage.
    """

    def __init__(self, folder: Path, domain: str = "xmpp.test", *, host: str = "127.0.0.1",
                 port: int = 0, direct_tls_port: int | None = None, hibernation: int = 10,
                 users: Mapping[str, str] | None = None) -> None:
        self.folder = Path(folder)
        self.domain = domain
        self.host = host
        self.port = port or free_port(host)
        self.direct_tls_port = direct_tls_port
        self.hibernation = hibernation
        self.process: subprocess.Popen[bytes] | None = None
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "data").mkdir(exist_ok=True)
        self.certificates = make_test_ca(self.folder / "certs", domain)
        self.config = self.folder / "prosody.cfg.lua"
        self._write_config()
        for user, password in (users or {}).items():
            self.register(user, password)

    @property
    def ca(self) -> Path:
        return self.certificates.ca

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def jid(self, user: str) -> str:
        return f"{user}@{self.domain}"

    def _write_config(self) -> None:
        direct = ("" if self.direct_tls_port is None
                  else f"c2s_direct_tls_ports = {{ {self.direct_tls_port} }}\n")
        certs = self.certificates
        self.config.write_text(
            "run_as_root = true\n"
            f'data_path = "{self.folder / "data"}"\n'
            f'pidfile = "{self.folder / "prosody.pid"}"\n'
            f'log = {{ {{ levels = {{ min = "info" }}, to = "file", '
            f'filename = "{self.folder / "prosody.log"}" }} }}\n'
            f'interfaces = {{ "{self.host}" }}\n'
            f"c2s_ports = {{ {self.port} }}\n{direct}"
            's2s_ports = { }\n'
            'modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "smacks"; '
            '"posix"; "offline" }\n'
            'modules_disabled = { "s2s"; "s2s_auth_certs" }\n'
            'authentication = "internal_hashed"\n'
            "c2s_require_encryption = true\n"
            "allow_registration = false\n"
            "storage_archive_item_limit = 100000\n"
            f"smacks_hibernation_time = {self.hibernation}\n"
            f'certificates = "{self.folder / "certs"}"\n'
            f'ssl = {{ certificate = "{certs.certificate}"; key = "{certs.key}" }}\n'
            f'VirtualHost "{self.domain}"\n'
            f'    ssl = {{ certificate = "{certs.certificate}"; key = "{certs.key}" }}\n')

    def register(self, user: str, password: str) -> str:
        """Create ``user`` (works before the server starts); its full JID."""
        prosodyctl = _tool("prosodyctl", "prosody")
        result = subprocess.run(
            [prosodyctl, "--config", str(self.config), "register", user, self.domain, password],
            capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise ProsodyError(f"prosodyctl could not register {user}@{self.domain}: "
                               f"{(result.stdout + result.stderr).strip()[-400:]}")
        return self.jid(user)

    def start(self) -> None:
        """Start in the foreground and return once the client port accepts connections."""
        if self.process is not None and self.process.poll() is None:
            raise ConfigurationError(f"Prosody in {self.folder} is already running "
                                     f"(pid {self.process.pid})")
        prosody = _tool("prosody", "prosody")
        output = (self.folder / "prosody.out").open("ab")
        try:
            self.process = subprocess.Popen([prosody, "--config", str(self.config), "-F"],
                                            stdin=subprocess.DEVNULL, stdout=output,
                                            stderr=subprocess.STDOUT, cwd=self.folder)
        finally:
            output.close()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._accepts():
            if self.process.poll() is not None:
                raise ProsodyError(f"prosody exited with {self.process.returncode} at start: "
                                   f"{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise ProsodyError(f"prosody did not open {self.host}:{self.port} within "
                                   f"{_START_TIMEOUT} s: {self.log_tail()}")
            time.sleep(0.02)
        _log.info("prosody started", pid=self.process.pid, port=self.port, domain=self.domain)

    def _accepts(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM to the PID we started (offline messages are on disk), then SIGKILL."""
        if self.process is None:
            return None
        status = stop_process(self.process, timeout)
        _log.info("prosody stopped", pid=self.process.pid, status=status)
        return status

    def kill(self) -> None:
        """SIGKILL, as a crash would: what it acknowledged must already be on disk."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            _log.info("prosody killed", pid=self.process.pid)

    def restart(self, *, hard: bool = False) -> None:
        """Stop (or kill, with ``hard``) and start again on the same port."""
        if hard:
            self.kill()
        else:
            self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        texts = []
        for name in ("prosody.out", "prosody.log"):
            path = self.folder / name
            if path.exists():
                texts.extend(path.read_text(errors="replace").splitlines()[-lines:])
        return " | ".join(texts)[-2000:]
