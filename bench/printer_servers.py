"""The servers of the printer benchmarks: the printer emulator as users run it (``protolab printers
emulate``, a subprocess of this interpreter, usage simulation on), and net-snmp's snmpd serving the
same OIDs with the same values (one ``override`` line per OID, snmpd's own MIB modules left out
with ``-I``, so it serves exactly those). Each is pinned to one core with taskset, reads and
writes only a temporary folder, and is stopped by its PID."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.snmp_servers import Server, _pinned, _wait_for_port
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue

USER, AUTH, PRIV = "bench", "authpass12", "privpass12"
ROOT = Path(__file__).resolve().parent.parent
# value types snmpd's override can serve (no IpAddress, no Counter64)
_OVERRIDE = {SnmpType.INTEGER: "integer", SnmpType.GAUGE32: "unsigned",
             SnmpType.COUNTER32: "counter", SnmpType.TIMETICKS: "timeticks",
             SnmpType.OCTET_STRING: "octet_str", SnmpType.OBJECT_IDENTIFIER: "object_id"}
# what every SNMP engine serves about itself: snmpd answers these with its own values
ENGINE_SUBTREES: tuple[Oid, ...] = ((1, 3, 6, 1, 2, 1, 1, 8), (1, 3, 6, 1, 2, 1, 1, 9),
                                    (1, 3, 6, 1, 2, 1, 11), (1, 3, 6, 1, 6, 3))


def servable(items: list[tuple[Oid, SnmpValue]]) -> list[tuple[Oid, SnmpValue]]:
    """The objects both servers can serve alike: snmpd's override types, no engine objects,
    no rows that come and go (the alert table, the address table)."""
    moving = ((1, 3, 6, 1, 2, 1, 43, 18), (1, 3, 6, 1, 2, 1, 4, 20))
    return [(oid, value) for oid, value in items
            if value[0] in _OVERRIDE and not any(oid[:len(p)] == p for p in ENGINE_SUBTREES)
            and not any(oid[:len(p)] == p for p in moving)]


START = "2026-03-02T10:00:00"  # a Monday morning: printers switched off at night are on


def start_emulator(address: str, port: int, core: int, *, count: int = 1,
                   profile: str = "hp-color-laserjet-m577", mix: bool = False,
                   start_timeout: float = 60.0, control: int | None = None) -> Server:
    """``protolab printers emulate`` as a user starts it: usage simulation on (from a Monday
    morning), SNMPv1/v2c ``public`` and an SNMPv3 authPriv user, raw port and web pages off
    (not measured here)."""
    work = Path(tempfile.mkdtemp(prefix="protolab-bench-emulator-"))
    (work / "auth.key").write_text(AUTH)
    (work / "priv.key").write_text(PRIV)
    which = ["--mix"] if mix else ["--profile", profile]
    argv = [*_pinned(core), sys.executable, "-m", "protolab", "--log-level", "WARNING",
            "printers", "emulate", "--count", str(count), "--first-address", address,
            *which, "--port", str(port), "--raw-port", "off", "--http-port", "off",
            "--v3-user", USER, "--auth-key-file", str(work / "auth.key"),
            "--priv-key-file", str(work / "priv.key"), "--seed", "7", "--start-time", START,
            "--duration", "7200", *(["--control", f"127.0.0.1:{control}"] if control else [])]
    log = work / "emulator.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=out,
                                   stdin=subprocess.DEVNULL)
    server = Server(f"protolab ({count:,} printer{'s' if count > 1 else ''})", address, port,
                    process, workdir=work)
    try:
        _wait_for_port(server, start_timeout)
    except RuntimeError:
        server.stop()
        raise
    return server


def rss_bytes(server: Server) -> int:
    fields = Path(f"/proc/{server.process.pid}/statm").read_text().split()
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


def start_snmpd_serving(items: list[tuple[Oid, SnmpValue]], address: str, port: int,
                        core: int) -> Server:
    """snmpd answering exactly ``items`` (v1/v2c ``public``, SNMPv3 authPriv user)."""
    binary = shutil.which("snmpd") or "/usr/sbin/snmpd"
    work = Path(tempfile.mkdtemp(prefix="protolab-bench-snmpd-"))
    (work / "conf").mkdir()
    (work / "state").mkdir()
    lines = [f"agentAddress udp:{address}:{port}", "view all included .1",
             "rocommunity public default -V all", f"createUser {USER} SHA {AUTH} AES {PRIV}",
             f"rouser {USER} priv -V all"]
    for oid, (kind, value) in items:
        if isinstance(value, tuple):
            text = "." + ".".join(map(str, value))
        elif isinstance(value, bytes):
            text = "0x" + value.hex() if value else '""'
        else:
            text = str(value)
        lines.append(f"override .{'.'.join(map(str, oid))} {_OVERRIDE[kind]} {text}")
    (work / "conf" / "agent.conf").write_text("\n".join(lines) + "\n")
    env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=str(work / "state"))
    process = subprocess.Popen([*_pinned(core), binary, "-f", "-Ln", "-C", "-c",
                                str(work / "conf" / "agent.conf"), "-I",
                                "override,vacm_conf,usmConf",
                                "-M", str(work / "no-mibs")], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server("net-snmp snmpd", address, port, process, workdir=work)
    try:
        _wait_for_port(server)  # any answer will do (noSuchObject for the probe's OID)
    except RuntimeError:
        server.stop()
        raise
    return server

