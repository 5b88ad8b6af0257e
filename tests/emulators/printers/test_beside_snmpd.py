"""The printer's SNMP engine objects and its answers to SET, beside a real net-snmp snmpd: the same
requests to both, the same answers (error status and index), the same counts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.manager.encoding import encode_v3_request
from ekm_proto.snmp.message import Pdu, PduType, SnmpVersion
from ekm_proto.snmp.types import NULL, SnmpType, parse_oid
from ekm_proto.snmp.usm import UsmUser
from emulators.printers.fleet import PrinterFleet
from emulators.printers.model import PrinterModel
from protolab.clock import SystemClock
from tests.ekm_proto.snmp.snmpd_agent import RunningSnmpd
from tests.emulators.printers import wire
from tests.emulators.printers.fleets import MONDAY_9AM
from tests.emulators.printers.wire import READ, RO_USER, RW_USER, WRITE, Address

SYS_DESCR, SYS_CONTACT = parse_oid("1.3.6.1.2.1.1.1.0"), parse_oid("1.3.6.1.2.1.1.4.0")
SNMP_GROUP = "1.3.6.1.2.1.11"
# the snmp group objects the two agents must count alike for the same traffic
COUNTED = (1, 2, 4, 6, 13, 15, 16, 17, 20, 21, 22, 24, 28)
STR, INT = SnmpType.OCTET_STRING, SnmpType.INTEGER


@pytest.fixture(scope="module")
def snmpd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSnmpd]:
    agent = wire.start_writable_snmpd(tmp_path_factory.mktemp("snmpd-rw"))
    try:
        yield agent
    finally:
        agent.stop()


@pytest.fixture
async def printer(models: dict[str, PrinterModel]) -> AsyncIterator[tuple[PrinterFleet, Address]]:
    """Two printers on the real clock (engine times in real seconds, as snmpd's)."""
    clock = SystemClock()
    fleet = PrinterFleet([models["hp-color-laserjet-m577"]], 2, "127.30.0.1", clock,
                         start_epoch=MONDAY_9AM, simulate=False)
    security = SecurityConfig([READ], [UsmUser(n, "SHA", wire.AUTH_KEY, "AES", wire.PRIV_KEY)
                                       for n in (RO_USER, RW_USER)],
                              write_communities=[WRITE], write_users=[RW_USER])
    server = SnmpServer(fleet, security, port=0, clock=clock)
    await server.start()
    try:
        yield fleet, ("127.30.0.2", server.port)
    finally:
        await server.close()


def _counts(address: Address) -> dict[int, int]:
    oids = [parse_oid(f"{SNMP_GROUP}.{arc}.0") for arc in COUNTED]
    return {arc: int(value[1]) for arc, (_, value) in  # type: ignore[call-overload]
            zip(COUNTED, wire.get(address, *oids), strict=True)}


def _traffic(address: Address) -> None:
    """A bit of everything snmpd counts: GETs, GETNEXTs, a GETBULK, an unknown community,
    garbage, SETs that pass and SETs that are refused."""
    life = parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1")
    for _ in range(3):
        wire.ask(address, PduType.GET, [(SYS_DESCR, NULL), (life, NULL)])
    wire.ask(address, PduType.GET, [(SYS_DESCR, NULL)])
    wire.ask(address, PduType.GET_NEXT, [(SYS_DESCR, NULL), (SYS_CONTACT, NULL)])
    wire.ask(address, PduType.GET_BULK, [(parse_oid("1.3.6.1.2.1.1"), NULL)], repetitions=5)
    assert wire.ask(address, PduType.GET, [(SYS_DESCR, NULL)], community="wrong") is None
    assert wire.exchange(address, b"\x30\x03\x02\x01", timeout=0.3) is None
    wire.set_request(address, [(SYS_CONTACT, (STR, b"ops"))])
    wire.set_request(address, [(SYS_DESCR, (STR, b"x"))])
    wire.set_request(address, [(SYS_CONTACT, (STR, b"x"))], community=READ)
    wire.set_request(address, [(SYS_CONTACT, (INT, 5))], version=SnmpVersion.V1)


async def test_the_snmp_group_counts_what_snmpd_counts(
        printer: tuple[PrinterFleet, Address], snmpd: RunningSnmpd) -> None:
    _fleet, ours = printer
    theirs = (snmpd.host, snmpd.port)
    deltas = []
    for address in (ours, theirs):
        before = await asyncio.to_thread(_counts, address)
        await asyncio.to_thread(_traffic, address)
        after = await asyncio.to_thread(_counts, address)
        deltas.append({arc: after[arc] - before[arc] for arc in COUNTED})
    assert deltas[0] == deltas[1]
    assert deltas[0][1] > 10 and deltas[0][4] == 1 and deltas[0][6] == 1  # traffic was counted


async def test_engine_group_and_sys_or_table_as_snmpd_serves_them(
        printer: tuple[PrinterFleet, Address], snmpd: RunningSnmpd) -> None:
    fleet, ours = printer
    theirs = (snmpd.host, snmpd.port)
    engine = [parse_oid(f"1.3.6.1.6.3.10.2.1.{arc}.0") for arc in (1, 2, 3, 4)]
    for address in (ours, theirs):
        engine_id, boots, time = await asyncio.to_thread(wire.discover, address)
        values = await asyncio.to_thread(wire.get, address, *engine)
        assert [v[0] for _, v in values] == [STR, INT, INT, INT]
        assert values[0][1][1] == engine_id and values[1][1][1] == boots
        assert abs(int(values[2][1][1]) - time) <= 1  # type: ignore[call-overload]
    state = fleet.printers[1]
    assert (await asyncio.to_thread(wire.get, ours, engine[0]))[0][1][1] == state.engine_id
    rows = [parse_oid(f"1.3.6.1.2.1.1.9.1.{column}.{row}") for column in (2, 3)
            for row in (1, 2, 3, 4)]
    mine = await asyncio.to_thread(wire.get, ours, *rows)
    reference = await asyncio.to_thread(wire.get, theirs, *rows)
    assert mine == reference


async def test_usm_stats_count_per_printer(printer: tuple[PrinterFleet, Address]) -> None:
    _fleet, ours = printer
    unknown = parse_oid("1.3.6.1.6.3.15.1.1.3.0")
    before = (await asyncio.to_thread(wire.get, ours, unknown))[0][1][1]
    stranger = wire.user("stranger")
    engine_id, boots, time = await asyncio.to_thread(wire.discover, ours)
    data = encode_v3_request(stranger, engine_id, boots, time,
                             Pdu(PduType.GET, 5, 0, 0, [(SYS_DESCR, NULL)]), msg_id=5)
    assert await asyncio.to_thread(wire.exchange, ours, data) is not None  # the Report
    assert (await asyncio.to_thread(wire.get, ours, unknown))[0][1][1] == before + 1  # type: ignore[operator]
    neighbour = ("127.30.0.1", ours[1])
    assert (await asyncio.to_thread(wire.get, neighbour, unknown))[0][1][1] == 0


SET_CASES = [
    ([(SYS_DESCR, (STR, b"x"))], WRITE, SnmpVersion.V2C),  # read-only object: notWritable
    ([(SYS_CONTACT, (INT, 5))], WRITE, SnmpVersion.V2C),  # wrongType
    ([(SYS_CONTACT, (STR, b"x" * 300))], WRITE, SnmpVersion.V2C),  # wrongLength
    ([(SYS_CONTACT, (STR, b"x"))], READ, SnmpVersion.V2C),  # read community: noAccess
    ([(SYS_DESCR, (STR, b"x"))], WRITE, SnmpVersion.V1),  # v1: noSuchName
    ([(SYS_CONTACT, (INT, 5))], WRITE, SnmpVersion.V1),  # v1: badValue
    ([(SYS_CONTACT, (STR, b"x"))], READ, SnmpVersion.V1),  # v1 read community: noSuchName
    ([(SYS_CONTACT, (STR, b"a")), (SYS_DESCR, (STR, b"x"))], WRITE, SnmpVersion.V2C),  # index 2
    ([(parse_oid("1.3.6.1.4.1.99999.1.0"), (STR, b"x"))], WRITE, SnmpVersion.V2C),  # no object
    ([(SYS_CONTACT, (STR, b"Facilities, ext. 4410"))], WRITE, SnmpVersion.V2C),  # written
]


@pytest.mark.parametrize(("varbinds", "community", "version"), SET_CASES)
async def test_set_is_answered_as_snmpd_answers(
        printer: tuple[PrinterFleet, Address], snmpd: RunningSnmpd, varbinds: list,
        community: str, version: SnmpVersion) -> None:
    _fleet, ours = printer
    theirs = (snmpd.host, snmpd.port)
    answers = [await asyncio.to_thread(wire.set_request, address, varbinds, community, version)
               for address in (ours, theirs)]
    assert answers[0] == answers[1]
    contacts = [(await asyncio.to_thread(wire.get, address, SYS_CONTACT))[0][1]
                for address in (ours, theirs)]
    if answers[0] == (0, 0):
        assert contacts[0] == contacts[1] == varbinds[0][1]
    else:
        assert contacts[0] != (STR, b"a")  # a refused SET writes nothing


async def test_v3_write_access_as_snmpd(printer: tuple[PrinterFleet, Address],
                                        snmpd: RunningSnmpd) -> None:
    _fleet, ours = printer
    theirs = (snmpd.host, snmpd.port)
    for name, expected in ((RO_USER, (6, 1)), (RW_USER, (0, 0))):  # noAccess / written
        for address in (ours, theirs):
            pdu = await asyncio.to_thread(wire.v3_request, address, wire.user(name), PduType.SET,
                                          [(SYS_CONTACT, (STR, b"via SNMPv3"))])
            assert (pdu.error_status, pdu.error_index) == expected

