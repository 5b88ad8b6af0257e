"""The IP-Link's KT-100/KT-300 loop from the command line, over a socat PTY pair: `protolab
kantech emulate --iplink 1 --loop-link A --loop-serve B` in a subprocess, a SimulatedGateway here.
The loop controllers are listed and driven by the control API, their events reach the gateway
through the IP-Link, and firmware sent to the IP-Link reaches the addressed controller as
134-byte serial FIRMWARE_BLOCK frames; it reboots into the new version."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from emulators.kantech_gateway.gateway import DeviceRefusedError, SimulatedGateway
from kantech_proto.codes import Command
from kantech_proto.controller_status import ControllerStatus
from kantech_proto.event_types import EventType
from kantech_proto.serial_frame import SerialFrame
from protolab.ports import free_port

ROOT = Path(__file__).parents[3]
KEY, SITE = "loop-lab-key", 31


@pytest.fixture
async def lab(socat_pty_pair: tuple[str, str]) -> AsyncIterator[dict[str, Any]]:
    link, serve = socat_pty_pair
    control = free_port()
    async with SimulatedGateway(KEY, SITE, ("127.0.0.1", 0), retry_interval=0.5) as gw:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "protolab", "kantech", "emulate", "--iplink", "1",
            "--loop-size", "2", "--loop-link", link, "--loop-serve", serve,
            "--first-address", "127.23.0.1", "--gateway", f"127.0.0.1:{gw.address[1]}",
            "--site-id", str(SITE), "--device-port", "0", "--discovery-port", "0",
            "--tftp-port", "0", "--pulse", "5", "--control", f"127.0.0.1:{control}",
            "--duration", "60", cwd=ROOT, env={**os.environ, "PROTOLAB_KANTECH_KEY": KEY},
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        try:
            info = await gw.wait_for_device("127.23.0.1", timeout=20)
            await _api_up(f"http://127.0.0.1:{control}")
            yield {"gw": gw, "iplink": ("127.23.0.1", info.port),
                   "api": f"http://127.0.0.1:{control}"}
        finally:
            proc.terminate()
            await asyncio.wait_for(proc.wait(), 10)


async def _api_up(api: str) -> None:
    """The control API listens just after the fleet starts: wait for it (10 s at most)."""
    async with aiohttp.ClientSession() as http, asyncio.timeout(10):
        while True:
            try:
                await http.get(f"{api}/stats")
                return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)


async def test_loop_controllers_listed_driven_and_updated(lab: dict[str, Any]) -> None:
    gw, iplink, api = lab["gw"], lab["iplink"], lab["api"]
    async with aiohttp.ClientSession() as http:
        listing = await (await http.get(f"{api}/devices")).json()
        loop = listing["loop_controllers"]
        assert [(c["loop_address"], c["iplink"], c["model"]) for c in loop] == [
            (1, "127.23.0.1", "KT_100"), (2, "127.23.0.1", "KT_300")]
        events = gw.events()
        waiter = asyncio.ensure_future(anext(events))
        await asyncio.sleep(0)
        answer = await http.post(f"{api}/devices/2@127.23.0.1/cards", json={"door": 1,
                                                                             "card": 4321})
        assert (await answer.json())["result"] == "UNKNOWN_CARD"  # no records: refused
        source, event = await asyncio.wait_for(waiter, 10)
        assert source == f"{iplink[0]}:{iplink[1]}/2" and event.card_number == 4321
        records = await (await http.get(f"{api}/devices/2@0/records")).json()
        assert records["records"] == {} and "KT_300" in records["device"]

        image = b"KTFW" + bytes((3, 1, 4)) + bytes(range(200))  # 207 bytes: 2 blocks
        sent: list[SerialFrame] = []
        tunnel = gw.tunnel

        async def spy(device: Any, items: tuple[Any, ...]) -> tuple[Any, ...]:
            sent.extend(i for i in items if isinstance(i, SerialFrame))
            return await tunnel(device, items)
        gw.tunnel = spy  # type: ignore[method-assign]
        power_up = asyncio.ensure_future(_first(gw, EventType.POWER_UP))
        await asyncio.sleep(0)
        report = await gw.firmware(iplink, image, loop_address=1)
        assert report.blocks == 2
        blocks = [f for f in sent if f.command == Command.FIRMWARE_BLOCK]
        assert [len(f.encode()) for f in blocks] == [134, 134] and {f.address for f in sent} == {1}
        source, event = await asyncio.wait_for(power_up, 10)  # rebooted into the image
        assert source.endswith("/1") and event.value == 3 << 16 | 1 << 8 | 4
        status_frame = SerialFrame(1, Command.STATUS_QUERY, b"")
        answers = await gw.tunnel(iplink, (status_frame,))
        assert isinstance(answers[0], SerialFrame)
        assert ControllerStatus.decode(answers[0].data).firmware == (3, 1, 4)
        detail = await (await http.get(f"{api}/devices/1@127.23.0.1")).json()
        assert detail["firmware"] == "3.1.4" and detail["loop_address"] == 1
        stats = await (await http.get(f"{api}/stats")).json()
        assert stats["loops"]["controllers"] == 2 and stats["endpoints"]["out.TUNNEL"] >= 1
        assert (await http.post(f"{api}/devices/1@127.23.0.1/offline")).status == 200
        with pytest.raises(DeviceRefusedError):  # unplugged: nothing answers on the loop
            await gw.tunnel(iplink, (status_frame,))


async def _first(gw: SimulatedGateway, kind: EventType) -> tuple[str, Any]:
    async for source, event in gw.events():
        if event.event_type == kind:
            return source, event
    raise AssertionError("events ended")
