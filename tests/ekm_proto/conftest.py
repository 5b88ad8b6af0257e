"""Fixtures for the SNMP engine tests: a small printer-like tree, agents at 127.30.0.1..5, users
for every USM protocol, a free UDP port, a started server, and net-snmp's command line tools."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from ekm_proto.mib_view import Oid, SnmpType, SnmpValue
from ekm_proto.snmp_agent import SecurityConfig
from ekm_proto.snmp_server import SnmpServer
from ekm_proto.snmp_static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.usm import UsmUser

ADDRESSES = [f"127.30.0.{i}" for i in range(1, 6)]
SYS_DESCR: Oid = (1, 3, 6, 1, 2, 1, 1, 1, 0)
SUPPLY_LEVEL = (1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1)  # prtMarkerSuppliesLevel.1.<supply>
LIFE_COUNT: Oid = (1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1)
BIG_COUNTER: Oid = (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 1, 0)  # a Counter64, invisible in v1
PASSWORDS = {"auth": "maplesyrup-auth", "priv": "maplesyrup-priv"}


def printer_items() -> list[tuple[Oid, SnmpValue]]:
    """A dozen objects covering every value type, in an order a real printer could have."""
    items: list[tuple[Oid, SnmpValue]] = [
        (SYS_DESCR, (SnmpType.OCTET_STRING, b"HP Color LaserJet M577")),
        ((1, 3, 6, 1, 2, 1, 1, 2, 0), (SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 1))),
        ((1, 3, 6, 1, 2, 1, 1, 3, 0), (SnmpType.TIMETICKS, 4_242_424)),
        ((1, 3, 6, 1, 2, 1, 1, 5, 0), (SnmpType.OCTET_STRING, b"printer-3rd-floor")),
        ((1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1), (SnmpType.OCTET_STRING, bytes.fromhex("00a0c2123456"))),
        ((1, 3, 6, 1, 2, 1, 4, 20, 1, 1, 127, 30, 0, 1), (SnmpType.IP_ADDRESS, bytes([127, 30, 0, 1]))),
        ((1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1), (SnmpType.OCTET_STRING, b"\x00")),
        (LIFE_COUNT, (SnmpType.COUNTER32, 123_456)),
        ((*SUPPLY_LEVEL, 1), (SnmpType.INTEGER, 4500)),
        ((*SUPPLY_LEVEL, 2), (SnmpType.INTEGER, -3)),
        ((*SUPPLY_LEVEL, 3), (SnmpType.INTEGER, -2)),
        ((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 10, 1, 1), (SnmpType.GAUGE32, 7)),
        (BIG_COUNTER, (SnmpType.COUNTER64, 2**40 + 5)),
        ((1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 2, 0), (SnmpType.OPAQUE, b"\x9f\x78\x04\x3f\x80\x00\x00")),
    ]
    return sorted(items)


USERS = [
    UsmUser("sha-aes", "SHA", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
    UsmUser("sha256-aes", "SHA-256", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
    UsmUser("sha512-auth", "SHA-512", PASSWORDS["auth"]),
    UsmUser("md5-des", "MD5", PASSWORDS["auth"], "DES", PASSWORDS["priv"]),
    UsmUser("sha224-aes", "SHA-224", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
    UsmUser("sha384-auth", "SHA-384", PASSWORDS["auth"]),
    UsmUser("nobody-noauth"),
]
SECURITY = SecurityConfig(communities=["public", "monitor"], users=USERS)


def engine_id(index: int) -> bytes:
    return bytes.fromhex("800007e580") + f"printer{index:04d}".encode()


@pytest.fixture(scope="session")
def view() -> StaticMibView:
    return StaticMibView(printer_items())


@pytest.fixture
def directory(view: StaticMibView) -> StaticDirectory:
    return StaticDirectory({address: StaticAgent(view, engine_id(i), boots=3)
                            for i, address in enumerate(ADDRESSES, 1)})


def free_udp_port_number() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def free_udp_port() -> int:
    return free_udp_port_number()


@pytest.fixture
async def server(directory: StaticDirectory) -> AsyncIterator[SnmpServer]:
    snmp = SnmpServer(directory, SECURITY, port=0, bind_address="0.0.0.0")
    await snmp.start()
    try:
        yield snmp
    finally:
        await snmp.close()


NET_SNMP = shutil.which("snmpget") is not None
#: tests that drive net-snmp's tools; `make test` installs them, so their absence is a failure
needs_net_snmp = pytest.mark.usefixtures("net_snmp_tools")


@pytest.fixture(scope="session")
def net_snmp_tools() -> None:
    if not NET_SNMP:
        pytest.fail("net-snmp's snmpget/snmpwalk are missing: run `make test`, which installs "
                    "Debian's 'snmp' package", pytrace=False)


@pytest.fixture(scope="session")
def snmp_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for the CLI tools: no MIB files (numeric output), no writes to /var/lib."""
    state = tmp_path_factory.mktemp("net-snmp")
    (state / "cert_indexes").mkdir()  # or the first tool run says "Created directory" on stderr
    env = dict(os.environ)
    env.update(MIBS="", MIBDIRS=str(Path(state) / "no-mibs"), SNMP_PERSISTENT_DIR=str(state),
               SNMPCONFPATH=str(state), HOME=str(state))
    return env


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def snmp_cli(snmp_env: dict[str, str]) -> CliRunner:
    """Run a net-snmp tool (snmpget, snmpwalk...) with numeric OIDs; returns the completed process."""

    def run(tool: str, *args: str, timeout: float = 20.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run([tool, "-On", *args], env=snmp_env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    return run
