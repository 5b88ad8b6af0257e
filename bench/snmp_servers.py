"""The three SNMP servers of the engine benchmark, each started serving the same 401-OID tree:
protolab (a subprocess of this interpreter), net-snmp's snmpd (``override`` lines in a temporary
snmpd.conf, one per OID, inside a view of exactly those subtrees) and snmpsim (a .snmprec of the
tree, installed with pip into a virtualenv of its own so the project's pysnmp is not touched).
Each is pinned to one core with taskset."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.snmp_load import printer_tree
from ekm_proto.snmp.types import SnmpType
from protolab.processes import stop_process

AUTH, PRIV, USER = "authpass12", "privpass12", "bench"
# outside /root: snmpsim refuses to run as root and drops to "nobody", who must read it all
SNMPSIM_VENV = Path(os.environ.get("PROTOLAB_SNMPSIM_VENV", "/opt/protolab-bench/snmpsim-venv"))
SNMPSIM_VERSION = "1.2.2"
_OVERRIDE = {SnmpType.INTEGER: "integer", SnmpType.GAUGE32: "uinteger",
             SnmpType.COUNTER32: "counter", SnmpType.OCTET_STRING: "octet_str",
             SnmpType.OBJECT_IDENTIFIER: "object_id"}


@dataclass
class Server:
    name: str
    address: str
    port: int
    process: subprocess.Popen[bytes]
    context_name: bytes = b""  # snmpsim picks its data file by SNMPv3 context name
    workdir: Path | None = None
    notes: list[str] = field(default_factory=list)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        stop_process(self.process)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _pinned(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") else []


def _wait_for_port(server: Server, seconds: float = 20.0) -> None:
    """Until the server answers a v2c GET (snmpsim indexes its data first)."""
    import socket

    from ekm_proto.snmp.manager.encoding import encode_community_request
    from ekm_proto.snmp.manager.targets import Community
    from ekm_proto.snmp.message import Pdu

    oid = printer_tree()[0][0]
    request = encode_community_request(Community(b"public"), Pdu(0xA0, 1, 0, 0, [
        (oid, (SnmpType.NULL, None))]))
    deadline = time.monotonic() + seconds
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.5)
        sock.connect((server.address, server.port))
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
            try:
                sock.send(request)
                sock.recv(65536)
                return
            except OSError:
                time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer on {server.address}:{server.port}")


# ------------------------------------------------------------------------------------ protolab

def serve_protolab(address: str, port: int) -> None:
    """Entry point of the protolab server subprocess (``--serve``)."""
    from ekm_proto.snmp.agent.engine import SecurityConfig
    from ekm_proto.snmp.agent.server import SnmpServer
    from ekm_proto.snmp.agent.static_view import (
        StaticAgent,
        StaticDirectory,
        StaticMibView,
        engine_id_for,
    )
    from ekm_proto.snmp.usm import UsmUser

    view = StaticMibView(printer_tree())
    directory = StaticDirectory({address: StaticAgent(view, engine_id_for(1))})
    security = SecurityConfig(["public"], [UsmUser(USER, "SHA", AUTH, "AES", PRIV)])

    async def main() -> None:
        server = SnmpServer(directory, security, port=port, bind_address="0.0.0.0")
        await server.start()
        await asyncio.Event().wait()

    asyncio.run(main())


def start_protolab(address: str, port: int, core: int) -> Server:
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen([*_pinned(core), sys.executable, "-m", "bench.bench_snmp_engine",
                                "--serve", address, str(port)], cwd=root)
    server = Server("protolab", address, port, process)
    _wait_for_port(server)
    return server


# -------------------------------------------------------------------------------------- snmpd

def start_snmpd(address: str, port: int, core: int) -> Server:
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"protolab-bench-snmpd-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    lines = [f"agentAddress udp:{address}:{port}", "view printer included .1.3.6.1.2.1.43",
             "view printer included .1.3.6.1.4.1.11", "rocommunity public default -V printer",
             f"createUser {USER} SHA {AUTH} AES {PRIV}", f"rouser {USER} priv -V printer"]
    for oid, (kind, value) in printer_tree():
        if isinstance(value, tuple):
            text = "." + ".".join(map(str, value))
        elif isinstance(value, bytes):
            text = f'"{value.decode()}"'
        else:
            text = str(value)
        lines.append(f"override .{'.'.join(map(str, oid))} {_OVERRIDE[kind]} {text}")
    (work / "snmpd.conf").write_text("\n".join(lines) + "\n")
    env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=str(work))
    process = subprocess.Popen([*_pinned(core), "snmpd", "-f", "-Ln", "-C", "-c",
                                str(work / "snmpd.conf"), "-M", str(work / "no-mibs")], env=env)
    server = Server("net-snmp snmpd", address, port, process, workdir=work)
    _wait_for_port(server)
    return server


# ------------------------------------------------------------------------------------ snmpsim

def snmpsim_responder() -> Path | None:
    """The snmpsim command responder in its own virtualenv, installed with pip on first use."""
    binary = SNMPSIM_VENV / "bin" / "snmpsim-command-responder"
    if binary.exists():
        return binary
    # Debian's interpreter: the one running this may live where "nobody" cannot read (pyenv)
    base = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    try:
        SNMPSIM_VENV.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([base, "-m", "venv", str(SNMPSIM_VENV)], check=True, capture_output=True)
        # snmpsim 1.2.2 imports pysmi without declaring it; pysnmp needs cryptography for AES
        subprocess.run([str(SNMPSIM_VENV / "bin" / "pip"), "install", "--quiet",
                        f"snmpsim=={SNMPSIM_VERSION}", "pysmi", "cryptography"], check=True,
                       capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"snmpsim could not be installed: {exc}", flush=True)
        return None
    return binary if binary.exists() else None


def _unprivileged() -> list[str]:
    """snmpsim will not run as root."""
    if os.geteuid() != 0:
        return []
    return ["--process-user=nobody", "--process-group=nogroup"]


def snmprec_line(oid: tuple[int, ...], kind: SnmpType, value: object) -> str:
    if kind == SnmpType.OCTET_STRING:
        text = value.decode() if isinstance(value, bytes) else str(value)
    elif kind == SnmpType.OBJECT_IDENTIFIER:
        text = ".".join(map(str, value))  # type: ignore[call-overload]
    else:
        text = str(value)
    return f"{'.'.join(map(str, oid))}|{int(kind)}|{text}"


def start_snmpsim(address: str, port: int, core: int) -> Server | None:
    binary = snmpsim_responder()
    if binary is None:
        return None
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"protolab-bench-snmpsim-{os.getpid()}"
    (work / "data").mkdir(parents=True, exist_ok=True)
    (work / "cache").mkdir(exist_ok=True)
    os.chmod(work, 0o755)
    os.chmod(work / "cache", 0o777)  # snmpsim indexes its data there after dropping to nobody
    (work / "data" / "public.snmprec").write_text(
        "\n".join(snmprec_line(oid, kind, value) for oid, (kind, value) in printer_tree()) + "\n")
    process = subprocess.Popen([*_pinned(core), str(binary), f"--data-dir={work / 'data'}",
                                f"--agent-udpv4-endpoint={address}:{port}",
                                f"--cache-dir={work / 'cache'}", f"--v3-user={USER}",
                                f"--v3-auth-key={AUTH}", "--v3-auth-proto=SHA",
                                f"--v3-priv-key={PRIV}", "--v3-priv-proto=AES",
                                "--logging-method=null", *_unprivileged()],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(f"snmpsim {SNMPSIM_VERSION}", address, port, process,
                    context_name=b"public", workdir=work)
    try:
        _wait_for_port(server, 60.0)
    except RuntimeError:
        server.stop()
        raise
    return server
