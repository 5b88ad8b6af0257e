"""net-snmp's snmptrapd as the notification receiver of the printer tests: its own config and state
folders (snmptrapd rewrites a file named like its config in its state folder), a free UDP port on
127.0.0.1, one line per notification in a log file, stopped by its PID."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from protolab.ports import free_port
from protolab.processes import stop_process

COMMUNITY = "public"
USER, AUTH_KEY, PRIV_KEY = "informer", "inform-auth-1", "inform-priv-1"
# one line per notification: agent-addr, source, enterprise, generic, specific, security, varbinds
FORMAT = "TRAP\\t%a\\t%b\\t%N\\t%w\\t%q\\t%P\\t%V|%v\\n"


@dataclass
class Received:
    agent: str
    source: str  # "[127.30.0.1]:161"
    enterprise: str
    generic: str
    specific: str
    security: str
    varbinds: dict[str, str]

    @property
    def sender(self) -> str:
        """The address the datagram came from (``UDP: [127.30.0.1]:161->[...]``)."""
        return self.source.partition("[")[2].partition("]")[0]

    @property
    def trap_oid(self) -> str:
        return self.varbinds.get(".1.3.6.1.6.3.1.1.4.1.0", "").removeprefix("OID: ")


@dataclass
class RunningTrapd:
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def received(self) -> list[Received]:
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            fields = line.split("\t")
            if fields[0] != "TRAP" or len(fields) != 8:
                continue
            bound = dict(pair.strip().split(" = ", 1) for pair in fields[7].split("|")
                         if " = " in pair)
            found.append(Received(*(field.strip() for field in fields[1:7]), bound))
        return found

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.received()
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.received()

    def stop(self) -> None:
        stop_process(self.process)


def start_snmptrapd(folder: Path, port: int | None = None) -> RunningTrapd:
    """snmptrapd logging traps and informs with COMMUNITY and SNMPv3 informs from USER."""
    binary = shutil.which("snmptrapd") or "/usr/sbin/snmptrapd"
    if not Path(binary).exists():
        raise RuntimeError("net-snmp's snmptrapd is missing: run `make test`, which installs "
                           "Debian's 'snmptrapd' package")
    conf, state = folder / "conf", folder / "state"
    conf.mkdir(parents=True, exist_ok=True)
    state.mkdir(parents=True, exist_ok=True)
    (conf / "trapd.conf").write_text("\n".join([
        f"authCommunity log {COMMUNITY}", f"createUser {USER} SHA {AUTH_KEY} AES {PRIV_KEY}",
        f"authUser log {USER}", ""]))
    port = port if port is not None else free_port(kind=socket.SOCK_DGRAM)
    log = folder / "traps.log"
    env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=str(state), HOME=str(state),
               SNMPCONFPATH=str(state))
    with log.open("ab") as out:
        process = subprocess.Popen(
            [binary, "-f", "-Lo", "-On", "-C", "-c", str(conf / "trapd.conf"), "-M",
             str(folder / "no-mibs"), "-F", FORMAT, f"udp:127.0.0.1:{port}"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
    receiver = RunningTrapd("127.0.0.1", port, process, log)
    deadline = time.monotonic() + 10
    while "NET-SNMP version" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            receiver.stop()
            raise RuntimeError(f"snmptrapd did not start: {log.read_text(errors='replace')}")
        time.sleep(0.02)
    return receiver
