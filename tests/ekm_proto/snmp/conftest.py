"""Fixtures for the SNMP tests (agent, manager, client): the tree of agent_setup served by agents
at 127.30.0.1..5, a free UDP port, a started server, and net-snmp's command line tools."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.client import SnmpClient
from protolab.clock import SystemClock
from protolab.ports import free_port
from tests.ekm_proto.snmp.agent_setup import (
    ADDRESSES,
    NET_SNMP,
    SECURITY,
    CliRunner,
    engine_id,
    printer_items,
)
from tests.ekm_proto.snmp.snmpd_agent import RunningSnmpd, start_snmpd


@pytest.fixture(scope="session")
def view() -> StaticMibView:
    return StaticMibView(printer_items())


@pytest.fixture
def directory(view: StaticMibView) -> StaticDirectory:
    return StaticDirectory({address: StaticAgent(view, engine_id(i), boots=3)
                            for i, address in enumerate(ADDRESSES, 1)})


@pytest.fixture
def free_udp_port() -> int:
    return free_port(kind=socket.SOCK_DGRAM)


@pytest.fixture
async def server(directory: StaticDirectory) -> AsyncIterator[SnmpServer]:
    snmp = SnmpServer(directory, SECURITY, port=0, bind_address="0.0.0.0")
    await snmp.start()
    try:
        yield snmp
    finally:
        await snmp.close()


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


@pytest.fixture
def snmp_cli(snmp_env: dict[str, str]) -> CliRunner:
    """Run a net-snmp tool (snmpget, snmpwalk...) with numeric OIDs; returns the completed process."""

    def run(tool: str, *args: str, timeout: float = 20.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run([tool, "-On", *args], env=snmp_env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    return run


@pytest.fixture(scope="module")
def snmpd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSnmpd]:
    """net-snmp's snmpd on a free port of 127.0.0.1 (v1/v2c community, v3 SHA/AES user)."""
    try:
        agent = start_snmpd(tmp_path_factory.mktemp("snmpd"))
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield agent
    finally:
        agent.stop()


@pytest.fixture
async def client() -> AsyncIterator[SnmpClient]:
    """The asyncio manager on the real clock, its one socket on 127.0.0.1."""
    async with SnmpClient(SystemClock(), max_in_flight=32, local_address=("127.0.0.1", 0)) as made:
        yield made
