"""Printers' notifications received by net-snmp's snmptrapd: v1 and v2c traps with a community,
v3 informs with a user (acknowledged, and re-sent until they are), from each printer's address."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.types import SnmpType, parse_oid
from ekm_proto.snmp.usm import UsmUser
from emulators.printers.fleet import PrinterFleet
from emulators.printers.model import PrinterModel
from emulators.printers.notifier import PrinterNotifier
from emulators.printers.service import trap_sinks
from protolab.clock import SystemClock
from protolab.ports import free_port
from tests.emulators.printers import wire
from tests.emulators.printers.fleets import MONDAY_9AM
from tests.emulators.printers.trap_receiver import (
    AUTH_KEY,
    PRIV_KEY,
    USER,
    RunningTrapd,
    start_snmptrapd,
)

COLD_START, LINK_DOWN, LINK_UP = (".1.3.6.1.6.3.1.1.5.1", ".1.3.6.1.6.3.1.1.5.3",
                                  ".1.3.6.1.6.3.1.1.5.4")
PRINTER_V2_ALERT = ".1.3.6.1.2.1.43.0.1"
ALERT = ".1.3.6.1.2.1.43.18.1.1"


@pytest.fixture
def snmptrapd(tmp_path: Path) -> Iterator[RunningTrapd]:
    try:
        receiver = start_snmptrapd(tmp_path / "trapd")
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield receiver
    finally:
        receiver.stop()


class Served:
    def __init__(self, fleet: PrinterFleet, server: SnmpServer, notifier: PrinterNotifier):
        self.fleet, self.server, self.notifier = fleet, server, notifier


async def _serve(models: dict[str, PrinterModel], sinks: list, count: int = 2) -> Served:  # type: ignore[type-arg]
    clock = SystemClock()
    fleet = PrinterFleet([models["hp-color-laserjet-m577"], models["kyocera-fs-6950dn"]], count,
                         "127.30.0.1", clock, start_epoch=MONDAY_9AM, simulate=False)
    security = SecurityConfig([wire.READ], [UsmUser(USER, "SHA", AUTH_KEY, "AES", PRIV_KEY)],
                              write_communities=[wire.WRITE])
    server = SnmpServer(fleet, security, port=0, clock=clock)
    await server.start()
    notifier = PrinterNotifier(fleet, sinks, server.send_from, clock)
    for peer in notifier.peers:
        server.forward(peer, notifier.receive)
    notifier.start()
    return Served(fleet, server, notifier)


@pytest.fixture
async def served_v1(models: dict[str, PrinterModel], snmptrapd: RunningTrapd
                    ) -> AsyncIterator[Served]:
    served = await _serve(models, trap_sinks([(snmptrapd.host, snmptrapd.port)], "1"))
    try:
        yield served
    finally:
        served.notifier.close()
        await served.server.close()


async def _wait(snmptrapd: RunningTrapd, count: int) -> list:  # type: ignore[type-arg]
    return await asyncio.to_thread(snmptrapd.wait_for, count)


async def test_v1_cold_start_and_alerts_from_each_printer(served_v1: Served,
                                                          snmptrapd: RunningTrapd) -> None:
    received = await _wait(snmptrapd, 2)
    assert {r.sender for r in received[:2]} == {"127.30.0.1", "127.30.0.2"}
    assert all(r.generic == "0" and r.security == "TRAP, SNMP v1, community public"
               for r in received[:2])  # coldStart
    assert {r.enterprise for r in received[:2]} == {".1.3.6.1.4.1.11.2.3.9.1", ".1.3.6.1.4.1.1347.41"}
    hp = served_v1.fleet.printers[0]
    now = served_v1.fleet.sim.now()
    cover = hp.inject_alert("cover_open", 1, now)
    hp.resolve_alert(cover.index, now)
    received = await _wait(snmptrapd, 4)
    added, removed = received[2:4]
    for trap in (added, removed):  # RFC 3805 printerV1Alert: enterprise printmib, specific 1
        assert (trap.agent, trap.enterprise, trap.generic, trap.specific) == (
            "127.30.0.1", ".1.3.6.1.2.1.43", "6", ".1")
        assert trap.varbinds[f"{ALERT}.1.1.{cover.index}"] == f"INTEGER: {cover.index}"
        assert trap.varbinds[f"{ALERT}.7.1.{cover.index}"] == "INTEGER: 3"  # coverOpen
        assert trap.varbinds[f"{ALERT}.4.1.{cover.index}"] == "INTEGER: 6"  # group: cover
        assert "is open" in trap.varbinds[f"{ALERT}.8.1.{cover.index}"]


async def test_v2c_link_and_reboot_notifications(models: dict[str, PrinterModel],
                                                 snmptrapd: RunningTrapd) -> None:
    served = await _serve(models, trap_sinks([(snmptrapd.host, snmptrapd.port)], "2c"))
    try:
        await _wait(snmptrapd, 2)  # the coldStarts
        fleet = served.fleet
        kyocera = fleet.printers[1]
        fleet.set_reachable(kyocera, False)
        fleet.set_reachable(kyocera, True)
        address = (fleet.printers[0].address, served.server.port)
        reset = parse_oid("1.3.6.1.2.1.43.5.1.1.3.1")
        status = await asyncio.to_thread(wire.set_request, address, [(reset, (SnmpType.INTEGER,
                                                                              4))])
        assert status == (0, 0)
        received = await _wait(snmptrapd, 5)
    finally:
        served.notifier.close()
        await served.server.close()
    down, up, booted = received[2:5]
    assert (down.trap_oid, up.trap_oid) == (LINK_DOWN, LINK_UP)
    assert down.sender == up.sender == "127.30.0.2"
    assert down.varbinds[".1.3.6.1.2.1.2.2.1.8.1"] == "INTEGER: 2"  # ifOperStatus down
    assert up.varbinds[".1.3.6.1.2.1.2.2.1.8.1"] == "INTEGER: 1"
    assert booted.trap_oid == COLD_START and booted.sender == "127.30.0.1"
    assert booted.varbinds[".1.3.6.1.2.1.1.3.0"].startswith("Timeticks: (0)")  # just booted
    assert booted.security == "TRAP2, SNMP v2c, community public"


async def test_v3_informs_are_acknowledged(models: dict[str, PrinterModel],
                                           snmptrapd: RunningTrapd) -> None:
    user = UsmUser(USER, "SHA", AUTH_KEY, "AES", PRIV_KEY)
    served = await _serve(models, trap_sinks([(snmptrapd.host, snmptrapd.port)], "3", user=user))
    try:
        received = await _wait(snmptrapd, 2)
        for _ in range(100):
            if served.notifier.stats.acknowledged >= 2:
                break
            await asyncio.sleep(0.05)
        assert served.notifier.stats.acknowledged == 2
        assert served.notifier.manager.stats.discoveries == 1  # one receiver engine, learnt once
    finally:
        served.notifier.close()
        await served.server.close()
    assert all(r.security.startswith(f"INFORM, SNMP v3, user {USER}") for r in received)
    assert {r.trap_oid for r in received} == {COLD_START}


async def test_informs_are_re_sent_until_the_receiver_answers(
        models: dict[str, PrinterModel], tmp_path: Path) -> None:
    port = free_port(kind=socket.SOCK_DGRAM)
    sinks = trap_sinks([("127.0.0.1", port)], "2c", inform=True, timeout=0.3)
    served = await _serve(models, sinks, count=1)
    receiver = None
    try:
        await asyncio.sleep(1.0)  # nobody listens: the inform goes unanswered, again and again
        assert served.notifier.manager.stats.retransmitted >= 1
        assert served.notifier.stats.acknowledged == 0
        receiver = await asyncio.to_thread(start_snmptrapd, tmp_path / "late", port)
        for _ in range(200):
            if served.notifier.stats.acknowledged:
                break
            await asyncio.sleep(0.05)
        assert served.notifier.stats.acknowledged == 1
        assert served.notifier.stats.unacknowledged == 0
        received = receiver.received()
        assert received and received[0].trap_oid == COLD_START
        assert received[0].security == "INFORM, SNMP v2c, community public"
    finally:
        served.notifier.close()
        await served.server.close()
        if receiver is not None:
            receiver.stop()




async def test_garbage_from_a_receiver_breaks_nothing(models: dict[str, PrinterModel],
                                                     snmptrapd: RunningTrapd) -> None:
    """Whatever comes back from a receiver's address goes to the notifier's manager, which
    counts what it cannot read; informs still complete."""
    user = UsmUser(USER, "SHA", AUTH_KEY, "AES", PRIV_KEY)
    served = await _serve(models, trap_sinks([(snmptrapd.host, snmptrapd.port)], "3", user=user))
    try:
        for junk in (b"", b"\x30\x03\x02\x01\x00", bytes(range(256)) * 3):
            served.notifier.receive(junk, "127.30.0.1", (snmptrapd.host, snmptrapd.port))
            served.notifier.receive(junk, "127.30.9.9", (snmptrapd.host, snmptrapd.port))
        for _ in range(100):
            if served.notifier.stats.acknowledged >= 2:
                break
            await asyncio.sleep(0.05)
        assert served.notifier.stats.acknowledged == 2
        assert served.notifier.manager.stats.undecodable >= 3
    finally:
        served.notifier.close()
        await served.server.close()
