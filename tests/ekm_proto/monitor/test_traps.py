"""``--trap-listen``: emulated printers send their notifications (``--trap-sink``) to the agent,
which reads the device's alerts at once, long before the next alert pass; net-snmp's snmptrap is
a second sender nobody here wrote; strangers and wrong credentials are counted and ignored."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from ekm_proto.monitor import queries
from ekm_proto.monitor.credentials import community, v3_user
from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.usm import UsmUser
from emulators.printers.notifier import PrinterNotifier, TrapSink
from emulators.printers.profiles import Profile
from emulators.printers.service import trap_sinks
from tests.ekm_proto.monitor.lab import Agent, Printers

AUTH, PRIV = "trap-auth-pass", "trap-priv-pass"
SOON = 10.0  # seconds of agent time in which a trap must have been acted on


@pytest.fixture
async def notifiers() -> AsyncIterator[Callable[[Printers, Sequence[TrapSink]], None]]:
    made: list[PrinterNotifier] = []

    def start(printers: Printers, sinks: Sequence[TrapSink]) -> None:
        notifier = PrinterNotifier(printers.fleet, sinks, printers.server.send_from,
                                   printers.fleet.sim.clock)
        for peer in notifier.peers:
            printers.server.forward(peer, notifier.receive)
        notifier.start()
        made.append(notifier)

    yield start
    for notifier in made:
        notifier.close()


@pytest.fixture
def snmptrap_env(tmp_path: Path) -> dict[str, str]:
    """net-snmp's snmptrap, numeric and without writing outside the test's folder."""
    if shutil.which("snmptrap") is None:
        pytest.fail("net-snmp's snmptrap is missing: run `make test`, which installs Debian's "
                    "'snmp' package", pytrace=False)
    (tmp_path / "cert_indexes").mkdir()
    return dict(os.environ, MIBS="", MIBDIRS=str(tmp_path / "no-mibs"),
                SNMP_PERSISTENT_DIR=str(tmp_path), SNMPCONFPATH=str(tmp_path), HOME=str(tmp_path))


async def _until(agent: Agent, done: Callable[[], bool], *, limit: float = SOON) -> float:
    """Move the agent's clock in small steps until ``done()``; the agent seconds it took."""
    moved = 0.0
    while not done():
        assert moved < limit, "nothing happened in time"
        await agent.clock.advance_async(0.05)
        moved += 0.05
        await asyncio.sleep(0.02)  # the read itself runs over real sockets
    return moved


def _open_alerts(agent: Agent, code: str) -> list[dict[str, Any]]:
    return [a for a in queries.alerts(agent.store.connection)
            if a["code_name"] == code and a["cleared_at"] is None]


@pytest.mark.parametrize("version", ["1", "2c", "2c-inform", "3"])
async def test_a_printer_s_trap_gets_its_alert_read_at_once(
        lab: Callable[..., Any], profiles: dict[str, Profile],
        notifiers: Callable[[Printers, Sequence[TrapSink]], None], version: str) -> None:
    credentials = [community("public", 1, "v1" if version == "1" else "v2c")]
    user = UsmUser("monitor", "SHA", AUTH, "AES", PRIV)
    if version == "3":
        credentials = [v3_user("monitor", auth_key=AUTH, priv_key=PRIV)]
    printers, agent = await lab(
        [profiles["hp-color-laserjet-m577"], profiles["kyocera-fs-6950dn"]], 2, "127.44.0.1",
        credentials=credentials, trap_listen=("127.0.0.1", 0),
        printer_options={"security": SecurityConfig(["public"], [user])})
    agent.start()
    await agent.settle()
    listener = agent.agent.traps
    assert listener is not None
    sink = ("127.0.0.1", listener.port)
    notifiers(printers, trap_sinks(
        [sink], version.removesuffix("-inform"), inform=version.endswith("inform"),
        user=user if version == "3" else None,
        timeout=0.2))
    stats = listener.intake.stats
    await _until(agent, lambda: stats.kinds["coldStart"] == 2)  # both printers booted
    passes = agent.agent.loops["alert"].passes
    await printers.control("POST", "/printers/1/alerts", {"code": "cover_open"})
    took = await _until(agent, lambda: bool(_open_alerts(agent, "coverOpen")))
    assert took < 180 / 10 and agent.agent.loops["alert"].passes == passes  # no pass ran
    [record] = _open_alerts(agent, "coverOpen")
    assert record["serial"] == printers.fleet.printers[1].serial
    assert stats.kinds["printerV2Alert"] >= 1 and stats.ignored == 0
    assert stats.answered == (stats.accepted if version in ("2c-inform", "3") else 0)


def _snmptrap(env: dict[str, str], sink: int, community_name: str, source: str,
              *args: str) -> None:
    """net-snmp's snmptrap sending a v2c trap from ``source`` (a printer's address or not)."""
    subprocess.run(["snmptrap", "-v2c", "-c", community_name, f"--clientaddr={source}",
                    f"127.0.0.1:{sink}", "", *args], check=True, env=env, timeout=10,
                   capture_output=True)


async def test_net_snmp_s_traps_are_heard_and_strangers_ignored(
        lab: Callable[..., Any], profiles: dict[str, Profile],
        snmptrap_env: dict[str, str]) -> None:
    printers, agent = await lab([profiles["hp-laserjet-m757"]], 2, "127.44.1.1",
                                trap_listen=("127.0.0.1", 0))
    agent.start()
    await agent.settle()
    assert agent.agent.traps is not None
    port, stats = agent.agent.traps.port, agent.agent.traps.intake.stats
    await printers.control("POST", "/printers/0/alerts", {"code": "jam"})
    alert = ".1.3.6.1.2.1.43.0.1"
    await asyncio.to_thread(_snmptrap, snmptrap_env, port, "public", "127.44.9.9", alert)
    await asyncio.to_thread(_snmptrap, snmptrap_env, port, "wrong", "127.44.1.1", alert)
    await _until(agent, lambda: stats.received == 2)
    assert (stats.unknown_source, stats.bad_credentials, stats.accepted) == (1, 1, 0)
    assert _open_alerts(agent, "jam") == []  # neither was heard: no read
    await asyncio.to_thread(_snmptrap, snmptrap_env, port, "public", "127.44.1.1", alert)
    await _until(agent, lambda: bool(_open_alerts(agent, "jam")))
    assert stats.accepted == 1 and stats.kinds == {"printerV2Alert": 1}
    [record] = _open_alerts(agent, "jam")
    assert record["serial"] == printers.fleet.printers[0].serial
