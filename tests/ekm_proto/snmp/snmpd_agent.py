"""net-snmp's snmpd as a real agent for the manager's tests: its own snmpd.conf in a temporary
folder, a free UDP port on 127.0.0.1, started in the foreground and stopped by its PID."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ekm_proto.snmp.manager.encoding import encode_community_request
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.message import Pdu, PduType
from ekm_proto.snmp.types import NULL
from protolab.ports import free_port
from protolab.processes import stop_process

COMMUNITY = "protolab-ro"
USER, AUTH_KEY, PRIV_KEY = "monitor", "protolab-auth-1", "protolab-priv-1"
SYS_NAME, SYS_LOCATION = "snmpd-under-test", "Floor 2, copy room"
_START_TIMEOUT = 10.0


@dataclass
class RunningSnmpd:
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        stop_process(self.process)


def start_snmpd(folder: Path, config: list[str] | None = None, extra: Sequence[str] = ()
                ) -> RunningSnmpd:
    """snmpd answering v1/v2c with COMMUNITY and v3 authPriv (SHA, AES) for USER, or configured
    by ``config`` lines (which must let COMMUNITY read sysName, the start-up probe); ``extra``
    lines are added either way (``override`` lines serving a printer's tree)."""
    binary = shutil.which("snmpd") or ("/usr/sbin/snmpd" if Path("/usr/sbin/snmpd").exists()
                                       else None)
    if binary is None:
        raise RuntimeError("net-snmp's snmpd is missing: run `make test`, which installs "
                           "Debian's 'snmpd' package")
    lines = config if config is not None else [
        f"rocommunity {COMMUNITY} 127.0.0.1",
        f'createUser {USER} SHA "{AUTH_KEY}" AES "{PRIV_KEY}"',
        f"rouser {USER} priv",
        f"sysName {SYS_NAME}", f"sysLocation {SYS_LOCATION}", "sysContact ops@example.com",
        "sysServices 72"]
    config_file = folder / "snmpd.conf"
    config_file.write_text("\n".join([*lines, *extra, ""]))
    port = free_port(kind=socket.SOCK_DGRAM)
    log = folder / "snmpd.log"
    env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=str(folder), SNMPCONFPATH=str(folder),
               HOME=str(folder))
    with log.open("wb") as out:  # a file, not a pipe nobody reads (snmpd logs every request)
        process = subprocess.Popen(
            [binary, "-f", "-Lo", "-C", "-c", str(config_file), "-M", str(folder / "no-mibs"),
             f"udp:127.0.0.1:{port}"], stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
    agent = RunningSnmpd("127.0.0.1", port, process, log)
    try:
        _wait_until_answering(agent)
    except BaseException:
        agent.stop()
        raise
    return agent


def _wait_until_answering(agent: RunningSnmpd) -> None:
    request = encode_community_request(Community(COMMUNITY.encode()), Pdu(
        PduType.GET, 1, 0, 0, [((1, 3, 6, 1, 2, 1, 1, 5, 0), NULL)]))
    deadline = time.monotonic() + _START_TIMEOUT
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        sock.connect((agent.host, agent.port))
        while time.monotonic() < deadline:
            if agent.process.poll() is not None:
                raise RuntimeError(f"snmpd exited with {agent.process.returncode}: "
                                   f"{agent.log.read_text(errors='replace')[-2000:]}")
            try:
                sock.send(request)
                sock.recv(65536)
                return
            except OSError:
                continue
    raise RuntimeError(f"snmpd did not answer within {_START_TIMEOUT} s")
