"""The raw port (9100) over real sockets: PJL answers, jobs printed exactly as the control API
prints them, unsolicited status, JOB/EOJ page counts, power states, and garbage."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from emulators.printers.fleet import PrinterFleet
from emulators.printers.job_stream import UEL
from emulators.printers.model import PrinterModel
from emulators.printers.printer_state import F_FORCED_SLEEP
from emulators.printers.raw_port import RawPortServer
from protolab.clock import SystemClock
from tests.emulators.printers.fleets import MONDAY_9AM

PROFILES = ("hp-color-laserjet-m577", "kyocera-fs-6950dn", "epson-wf-s190dw")


def _fleet(models: dict[str, PrinterModel]) -> PrinterFleet:
    return PrinterFleet([models[name] for name in PROFILES], 3, "127.30.0.1", SystemClock(),
                        start_epoch=MONDAY_9AM, simulate=False)


@pytest.fixture
async def raw(models: dict[str, PrinterModel]) -> AsyncIterator[tuple[PrinterFleet, int]]:
    fleet = _fleet(models)
    server = RawPortServer(fleet, "0.0.0.0", 0)
    await server.start()
    try:
        yield fleet, server.port
    finally:
        await server.close()


async def _talk(address: str, port: int, data: bytes, wait: float = 0.3) -> bytes:
    reader, writer = await asyncio.open_connection(address, port)
    writer.write(data)
    await writer.drain()
    writer.write_eof()
    try:
        return await asyncio.wait_for(reader.read(), wait + 5)
    finally:
        writer.close()


async def test_pjl_info_answers(raw: tuple[PrinterFleet, int]) -> None:
    fleet, port = raw
    hp = fleet.printers[0]
    answer = await _talk(hp.address, port, UEL + b"@PJL INFO ID\r\n@PJL INFO STATUS\r\n"
                         b"@PJL INFO PAGECOUNT\r\n@PJL INFO CONFIG\r\n@PJL ECHO hello\r\n" + UEL)
    frames = answer.split(b"\x0c")
    assert frames[0] == b'@PJL INFO ID\r\n"HP Color LaserJet MFP M577"\r\n'
    assert frames[1] == b'@PJL INFO STATUS\r\nCODE=10001\r\nDISPLAY="Ready"\r\nONLINE=TRUE\r\n'
    assert frames[2] == f"@PJL INFO PAGECOUNT\r\nPAGECOUNT={hp.total}\r\n".encode()
    assert b"IN TRAYS [3 ENUMERATED]" in frames[3] and b"DUPLEX" in frames[3]
    assert frames[4] == b"@PJL ECHO hello\r\n"


async def test_a_job_prints_as_the_control_api_prints(raw: tuple[PrinterFleet, int],
                                                      models: dict[str, PrinterModel]) -> None:
    fleet, port = raw
    twin = _fleet(models).printers[0]  # the same printer in another fleet
    hp = fleet.printers[0]
    assert list(hp.counters) == list(twin.counters) and list(hp.levels) == list(twin.levels)
    job = (UEL + b'@PJL JOB NAME="t"\r\n@PJL SET DUPLEX=ON\r\n@PJL ENTER LANGUAGE=POSTSCRIPT\r\n'
           + b"%!PS\n" + b"1 0 0 setrgbcolor 0 0 moveto (p) show showpage\n" * 6 + UEL
           + b'@PJL EOJ NAME="t"\r\n' + UEL)
    await _talk(hp.address, port, job)
    assert twin.print_pages(fleet.sim.now(), 6, colour=True, duplex=True) == 6
    assert list(hp.counters) == list(twin.counters)  # life count, colour, sheets, duplex, jobs
    assert list(hp.levels) == list(twin.levels) and list(hp.trays) == list(twin.trays)


async def test_ustatus_device_and_job(raw: tuple[PrinterFleet, int]) -> None:
    fleet, port = raw
    kyocera = fleet.printers[1]
    reader, writer = await asyncio.open_connection(kyocera.address, port)
    try:
        writer.write(UEL + b"@PJL USTATUS DEVICE=ON\r\n@PJL USTATUS JOB=ON\r\n")
        await writer.drain()
        first = await asyncio.wait_for(reader.readuntil(b"\x0c"), 5)
        assert b"CODE=10001" in first and first.startswith(b"@PJL USTATUS DEVICE")
        cover = kyocera.inject_alert("cover_open", 1, fleet.sim.now())
        changed = await asyncio.wait_for(reader.readuntil(b"\x0c"), 5)  # unsolicited
        assert b"CODE=40021" in changed and b"ONLINE=FALSE" in changed
        kyocera.resolve_alert(cover.index, fleet.sim.now())
        await asyncio.wait_for(reader.readuntil(b"\x0c"), 5)
        writer.write(b'@PJL JOB NAME="two"\r\n@PJL ENTER LANGUAGE=PCL\r\nA\x0cB\x0c' + UEL
                     + b'@PJL EOJ NAME="two"\r\n')
        await writer.drain()
        start = await asyncio.wait_for(reader.readuntil(b"\x0c"), 5)
        assert start == b'@PJL USTATUS JOB\r\nSTART\r\nNAME="two"\r\n\x0c'
        end = b""
        while b"USTATUS JOB" not in end:
            end = await asyncio.wait_for(reader.readuntil(b"\x0c"), 5)
        assert end == b'@PJL USTATUS JOB\r\nEND\r\nNAME="two"\r\nPAGES=2\r\n\x0c'
    finally:
        writer.close()


async def test_switched_off_resets_and_sleeping_wakes(raw: tuple[PrinterFleet, int]) -> None:
    fleet, port = raw
    hp = fleet.printers[0]
    fleet.set_reachable(hp, False)
    with pytest.raises(ConnectionError):
        await _talk(hp.address, port, UEL + b"@PJL INFO ID\r\n")
    fleet.set_reachable(hp, True)
    hp.flags |= F_FORCED_SLEEP
    before = hp.total
    await _talk(hp.address, port, b"%!\nshowpage\n")
    assert hp.total == before + 1 and not hp.flags & F_FORCED_SLEEP
    assert hp.busy_until > fleet.sim.now()  # woken: warming up, then printing


async def test_garbage_on_the_port_breaks_nothing(raw: tuple[PrinterFleet, int]) -> None:
    fleet, port = raw
    epson = fleet.printers[2]
    for seed in range(5):
        await _talk(epson.address, port, os.urandom(20_000 + seed))
    _reader, writer = await asyncio.open_connection(epson.address, port)
    writer.close()  # a connection that sends nothing
    answer = await _talk(epson.address, port, UEL + b"@PJL INFO ID\r\n" + UEL)
    assert answer.startswith(b'@PJL INFO ID\r\n"WF-C5190 Series"')
    with pytest.raises(ConnectionError):  # no printer answers at that address
        await _talk("127.30.0.200", port, b"%!\nshowpage\n")
