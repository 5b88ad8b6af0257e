"""The SNMP client (the monitor's manager) against the printer emulator over real sockets: one
client socket for thousands of printers, walks equal to what the printers serve and to what
pysnmp reads from them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from ekm_proto.errors import SnmpTimeout
from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.manager.targets import RetryPolicy, Target
from ekm_proto.snmp.types import Oid, SnmpType, parse_oid
from ekm_proto.snmp.usm import UserKeys, UsmUser
from emulators.printers.fleet import PrinterFleet
from emulators.printers.printer_state import F_UNREACHABLE
from emulators.printers.snmprec import walk
from protolab.clock import ManualClock, SystemClock
from tests.ekm_proto.snmp.pysnmp_manager import pysnmp_walk
from tests.emulators.printers.fleets import FleetFactory

USER = UsmUser("ekm", "SHA", "ekm-auth-pass", "AES", "ekm-priv-pass")
SECURITY = SecurityConfig(communities=["public"], users=[USER])
SERIAL = parse_oid("1.3.6.1.2.1.43.5.1.1.17.1")
LIFE = parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1")
SUPPLIES: Oid = parse_oid("1.3.6.1.2.1.43.11.1.1")
RETRY = RetryPolicy(timeout=1.0, retries=3)
MANY = 2000


async def serve(fleet: PrinterFleet, clock: ManualClock) -> SnmpServer:
    for state in fleet.printers:
        state.last_activity = fleet.sim.now()  # awake: counters answer
        fleet.set_quirks(state, drop_rate=0.0, response_delay=0.0)
    server = SnmpServer(fleet, SECURITY, port=0, bind_address="0.0.0.0", clock=clock)
    await server.start()
    return server


@pytest.fixture
async def few(make_fleet: FleetFactory) -> AsyncIterator[tuple[PrinterFleet, int]]:
    fleet, clock = make_fleet(["hp-pagewide-785f", "samsung-clx-8380nd"], 4, first="127.31.0.1")
    server = await serve(fleet, clock)
    try:
        yield fleet, server.port
    finally:
        await server.close()


async def test_one_client_polls_two_thousand_printers_within_its_bound(
        make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["hp-color-laserjet-m577", "hp-pagewide-785f"], MANY,
                              first="127.32.0.1")
    server = await serve(fleet, clock)
    try:
        async with SnmpClient(SystemClock(), max_in_flight=64,
                              local_address=("127.0.0.1", 0)) as client:
            targets = [Target.v2c(state.address, server.port, retry=RETRY)
                       for state in fleet.printers]
            answers = await asyncio.gather(*(client.get(t, SERIAL, LIFE) for t in targets))
            assert client.in_flight == 0
            assert client.max_in_flight_seen == 64  # the bound was reached, never passed
    finally:
        await server.close()
    assert len(answers) == MANY
    for state, varbinds in zip(fleet.printers, answers, strict=True):
        assert varbinds == [(SERIAL, (SnmpType.OCTET_STRING, state.serial.encode())),
                            (LIFE, (SnmpType.COUNTER32, state.total & 0xFFFFFFFF))]
    assert len({state.serial for state in fleet.printers}) == MANY


@pytest.mark.parametrize("version", ["v1", "v2c", "v3"])
async def test_supplies_walk_equals_what_the_printer_serves_and_what_pysnmp_reads(
        few: tuple[PrinterFleet, int], version: str) -> None:
    fleet, port = few
    state = fleet.printers[0]
    target = {"v1": Target.v1(state.address, port), "v2c": Target.v2c(state.address, port),
              "v3": Target.v3(state.address, port, user=UserKeys(USER))}[version]
    async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
        ours = await client.walk(target, SUPPLIES, max_repetitions=7)
    served = [(oid, value) for oid, value in walk(fleet.view_of(state), SUPPLIES)
              if oid[:len(SUPPLIES)] == SUPPLIES]
    assert len(served) == 8 * 10 and ours == served  # 8 columns of the 785f's 10 supplies
    user = (USER.name, "ekm-auth-pass", "ekm-priv-pass") if version == "v3" else None
    theirs = await pysnmp_walk(state.address, port, SUPPLIES, v1=version == "v1", user=user)
    assert theirs == ours


async def test_a_silent_printer_is_a_timeout_naming_it(few: tuple[PrinterFleet, int]) -> None:
    fleet, port = few
    state = fleet.printers[2]
    state.flags |= F_UNREACHABLE
    async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
        answered = await client.get(Target.v2c(fleet.printers[1].address, port), SERIAL)
        with pytest.raises(SnmpTimeout) as caught:
            await client.get(Target.v2c(state.address, port,
                                        retry=RetryPolicy(timeout=0.2, retries=1)), SERIAL)
    assert answered[0][1] == (SnmpType.OCTET_STRING, fleet.printers[1].serial.encode())
    assert caught.value.target == f"{state.address}:{port}"
    assert str(caught.value).startswith(f"{state.address}:{port} (SNMPv2c): no answer to GET")
